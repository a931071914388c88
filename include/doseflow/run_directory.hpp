#pragma once
// Run directories: the folder `doseflow run` writes (summary.json, timeseries.csv, deliveries.csv, contracts.csv,
// events.csv, diplomacy.csv and scenario.toml; docs/report.md describes them), written whole or not at all, and
// the SQLite store that keeps many runs side by side.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "doseflow/date.hpp"
#include "doseflow/simulation.hpp"

namespace doseflow::output {

// A run directory being written. The constructor takes the staging folder `.NAME.partial` beside `target`
// and holds an exclusive lock (flock) on it until destruction, so a second writer of the same target is refused
// while the first runs; a staging folder left by a killed run is unlocked and is cleared for reuse. The target
// must not exist, be empty, or (with `replace`) be a previous run directory (one holding summary.json): a folder
// of other files is never replaced. commit() renames the staging folder into place, swapping out a previous run
// as a whole; without a commit the destructor removes the staging folder. Problems the caller can fix throw
// std::invalid_argument; failures of the file system throw std::runtime_error. `marker` names the file that makes a
// folder a previous output of the same kind (summary.json for runs and ensembles, sensitivity.json for sensitivity).
class StagedRunDirectory {
public:
    StagedRunDirectory(const std::filesystem::path& target, bool replace, std::string marker = "summary.json");
    ~StagedRunDirectory();
    StagedRunDirectory(const StagedRunDirectory&) = delete;
    StagedRunDirectory& operator=(const StagedRunDirectory&) = delete;

    const std::filesystem::path& path() const { return staging_; }  // write the run's files here
    const std::filesystem::path& target() const { return target_; }
    void commit();

private:
    void check_target() const;

    std::filesystem::path target_;
    std::filesystem::path staging_;
    int lock_descriptor_ = -1;
    bool replace_ = false;
    bool committed_ = false;
    std::string marker_;
};

// The manifest of a run (summary.json "manifest": version, scenario, seed, span, options) and its key figures
// (summary.json "figures"; deaths averted when the run has a counterfactual).
class RunSummary {
public:
    // `version` and `git_revision` name this build; `overrides` are the PATH=VALUE texts the run was asked for
    // (--set).
    RunSummary(const Scenario& scenario, const RunWithCounterfactual& run, std::string version,
               std::string git_revision, const std::vector<std::string>& overrides);
    ~RunSummary();
    RunSummary(const RunSummary&);
    RunSummary& operator=(const RunSummary&);

    std::uint64_t seed() const;
    int days() const;
    Date start() const;
    // The key figures as `doseflow run` prints them.
    std::string text() const;
    // summary.json's "manifest" and "figures" objects as JSON text.
    std::string manifest_json() const;
    std::string figures_json() const;

    struct Parts;  // the manifest and figures as summary.json holds them (output/run_summary.cpp)
    const Parts& parts() const { return *parts_; }

private:
    std::unique_ptr<Parts> parts_;
};

// Writes every file of a run directory into `dir` (the staging folder of a StagedRunDirectory): the tables of
// `results` at the scenario's resolution, scenario.toml and summary.json.
void write_run_directory(const std::filesystem::path& dir, const Scenario& scenario, const Results& results,
                         const RunSummary& summary);

// Appends the run to the SQLite database `database` (created when missing); returns its run id. Throws
// std::runtime_error.
long long store_run(const std::filesystem::path& database, const Results& results, const RunSummary& summary);

// Checks that `dir` is a whole run directory: a summary.json that parses, has "manifest", "figures" and "tables"
// objects, and records for each table a size that the file on disk has (a table cut short by a killed or
// disk-full run, or edited since, differs). Throws std::runtime_error saying which file and why.
void verify_run_directory(const std::filesystem::path& dir);

}  // namespace doseflow::output
