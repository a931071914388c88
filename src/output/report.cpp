#include "output/report.hpp"

#include "output/html.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/embedded.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// Readability limits of the charts: more lines or bars than this cannot be told apart by colour or label.
constexpr std::size_t top_supplier_count = 8;
constexpr std::size_t diplomacy_supplier_count = 6;
constexpr std::size_t shortfall_count = 10;
constexpr std::size_t sputnik_recipient_count = 15;
constexpr std::size_t figure_row_limit = 300;
constexpr int chart_width_px = 720;
constexpr int chart_height_px = 300;
constexpr std::string_view sputnik_product = "sputnik_v";
constexpr std::string_view other_suppliers = "other";
constexpr std::string_view unknown_income_group = "unclassified";

// ------------------------------------------------------------------------------------------------ small helpers

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

std::string web_asset(std::string_view name) {
    const auto contents = embedded_file(name);
    if (!contents)
        throw std::runtime_error(fmt::format(
            "{} is not embedded in this build: run scripts/install-deps (npm install) and rebuild", name));
    return std::string(*contents);
}

Json doses_value(double doses) { return static_cast<std::int64_t>(std::llround(doses)); }

Json rounded(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

std::string format_count(double value) {
    const std::int64_t whole = std::llround(value);
    std::string digits = std::to_string(whole < 0 ? -whole : whole);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return whole < 0 ? "-" + digits : digits;
}

std::vector<Date> weeks_between(Date first, Date last) {
    std::vector<Date> weeks;
    for (Date week = first.week_start(); week <= last; week += 7) weeks.push_back(week);
    return weeks;
}

// The last value of each week of a daily (or weekly) series of a level such as coverage or credibility.
DatedValues last_of_each_week(const DatedValues& values) {
    DatedValues weekly;
    for (const auto& [date, value] : values) weekly[date.week_start()] = value;  // ascending: last one wins
    return weekly;
}

// -------------------------------------------------------------------------------------------------- the inputs

struct RunPaths {
    fs::path summary, timeseries, deliveries, contracts, events, diplomacy;
};

RunPaths run_paths(const fs::path& run_dir) {
    if (!fs::is_directory(run_dir))
        throw std::runtime_error(fmt::format("{}: not a run directory (missing or not a folder)", run_dir.string()));
    RunPaths paths{run_dir / "summary.json", run_dir / "timeseries.csv", run_dir / "deliveries.csv",
                   run_dir / "contracts.csv", run_dir / "events.csv", run_dir / "diplomacy.csv"};
    for (const auto& path : {paths.summary, paths.timeseries, paths.deliveries, paths.contracts, paths.events,
                             paths.diplomacy})
        if (!fs::is_regular_file(path))
            throw std::runtime_error(fmt::format("{}: missing from the run directory", path.string()));
    return paths;
}

Json read_summary(const fs::path& path) {
    Json summary;
    try {
        summary = Json::parse(read_text_file(path));
    } catch (const Json::parse_error& error) {
        throw std::runtime_error(fmt::format("{}: malformed JSON: {}", path.string(), error.what()));
    }
    if (!summary.is_object() || !summary.contains("manifest") || !summary["manifest"].is_object())
        throw std::runtime_error(fmt::format("{}: expected an object with a \"manifest\" object", path.string()));
    if (summary.contains("figures") && !summary["figures"].is_object())
        throw std::runtime_error(fmt::format("{}: \"figures\" must be an object", path.string()));
    return summary;
}

struct ContractRow {
    std::string contract, kind, supplier, recipient, product, status;
    std::optional<Date> signed_on;
    double ordered_doses = 0, due_doses = 0, delivered_doses = 0;
    double shortfall_doses = 0;  // due minus delivered, never negative (ContractRecord::shortfall_doses)
    double delivered_component_1 = 0, delivered_component_2 = 0;
};

std::vector<ContractRow> read_contracts(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto contract = csv.column("contract"), kind = csv.column("kind"), supplier = csv.column("supplier"),
               recipient = csv.column("recipient"), product = csv.column("product"), status = csv.column("status"),
               signed_on = csv.column("signed"), ordered = csv.column("ordered_doses"),
               due = csv.column("due_doses"), delivered = csv.column("delivered_doses"),
               component_1 = csv.column("delivered_component_1"), component_2 = csv.column("delivered_component_2");
    const auto shortfall = csv.find_column("shortfall_doses");  // runs written before the column computed it
    std::vector<ContractRow> rows;
    while (csv.next()) {
        ContractRow row;
        row.contract = csv.text(contract);
        row.kind = csv.text(kind);
        row.supplier = csv.text(supplier);
        row.recipient = csv.text(recipient);
        row.product = csv.text(product);
        row.status = csv.text(status);
        row.signed_on = csv.optional_date(signed_on);
        row.ordered_doses = csv.number(ordered);
        row.due_doses = csv.number(due);
        row.delivered_doses = csv.number(delivered);
        row.shortfall_doses = shortfall ? csv.number(*shortfall) : std::max(0.0, row.due_doses - row.delivered_doses);
        row.delivered_component_1 = csv.optional_number(component_1).value_or(0.0);
        row.delivered_component_2 = csv.optional_number(component_2).value_or(0.0);
        rows.push_back(std::move(row));
    }
    return rows;
}

struct DeliveryTotals {
    std::map<std::string, DatedValues> weekly_by_supplier;
    std::map<std::string, DatedValues> sputnik_weekly_by_component;
    std::map<std::string, Date> sputnik_first_delivery_by_component;
    std::map<std::string, DatedValues> covax_weekly_by_product;
    std::optional<Date> first, last;
};

DeliveryTotals read_deliveries(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), kind = csv.column("kind"), supplier = csv.column("supplier"),
               product = csv.column("product"), component = csv.column("component"), doses = csv.column("doses");
    const auto contract = csv.column("contract");
    csv.column("recipient");
    DeliveryTotals totals;
    while (csv.next()) {
        const Date day = csv.date(date);
        const double amount = csv.number(doses);
        const Date week = day.week_start();
        totals.first = totals.first ? std::min(*totals.first, day) : day;
        totals.last = totals.last ? std::max(*totals.last, day) : day;
        // A supplier's own programme is no promise to anyone: only contracted deliveries are compared.
        if (csv.text(contract).empty() || csv.text(kind) == "domestic") continue;
        totals.weekly_by_supplier[std::string(csv.text(supplier))][week] += amount;
        if (csv.text(product) == sputnik_product) {
            const std::string name(csv.text(component));
            totals.sputnik_weekly_by_component[name][week] += amount;
            auto [at, inserted] = totals.sputnik_first_delivery_by_component.emplace(name, day);
            if (!inserted) at->second = std::min(at->second, day);
        }
        if (csv.text(kind) == "covax") totals.covax_weekly_by_product[std::string(csv.text(product))][week] += amount;
    }
    return totals;
}

