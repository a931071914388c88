// `doseflow report`: the page template (src/output/web/report.html, .css, .js, embedded at build time) filled
// with the charts of output/report_charts.hpp.
#include "output/report.hpp"

#include "output/html.hpp"

#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/embedded.hpp"
#include "output/report_charts.hpp"
#include "output/report_inputs.hpp"
#include "output/run_writer.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// A library inlined into <script>: the only text that could end the element early is "</script" (and "<!--"
// that starts the HTML parser's escaped state); "<\/" and "<\!" mean the same inside JavaScript strings and
// regular expressions, where such text can occur.
std::string inline_script(std::string_view code) {
    std::string out(code);
    for (std::size_t at = 0; (at = out.find("</", at)) != std::string::npos; at += 3) {
        const std::string_view rest = std::string_view(out).substr(at + 2, 6);
        if (rest.size() == 6 && std::equal(rest.begin(), rest.end(), "script",
                                           [](char a, char b) { return std::tolower(a) == b; }))
            out.insert(at + 1, "\\");
    }
    for (std::size_t at = 0; (at = out.find("<!--", at)) != std::string::npos; at += 5) out.insert(at + 1, "\\");
    return out;
}

// JSON for a <script type="application/json"> element: '<', '>' and '&' can only occur inside JSON strings,
// where their \u escapes mean the same, so no "</script>" in the data can end the element.
std::string inline_json(const Json& value) {
    const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '<') out += "\\u003c";
        else if (c == '>') out += "\\u003e";
        else if (c == '&') out += "\\u0026";
        else out += c;
    }
    return out;
}

std::string manifest_table(const Json& manifest) {
    std::string table = "<table class=\"manifest\">\n";
    for (const auto& [key, value] : manifest.items())
        table += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", html_escape(key),
                             html_escape(value.is_string() ? value.get<std::string>()
                                                           : value.dump(-1, ' ', false, Json::error_handler_t::replace)));
    return table + "</table>\n";
}

std::string manifest_text(const Json& manifest, const char* key) {
    if (!manifest.contains(key)) return "?";
    const Json& value = manifest[key];
    return value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The template with each {{name}} replaced by its value, in one pass: a value is never searched for names.
std::string fill_template(std::string_view page, const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = page.find("{{", at);
        if (open == std::string_view::npos) break;
        const std::size_t close = page.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        const std::string_view name = page.substr(open + 2, close - open - 2);
        const auto value = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
        if (value == values.end())
            throw std::logic_error(fmt::format("web/report.html names {{{{{}}}}}, which the report does not fill", name));
        out.append(page.substr(at, open - at));
        out += value->second;
        at = close + 2;
    }
    out.append(page.substr(at));
    return out;
}

report::ReportPage build_report(const fs::path& run_dir, Json& summary) {
    report::ReportInputs inputs = report::read_report_inputs(run_dir);
    report::ReportPage page = report::build_report_page(inputs);
    summary = std::move(inputs.summary);
    return page;
}

}  // namespace

nlohmann::ordered_json report_charts(const fs::path& run_dir) {
    Json summary;
    return build_report(run_dir, summary).page.charts_json();
}

std::string render_report_html(const fs::path& run_dir) {
    Json summary;
    const report::ReportPage report = build_report(run_dir, summary);
    const report::PageBuilder& page = report.page;
    const Json& manifest = summary["manifest"];
    const report::RunSpan& span = report.span;
    const std::string scenario = html_escape(manifest_text(manifest, "scenario_name"));
    std::string libraries;
    for (const char* library : {"web/vega.min.js", "web/vega-lite.min.js", "web/vega-embed.min.js"})
        libraries += fmt::format("<script>{}</script>\n", inline_script(report::web_asset(library)));
    return fill_template(report::web_asset("web/report.html"),
                         {{"scenario", scenario},
                          {"style", report::web_asset("web/report.css")},
                          {"libraries", std::move(libraries)},
                          {"start", span.start.iso()},
                          {"end", span.end.iso()},
                          {"seed", html_escape(manifest_text(manifest, "seed"))},
                          {"manifest", manifest_table(manifest)},
                          {"nav", page.nav()},
                          {"body", page.body()},
                          {"charts", inline_json(page.charts_json())},
                          {"script", report::web_asset("web/report.js")}});
}
void write_report(const fs::path& run_dir, const fs::path& html_out) {
    std::error_code error;
    for (const fs::path& input : {run_dir / "summary.json", run_dir / "timeseries.csv", run_dir / "deliveries.csv",
                                 run_dir / "contracts.csv", run_dir / "events.csv", run_dir / "diplomacy.csv"})
        if (fs::equivalent(input, html_out, error))
            throw std::invalid_argument(fmt::format("-o {}: is the run's own {}; the report never writes over its "
                                                    "inputs, name another file", html_out.string(),
                                                    input.filename().string()));
    write_file_atomically(html_out, render_report_html(run_dir));
}

fs::path default_report_path(const fs::path& run_dir) { return run_dir / "report.html"; }

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace doseflow::output
