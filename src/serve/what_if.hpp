#pragma once
// A what-if: the base scenario with some values set by path (as `doseflow run --set PATH=VALUE`), run with its
// no-vaccination counterfactual, answered as the run's key figures (summary.json's "figures") and the report's
// charts. Also written out as a scenario that `extends` the base. Formats: docs/serve.md.
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doseflow/scenario.hpp"

namespace doseflow::serve {

// A request the caller must fix (not JSON, wrong shape); the message says what would be valid.
class BadRequest : public std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A run stopped at its time limit.
class RunTimedOut : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct WhatIfRequest {
    std::vector<Override> set;  // in the order given; values as TOML text
    std::optional<int> days;    // simulate this many days from the start (the scenario's span when absent)
};

inline constexpr int max_request_days = 36500;

// Reads {"set": {"PATH": VALUE, ...}, "days": N}; both keys optional. VALUE is a JSON number, boolean, string
// (a YYYY-MM-DD string is a date) or array of these. Throws BadRequest.
WhatIfRequest parse_what_if(const std::string& body);

// A JSON value as TOML value text: 0.5, true, "RUS", 2021-06-01, [1, 2].
std::string toml_value_text(const nlohmann::ordered_json& value);

// The charts of the report a what-if page draws (ids of output::report_charts).
const std::vector<std::string>& what_if_chart_ids();

class WhatIfRunner {
public:
    // `work_dir`: an existing folder where each run's tables are written, read back and deleted.
    WhatIfRunner(ScenarioSource base, std::string base_reference, std::filesystem::path work_dir);

    // The base scenario, loaded (throws ScenarioError when it does not load).
    const Scenario& base() const { return base_scenario_; }

    // Runs the what-if and its counterfactual: {"scenario", "days", "start", "end", "figures", "charts",
    // "seconds"}. Throws ScenarioError for values the scenario rejects, BadRequest for a bad horizon and RunTimedOut
    // past `deadline`.
    nlohmann::ordered_json run(const WhatIfRequest& request, std::chrono::steady_clock::time_point deadline) const;

    // A scenario file that extends the base and sets the request's values, so that `doseflow run FILE` gives the
    // same run. Throws ScenarioError when the values do not load.
    std::string scenario_toml(const WhatIfRequest& request) const;

private:
    Scenario load(const WhatIfRequest& request) const;
    ScenarioSource base_source_;
    std::string base_reference_;  // what `extends` names: an embedded name or an absolute path
    std::filesystem::path work_dir_;
    Scenario base_scenario_;
};

}  // namespace doseflow::serve
