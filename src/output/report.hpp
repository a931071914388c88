#pragma once
// `doseflow report`: one self-contained HTML page of charts from a run directory. The charts are Vega-Lite
// specifications rendered by vega-embed with the SVG renderer; the three libraries, the world map (world-atlas
// countries-110m) and the aggregated data are all inline, so the page opens offline. What each chart shows:
// docs/report.md.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace doseflow::output {

// Reads summary.json, timeseries.csv, deliveries.csv, contracts.csv, events.csv and diplomacy.csv from
// `run_dir` (formats: docs/report.md) and returns the page. Throws std::runtime_error whose message names the
// file, and the line for a CSV problem, when a file is missing or malformed.
std::string render_report_html(const std::filesystem::path& run_dir);

// The report's charts alone, in page order: [{"id": "chart-...", "spec": {Vega-Lite}}, ...], each spec carrying its
// data inline (used by `doseflow serve` to draw a run beside its baseline).
nlohmann::ordered_json report_charts(const std::filesystem::path& run_dir);

// render_report_html(run_dir) written to `html_out` through a temporary file that is then renamed.
void write_report(const std::filesystem::path& run_dir, const std::filesystem::path& html_out);

// Where the page goes when the caller names none: run_dir / "report.html".
std::filesystem::path default_report_path(const std::filesystem::path& run_dir);

}  // namespace doseflow::output
