#pragma once
// The key figures of a run (summary.json "figures" and the printed summary).
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "doseflow/simulation.hpp"

namespace doseflow::output {

// `counterfactual`: the same scenario run without vaccination, for deaths averted (optional).
nlohmann::ordered_json key_figures(const Results& results, const Results* counterfactual);

// A short human-readable summary of the figures.
std::string format_summary(const nlohmann::ordered_json& figures);

}  // namespace doseflow::output
