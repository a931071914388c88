#pragma once
// `doseflow report`: one self-contained HTML page of charts from a run directory. The charts are Vega-Lite
// specifications rendered by vega-embed with the SVG renderer; the three libraries, the world map (world-atlas
// countries-110m) and the aggregated data are all inline, so the page opens offline. What each chart shows:
// docs/report.md.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "doseflow/report.hpp"

namespace doseflow::output {

// The report's charts alone, in page order: [{"id": "chart-...", "spec": {Vega-Lite}}, ...], each spec carrying its
// data inline (used by `doseflow serve` to draw a run beside its baseline).
nlohmann::ordered_json report_charts(const std::filesystem::path& run_dir);

}  // namespace doseflow::output
