#pragma once
#include <optional>
#include <string>
#include <vector>

#include "doseflow/error.hpp"

namespace doseflow::cli {

struct RunCommand {
    std::string scenario;
    std::optional<std::string> out;  // empty when given empty: an error
    std::optional<std::string> seed;  // checked here, so that a bad value is named as given
    std::optional<std::string> days;
    std::vector<std::string> overrides;
    std::string resolution;
    std::optional<std::string> database;
    bool quiet = false;
    bool force = false;
    bool progress = false;
    bool no_counterfactual = false;
    bool profile = false;
};

struct EnsembleCommand {
    std::string scenario;
    std::string out;
    int members = 0;
    int threads = 1;
    std::optional<long long> seed;
    std::optional<int> days;
    std::vector<std::string> overrides;
    std::vector<std::string> metrics;
    bool no_counterfactual = false;
    bool quiet = false;
    bool force = false;
};

struct SensitivityCommand {
    std::string scenario;
    std::string out;
    std::vector<std::string> outputs;
    int samples = 64;
    int threads = 1;
    int resamples = 200;
    std::optional<long long> seed;
    std::optional<int> days;
    std::vector<std::string> overrides;
    bool quiet = false;
    bool force = false;
};

struct CalibrateCommand {
    std::string scenario;
    std::string out;
    std::string name;
    std::vector<std::string> countries;
    std::vector<std::string> overrides;
    std::string history_start = "2020-02-01";
    std::string fit_end = "2021-12-31";
    int knot_days = 28;
    int rounds = 2;
    int threads = 1;
    bool quiet = false;
    bool force = false;
};

struct ServeCommand {
    std::string scenario;
    std::string host = "127.0.0.1";
    int port = 8021;
    int time_limit_seconds = 120;
};

int run(const RunCommand& command);
int sensitivity(const SensitivityCommand& command, int& argc, char**& argv);
// `argc`/`argv` go to MPI when the command runs under mpirun.
int ensemble(const EnsembleCommand& command, int& argc, char**& argv);
// Differences B - A of two runs or two ensembles; with `out`, also diff.csv, diff_series.csv and diff.html there.
int diff(const std::string& a, const std::string& b, const std::string& out);
int validate(const std::vector<std::string>& scenarios);
int params(bool json);
int version();
struct ReproduceCommand {
    std::string model;
    std::string out = "out/bubar2021";
    std::string yll_life_expectancy = "usa";  // "usa" (the authors' heat maps) or "own" (each country's)
    std::vector<std::string> countries;      // empty: all
    std::vector<int> supply_pct;             // empty: the paper's grid
};
int reproduce(const ReproduceCommand& command);
int report(const std::string& run_dir, const std::string& out);
int compare(const std::string& run_dir, const std::string& observed);
int serve(const ServeCommand& command);
int calibrate(const CalibrateCommand& command);

}  // namespace doseflow::cli
