#pragma once
// `doseflow compare` as one call: a run directory against every observed record doseflow embeds (vaccinations,
// deaths, deliveries; methods in docs/report.md).
#include <filesystem>
#include <optional>
#include <string>

namespace doseflow::output {

// Compares the run in `run_dir` with observed vaccinations (OWID's vaccinations.csv in `observed_dir`, or the
// embedded tables), deaths and deliveries; writes compare.csv, compare_deaths.csv, compare_deaths_monthly.csv and
// compare_deliveries.csv into `run_dir` and returns the text `doseflow compare` prints. Throws std::runtime_error
// naming the file (and line) of a missing or malformed table.
std::string compare_run_directory(const std::filesystem::path& run_dir,
                                  const std::optional<std::filesystem::path>& observed_dir = std::nullopt);

}  // namespace doseflow::output
