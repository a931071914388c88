#pragma once
// `doseflow compare`: a run's people vaccinated and doses by manufacturer against what countries reported to
// Our World in Data (OWID), as errors in percentage points of population at month ends (deaths: see
// output/deaths_compare.hpp). Method: docs/report.md.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doseflow/report.hpp"

namespace doseflow::output {

struct ComparisonRow {
    std::string country;    // ISO3; "world" for the sum over the countries compared; "all" for a mean over countries
    std::string metric;     // people_dose1, people_full, or doses_<product> (e.g. doses_sputnik_v)
    std::string month_end;  // YYYY-MM-DD; "all" for a mean over month ends
    // Percent of population (people_*) or doses per 100 people (doses_*); empty on mean rows.
    std::optional<double> simulated;
    std::optional<double> observed;
    // simulated - observed in percentage points of population (doses per 100 people for doses_*); on rows
    // where country or month_end is "all": the mean absolute error over the rows it summarises.
    double error_pp = 0.0;
};

struct CompareResult {
    std::filesystem::path run_dir;
    std::string observed_source;  // the --observed folder, or a description of the embedded tables
    // Detail rows (country, metric, month) sorted by country, metric, month; then per-country means ("all"
    // months); then per-month means over countries ("all" countries); then the overall mean per metric
    // ("all", "all"); then the world rows.
    std::vector<ComparisonRow> rows;
    std::vector<std::string> notes;  // what was left out and why
};

// Compares run_dir/timeseries.csv with Our World in Data's vaccinations: observed_dir/vaccinations.csv (required
// when a folder is given) and observed_dir/vaccinations-by-manufacturer.csv (optional), or, without a folder, the
// tables embedded from data/observed (the reports bracketing each month end, which give the same figures).
// Throws std::runtime_error naming the file and line of a malformed table, or, when observed_dir does not hold
// vaccinations.csv, where it looked and what to pass. Doses by manufacturer are compared for the products that name
// their OWID vaccine in run_dir/scenario.toml (products[].observed_name).
CompareResult compare_with_observed(const std::filesystem::path& run_dir,
                                    const std::optional<std::filesystem::path>& observed_dir = std::nullopt);

// The overall mean absolute errors, the world rows at the last month, the `top_count` largest country errors,
// and the notes, as text for a terminal.
std::string format_comparison(const CompareResult& result, std::size_t top_count = 10);

// compare.csv: country,metric,month_end,simulated,observed,error_pp (written to a temporary file, renamed).
void write_comparison_csv(const CompareResult& result, const std::filesystem::path& csv_out);


}  // namespace doseflow::output
