#include "doseflow/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/csv.hpp"
#include "ensemble/quantile_sketch.hpp"
#include "output/html.hpp"

namespace doseflow::ensemble {
namespace {

using output::html_escape;

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument(fmt::format("cannot read {}", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t column(const std::string& name, const fs::path& file) const {
        const auto at = std::find(header.begin(), header.end(), name);
        if (at == header.end()) throw std::invalid_argument(fmt::format("{}: no column '{}'", file.string(), name));
        return static_cast<std::size_t>(at - header.begin());
    }
};

// Reads `path`'s records (RFC 4180, core/csv): the header, then `each(header, record, line)` for every other
// record.
template <class Each>
std::vector<std::string> read_records(const fs::path& path, Each each) {
    auto input = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*input) throw std::invalid_argument(fmt::format("cannot read {}", path.string()));
    csv::RecordReader reader(std::move(input));
    std::vector<std::string> header, fields;
    try {
        if (!reader.next(header)) throw std::invalid_argument(fmt::format("{} is empty", path.string()));
        while (reader.next(fields)) each(header, fields, reader.line());
    } catch (const csv::ParseError& error) {
        throw std::invalid_argument(fmt::format("{}:{}: {}", path.string(), error.line(), error.what()));
    }
    return header;
}

Table read_csv(const fs::path& path) {
    Table table;
    table.header = read_records(path, [&](const auto& header, std::vector<std::string>& cells, int line) {
        if (cells.size() != header.size())
            throw std::invalid_argument(fmt::format("{}:{}: a row has {} cells, the header {}", path.string(), line,
                                                    cells.size(), header.size()));
        table.rows.push_back(std::move(cells));
    });
    return table;
}

double number(const std::string& text, const fs::path& file) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(fmt::format("{}: '{}' is not a number", file.string(), text));
}

std::string human(double value) {
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e9) return fmt::format("{:.2f} bn", value / 1e9);
    if (magnitude >= 1e6) return fmt::format("{:.2f} M", value / 1e6);
    if (magnitude >= 1e4) return fmt::format("{:.1f} k", value / 1e3);
    if (magnitude >= 1 || magnitude == 0) return fmt::format("{:.4g}", value);
    return fmt::format("{:.3g}", value);
}

const char* page_style = R"(<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
table{border-collapse:collapse;font-size:0.9rem}td,th{padding:0.2rem 0.6rem;text-align:right;border-bottom:1px solid #ddd}
td:first-child,th:first-child{text-align:left}svg{display:block;margin:0.5rem 0 1.5rem}
.band95{fill:#9ecae1}.band50{fill:#4292c6}.median{fill:none;stroke:#08306b;stroke-width:1.5}
.axis{stroke:#888}.label{font-size:11px;fill:#444}.bar{fill:#4292c6}.whisker{stroke:#08306b;stroke-width:1.5}
</style>)";

// One chart: 5-95% and 25-75% bands and the median over dates.
struct BandSeries {
    std::vector<std::string> dates;
    std::vector<std::array<double, 5>> quantiles;  // q05 q25 q50 q75 q95
};

std::string band_chart(const std::string& title, const BandSeries& s) {
    constexpr double width = 720, height = 240, left = 70, right = 10, top = 10, bottom = 30;
    const std::size_t n = s.dates.size();
    double high = 0.0, low = 0.0;
    for (const auto& q : s.quantiles) high = std::max(high, q[4]), low = std::min(low, q[0]);
    if (high <= low) high = low + 1.0;
    auto x = [&](std::size_t i) { return left + (n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.5) * (width - left - right); };
    auto y = [&](double v) { return top + (1.0 - (v - low) / (high - low)) * (height - top - bottom); };
    auto band = [&](std::size_t lower, std::size_t upper, const char* css) {
        std::string points;
        for (std::size_t i = 0; i < n; ++i) points += fmt::format("{:.1f},{:.1f} ", x(i), y(s.quantiles[i][upper]));
        for (std::size_t i = n; i-- > 0;) points += fmt::format("{:.1f},{:.1f} ", x(i), y(s.quantiles[i][lower]));
        return fmt::format("<polygon class=\"{}\" points=\"{}\"/>", css, points);
    };
    std::string median;
    for (std::size_t i = 0; i < n; ++i) median += fmt::format("{:.1f},{:.1f} ", x(i), y(s.quantiles[i][2]));
    std::string svg = fmt::format("<h3>{}</h3>\n<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">", html_escape(title),
                                  width, height, html_escape(title));
    svg += band(0, 4, "band95") + band(1, 3, "band50");
    svg += fmt::format("<polyline class=\"median\" points=\"{}\"/>", median);
    svg += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", left, y(low), width - right, y(low));
    svg += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 4, y(high) + 4, human(high));
    svg += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 4, y(low), human(low));
    if (n > 0) {
        svg += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>", left, height - 8, s.dates.front());
        svg += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", width - right,
                           height - 8, s.dates.back());
    }
    return svg + "</svg>\n";
}

