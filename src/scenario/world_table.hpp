#pragma once
// The embedded world table: population by age (UN WPP 2019) and contact matrices (Prem et al. 2021) per country,
// derived by scripts/generate_world_tables.py into data/tables/ (sources and licences in data/tables/README.md).
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace doseflow::scenario {

struct WorldTableRow {
    std::string code, name, region, subregion, income_group;
    std::vector<double> population_by_age;  // sixteen 5-year bands, last 75+
    std::vector<double> contacts;           // 16 x 16, row = participant
};

inline const std::vector<int> world_table_age_bands = {0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75};

// Parses the embedded tables; problems (a malformed table) go to diagnostics.
std::vector<WorldTableRow> load_world_table(Diagnostics& diagnostics);

}  // namespace doseflow::scenario
