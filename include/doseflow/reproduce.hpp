#pragma once
// Reproductions of published models with doseflow's epidemic core.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace doseflow {

struct ReproduceOptions {
    // ISO3 codes of the countries to run (the main USA results run when "USA" is among them); empty = all nine.
    std::vector<std::string> countries;
    // Vaccine supplies to run, in % of the population; empty = the paper's grid 0, 1, ..., 50.
    std::vector<int> supply_pct;
    // The paper's multi-country heat maps computed years of life lost with the USA's remaining life expectancy
    // for every country (main_heatmap.R loads it once; Bubar et al. SPEC.md section 10). true reproduces that;
    // false uses each country's own life expectancy. The USA rows are the same either way.
    bool heatmap_yll_with_usa_life_expectancy = true;
    // Worker threads (0 = all available). Every run is independent, so the output does not depend on it.
    int threads = 0;
    // Called as runs finish with (runs done, runs in all), from the calling thread's perspective serialised.
    std::function<void(int, int)> on_progress;
};

// Runs Bubar et al. 2021 (Science 371:916, doi:10.1126/science.abe6959) as specified for the project: the main
// USA results (R0 1.15 and 1.5, rollout 0.2 %/day) and the four multi-country heat-map scenarios (R0 1.15 with
// rollout 0.1 %/day, R0 1.5 with rollout 0.2 %/day, R0 1.5 and 2.6 with all doses on day 0) for the nine
// countries, every prioritisation strategy and supply. Writes `bubar2021.csv` into `out_dir` (created if needed;
// written to a temporary name and renamed) with the columns
// country,r0,vaccination,supply_pct,strategy,metric,value. Inputs are the tables compiled into the binary from
// data/bubar2021. Throws std::runtime_error when they are missing or the directory cannot be written.
void reproduce_bubar2021(const std::filesystem::path& out_dir, const ReproduceOptions& options = {});

}  // namespace doseflow
