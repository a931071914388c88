#pragma once
// The charts of `doseflow report` (what each shows: docs/report.md): Vega-Lite specifications with their data
// inline, built from what output/report_inputs.hpp reads, and the page's sections around them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "output/html.hpp"
#include "output/report_inputs.hpp"

namespace doseflow::output::report {

struct Chart {
    std::string id;
    Json spec;
};

class PageBuilder {
public:
    void open_section(std::string_view id, std::string_view title, std::string_view intro) {
        // Ids come from the scenario too (report.featured_products[].anchor): escaped like any text.
        body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"intro\">{}</p>\n", html_escape(id),
                             html_escape(title), html_escape(intro));
        nav_ += fmt::format("<a href=\"#{}\">{}</a>\n", html_escape(id), html_escape(title));
    }
    void close_section() { body_ += "</section>\n"; }
    void chart(std::string id, Json spec) {
        body_ += fmt::format("<div class=\"chart\" id=\"{}\"></div>\n", html_escape(id));
        charts_.push_back({std::move(id), std::move(spec)});
    }
    void note(std::string_view text) { body_ += fmt::format("<p class=\"note\">{}</p>\n", html_escape(text)); }
    void html(std::string_view markup) { body_ += markup; }

    const std::string& body() const { return body_; }
    const std::string& nav() const { return nav_; }
    Json charts_json() const {
        Json charts = Json::array();
        for (const auto& chart : charts_) charts.push_back(Json{{"id", chart.id}, {"spec", chart.spec}});
        return charts;
    }

private:
    std::string body_, nav_;
    std::vector<Chart> charts_;
};

// The run's time span: the manifest's start and end where they are dates, else the data's own range.
struct RunSpan {
    Date start, end;
};

struct ReportPage {
    PageBuilder page;
    RunSpan span;
};

// A file embedded at build time under web/ (data/CMakeLists.txt); throws std::runtime_error naming it when this build
// lacks it.
std::string web_asset(std::string_view name);

// Every section of the report, in page order.
ReportPage build_report_page(const ReportInputs& inputs);

}  // namespace doseflow::output::report
