#pragma once
// A run's deaths against the mortality record: WHO's excess deaths (the true burden), JHU's reported COVID-19
// deaths and The Economist's excess deaths, per country and month, per calendar year, and by World Bank income
// group, with the error measures the calibration is judged by (docs/calibration.md). The observed table is
// data/observed/deaths_monthly.csv, embedded in the binary.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace doseflow::output {

// One country's observed deaths in one month; a source without a value for it is nullopt.
struct ObservedDeathMonth {
    std::optional<double> reported;   // JHU CSSE, COVID-19 deaths reported in the month
    std::optional<double> excess;     // WHO, mean excess deaths
    std::optional<double> economist;  // The Economist, excess deaths from national all-cause mortality
    bool excess_predicted = false;    // WHO's value comes from its model (no all-cause data for the country)
};

// country (ISO3) -> month ("YYYY-MM") -> observed deaths.
using ObservedDeaths = std::map<std::string, std::map<std::string, ObservedDeathMonth>>;

// The embedded data/observed/deaths_monthly.csv (January 2020 – December 2021).
const ObservedDeaths& embedded_observed_deaths();

// "YYYY-MM" of a date, the month key of ObservedDeaths and MonthlyDeaths.
std::string month_key(Date day);
// Pearson correlation of two series of equal length; nullopt for fewer than 3 points or a constant series.
std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y);

// country -> month ("YYYY-MM") -> simulated deaths, for the whole months a run covers. With weekly output a
// period's deaths are spread evenly over its days; months the run covers only in part are left out.
using MonthlyDeaths = std::map<std::string, std::map<std::string, double>>;
MonthlyDeaths read_simulated_monthly_deaths(const std::filesystem::path& timeseries_csv);

struct DeathMonthRow {
    std::string country, month;
    double simulated = 0.0;
    ObservedDeathMonth observed;
};

// A country's (or group's) deaths over one calendar year, the months of that year that both the run and the
// record cover.
struct DeathTotalRow {
    std::string country;  // ISO3, or "world", or a World Bank income group ("High income", ...)
    std::string year;     // "2021"
    int months = 0;
    double simulated = 0.0;
    // Summed over the same months: for a country where every month has a value; for a group over the countries
    // with a WHO estimate, reported and Economist values where there are any.
    std::optional<double> excess, reported, economist;
    // Pearson correlation of the simulated and WHO excess monthly deaths over the months (countries only; nullopt
    // with fewer than three months or a constant series).
    std::optional<double> correlation_excess;
    std::optional<double> share_simulated, share_excess;  // income groups: share of the world's deaths
    double error_excess_pct() const { return excess && *excess != 0.0 ? 100.0 * (simulated / *excess - 1.0) : 0.0; }
};

// The checks the calibration is judged by, for one year: the world within 10% of WHO's excess, the countries
// with the most excess deaths within 25% and correlated at 0.8 or more, income-group shares within 5 points.
struct DeathChecks {
    std::string year;
    double world_error_pct = 0.0;
    std::size_t top_count = 0;              // countries among the `top` with the most WHO excess deaths
    std::size_t top_within_25pct = 0;
    std::size_t top_correlated_08 = 0;
    double largest_share_gap_pp = 0.0;      // over the four income groups
};

struct DeathComparison {
    std::vector<DeathMonthRow> months;  // sorted by country, month
    std::vector<DeathTotalRow> totals;  // countries (sorted), then income groups, then "world"; per year
    std::vector<DeathChecks> checks;    // per year
    std::vector<std::string> notes;
};

// Compares simulated monthly deaths with the record. `top` is how many of the countries with the most WHO excess
// deaths the checks count (40).
DeathComparison compare_deaths(const MonthlyDeaths& simulated, const ObservedDeaths& observed, std::size_t top = 40);

// World and income-group totals, the checks, and the `country_count` countries with the most excess deaths.
std::string format_death_comparison(const DeathComparison& comparison, std::size_t country_count = 20);

// compare_deaths.csv: country,year,months,simulated,excess,reported,economist,error_excess_pct,correlation_excess,
// share_simulated,share_excess; compare_deaths_monthly.csv: country,month,simulated,excess,reported,economist.
void write_death_comparison_csv(const DeathComparison& comparison, const std::filesystem::path& run_dir);

}  // namespace doseflow::output
