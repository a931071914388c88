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

#include "doseflow/ensemble.hpp"
#include "ensemble/ensemble.hpp"

namespace doseflow::ensemble {

// Indices of one output from model values on a Saltelli design: f_a and f_b (N each) and f_ab[i] (N each, A with
// column i taken from B). `resamples` bootstrap resamples of the N rows, drawn from a stream of `seed`.
std::vector<SobolIndex> sobol_indices(const std::string& output, const std::vector<std::string>& parameters,
                                      const std::vector<double>& f_a, const std::vector<double>& f_b,
                                      const std::vector<std::vector<double>>& f_ab, int resamples, std::uint64_t seed);

// The indices as a report section: a table and a bar chart of first-order and total indices with their intervals.
std::string sensitivity_report_section(const std::vector<SobolIndex>& indices, int samples);

}  // namespace doseflow::ensemble
