#pragma once
// The levers of the what-if page: scenario values, named by their --set path, that answer the counterfactual
// questions of 2021 (docs/serve.md). Each lever adds only plain words; its type, unit, range and help come from the
// parameter registry, and its starting value from the base scenario.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doseflow/scenario.hpp"

namespace doseflow::serve {

struct Lever {
    std::string path;   // as --set takes it: suppliers.RUS.domestic_share
    std::string group;  // heading on the page
    std::string label;  // plain words
};

// The levers offered for the default-2021 world (those whose entries a scenario lacks are left out by lever_json).
const std::vector<Lever>& default_levers();

// The parts of a --set path between its dots: "suppliers.RUS.domestic_share" -> {"suppliers", "RUS", "domestic_share"}.
std::vector<std::string> split_path(const std::string& path);

// The registry path of a --set path: "suppliers.RUS.domestic_share" -> "suppliers[].domestic_share".
// Empty when the path names no declared parameter.
std::string registry_path(const std::string& set_path);

// The value at a --set path in a scenario's merged document, as JSON; null when the document lacks it.
nlohmann::json value_at(const Scenario& scenario, const std::string& set_path);

// The levers that apply to `scenario`: [{path, group, label, type, unit, min, max, choices, help, value}], where
// value is the scenario's (or the registry default) and min/max the registry's range.
nlohmann::ordered_json lever_json(const Scenario& scenario, const std::vector<Lever>& levers);

}  // namespace doseflow::serve
