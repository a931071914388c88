#pragma once
// Writes a run directory: summary.json, timeseries.csv, deliveries.csv, contracts.csv, events.csv,
// diplomacy.csv and scenario.toml (the merged scenario that repeats the run). The whole directory is written into a locked staging folder beside the target and renamed into
// place when complete (StagedRunDirectory), so a killed run never leaves a folder that looks whole and a second
// writer of the same folder is refused. summary.json records each table's size, so readers can tell a complete
// directory from one that was cut short or changed.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doseflow/run_directory.hpp"
#include "doseflow/simulation.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::output {

struct RunManifest {
    std::string version;
    std::string git_revision;
    std::string scenario_name;
    std::string scenario_sha256;
    std::uint64_t seed = 0;
    int days = 0;
    Date start;
    Date end;
    nlohmann::ordered_json options = nlohmann::ordered_json::object();
};

// The manifest of a run of `scenario` by this build: `overrides` are the PATH=VALUE texts it was asked for (--set),
// `counterfactual` whether deaths averted were computed.
RunManifest run_manifest(const Scenario& scenario, std::string version, std::string git_revision,
                         const std::vector<std::string>& overrides, bool counterfactual);

// summary.json's "manifest" object.
nlohmann::ordered_json manifest_json(const RunManifest& manifest);

struct WriteOptions {
    bool weekly = true;         // timeseries resolution
    std::string scenario_toml;  // the fully merged scenario, written as scenario.toml when not empty
};

// Writes `contents` to `path` through a temporary file in the same directory and a rename.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);
// The same, with the contents written by `write` as it forms them; an exception it throws removes the partial file.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

// The tables, as text (also used by the SQLite store and tests).
std::string timeseries_csv(const Results& results, bool weekly);
std::string deliveries_csv(const Results& results);
std::string contracts_csv(const Results& results);
std::string events_csv(const Results& results);
std::string diplomacy_csv(const Results& results);

// The points of timeseries.csv: the run's own, or summed into weeks in `scratch` when `weekly` and the run
// recorded days. Throws std::logic_error when daily rows are asked of a run recorded per week.
const SeriesPoints& timeseries_rows(const Results& results, bool weekly, Recorder& scratch);
// The component column of timeseries.csv: a tag (wastage reason), the product's component name, or its number.
std::string component_label(const World& world, const SeriesKey& key);

// Writes every file of a run directory; summary.json gets the manifest, `figures` and "tables": each table's
// "bytes" and "lines", and for timeseries.csv its "period_days" and its last period's start and length, with
// "last_period_partial" true where the span ends in a short week (its flows sum fewer than 7 days).
void write_run_directory(const std::filesystem::path& dir, const Results& results, const RunManifest& manifest,
                         const nlohmann::ordered_json& figures, const WriteOptions& options);

// Formats a number for CSV: shortest text that reads back to the same double; integers without a decimal point.
std::string format_number(double value);

}  // namespace doseflow::output