const std::vector<std::pair<std::string, std::string>>& charted_metrics() {
    static const std::vector<std::pair<std::string, std::string>> metrics = {
        {"cumulative_deaths", "Deaths, cumulative (world)"},
        {"deaths", "Deaths per reporting period (world)"},
        {"people_full", "People fully vaccinated (world)"},
        {"people_dose1", "People with at least one dose (world)"},
        {"administered_dose1", "First doses administered per period (world)"},
        {"produced_doses", "Doses produced per period (world)"},
        {"infections", "Infections per period (world)"}};
    return metrics;
}

// A run's or an ensemble's summary.json; malformed JSON (a syntax error, a number beyond a double's range) is
// an error naming the file.
nlohmann::ordered_json read_summary_json(const fs::path& dir) {
    const fs::path path = dir / "summary.json";
    try {
        return nlohmann::ordered_json::parse(read_file(path));
    } catch (const nlohmann::ordered_json::exception& error) {
        throw std::invalid_argument(fmt::format("{}: malformed JSON: {}", path.string(), error.what()));
    }
}

}  // namespace

bool is_ensemble_directory(const fs::path& dir) {
    std::error_code error;
    return fs::is_regular_file(dir / "members.csv", error) && fs::is_regular_file(dir / "quantiles.csv", error);
}

std::string render_ensemble_report_html(const fs::path& dir) {
    const auto summary = read_summary_json(dir);
    const auto quantiles_path = dir / "quantiles.csv";
    const Table table = read_csv(quantiles_path);
    const auto c_date = table.column("date", quantiles_path), c_country = table.column("country", quantiles_path),
               c_product = table.column("product", quantiles_path), c_component = table.column("component", quantiles_path),
               c_metric = table.column("metric", quantiles_path), c_q05 = table.column("q05", quantiles_path);
    std::map<std::string, BandSeries> by_metric;
    for (const auto& row : table.rows) {
        if (!row[c_country].empty() || !row[c_product].empty() || !row[c_component].empty()) continue;
        auto& series = by_metric[row[c_metric]];
        series.dates.push_back(row[c_date]);
        std::array<double, 5> q{};
        for (std::size_t k = 0; k < 5; ++k) q[k] = number(row[c_q05 + k], quantiles_path);
        series.quantiles.push_back(q);
    }
    std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>doseflow ensemble: " +
                       html_escape(summary.value("scenario", "")) + "</title>" + page_style + "</head><body>\n";
    html += fmt::format("<h1>Ensemble of {} members: {}</h1>\n<p>Seed {}. {}. Bands: 5-95% (light) and 25-75% (dark) "
                        "around the median (line). Series quantiles: {}.</p>\n",
                        summary.value("members", 0), html_escape(summary.value("scenario", "")),
                        summary.value("seed", 0ull), html_escape(summary.value("design", "")),
                        html_escape(summary["quantiles"].value("series", "")));
    html += "<h2>Uncertain inputs</h2>\n<table><tr><th>Path</th><th>Distribution</th><th>Scenario value</th><th>Source</th></tr>\n";
    for (const auto& u : summary["uncertainties"])
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(u.value("path", "")),
                            html_escape(u.value("distribution", "")), human(u.value("nominal", 0.0)),
                            html_escape(u.value("source", "")));
    html += "</table>\n<h2>Key figures</h2>\n<table><tr><th>Figure</th><th>5%</th><th>25%</th><th>median</th><th>75%</th>"
            "<th>95%</th><th>mean</th></tr>\n";
    for (const auto& [name, f] : summary["figures"].items())
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            html_escape(name), human(f["q05"].get<double>()), human(f["q25"].get<double>()),
                            human(f["q50"].get<double>()), human(f["q75"].get<double>()), human(f["q95"].get<double>()),
                            human(f["mean"].get<double>()));
    html += "</table>\n<h2>Series</h2>\n";
    for (const auto& [metric, title] : charted_metrics())
        if (const auto at = by_metric.find(metric); at != by_metric.end()) html += band_chart(title, at->second);
    return html + "</body></html>\n";
}

