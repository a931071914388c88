#pragma once
// Reading ensemble and run directories back, and what is drawn from them: the ensemble report (5-95% and 25-75%
// bands around the median) and `doseflow diff` of two runs or two ensembles (docs/uncertainty.md).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace doseflow::ensemble {

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