struct TimeseriesTotals {
    CountrySeries people_full, deaths;
    std::map<std::string, std::pair<Date, double>> population;  // first date and its value
    std::optional<Date> first, last;
};

TimeseriesTotals read_timeseries(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), country = csv.column("country"), product = csv.column("product"),
               component = csv.column("component"), metric = csv.column("metric"), value = csv.column("value");
    TimeseriesTotals totals;
    std::string country_code;
    while (csv.next()) {
        const Date day = csv.date(date);
        totals.first = totals.first ? std::min(*totals.first, day) : day;
        totals.last = totals.last ? std::max(*totals.last, day) : day;
        const std::string_view name = csv.text(metric);
        if (name != "people_full" && name != "deaths" && name != "population") continue;
        const auto amount = csv.optional_number(value);
        if (!amount || !csv.text(component).empty()) continue;  // component rows split a total already counted
        country_code.assign(csv.text(country));
        const bool has_product = !csv.text(product).empty();
        if (name == "people_full") {
            totals.people_full.add(country_code, has_product, day, *amount);
        } else if (name == "deaths") {
            totals.deaths.add(country_code, has_product, day, *amount);
        } else if (!has_product) {
            auto [at, inserted] = totals.population.emplace(country_code, std::pair{day, *amount});
            if (!inserted && day < at->second.first) at->second = {day, *amount};
        }
    }
    return totals;
}

struct MeanAccumulator {
    double sum = 0.0;
    int count = 0;
    void add(double value) { sum += value; ++count; }
    std::optional<double> mean() const { return count ? std::optional(sum / count) : std::nullopt; }
};

struct DiplomacyDay {
    MeanAccumulator credibility, influence;
};

// Per supplier and day: the mean over buyers, or the supplier-wide value where a row has no buyer.
struct DiplomacyTotals {
    std::map<std::string, std::map<Date, DiplomacyDay>> over_buyers, supplier_wide;
};

DiplomacyTotals read_diplomacy(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), buyer = csv.column("buyer"), supplier = csv.column("supplier"),
               credibility = csv.column("credibility"), influence = csv.column("influence");
    DiplomacyTotals totals;
    while (csv.next()) {
        const Date day = csv.date(date);
        auto& target = csv.text(buyer).empty() ? totals.supplier_wide : totals.over_buyers;
        DiplomacyDay& cell = target[std::string(csv.text(supplier))][day];
        if (const auto value = csv.optional_number(credibility)) cell.credibility.add(*value);
        if (const auto value = csv.optional_number(influence)) cell.influence.add(*value);
    }
    return totals;
}

std::map<std::pair<Date, std::string>, int> read_event_counts(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), kind = csv.column("kind");
    for (const char* name : {"supplier", "recipient", "contract", "product", "value", "detail"}) csv.column(name);
    std::map<std::pair<Date, std::string>, int> counts;
    while (csv.next()) ++counts[{csv.date(date).week_start(), std::string(csv.text(kind))}];
    return counts;
}

// ------------------------------------------------------------------------------------------------ the page

struct Chart {
    std::string id;
    Json spec;
};

