#pragma once
// Reading run directories back: `doseflow report` (one self-contained HTML page of charts; what each chart shows:
// docs/report.md) and `doseflow compare` (a run against the observed records doseflow embeds; methods in
// docs/report.md).
#include <filesystem>
#include <optional>
#include <string>

namespace doseflow::output {

// Reads summary.json, timeseries.csv, deliveries.csv, contracts.csv, events.csv and diplomacy.csv from
// `run_dir` (formats: docs/report.md) and returns the page. Throws std::runtime_error whose message names the
// file, and the line for a CSV problem, when a file is missing or malformed.
std::string render_report_html(const std::filesystem::path& run_dir);

// render_report_html(run_dir) written to `html_out` through a temporary file that is then renamed.
void write_report(const std::filesystem::path& run_dir, const std::filesystem::path& html_out);

// Where the page goes when the caller names none: run_dir / "report.html".
std::filesystem::path default_report_path(const std::filesystem::path& run_dir);

// Compares the run in `run_dir` with observed vaccinations (OWID's vaccinations.csv in `observed_dir`, or the
// embedded tables), deaths and deliveries; writes compare.csv, compare_deaths.csv, compare_deaths_monthly.csv and
// compare_deliveries.csv into `run_dir` and returns the text `doseflow compare` prints. Throws std::runtime_error
// naming the file (and line) of a missing or malformed table.
std::string compare_run_directory(const std::filesystem::path& run_dir,
                                  const std::optional<std::filesystem::path>& observed_dir = std::nullopt);

// Where compare.csv goes: run_dir / "compare.csv" (the other tables of the comparison beside it).
std::filesystem::path default_comparison_path(const std::filesystem::path& run_dir);

}  // namespace doseflow::output
