#pragma once
// Ensembles (many members of one scenario with its uncertain values drawn by Latin hypercube), variance-based
// sensitivity, and reading ensemble and run directories back: the ensemble report (5-95% and 25-75% bands around
// the median) and `doseflow diff` of two runs or two ensembles (docs/uncertainty.md).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "doseflow/scenario.hpp"

namespace doseflow::ensemble {

class MemberTransport;  // ensemble/ensemble.hpp

// The processes members run in: this one alone, or the ranks of an MPI job when started by mpirun (and built with
// MPI; `argc` and `argv` go to MPI). Members m with m % size == rank run here; rank 0 writes the outputs.
class Ranks {
public:
    Ranks(int& argc, char**& argv);
    ~Ranks();
    Ranks(const Ranks&) = delete;
    Ranks& operator=(const Ranks&) = delete;

    int rank() const;
    int size() const;
    bool root() const { return rank() == 0; }
    MemberTransport& transport() const;

private:
    std::unique_ptr<MemberTransport> transport_;
};

struct MemberOptions {
    bool counterfactual = true;          // run the no-vaccination counterfactual (deaths averted)
    std::vector<std::string> metrics;    // series kept; empty: none
    std::optional<std::uint64_t> simulation_seed;  // every member with this seed instead of its own
};

// Metrics of quantiles.csv when none are named: the ones the report draws and the key figures come from.
const std::vector<std::string>& default_series_metrics();

struct EnsembleOptions {
    ScenarioSource source = ScenarioSource::embedded("default-2021");
    std::vector<std::string> overrides;  // PATH=VALUE
    std::optional<int> days;
    int members = 0;
    int threads = 1;
    std::optional<std::uint64_t> seed;  // default: the scenario's simulation.seed
    std::filesystem::path out;
    bool force = false;
    MemberOptions member;
    std::function<void(int, int)> on_member;  // (members folded, members) on rank 0
};

struct EnsembleSummary {
    int members = 0;
    std::size_t series_keys = 0;
    std::size_t sketch_buckets = 0;  // in all quantile sketches at the end (the memory the quantiles took)
};

// Runs an ensemble and writes members.csv, quantiles.csv and summary.json into options.out (rank 0 only).
EnsembleSummary run_ensemble(const EnsembleOptions& options, MemberTransport& transport);
// The same in this process alone (no MPI), for callers that start no ranks.
EnsembleSummary run_ensemble(const EnsembleOptions& options);

struct SobolIndex {
    std::string output, parameter;
    double first_order = 0.0, first_low = 0.0, first_high = 0.0;  // 95% bootstrap interval
    double total = 0.0, total_low = 0.0, total_high = 0.0;
};

struct SensitivityOptions {
    ScenarioSource source = ScenarioSource::embedded("default-2021");
    std::vector<std::string> overrides;
    std::optional<int> days;
    std::vector<std::string> outputs;  // key figure names (members.csv columns)
    int samples = 64;                  // N: the runs are N x (uncertainties + 2)
    int threads = 1;
    int resamples = 200;
    std::optional<std::uint64_t> seed;
    std::filesystem::path out;
    bool force = false;
    std::function<void(int, int)> on_run;
};

// Runs the design and writes sensitivity.csv, sensitivity.json and sensitivity.html (table and bar chart) into
// options.out (rank 0). Returns the indices (empty on other ranks).
std::vector<SobolIndex> run_sensitivity(const SensitivityOptions& options, MemberTransport& transport);

bool is_ensemble_directory(const std::filesystem::path& dir);

// A self-contained HTML report of an ensemble directory: key figures with their intervals and, for the world series,
// charts with 5-95% and 25-75% bands around the median (inline SVG, no scripts).
std::string render_ensemble_report_html(const std::filesystem::path& dir);

struct DiffRow {
    std::string name;
    double a = 0.0, b = 0.0;           // a run's value, or an ensemble's mean
    double difference = 0.0;           // b - a (mean of the paired differences for ensembles)
    std::optional<double> q05, q50, q95;  // of the paired differences (ensembles)
};

struct DiffSeriesRow {
    std::string date, metric;
    double a = 0.0, b = 0.0;  // world totals (runs) or medians (ensembles)
};

struct RunDiff {
    bool ensembles = false;
    int pairs = 0;
    std::vector<DiffRow> figures;
    std::vector<DiffSeriesRow> series;
};

// B minus A. Both must be runs or both ensembles; ensemble members pair by index and must share their seeds.
RunDiff diff_directories(const std::filesystem::path& a, const std::filesystem::path& b);
std::string format_diff(const RunDiff& diff, const std::string& a_name, const std::string& b_name);
std::string diff_csv(const RunDiff& diff);
std::string diff_series_csv(const RunDiff& diff);
// The differences as a report section (HTML, with a chart of the differences and their intervals).
std::string diff_report_section(const RunDiff& diff, const std::string& a_name, const std::string& b_name);

}  // namespace doseflow::ensemble