// ------------------------------------------------------------------------------------------------ diff

namespace {

// Numeric leaves of a run's summary.json figures: "world_doses.produced", "products.sputnik_v.delivered".
void flatten(const nlohmann::ordered_json& node, const std::string& prefix, std::vector<std::pair<std::string, double>>& out) {
    if (node.is_number()) {
        out.emplace_back(prefix, node.get<double>());
        return;
    }
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) flatten(value, prefix.empty() ? key : prefix + "." + key, out);
        return;
    }
    if (!node.is_array()) return;
    for (std::size_t i = 0; i < node.size(); ++i) {
        std::string label = std::to_string(i);
        if (node[i].is_object())
            for (const auto& [key, value] : node[i].items())
                if (value.is_string()) { label = value.get<std::string>(); break; }
        flatten(node[i], prefix + "." + label, out);
    }
}

std::vector<std::pair<std::string, double>> run_figures(const fs::path& dir) {
    const auto summary = read_summary_json(dir);
    if (!summary.contains("figures"))
        throw std::invalid_argument(fmt::format("{}: summary.json has no key figures; give a run or an ensemble "
                                                "directory", dir.string()));
    std::vector<std::pair<std::string, double>> figures;
    flatten(summary["figures"], "", figures);
    return figures;
}

// World totals per (date, metric) of a run's timeseries.csv, for the metrics that add up across countries.
std::map<std::pair<std::string, std::string>, double> run_world_series(const fs::path& dir) {
    static const std::set<std::string> summable = {"deaths", "cumulative_deaths", "infections", "people_dose1",
                                                   "people_full", "administered_dose1", "administered_dose2",
                                                   "produced_doses", "wasted_doses"};
    const auto path = dir / "timeseries.csv";
    std::map<std::pair<std::string, std::string>, double> totals;
    read_records(path, [&](const auto&, const std::vector<std::string>& cells, int) {
        if (cells.size() != 6 || !summable.count(cells[4])) return;
        totals[{cells[0], cells[4]}] += number(cells[5], path);
    });
    return totals;
}

std::map<std::pair<std::string, std::string>, double> ensemble_world_medians(const fs::path& dir) {
    const auto path = dir / "quantiles.csv";
    const Table table = read_csv(path);
    const auto c_date = table.column("date", path), c_country = table.column("country", path),
               c_product = table.column("product", path), c_component = table.column("component", path),
               c_metric = table.column("metric", path), c_q50 = table.column("q50", path);
    std::map<std::pair<std::string, std::string>, double> medians;
    for (const auto& row : table.rows)
        if (row[c_country].empty() && row[c_product].empty() && row[c_component].empty())
            medians[{row[c_date], row[c_metric]}] = number(row[c_q50], path);
    return medians;
}

void diff_series(RunDiff& diff, const std::map<std::pair<std::string, std::string>, double>& a,
                 const std::map<std::pair<std::string, std::string>, double>& b) {
    for (const auto& [key, value] : a)
        if (const auto at = b.find(key); at != b.end()) diff.series.push_back({key.first, key.second, value, at->second});
}

}  // namespace

