#pragma once
// A run's results as tables of columns: the same rows and columns as the run directory's CSV files
// (timeseries, deliveries, contracts, events, diplomacy; docs/report.md describes them), held as plain arrays so
// that callers such as the Python package can hand them to numpy without one object per value.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "doseflow/simulation.hpp"

namespace doseflow {

struct Column {
    enum class Kind { number, date, text };
    // A date column's value where the CSV field is empty (no delivery yet).
    static constexpr std::int64_t missing_date = std::numeric_limits<std::int64_t>::min();

    std::string name;
    Kind kind = Kind::number;
    std::vector<double> numbers;      // Kind::number
    std::vector<std::int64_t> days;   // Kind::date: days since 1970-01-01, or missing_date
    std::vector<std::int32_t> codes;  // Kind::text: index into `levels`; -1 where the CSV field is empty
    std::vector<std::string> levels;  // Kind::text: the distinct texts in order of first appearance
};

struct Table {
    std::size_t rows = 0;
    std::vector<Column> columns;  // in the CSV file's order
};

// timeseries.csv: per reporting period of the run, or summed into weeks when `weekly` and the run recorded days.
Table timeseries_table(const Results& results, bool weekly);
// timeseries.csv as the run directory holds it: at the resolution its scenario asks for (simulation.output).
Table timeseries_table(const Results& results);
Table deliveries_table(const Results& results);
Table contracts_table(const Results& results);
Table events_table(const Results& results);
// diplomacy.csv: the CSV rounds credibility and influence to 6 significant digits; the table keeps every digit.
Table diplomacy_table(const Results& results);

// One row per country: code, name, income_group, population, people_dose1, people_full, deaths (cumulative at the
// end), and, when `counterfactual` (the same scenario without vaccination) is given, deaths_without_vaccination
// and deaths_averted.
Table countries_table(const Results& results, const Results* counterfactual);

}  // namespace doseflow