class PageBuilder {
public:
    void open_section(std::string_view id, std::string_view title, std::string_view intro) {
        body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"intro\">{}</p>\n", id,
                             html_escape(title), html_escape(intro));
        nav_ += fmt::format("<a href=\"#{}\">{}</a>\n", id, html_escape(title));
    }
    void close_section() { body_ += "</section>\n"; }
    void chart(std::string id, Json spec) {
        body_ += fmt::format("<div class=\"chart\" id=\"{}\"></div>\n", id);
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

// A Vega-Lite specification reading the inline dataset `name`.
Json base_spec(std::string_view title, std::string_view name, Json rows) {
    Json spec;
    spec["title"] = title;
    spec["width"] = chart_width_px;
    spec["height"] = chart_height_px;
    spec["datasets"] = Json::object();
    spec["datasets"][std::string(name)] = std::move(rows);
    spec["data"] = Json{{"name", name}};
    return spec;
}

Json week_axis() { return Json{{"field", "week"}, {"type", "temporal"}, {"title", "week"}}; }

Json doses_axis(std::string_view title) {
    return Json{{"field", "doses"}, {"type", "quantitative"}, {"title", title}, {"axis", {{"format", "~s"}}}};
}

// The run's time span: the manifest's start and end where they are dates, else the data's own range.
struct RunSpan {
    Date start, end;
};

std::optional<Date> manifest_date(const Json& manifest, const char* key) {
    if (!manifest.contains(key) || !manifest[key].is_string()) return std::nullopt;
    return Date::parse(manifest[key].get<std::string>());
}

RunSpan run_span(const Json& manifest, const TimeseriesTotals& timeseries, const DeliveryTotals& deliveries) {
    std::optional<Date> start = manifest_date(manifest, "start"), end = manifest_date(manifest, "end");
    for (const auto& date : {timeseries.first, deliveries.first})
        if (!start && date) start = date;
    for (const auto& date : {timeseries.last, deliveries.last})
        if (!end && date) end = date;
    if (!start || !end)
        throw std::runtime_error("the run has no dates: summary.json's manifest has no start/end and the tables "
                                 "are empty");
    return {*start, std::max(*start, *end)};
}

// Suppliers ranked by doses ordered, then delivered.
std::vector<std::string> suppliers_by_size(const std::vector<ContractRow>& contracts) {
    std::map<std::string, std::pair<double, double>> size;
    for (const auto& row : contracts) {
        size[row.supplier].first += row.ordered_doses;
        size[row.supplier].second += row.delivered_doses;
    }
    std::vector<std::string> suppliers;
    for (const auto& [supplier, _] : size) suppliers.push_back(supplier);
    std::stable_sort(suppliers.begin(), suppliers.end(),
                     [&](const std::string& a, const std::string& b) { return size[a] > size[b]; });
    return suppliers;
}

std::string supplier_group(const std::string& supplier, const std::set<std::string>& shown) {
    return shown.contains(supplier) ? supplier : std::string(other_suppliers);
}

void add_supplier_charts(PageBuilder& page, const std::vector<ContractRow>& contracts,
                         const DeliveryTotals& deliveries, const RunSpan& span) {
    page.open_section("suppliers", "Promised and delivered doses by supplier",
                      "Doses ordered in signed contracts (counted from the week each contract was signed) against "
                      "doses delivered, cumulative, for the largest suppliers by doses ordered; then, per "
                      "supplier, doses ordered, doses due by the end of the run, and doses delivered.");
    const auto ranked = suppliers_by_size(contracts);
    const std::set<std::string> shown(ranked.begin(),
                                      ranked.begin() + static_cast<std::ptrdiff_t>(
                                                           std::min(ranked.size(), top_supplier_count)));
    std::map<std::string, DatedValues> ordered_weekly, delivered_weekly;
    for (const auto& row : contracts)
        ordered_weekly[supplier_group(row.supplier, shown)][row.signed_on.value_or(span.start).week_start()] +=
            row.ordered_doses;
    for (const auto& [supplier, weekly] : deliveries.weekly_by_supplier)
        for (const auto& [week, doses] : weekly) delivered_weekly[supplier_group(supplier, shown)][week] += doses;

    std::set<std::string> groups;
    for (const auto* source : {&ordered_weekly, &delivered_weekly})
        for (const auto& [group, _] : *source) groups.insert(group);
    Date first = span.start;
    for (const auto* source : {&ordered_weekly, &delivered_weekly})
        for (const auto& [_, weekly] : *source)
            if (!weekly.empty()) first = std::min(first, weekly.begin()->first);

    Json rows = Json::array();
    for (const auto& group : groups) {
        for (const auto& [series, source] :
             {std::pair{"ordered", &ordered_weekly}, std::pair{"delivered", &delivered_weekly}}) {
            const auto found = source->find(group);
            double cumulative = 0.0;
            for (const Date week : weeks_between(first, span.end)) {
                if (found != source->end())
                    if (const auto at = found->second.find(week); at != found->second.end()) cumulative += at->second;
                rows.push_back(Json{{"week", week.iso()}, {"supplier", group}, {"series", series},
                                    {"doses", doses_value(cumulative)}});
            }
        }
    }
    if (groups.empty()) {
        page.note("No contracts and no deliveries in this run.");
        page.close_section();
        return;
    }
    Json timeline = base_spec("Doses ordered and delivered, cumulative", "supplier_timeline", std::move(rows));
    timeline["mark"] = Json{{"type", "line"}, {"interpolate", "step-after"}};
    timeline["encoding"] = Json{
        {"x", week_axis()},
        {"y", doses_axis("doses (cumulative)")},
        {"color", {{"field", "supplier"}, {"type", "nominal"}}},
        {"strokeDash", {{"field", "series"}, {"type", "nominal"}, {"title", "doses"}}},
        {"tooltip", Json::array({Json{{"field", "supplier"}}, Json{{"field", "series"}},
                                 Json{{"field", "week"}, {"type", "temporal"}},
                                 Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-supplier-timeline", std::move(timeline));

    std::map<std::string, std::array<double, 3>> totals;  // ordered, due, delivered
    for (const auto& row : contracts) {
        auto& cell = totals[row.supplier];
        cell[0] += row.ordered_doses;
        cell[1] += row.due_doses;
        cell[2] += row.delivered_doses;
    }
    Json bars = Json::array();
    for (const auto& supplier : ranked)
        for (std::size_t i = 0; i < 3; ++i)
            bars.push_back(Json{{"supplier", supplier},
                                {"measure", std::array{"ordered", "due by end of run", "delivered"}[i]},
                                {"doses", doses_value(totals[supplier][i])}});
    Json by_supplier = base_spec("Ordered, due and delivered doses per supplier", "supplier_totals", std::move(bars));
    Json measure_order = Json::array({"ordered", "due by end of run", "delivered"});
    by_supplier["mark"] = "bar";
    by_supplier["encoding"] = Json{
        {"x", {{"field", "supplier"}, {"type", "nominal"}, {"sort", ranked}}},
        {"xOffset", {{"field", "measure"}, {"sort", measure_order}}},
        {"y", doses_axis("doses")},
        {"color", {{"field", "measure"}, {"type", "nominal"}, {"sort", measure_order}, {"title", nullptr}}},
        {"tooltip", Json::array({Json{{"field", "supplier"}}, Json{{"field", "measure"}},
                                 Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-supplier-totals", std::move(by_supplier));
    page.close_section();
}


void add_shortfalls(PageBuilder& page, const std::vector<ContractRow>& contracts) {
    page.open_section("shortfalls", "The 10 largest shortfalls",
                      "Contracts with the most doses due by the end of the run but not delivered (due minus "
                      "delivered).");
    std::vector<const ContractRow*> short_rows;
    for (const auto& row : contracts)
        if (row.shortfall_doses > 0.0 && row.kind != "licence") short_rows.push_back(&row);
    // As the summary ranks them: the largest shortfall first, ties by contract id.
    std::sort(short_rows.begin(), short_rows.end(), [](const ContractRow* a, const ContractRow* b) {
        return a->shortfall_doses != b->shortfall_doses ? a->shortfall_doses > b->shortfall_doses
                                                        : a->contract < b->contract;
    });
    if (short_rows.size() > shortfall_count) short_rows.resize(shortfall_count);
    if (short_rows.empty()) {
        page.note("No contract delivered fewer doses than were due.");
        page.close_section();
        return;
    }
    std::string table =
        "<table class=\"data\">\n<thead><tr><th>contract</th><th>kind</th><th>supplier</th><th>recipient</th>"
        "<th>product</th><th class=\"number\">due</th><th class=\"number\">delivered</th>"
        "<th class=\"number\">shortfall</th><th class=\"number\">delivered share</th><th>status</th></tr>"
        "</thead>\n<tbody>\n";
    Json rows = Json::array();
    for (const ContractRow* row : short_rows) {
        const double shortfall = row->shortfall_doses;
        table += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"number\">{}</td>"
            "<td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"number\">{:.1f}%</td>"
            "<td>{}</td></tr>\n",
            html_escape(row->contract), html_escape(row->kind), html_escape(row->supplier),
            html_escape(row->recipient), html_escape(row->product), format_count(row->due_doses),
            format_count(row->delivered_doses), format_count(shortfall),
            100.0 * row->delivered_doses / row->due_doses, html_escape(row->status));
        rows.push_back(Json{{"contract", row->contract},
                            {"label", fmt::format("{} ({} to {})", row->contract, row->supplier,
                                                  row->recipient.empty() ? "COVAX" : row->recipient)},
                            {"due", doses_value(row->due_doses)},
                            {"delivered", doses_value(row->delivered_doses)},
                            {"shortfall", doses_value(shortfall)}});
    }
    table += "</tbody>\n</table>\n";
    page.html(table);
    Json labels = Json::array();
    for (const auto& row : rows) labels.push_back(row["label"]);
    Json spec = base_spec("Doses due but not delivered", "shortfalls", std::move(rows));
    spec["height"] = 24 * static_cast<int>(short_rows.size());
    spec["mark"] = "bar";
    spec["encoding"] = Json{
        {"y", {{"field", "label"}, {"type", "nominal"}, {"sort", labels}, {"title", nullptr}}},
        {"x", {{"field", "shortfall"}, {"type", "quantitative"}, {"title", "doses short"},
               {"axis", {{"format", "~s"}}}}},
        {"tooltip", Json::array({Json{{"field", "contract"}}, Json{{"field", "due"}, {"format", ","}},
                                 Json{{"field", "delivered"}, {"format", ","}},
                                 Json{{"field", "shortfall"}, {"format", ","}}})}};
    page.chart("chart-shortfalls", std::move(spec));
    page.close_section();
}

void add_sputnik_charts(PageBuilder& page, const std::vector<ContractRow>& contracts,
                        const DeliveryTotals& deliveries, const RunSpan& span) {
    page.open_section("sputnik", "Sputnik V: component 1 against component 2",
                      "Sputnik V's two doses use different components (rAd26, then rAd5), and the second was "
                      "harder to make: the gap between the two cumulative deliveries is the number of second "
                      "doses owed to people who had their first.");
    if (deliveries.sputnik_weekly_by_component.empty()) {
        page.note("No Sputnik V (product sputnik_v) was delivered in this run.");
        page.close_section();
        return;
    }
    // Components in the order of their first delivery: component 1 ships first.
    std::vector<std::string> components;
    for (const auto& [name, _] : deliveries.sputnik_weekly_by_component) components.push_back(name);
    std::stable_sort(components.begin(), components.end(), [&](const std::string& a, const std::string& b) {
        return deliveries.sputnik_first_delivery_by_component.at(a) <
               deliveries.sputnik_first_delivery_by_component.at(b);
    });
    Json rows = Json::array();
    Json legend = Json::array();
    const Date first = deliveries.sputnik_first_delivery_by_component.at(components.front());
    for (std::size_t i = 0; i < components.size(); ++i) {
        const std::string label =
            components[i].empty() ? fmt::format("component {}", i + 1)
                                  : fmt::format("component {} ({})", i + 1, components[i]);
        legend.push_back(label);
        const auto& weekly = deliveries.sputnik_weekly_by_component.at(components[i]);
        double cumulative = 0.0;
        for (const Date week : weeks_between(first, span.end)) {
            if (const auto at = weekly.find(week); at != weekly.end()) cumulative += at->second;
            rows.push_back(Json{{"week", week.iso()}, {"component", label}, {"doses", doses_value(cumulative)}});
        }
    }
    Json spec = base_spec("Sputnik V doses delivered, cumulative, by component", "sputnik_components",
                          std::move(rows));
    spec["mark"] = Json{{"type", "line"}, {"interpolate", "step-after"}};
    spec["encoding"] = Json{{"x", week_axis()},
                            {"y", doses_axis("doses delivered (cumulative)")},
                            {"color", {{"field", "component"}, {"type", "nominal"}, {"sort", legend},
                                       {"title", nullptr}}},
                            {"tooltip", Json::array({Json{{"field", "component"}},
                                                     Json{{"field", "week"}, {"type", "temporal"}},
                                                     Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-sputnik-components", std::move(spec));

    std::map<std::string, std::pair<double, double>> by_recipient;
    for (const auto& row : contracts) {
        if (row.product != sputnik_product) continue;
        auto& cell = by_recipient[row.recipient.empty() ? "COVAX" : row.recipient];
        cell.first += row.delivered_component_1;
        cell.second += row.delivered_component_2;
    }
    std::vector<std::pair<std::string, std::pair<double, double>>> ranked(by_recipient.begin(), by_recipient.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    if (ranked.size() > sputnik_recipient_count) ranked.resize(sputnik_recipient_count);
    Json bars = Json::array();
    Json order = Json::array();
    for (const auto& [recipient, doses] : ranked) {
        order.push_back(recipient);
        bars.push_back(Json{{"recipient", recipient}, {"component", "component 1"}, {"doses", doses_value(doses.first)}});
        bars.push_back(Json{{"recipient", recipient}, {"component", "component 2"}, {"doses", doses_value(doses.second)}});
    }
    if (ranked.empty()) {
        page.close_section();
        return;
    }
    Json per_recipient = base_spec(
        fmt::format("Sputnik V components delivered per recipient (largest {})", ranked.size()),
        "sputnik_recipients", std::move(bars));
    per_recipient["mark"] = "bar";
    per_recipient["encoding"] = Json{
        {"x", {{"field", "recipient"}, {"type", "nominal"}, {"sort", order}}},
        {"xOffset", {{"field", "component"}}},
        {"y", doses_axis("doses delivered")},
        {"color", {{"field", "component"}, {"type", "nominal"}, {"title", nullptr}}},
        {"tooltip", Json::array({Json{{"field", "recipient"}}, Json{{"field", "component"}},
                                 Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-sputnik-recipients", std::move(per_recipient));
    page.close_section();
}

// People fully vaccinated per country as a level carried forward week by week (0 before the first value).
std::map<std::string, DatedValues> weekly_levels(const std::map<std::string, DatedValues>& daily,
                                                 const std::vector<Date>& weeks) {
    std::map<std::string, DatedValues> out;
    for (const auto& [country, values] : daily) {
        const DatedValues last = last_of_each_week(values);
        double level = 0.0;
        for (const Date week : weeks) {
            if (const auto at = last.find(week); at != last.end()) level = at->second;
            out[country][week] = level;
        }
    }
    return out;
}

// Countries of the run: those with a population or people_full rows.
CountryPopulation run_population(const TimeseriesTotals& timeseries,
                                 const std::map<std::string, DatedValues>& people_full,
                                 const std::unordered_map<std::string, CountryInfo>& countries) {
    std::set<std::string> run_countries;
    std::map<std::string, double> persons;
    for (const auto& [country, first] : timeseries.population) {
        run_countries.insert(country);
        persons[country] = first.second;
    }
    for (const auto& [country, _] : people_full) run_countries.insert(country);
    return resolve_population({run_countries.begin(), run_countries.end()}, persons, countries);
}

std::string income_group_of(const std::string& country, const std::unordered_map<std::string, CountryInfo>& countries) {
    const auto at = countries.find(country);
    return at == countries.end() || at->second.income_group.empty() ? std::string(unknown_income_group)
                                                                    : at->second.income_group;
}

void add_coverage_charts(PageBuilder& page, const TimeseriesTotals& timeseries, const RunSpan& span,
                         const std::unordered_map<std::string, CountryInfo>& countries) {
    page.open_section("coverage", "People fully vaccinated",
                      "Share of each country's population fully vaccinated (people_full over population) at the "
                      "end of the run, and the same share week by week for each World Bank income group.");
    const auto people_full = timeseries.people_full.resolved();
    const CountryPopulation population = run_population(timeseries, people_full, countries);
    if (population.persons.empty()) {
        page.note("The run has no countries with both a population and people_full values.");
        page.close_section();
        return;
    }
    const auto iso_numeric = embedded_iso_numeric_codes();
    Json coverage = Json::array();
    for (const auto& [country, persons] : population.persons) {
        const auto series = people_full.find(country);
        const double full = series == people_full.end() || series->second.empty() ? 0.0
                                                                                  : series->second.rbegin()->second;
        const auto numeric = iso_numeric.find(country);
        const auto info = countries.find(country);
        coverage.push_back(Json{{"id", numeric == iso_numeric.end() ? "" : numeric->second},
                                {"code", country},
                                {"name", info == countries.end() ? country : info->second.name},
                                {"coverage", rounded(full / persons, 4)}});
    }
    Json atlas;
    try {
        atlas = Json::parse(web_asset("web/countries-110m.json"));
    } catch (const Json::parse_error& error) {
        throw std::runtime_error(fmt::format("embedded web/countries-110m.json is malformed: {}", error.what()));
    }
    Json map;
    map["title"] = fmt::format("Share of population fully vaccinated on {}", span.end.iso());
    map["width"] = chart_width_px;
    map["height"] = 380;
    map["datasets"] = Json{{"atlas", std::move(atlas)}, {"coverage", std::move(coverage)}};
    map["data"] = Json{{"name", "atlas"}, {"format", {{"type", "topojson"}, {"feature", "countries"}}}};
    map["projection"] = Json{{"type", "equalEarth"}};
    map["layer"] = Json::array(
        {Json{{"mark", {{"type", "geoshape"}, {"fill", "#e4e4e4"}, {"stroke", "white"}, {"strokeWidth", 0.4}}}},
         Json{{"transform",
               Json::array({Json{{"lookup", "id"},
                                 {"from", {{"data", {{"name", "coverage"}}},
                                           {"key", "id"},
                                           {"fields", Json::array({"code", "name", "coverage"})}}}},
                            Json{{"filter", "isValid(datum.coverage)"}}})},
              {"mark", {{"type", "geoshape"}, {"stroke", "white"}, {"strokeWidth", 0.4}}},
              {"encoding",
               {{"color", {{"field", "coverage"}, {"type", "quantitative"}, {"title", "fully vaccinated"},
                           {"scale", {{"domain", Json::array({0, 1})}, {"scheme", "yellowgreenblue"}}},
                           {"legend", {{"format", ".0%"}}}}},
                {"tooltip", Json::array({Json{{"field", "name"}}, Json{{"field", "code"}},
                                         Json{{"field", "coverage"}, {"type", "quantitative"}, {"format", ".1%"}}})}}}}});
    page.chart("chart-coverage-map", std::move(map));
    if (!population.missing.empty()) {
        std::string names;
        for (const auto& country : population.missing) names += (names.empty() ? "" : ", ") + country;
        page.note("Left out (no population known): " + names + ".");
    }

    const auto weeks = weeks_between(span.start, span.end);
    const auto levels = weekly_levels(people_full, weeks);
    std::map<std::string, std::pair<DatedValues, double>> by_group;  // people per week, persons
    for (const auto& [country, persons] : population.persons) {
        auto& group = by_group[income_group_of(country, countries)];
        group.second += persons;
        if (const auto at = levels.find(country); at != levels.end())
            for (const auto& [week, people] : at->second) group.first[week] += people;
    }
    Json rows = Json::array();
    for (const auto& [group, cell] : by_group)
        for (const Date week : weeks) {
            const auto at = cell.first.find(week);
            rows.push_back(Json{{"week", week.iso()}, {"income_group", group},
                                {"coverage", rounded((at == cell.first.end() ? 0.0 : at->second) / cell.second, 4)}});
        }
    Json spec = base_spec("Share of population fully vaccinated, by income group", "coverage_by_income",
                          std::move(rows));
    spec["mark"] = "line";
    spec["encoding"] = Json{
        {"x", week_axis()},
        {"y", {{"field", "coverage"}, {"type", "quantitative"}, {"title", "fully vaccinated"},
               {"axis", {{"format", ".0%"}}}}},
        {"color", {{"field", "income_group"}, {"type", "nominal"}, {"title", "income group"},
                   {"sort", Json::array({"High income", "Upper middle income", "Lower middle income", "Low income"})}}},
        {"tooltip", Json::array({Json{{"field", "income_group"}}, Json{{"field", "week"}, {"type", "temporal"}},
                                 Json{{"field", "coverage"}, {"format", ".1%"}}})}};
    page.chart("chart-coverage-income", std::move(spec));
    page.close_section();
}

void add_covax_chart(PageBuilder& page, const DeliveryTotals& deliveries) {
    page.open_section("covax", "COVAX deliveries",
                      "Doses delivered through COVAX (deliveries of kind covax) each week, by product.");
    if (deliveries.covax_weekly_by_product.empty()) {
        page.note("No COVAX deliveries in this run.");
        page.close_section();
        return;
    }
    Json rows = Json::array();
    for (const auto& [product, weekly] : deliveries.covax_weekly_by_product)
        for (const auto& [week, doses] : weekly)
            rows.push_back(Json{{"week", week.iso()}, {"product", product}, {"doses", doses_value(doses)}});
    Json spec = base_spec("COVAX doses delivered per week", "covax_weekly", std::move(rows));
    spec["mark"] = "bar";
    spec["encoding"] = Json{{"x", {{"field", "week"}, {"type", "temporal"}, {"timeUnit", "yearweek"}, {"title", "week"}}},
                            {"y", Json{{"aggregate", "sum"}, {"field", "doses"}, {"type", "quantitative"},
                                       {"title", "doses per week"}, {"axis", {{"format", "~s"}}}}},
                            {"color", {{"field", "product"}, {"type", "nominal"}}},
                            {"tooltip", Json::array({Json{{"field", "product"}},
                                                     Json{{"field", "week"}, {"type", "temporal"}},
                                                     Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-covax", std::move(spec));
    page.close_section();
}

void add_diplomacy_charts(PageBuilder& page, const DiplomacyTotals& diplomacy,
                          const std::vector<ContractRow>& contracts) {
    page.open_section("diplomacy", "Credibility and influence of the main suppliers",
                      "Each buyer's credibility of a supplier (promises kept against promises made) and the "
                      "supplier's influence, averaged over the buyers, for the largest suppliers by doses ordered.");
    std::set<std::string> present;
    for (const auto* source : {&diplomacy.over_buyers, &diplomacy.supplier_wide})
        for (const auto& [supplier, _] : *source) present.insert(supplier);
    std::vector<std::string> shown;
    for (const auto& supplier : suppliers_by_size(contracts))
        if (present.contains(supplier) && shown.size() < diplomacy_supplier_count) shown.push_back(supplier);
    for (const auto& supplier : present)
        if (shown.size() < diplomacy_supplier_count && std::find(shown.begin(), shown.end(), supplier) == shown.end())
            shown.push_back(supplier);
    if (shown.empty()) {
        page.note("diplomacy.csv has no rows.");
        page.close_section();
        return;
    }
    Json credibility_rows = Json::array(), influence_rows = Json::array();
    for (const auto& supplier : shown) {
        const auto wide = diplomacy.supplier_wide.find(supplier);
        const auto& days = wide != diplomacy.supplier_wide.end() ? wide->second : diplomacy.over_buyers.at(supplier);
        DatedValues credibility, influence;
        for (const auto& [day, cell] : days) {
            if (const auto mean = cell.credibility.mean()) credibility[day] = *mean;
            if (const auto mean = cell.influence.mean()) influence[day] = *mean;
        }
        for (const auto& [week, value] : last_of_each_week(credibility))
            credibility_rows.push_back(Json{{"week", week.iso()}, {"supplier", supplier}, {"value", rounded(value, 4)}});
        for (const auto& [week, value] : last_of_each_week(influence))
            influence_rows.push_back(Json{{"week", week.iso()}, {"supplier", supplier}, {"value", rounded(value, 4)}});
    }
    const auto line_chart = [&](std::string_view title, std::string_view name, Json rows, std::string_view y_title) {
        Json spec = base_spec(title, name, std::move(rows));
        spec["mark"] = "line";
        spec["encoding"] = Json{{"x", week_axis()},
                                {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", y_title}}},
                                {"color", {{"field", "supplier"}, {"type", "nominal"}, {"sort", shown}}},
                                {"tooltip", Json::array({Json{{"field", "supplier"}},
                                                         Json{{"field", "week"}, {"type", "temporal"}},
                                                         Json{{"field", "value"}, {"format", ".3f"}}})}};
        return spec;
    };
    if (!credibility_rows.empty())
        page.chart("chart-credibility",
                   line_chart("Credibility (mean over buyers)", "credibility", std::move(credibility_rows), "credibility"));
    if (!influence_rows.empty())
        page.chart("chart-influence",
                   line_chart("Influence (mean over buyers)", "influence", std::move(influence_rows), "influence"));
    page.close_section();
}

// Numeric leaves of summary.json's figures, as "path" -> value ("deaths.by_income_group.Low income").
void flatten_figures(const Json& value, const std::string& path, std::vector<std::pair<std::string, Json>>& out) {
    if (value.is_object()) {
        for (const auto& [key, item] : value.items()) flatten_figures(item, path.empty() ? key : path + "." + key, out);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) flatten_figures(value[i], fmt::format("{}[{}]", path, i), out);
    } else {
        out.emplace_back(path, value);
    }
}

std::string figure_text(const Json& value) {
    if (value.is_number_integer() || value.is_number_unsigned()) return format_count(value.get<double>());
    if (value.is_number_float()) {
        const double number = value.get<double>();
        if (std::abs(number) >= 1000.0) return format_count(number);
        return fmt::format("{:.4g}", number);
    }
    if (value.is_string()) return value.get<std::string>();
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void add_deaths_charts(PageBuilder& page, const TimeseriesTotals& timeseries, const Json& summary,
                       const std::unordered_map<std::string, CountryInfo>& countries) {
    page.open_section("deaths", "Deaths and deaths averted",
                      "COVID-19 deaths per week by World Bank income group (the deaths metric of timeseries.csv), "
                      "and the death figures of summary.json, among them the deaths averted by vaccination: the "
                      "deaths of the same scenario without any vaccination, with the same transmission path and "
                      "variants (the convention of published estimates of vaccine impact), minus the run's deaths.");
    const auto deaths = timeseries.deaths.resolved();
    const bool has_countries = std::any_of(deaths.begin(), deaths.end(), [](const auto& item) { return !item.first.empty(); });
    std::map<std::pair<Date, std::string>, double> weekly;
    for (const auto& [country, daily] : deaths) {
        if (country.empty() == has_countries) continue;  // the world row only when no country has rows
        const std::string group = country.empty() ? std::string("world") : income_group_of(country, countries);
        for (const auto& [day, value] : daily) weekly[{day.week_start(), group}] += value;
    }
    if (weekly.empty()) {
        page.note("timeseries.csv has no deaths rows.");
    } else {
        Json rows = Json::array();
        for (const auto& [key, value] : weekly)
            rows.push_back(Json{{"week", key.first.iso()}, {"income_group", key.second}, {"deaths", rounded(value, 1)}});
        Json spec = base_spec("Deaths per week, by income group", "deaths_weekly", std::move(rows));
        spec["mark"] = "area";
        spec["encoding"] = Json{
            {"x", week_axis()},
            {"y", {{"field", "deaths"}, {"type", "quantitative"}, {"stack", "zero"}, {"title", "deaths per week"},
                   {"axis", {{"format", "~s"}}}}},
            {"color", {{"field", "income_group"}, {"type", "nominal"}, {"title", "income group"}}},
            {"tooltip", Json::array({Json{{"field", "income_group"}}, Json{{"field", "week"}, {"type", "temporal"}},
                                     Json{{"field", "deaths"}, {"format", ",.0f"}}})}};
        page.chart("chart-deaths", std::move(spec));
    }

    std::vector<std::pair<std::string, Json>> leaves;
    if (summary.contains("figures")) flatten_figures(summary["figures"], "", leaves);
    Json rows = Json::array();
    for (const auto& [path, value] : leaves) {
        std::string lower = path;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (value.is_number() && lower.find("death") != std::string::npos)
            rows.push_back(Json{{"figure", path}, {"value", rounded(value.get<double>(), 1)}});
    }
    if (rows.empty()) {
        page.note("summary.json's figures hold no death figures.");
    } else {
        const int bar_count = static_cast<int>(rows.size());
        Json spec = base_spec("Death figures of the run (summary.json)", "death_figures", std::move(rows));
        spec["height"] = 24 * bar_count;
        spec["mark"] = "bar";
        spec["encoding"] = Json{{"y", {{"field", "figure"}, {"type", "nominal"}, {"sort", nullptr}, {"title", nullptr}}},
                                {"x", {{"field", "value"}, {"type", "quantitative"}, {"title", "deaths"},
                                       {"axis", {{"format", "~s"}}}}},
                                {"tooltip", Json::array({Json{{"field", "figure"}},
                                                         Json{{"field", "value"}, {"format", ",.0f"}}})}};
        page.chart("chart-death-figures", std::move(spec));
    }
    page.close_section();
}

void add_events_chart(PageBuilder& page, const std::map<std::pair<Date, std::string>, int>& counts) {
    page.open_section("events", "Events",
                      "Events of the run per week, by kind (events.csv): late deliveries and recoveries, public "
                      "complaints, refund demands, cancellations and switches of supplier, new contracts, export "
                      "bans and policy changes.");
    if (counts.empty()) {
        page.note("events.csv has no rows.");
        page.close_section();
        return;
    }
    Json rows = Json::array();
    for (const auto& [key, count] : counts) rows.push_back(Json{{"week", key.first.iso()}, {"kind", key.second}, {"events", count}});
    Json spec = base_spec("Events per week, by kind", "events_weekly", std::move(rows));
    spec["mark"] = "bar";
    spec["encoding"] = Json{{"x", {{"field", "week"}, {"type", "temporal"}, {"timeUnit", "yearweek"}, {"title", "week"}}},
                            {"y", {{"aggregate", "sum"}, {"field", "events"}, {"type", "quantitative"}, {"title", "events"},
                                   {"axis", {{"tickMinStep", 1}, {"format", "d"}}}}},
                            {"color", {{"field", "kind"}, {"type", "nominal"}}},
                            {"tooltip", Json::array({Json{{"field", "kind"}}, Json{{"field", "week"}, {"type", "temporal"}},
                                                     Json{{"field", "events"}}})}};
    page.chart("chart-events", std::move(spec));
    page.close_section();
}

void add_figures_table(PageBuilder& page, const Json& summary) {
    page.open_section("figures", "Key figures", "Every figure of summary.json, as the run wrote it.");
    std::vector<std::pair<std::string, Json>> leaves;
    if (summary.contains("figures")) flatten_figures(summary["figures"], "", leaves);
    if (leaves.empty()) {
        page.note("summary.json has no figures.");
        page.close_section();
        return;
    }
    std::string table = "<table class=\"data\">\n<thead><tr><th>figure</th><th class=\"number\">value</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < std::min(leaves.size(), figure_row_limit); ++i)
        table += fmt::format("<tr><td>{}</td><td class=\"number\">{}</td></tr>\n", html_escape(leaves[i].first),
                             html_escape(figure_text(leaves[i].second)));
    table += "</tbody>\n</table>\n";
    page.html(table);
    if (leaves.size() > figure_row_limit)
        page.note(fmt::format("{} more figures are in summary.json.", leaves.size() - figure_row_limit));
    page.close_section();
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

constexpr std::string_view page_style = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 980px;
       padding: 0 1.5rem 3rem; color: #1d1d1f; line-height: 1.45; }
header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
h1 { margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.5rem 0 1.5rem; font-size: 0.92rem; }
section { margin-bottom: 2.5rem; }
.intro { color: #333; }
.note { color: #666; font-style: italic; }
.chart { margin: 1rem 0; min-height: 60px; }
.chart.failed { color: #b00020; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.5rem 0; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
table.manifest th { color: #555; font-weight: normal; }
footer { color: #666; font-size: 0.85rem; border-top: 1px solid #ddd; padding-top: 0.6rem; }
)";

// Draws every chart with vega-embed (SVG renderer) and marks <body data-rendered="ok|error"> when all are done,
// so that a test can wait for it; a chart that fails says so in its box and on the console.
constexpr std::string_view render_script = R"(
(function () {
  var charts = JSON.parse(document.getElementById('doseflow-charts').textContent);
  var pending = charts.map(function (chart) {
    return vegaEmbed('#' + chart.id, chart.spec, { renderer: 'svg', actions: false, mode: 'vega-lite' })
      .catch(function (error) {
        var box = document.getElementById(chart.id);
        box.className += ' failed';
        box.textContent = 'This chart could not be drawn: ' + error;
        console.error('chart ' + chart.id + ': ' + error);
        throw error;
      });
  });
  Promise.allSettled(pending).then(function (results) {
    var failed = results.some(function (result) { return result.status === 'rejected'; });
    document.body.setAttribute('data-rendered', failed ? 'error' : 'ok');
  });
})();
)";

// Every section of the report, built from the run directory's files.
struct BuiltReport {
    PageBuilder page;
    Json summary;
    RunSpan span;
};

BuiltReport build_report(const fs::path& run_dir) {
    const RunPaths paths = run_paths(run_dir);
    const Json summary = read_summary(paths.summary);
    const Json& manifest = summary["manifest"];
    const auto contracts = read_contracts(paths.contracts);
    const auto deliveries = read_deliveries(paths.deliveries);
    const auto timeseries = read_timeseries(paths.timeseries);
    const auto diplomacy = read_diplomacy(paths.diplomacy);
    const auto events = read_event_counts(paths.events);
    const auto countries = embedded_countries();
    const RunSpan span = run_span(manifest, timeseries, deliveries);

    PageBuilder page;
    add_supplier_charts(page, contracts, deliveries, span);
    add_shortfalls(page, contracts);
    add_sputnik_charts(page, contracts, deliveries, span);
    add_coverage_charts(page, timeseries, span, countries);
    add_covax_chart(page, deliveries);
    add_diplomacy_charts(page, diplomacy, contracts);
    add_deaths_charts(page, timeseries, summary, countries);
    add_events_chart(page, events);
    add_figures_table(page, summary);
    return {std::move(page), summary, span};
}

}  // namespace

nlohmann::ordered_json report_charts(const fs::path& run_dir) { return build_report(run_dir).page.charts_json(); }

std::string render_report_html(const fs::path& run_dir) {
    const BuiltReport report = build_report(run_dir);
    const PageBuilder& page = report.page;
    const Json& manifest = report.summary["manifest"];
    const RunSpan& span = report.span;
    const std::string scenario = manifest_text(manifest, "scenario_name");
    std::string html;
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += fmt::format("<title>doseflow report: {}</title>\n", html_escape(scenario));
    html += fmt::format("<style>{}</style>\n", page_style);
    for (const char* library : {"web/vega.min.js", "web/vega-lite.min.js", "web/vega-embed.min.js"})
        html += fmt::format("<script>{}</script>\n", inline_script(web_asset(library)));
    html += "</head>\n<body>\n<header>\n<h1>doseflow report</h1>\n";
    html += fmt::format("<p class=\"subtitle\">Scenario <strong>{}</strong>, {} to {}, seed {}</p>\n",
                        html_escape(scenario), span.start.iso(), span.end.iso(),
                        html_escape(manifest_text(manifest, "seed")));
    html += manifest_table(manifest);
    html += "</header>\n<nav>\n" + page.nav() + "</nav>\n<main>\n" + page.body() + "</main>\n";
    html += "<footer>Charts: Vega-Lite and vega-embed (BSD-3-Clause). Map: world-atlas countries-110m (ISC), "
            "from Natural Earth (public domain). Population where the run gives none: UN World Population "
            "Prospects 2019 (CC BY 3.0 IGO).</footer>\n";
    html += fmt::format("<script type=\"application/json\" id=\"doseflow-charts\">{}</script>\n",
                        inline_json(page.charts_json()));
    html += fmt::format("<script>{}</script>\n</body>\n</html>\n", render_script);
    return html;
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