RunDiff diff_directories(const fs::path& a, const fs::path& b) {
    const bool a_ensemble = is_ensemble_directory(a), b_ensemble = is_ensemble_directory(b);
    if (a_ensemble != b_ensemble)
        throw std::invalid_argument(fmt::format("{} is {} and {} is {}; compare two runs or two ensembles", a.string(),
                                                a_ensemble ? "an ensemble" : "a run", b.string(),
                                                b_ensemble ? "an ensemble" : "a run"));
    RunDiff diff;
    diff.ensembles = a_ensemble;
    if (!a_ensemble) {
        const auto fa = run_figures(a), fb = run_figures(b);
        std::map<std::string, double> by_name(fb.begin(), fb.end());
        for (const auto& [name, value] : fa)
            if (const auto at = by_name.find(name); at != by_name.end())
                diff.figures.push_back({name, value, at->second, at->second - value, {}, {}, {}});
        diff_series(diff, run_world_series(a), run_world_series(b));
        diff.pairs = 1;
        return diff;
    }
    const auto pa = a / "members.csv", pb = b / "members.csv";
    const Table ta = read_csv(pa), tb = read_csv(pb);
    if (ta.rows.size() != tb.rows.size())
        throw std::invalid_argument(fmt::format("the ensembles have {} and {} members; members pair by seed, so run both "
                                                "with the same --members and --seed", ta.rows.size(), tb.rows.size()));
    const std::size_t seed_a = ta.column("seed", pa), seed_b = tb.column("seed", pb);
    for (std::size_t m = 0; m < ta.rows.size(); ++m)
        if (ta.rows[m][seed_a] != tb.rows[m][seed_b])
            throw std::invalid_argument(fmt::format("member {} has seed {} in {} and {} in {}; members pair by seed, so "
                                                    "run both with the same --seed", m, ta.rows[m][seed_a], a.string(),
                                                    tb.rows[m][seed_b], b.string()));
    diff.pairs = static_cast<int>(ta.rows.size());
    // Key figures follow the drawn values: from "deaths" on in members.csv.
    const std::size_t first_a = ta.column("deaths", pa);
    for (std::size_t c = first_a; c < ta.header.size(); ++c) {
        const auto& name = ta.header[c];
        const auto in_b = std::find(tb.header.begin(), tb.header.end(), name);
        if (in_b == tb.header.end()) continue;
        const auto cb = static_cast<std::size_t>(in_b - tb.header.begin());
        std::vector<double> differences;
        OrderFreeSum sum_a, sum_b, sum_d;
        for (std::size_t m = 0; m < ta.rows.size(); ++m) {
            const double va = number(ta.rows[m][c], pa), vb = number(tb.rows[m][cb], pb);
            sum_a.add(va), sum_b.add(vb), sum_d.add(vb - va);
            differences.push_back(vb - va);
        }
        const double n = static_cast<double>(differences.size());
        DiffRow row{name, sum_a.value() / n, sum_b.value() / n, sum_d.value() / n, {}, {}, {}};
        row.q05 = exact_quantile(differences, 0.05);
        row.q50 = exact_quantile(differences, 0.50);
        row.q95 = exact_quantile(differences, 0.95);
        diff.figures.push_back(row);
    }
    diff_series(diff, ensemble_world_medians(a), ensemble_world_medians(b));
    return diff;
}

std::string format_diff(const RunDiff& diff, const std::string& a_name, const std::string& b_name) {
    std::string text = fmt::format("B - A: A = {}, B = {}{}\n", a_name, b_name,
                                   diff.ensembles ? fmt::format(" ({} members paired by seed; interval: 5-95% of the "
                                                                "paired differences)", diff.pairs) : "");
    text += fmt::format("{:<44} {:>12} {:>12} {:>12}{}\n", "figure", "A", "B", "B - A",
                        diff.ensembles ? fmt::format(" {:>27}", "5-95% of B - A") : "");
    for (const auto& row : diff.figures) {
        if (!diff.ensembles && row.difference == 0.0) continue;  // runs: only what changed
        text += fmt::format("{:<44} {:>12} {:>12} {:>12}", row.name, human(row.a), human(row.b), human(row.difference));
        if (row.q05) text += fmt::format(" [{:>12}, {:>12}]", human(*row.q05), human(*row.q95));
        text += "\n";
    }
    return text;
}

