#include "serve/what_if.hpp"

#include <atomic>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "doseflow/simulation.hpp"
#include "output/report.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"
#include "scenario/document.hpp"
#include "scenario/registry.hpp"
#include "serve/levers.hpp"

namespace doseflow::serve {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

bool is_iso_date(const std::string& text) {
    if (text.size() != 10) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((i == 4 || i == 7) ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
    return true;
}

// Adds `value` (TOML value text) at a --set path to a scenario document being written: tables for sections, an
// entry named by its key for arrays of tables (merged into the base's entry of that key when extended).
void add_at_path(toml::table& document, const Override& item) {
    const auto& registry = scenario::parameter_registry();
    const auto parts = split_path(item.path);
    toml::table* table = &document;
    std::string declared;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        declared += (declared.empty() ? "" : ".") + parts[i];
        const auto* spec = registry.find(declared);
        if (spec && spec->type == scenario::ValueType::table_array && i + 2 < parts.size()) {
            const std::string key_name = scenario::entry_key(parts[i]);
            const std::string& key = parts[++i];
            declared += "[]";
            auto* array = table->get_as<toml::array>(parts[i - 1]);
            if (!array) array = table->insert_or_assign(parts[i - 1], toml::array{}).first->second.as_array();
            toml::table* found = nullptr;
            for (auto& entry : *array)
                if (auto* entry_table = entry.as_table(); entry_table && entry_table->get(key_name) &&
                                                          entry_table->get(key_name)->value<std::string>() == key)
                    found = entry_table;
            if (!found) {
                array->push_back(toml::table{{key_name, key}});
                found = array->back().as_table();
            }
            table = found;
            continue;
        }
        auto* child = table->get_as<toml::table>(parts[i]);
        if (!child) child = table->insert_or_assign(parts[i], toml::table{}).first->second.as_table();
        table = child;
    }
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + item.value, std::string("value"));
    } catch (const toml::parse_error&) {
        parsed = toml::table{{"value", item.value}};  // a bare word is a string, as for --set
    }
    table->insert_or_assign(parts.back(), *parsed.get("value"));
}

}  // namespace

std::string toml_value_text(const nlohmann::ordered_json& value) {
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
    if (value.is_number_float()) {
        const double number = value.get<double>();
        if (!std::isfinite(number)) throw BadRequest("numbers must be finite");
        return output::format_number(number);
    }
    if (value.is_string()) {
        const auto text = value.get<std::string>();
        if (is_iso_date(text)) return text;
        std::ostringstream quoted;
        quoted << toml::value<std::string>(text);
        return quoted.str();
    }
    if (value.is_array()) {
        std::string text = "[";
        for (std::size_t i = 0; i < value.size(); ++i) text += (i ? ", " : "") + toml_value_text(value[i]);
        return text + "]";
    }
    throw BadRequest("each value of \"set\" must be a number, a boolean, a string or an array of these");
}

WhatIfRequest parse_what_if(const std::string& body) {
    nlohmann::ordered_json json;  // keeps the order of "set"
    try {
        json = body.empty() ? nlohmann::ordered_json::object() : nlohmann::ordered_json::parse(body);
    } catch (const nlohmann::ordered_json::exception& error) {  // syntax, or a number beyond a double's range
        throw BadRequest(fmt::format("the body is not JSON ({}); send {{\"set\": {{\"PATH\": VALUE}}, \"days\": N}}",
                                     error.what()));
    }
    if (!json.is_object()) throw BadRequest("the body must be a JSON object: {\"set\": {\"PATH\": VALUE}, \"days\": N}");
    WhatIfRequest request;
    for (const auto& [key, value] : json.items()) {
        if (key == "set") {
            if (!value.is_object())
                throw BadRequest("\"set\" must be an object of PATH: VALUE, e.g. {\"epidemic.r0\": 3}");
            for (const auto& [path, item] : value.items()) {
                if (path.empty()) throw BadRequest("\"set\" has an empty path; write section.key, e.g. epidemic.r0");
                request.set.push_back({path, toml_value_text(item)});
            }
        } else if (key == "days") {
            if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > max_request_days)
                throw BadRequest(fmt::format("\"days\" must be a whole number from 1 to {}", max_request_days));
            request.days = value.get<int>();
        } else {
            throw BadRequest(fmt::format("unknown key \"{}\"; the body takes \"set\" and \"days\"", key));
        }
    }
    return request;
}

