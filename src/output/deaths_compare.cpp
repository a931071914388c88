#include "output/deaths_compare.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;

// The four World Bank income groups of data/tables/countries.csv, richest first.
constexpr std::string_view income_groups[] = {"High income", "Upper middle income", "Lower middle income", "Low income"};

ObservedDeaths read_observed_deaths(CsvReader csv) {
    const auto code = csv.column("code"), month = csv.column("month"), reported = csv.column("reported"),
               excess = csv.column("excess"), type = csv.column("excess_type"),
               economist = csv.column("economist_excess");
    ObservedDeaths deaths;
    while (csv.next()) {
        const std::string_view key = csv.text(month);
        if (key.size() != 7 || !Date::parse(std::string(key) + "-01")) csv.fail("column 'month': expected YYYY-MM");
        auto& cell = deaths[std::string(csv.text(code))][std::string(key)];
        cell.reported = csv.optional_number(reported);
        cell.excess = csv.optional_number(excess);
        cell.economist = csv.optional_number(economist);
        cell.excess_predicted = csv.text(type) == "predicted";
    }
    return deaths;
}

// Sums of one country (or group) over one year's months.
struct Accumulator {
    int months = 0;  // country-months
    std::set<std::string> distinct_months;
    double simulated = 0.0, excess = 0.0, reported = 0.0, economist = 0.0;
    int with_excess = 0, with_reported = 0, with_economist = 0;
    std::vector<double> simulated_series, excess_series;
    void add(const std::string& month, double simulated_deaths, const ObservedDeathMonth& observed) {
        ++months;
        distinct_months.insert(month);
        simulated += simulated_deaths;
        if (observed.excess) {
            excess += *observed.excess, ++with_excess;
            simulated_series.push_back(simulated_deaths);
            excess_series.push_back(*observed.excess);
        }
        if (observed.reported) reported += *observed.reported, ++with_reported;
        if (observed.economist) economist += *observed.economist, ++with_economist;
    }
    // A country's sums stand only where every month has a value; a group's reported and Economist sums are over
    // the country-months that have one (JHU lacks a few countries; The Economist covers 70).
    DeathTotalRow row(std::string country, std::string year, bool is_country) const {
        DeathTotalRow out;
        out.country = std::move(country);
        out.year = std::move(year);
        out.months = static_cast<int>(distinct_months.size());
        out.simulated = simulated;
        if (with_excess == months) out.excess = excess;
        if (with_reported == months || (!is_country && with_reported > 0)) out.reported = reported;
        if (with_economist == months || (!is_country && with_economist > 0)) out.economist = economist;
        if (is_country && with_excess == months) out.correlation_excess = pearson(simulated_series, excess_series);
        return out;
    }
};

std::string optional_text(const std::optional<double>& value, const char* format = "{:.1f}") {
    return value ? fmt::format(fmt::runtime(format), *value) : std::string();
}

}  // namespace

const ObservedDeaths& embedded_observed_deaths() {
    static const ObservedDeaths deaths = read_observed_deaths(embedded_table("observed/deaths_monthly.csv"));
    return deaths;
}

MonthlyDeaths read_simulated_monthly_deaths(const fs::path& timeseries_csv) {
    auto csv = CsvReader::open(timeseries_csv);
    const auto date = csv.column("date"), country = csv.column("country"), product = csv.column("product"),
               component = csv.column("component"), metric = csv.column("metric"), value = csv.column("value");
    std::map<std::string, std::map<Date, double>> by_period;
    std::set<Date> dates;
    while (csv.next()) {
        const Date day = csv.date(date);
        dates.insert(day);
        if (csv.text(metric) != "deaths" || csv.text(country).empty() || !csv.text(product).empty() ||
            !csv.text(component).empty())
            continue;
        if (const auto amount = csv.optional_number(value)) by_period[std::string(csv.text(country))][day] += *amount;
    }
    if (dates.empty()) csv.fail("no rows: the run has no timeseries to compare");
    // Output periods: the shortest gap between dates (1 day, or 7 with weekly output); the last runs to the end.
    int length = 0;
    for (auto it = dates.begin(), next = std::next(dates.begin()); next != dates.end(); ++it, ++next)
        length = length == 0 ? (*next - *it) : std::min(length, *next - *it);
    length = std::max(1, length);
    const Date first = *dates.begin(), last = *dates.rbegin() + (length - 1);
    MonthlyDeaths monthly;
    for (const auto& [code, periods] : by_period) {
        auto& months = monthly[code];
        for (const auto& [start, deaths] : periods) {
            const Date end = std::min(start + (length - 1), last);
            const double per_day = deaths / static_cast<double>(end - start + 1);
            for (Date day = start; day <= end; ++day) months[month_key(day)] += per_day;
        }
        // Only whole months: drop a first month that starts before the run and a last that ends after it.
        if (first.day() != 1) months.erase(month_key(first));
        if (month_end(last) != last) months.erase(month_key(last));
    }
    return monthly;
}

