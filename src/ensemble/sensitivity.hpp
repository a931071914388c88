#pragma once
// Variance-based sensitivity of key figures to the scenario's uncertain values: Sobol first-order and total indices
// from a Saltelli design, with the Saltelli (2010) and Jansen (1999) estimators and bootstrap intervals
// (docs/uncertainty.md).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ensemble/ensemble.hpp"

namespace doseflow::ensemble {

struct SobolIndex {
    std::string output, parameter;
    double first_order = 0.0, first_low = 0.0, first_high = 0.0;  // 95% bootstrap interval
    double total = 0.0, total_low = 0.0, total_high = 0.0;
};

// Indices of one output from model values on a Saltelli design: f_a and f_b (N each) and f_ab[i] (N each, A with
// column i taken from B). `resamples` bootstrap resamples of the N rows, drawn from a stream of `seed`.
std::vector<SobolIndex> sobol_indices(const std::string& output, const std::vector<std::string>& parameters,
                                      const std::vector<double>& f_a, const std::vector<double>& f_b,
                                      const std::vector<std::vector<double>>& f_ab, int resamples, std::uint64_t seed);

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

// The indices as a report section: a table and a bar chart of first-order and total indices with their intervals.
std::string sensitivity_report_section(const std::vector<SobolIndex>& indices, int samples);

}  // namespace doseflow::ensemble