const std::vector<std::string>& what_if_chart_ids() {
    static const std::vector<std::string> ids = {"chart-supplier-timeline", "chart-sputnik-components",
                                                 "chart-coverage-income", "chart-coverage-map", "chart-deaths"};
    return ids;
}

WhatIfRunner::WhatIfRunner(ScenarioSource base, std::string base_reference, fs::path work_dir)
    : base_source_(std::move(base)), base_reference_(std::move(base_reference)), work_dir_(std::move(work_dir)),
      base_scenario_(Scenario::load(base_source_)) {}

Scenario WhatIfRunner::load(const WhatIfRequest& request) const {
    Scenario scenario = request.set.empty() ? base_scenario_ : Scenario::load(base_source_, request.set);
    if (request.days) scenario = scenario.with_days(*request.days);
    return scenario;
}

nlohmann::ordered_json WhatIfRunner::run(const WhatIfRequest& request,
                                         std::chrono::steady_clock::time_point deadline) const {
    const auto started = std::chrono::steady_clock::now();
    const Scenario scenario = load(request);
    RunOptions options;
    options.on_day = [deadline](int, int) {
        if (std::chrono::steady_clock::now() > deadline)
            throw RunTimedOut("the run took longer than the server's time limit; ask for fewer days");
    };
    const RunWithCounterfactual run = run_with_counterfactual(scenario, options, true);
    const Results& results = run.results;
    const auto figures = output::key_figures(results, &*run.counterfactual);

    output::RunManifest manifest;
    manifest.scenario_name = scenario.name();
    manifest.scenario_sha256 = scenario.sha256();
    manifest.seed = scenario.world().simulation.seed;
    manifest.days = scenario.world().simulation.days();
    manifest.start = scenario.world().simulation.start;
    manifest.end = scenario.world().simulation.end;
    // Each run gets its own folder, so that concurrent runners never share one.
    static std::atomic<unsigned long long> next_run{0};
    const fs::path run_dir = work_dir_ / fmt::format("run-{}", next_run++);
    nlohmann::ordered_json charts;
    try {
        fs::create_directories(run_dir);  // a fresh, private folder
        output::write_run_directory(run_dir, results, manifest, figures, {true, {}});  // for the charts only
        charts = output::report_charts(run_dir);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(run_dir, ignored);
        throw;
    }
    std::error_code ignored;
    fs::remove_all(run_dir, ignored);

    nlohmann::ordered_json kept = nlohmann::ordered_json::array();
    for (const auto& id : what_if_chart_ids())
        for (const auto& chart : charts)
            if (chart["id"] == id) kept.push_back(chart);
    nlohmann::ordered_json answer;
    answer["scenario"] = scenario.name();
    answer["scenario_sha256"] = scenario.sha256();
    answer["days"] = manifest.days;
    answer["start"] = manifest.start.iso();
    answer["end"] = manifest.end.iso();
    answer["figures"] = figures;
    answer["charts"] = std::move(kept);
    answer["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return answer;
}

std::string WhatIfRunner::scenario_toml(const WhatIfRequest& request) const {
    const Scenario scenario = load(request);  // the values must load before they are written out
    toml::table document;
    document.insert("format", 1);
    document.insert("extends", base_reference_);
    document.insert("name", base_scenario_.name() + "-what-if");
    for (const auto& item : request.set) add_at_path(document, item);
    if (request.days) {
        const Date end = scenario.world().simulation.end;
        toml::table* simulation = document.get_as<toml::table>("simulation");
        if (!simulation) simulation = document.insert_or_assign("simulation", toml::table{}).first->second.as_table();
        simulation->insert_or_assign("end", toml::date{static_cast<std::uint16_t>(end.year()), static_cast<std::uint8_t>(end.month()),
                                                         static_cast<std::uint8_t>(end.day())});
    }
    std::ostringstream text;
    text << "# A what-if of " << base_reference_ << " written by `doseflow serve`: the values below were set on the\n"
         << "# page; everything else, with its sources, is the base scenario's. Run it with `doseflow run FILE`.\n"
         << document << "\n";
    return text.str();
}

}  // namespace doseflow::serve