DeathComparison compare_deaths(const MonthlyDeaths& simulated, const ObservedDeaths& observed, std::size_t top) {
    DeathComparison result;
    const auto countries = embedded_countries();
    std::map<std::string, std::map<std::string, Accumulator>> by_country, by_group;  // key -> year -> sums
    std::set<std::string> unobserved, no_excess;
    for (const auto& [code, months] : simulated) {
        const auto record = observed.find(code);
        if (record == observed.end()) {
            unobserved.insert(code);
            continue;
        }
        const auto info = countries.find(code);
        const std::string group = info == countries.end() ? std::string() : info->second.income_group;
        for (const auto& [month, deaths] : months) {
            const auto cell = record->second.find(month);
            if (cell == record->second.end()) continue;
            result.months.push_back({code, month, deaths, cell->second});
            const std::string year = month.substr(0, 4);
            by_country[code][year].add(month, deaths, cell->second);
            if (!cell->second.excess) {
                no_excess.insert(code);
                continue;
            }
            // Groups and the world: countries with a WHO estimate only, so that both sides count the same people.
            by_group["world"][year].add(month, deaths, cell->second);
            if (!group.empty()) by_group[group][year].add(month, deaths, cell->second);
        }
    }
    for (const auto& [code, years] : by_country)
        for (const auto& [year, sums] : years) result.totals.push_back(sums.row(code, year, true));
    for (const auto group : income_groups) {
        const auto found = by_group.find(std::string(group));
        if (found == by_group.end()) continue;
        for (const auto& [year, sums] : found->second) {
            auto row = sums.row(std::string(group), year, false);
            const auto& world = by_group["world"][year];
            if (world.simulated > 0.0) row.share_simulated = sums.simulated / world.simulated;
            if (world.excess > 0.0 && row.excess) row.share_excess = *row.excess / world.excess;
            result.totals.push_back(std::move(row));
        }
    }
    if (by_group.contains("world"))
        for (const auto& [year, sums] : by_group["world"]) result.totals.push_back(sums.row("world", year, false));

    for (const auto& [year, world] : by_group["world"]) {
        if (world.months == 0) continue;
        DeathChecks checks{year};
        const auto world_row = world.row("world", year, false);
        checks.world_error_pct = world_row.error_excess_pct();
        std::vector<const DeathTotalRow*> ranked;
        for (const auto& row : result.totals)
            if (row.year == year && row.excess && countries.contains(row.country)) ranked.push_back(&row);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const DeathTotalRow* a, const DeathTotalRow* b) { return *a->excess > *b->excess; });
        if (ranked.size() > top) ranked.resize(top);
        checks.top_count = ranked.size();
        for (const auto* row : ranked) {
            checks.top_within_25pct += std::abs(row->error_excess_pct()) <= 25.0;
            checks.top_correlated_08 += row->correlation_excess.value_or(-1.0) >= 0.8;
        }
        for (const auto& row : result.totals)
            if (row.year == year && row.share_simulated && row.share_excess)
                checks.largest_share_gap_pp =
                    std::max(checks.largest_share_gap_pp, 100.0 * std::abs(*row.share_simulated - *row.share_excess));
        result.checks.push_back(checks);
    }
    if (result.months.empty()) result.notes.push_back("no whole month of the run lies in the record (January 2020 - "
                                                      "December 2021): deaths not compared");
    if (!unobserved.empty()) {
        std::string list;
        for (const auto& code : unobserved) list += (list.empty() ? "" : ", ") + code;
        result.notes.push_back("no observed deaths for: " + list);
    }
    if (!no_excess.empty()) {
        std::string list;
        for (const auto& code : no_excess) list += (list.empty() ? "" : ", ") + code;
        result.notes.push_back("no WHO excess estimate (left out of the world and income-group totals): " + list);
    }
    return result;
}