std::string diff_csv(const RunDiff& diff) {
    std::string text = "figure,a,b,difference,difference_q05,difference_q50,difference_q95\n";
    auto optional = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
    for (const auto& row : diff.figures)
        text += fmt::format("{},{},{},{},{},{},{}\n", row.name, row.a, row.b, row.difference, optional(row.q05),
                            optional(row.q50), optional(row.q95));
    return text;
}

std::string diff_series_csv(const RunDiff& diff) {
    std::string text = "date,metric,a,b,difference\n";
    for (const auto& row : diff.series)
        text += fmt::format("{},{},{},{},{}\n", row.date, row.metric, row.a, row.b, row.b - row.a);
    return text;
}

std::string diff_report_section(const RunDiff& diff, const std::string& a_name, const std::string& b_name) {
    std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>doseflow diff</title>" +
                       std::string(page_style) + "</head><body>\n<section id=\"diff\">\n";
    html += fmt::format("<h2>Differences: B - A</h2>\n<p>A = {}, B = {}.{}</p>\n", html_escape(a_name), html_escape(b_name),
                        diff.ensembles ? fmt::format(" {} members paired by seed; bars show the mean difference and "
                                                     "whiskers 5-95% of the paired differences.", diff.pairs) : "");
    html += "<table><tr><th>Figure</th><th>A</th><th>B</th><th>B - A</th><th>5%</th><th>95%</th></tr>\n";
    std::vector<const DiffRow*> changed;
    for (const auto& row : diff.figures) {
        if (!diff.ensembles && row.difference == 0.0) continue;
        changed.push_back(&row);
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            html_escape(row.name), human(row.a), human(row.b), human(row.difference),
                            row.q05 ? human(*row.q05) : "", row.q95 ? human(*row.q95) : "");
    }
    html += "</table>\n";
    // Relative change per figure as bars (with the interval as whiskers), so figures of any size share one axis.
    double extent = 1e-9;
    auto relative = [](const DiffRow& r, double v) { return r.a != 0 ? 100.0 * v / std::fabs(r.a) : 0.0; };
    for (const auto* r : changed) {
        extent = std::max(extent, std::fabs(relative(*r, r->difference)));
        if (r->q05) extent = std::max({extent, std::fabs(relative(*r, *r->q05)), std::fabs(relative(*r, *r->q95))});
    }
    constexpr double row_height = 18, label_width = 300, plot_width = 400;
    const double height = row_height * static_cast<double>(changed.size()) + 30;
    const double zero = label_width + plot_width / 2;
    auto x = [&](double percent) { return zero + percent / extent * (plot_width / 2 - 10); };
    html += fmt::format("<h3>Change relative to A (%)</h3>\n<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"change "
                        "relative to A\">", label_width + plot_width + 20, height);
    for (std::size_t i = 0; i < changed.size(); ++i) {
        const DiffRow& r = *changed[i];
        const double y = 10 + row_height * static_cast<double>(i);
        const double v = relative(r, r.difference);
        html += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_width - 6,
                            y + 12, html_escape(r.name));
        html += fmt::format("<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"/>",
                            std::min(zero, x(v)), y + 3, std::fabs(x(v) - zero), row_height - 6);
        if (r.q05)
            html += fmt::format("<line class=\"whisker\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>",
                                x(relative(r, *r.q05)), y + row_height / 2, x(relative(r, *r.q95)), y + row_height / 2);
    }
    html += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"{1}\"/>", zero, height - 20);
    html += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\">-{:.3g}%</text><text class=\"label\" x=\"{}\" y=\"{}\" "
                        "text-anchor=\"end\">+{:.3g}%</text>", label_width, height - 5, extent,
                        label_width + plot_width, height - 5, extent);
    return html + "</svg>\n</section>\n</body></html>\n";
}

}  // namespace doseflow::ensemble