std::string format_death_comparison(const DeathComparison& comparison, std::size_t country_count) {
    std::string text = "Deaths against the record (simulated; WHO excess, the true burden; JHU reported; Economist "
                       "excess)\n";
    text += "Data: WHO, Estimates of Excess Mortality Associated With COVID-19 Pandemic (25 March 2022); JHU CSSE "
            "COVID-19 Data Repository (Dong et al. 2020), CC BY 4.0; The Economist's excess deaths tracker, CC BY "
            "4.0.\n";
    const auto countries = embedded_countries();
    if (comparison.checks.empty()) {
        for (const auto& note : comparison.notes) text += "  " + note + "\n";
        return text;
    }
    for (const auto& checks : comparison.checks) {
        text += fmt::format("\n{} (the whole months of the year that the run covers)\n", checks.year);
        text += fmt::format("  {:<22} {:>6} {:>14} {:>14} {:>14} {:>9} {:>10}\n", "", "months", "simulated",
                            "WHO excess", "JHU reported", "error", "share sim/WHO");
        for (const auto& row : comparison.totals) {
            if (row.year != checks.year || countries.contains(row.country)) continue;
            const std::string shares = row.share_simulated && row.share_excess
                                           ? fmt::format("{:.1f}% / {:.1f}%", 100.0 * *row.share_simulated,
                                                         100.0 * *row.share_excess)
                                           : std::string();
            text += fmt::format("  {:<22} {:>6} {:>14.0f} {:>14} {:>14} {:>+8.1f}% {:>10}\n", row.country, row.months,
                                row.simulated, optional_text(row.excess, "{:.0f}"),
                                optional_text(row.reported, "{:.0f}"), row.error_excess_pct(), shares);
        }
        text += fmt::format("  checks: world {:+.1f}% of WHO excess; of the {} countries with the most excess deaths, "
                            "{} within 25% and {} with monthly correlation >= 0.8; income-group shares within {:.1f} "
                            "percentage points\n",
                            checks.world_error_pct, checks.top_count, checks.top_within_25pct,
                            checks.top_correlated_08, checks.largest_share_gap_pp);
        std::vector<const DeathTotalRow*> ranked;
        for (const auto& row : comparison.totals)
            if (row.year == checks.year && row.excess && countries.contains(row.country))
                ranked.push_back(&row);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const DeathTotalRow* a, const DeathTotalRow* b) { return *a->excess > *b->excess; });
        if (ranked.size() > country_count) ranked.resize(country_count);
        text += fmt::format("  {:<8} {:>14} {:>14} {:>14} {:>9} {:>12}\n", "country", "simulated", "WHO excess",
                            "JHU reported", "error", "correlation");
        for (const auto* row : ranked)
            text += fmt::format("  {:<8} {:>14.0f} {:>14.0f} {:>14} {:>+8.1f}% {:>12}\n", row->country, row->simulated,
                                *row->excess, optional_text(row->reported, "{:.0f}"), row->error_excess_pct(),
                                optional_text(row->correlation_excess, "{:.2f}"));
    }
    if (!comparison.notes.empty()) {
        text += "Notes\n";
        for (const auto& note : comparison.notes) text += "  " + note + "\n";
    }
    return text;
}

void write_death_comparison_csv(const DeathComparison& comparison, const fs::path& run_dir) {
    std::string totals = "country,year,months,simulated,excess,reported,economist,error_excess_pct,"
                         "correlation_excess,share_simulated,share_excess\n";
    for (const auto& row : comparison.totals)
        totals += fmt::format("{},{},{},{:.1f},{},{},{},{:.2f},{},{},{}\n", row.country, row.year, row.months,
                              row.simulated, optional_text(row.excess), optional_text(row.reported),
                              optional_text(row.economist), row.error_excess_pct(),
                              optional_text(row.correlation_excess, "{:.4f}"),
                              optional_text(row.share_simulated, "{:.4f}"), optional_text(row.share_excess, "{:.4f}"));
    std::string months = "country,month,simulated,excess,reported,economist\n";
    for (const auto& row : comparison.months)
        months += fmt::format("{},{},{:.1f},{},{},{}\n", row.country, row.month, row.simulated,
                              optional_text(row.observed.excess), optional_text(row.observed.reported),
                              optional_text(row.observed.economist));
    write_file_atomically(run_dir / "compare_deaths.csv", totals);
    write_file_atomically(run_dir / "compare_deaths_monthly.csv", months);
}

std::string month_key(Date day) { return fmt::format("{:04d}-{:02d}", day.year(), day.month()); }

std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const auto n = static_cast<double>(x.size());
    if (x.size() < 3) return std::nullopt;
    double mx = 0.0, my = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= n, my /= n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0.0 || syy <= 0.0) return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

}  // namespace doseflow::output
