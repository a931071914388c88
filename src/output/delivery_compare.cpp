#include "output/delivery_compare.hpp"

#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/embedded.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;

struct RouteName {
    DeliveryRoute route;
    std::string_view name;
};
constexpr RouteName route_names[] = {{DeliveryRoute::sale, "sale"},         {DeliveryRoute::donation, "donation"},
                                     {DeliveryRoute::covax, "covax"},       {DeliveryRoute::domestic, "domestic"},
                                     {DeliveryRoute::exports, "exports"},   {DeliveryRoute::any, "any"}};

std::optional<DeliveryRoute> parse_route(std::string_view text) {
    for (const auto& [route, name] : route_names)
        if (name == text) return route;
    return std::nullopt;
}

// A delivery row's kind (deliveries.csv) counted by a route.
bool route_counts(DeliveryRoute route, std::string_view kind) {
    switch (route) {
        case DeliveryRoute::any: return true;
        case DeliveryRoute::exports: return kind != "domestic";
        default: return kind == to_string(route);
    }
}

bool matches(std::string_view wanted, std::string_view value) { return wanted == "*" || wanted == value; }

bool is_country_or_any(std::string_view text) {
    if (text == "*") return true;
    if (text.size() != 3) return false;
    for (const char c : text)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

struct Span {
    Date start, end;
};

// summary.json's manifest start and end, where the run has a summary with both.
std::optional<Span> manifest_span(const fs::path& run_dir) {
    const fs::path path = run_dir / "summary.json";
    if (!fs::exists(path)) return std::nullopt;
    const auto summary = nlohmann::json::parse(read_text_file(path), nullptr, false);
    if (summary.is_discarded() || !summary.contains("manifest")) return std::nullopt;
    const auto& manifest = summary["manifest"];
    if (!manifest.is_object() || !manifest.contains("start") || !manifest.contains("end") ||
        !manifest["start"].is_string() || !manifest["end"].is_string())
        return std::nullopt;
    const auto start = Date::parse(manifest["start"].get<std::string>());
    const auto end = Date::parse(manifest["end"].get<std::string>());
    if (!start || !end) return std::nullopt;
    return Span{*start, *end};
}

}  // namespace

std::string_view to_string(DeliveryRoute route) {
    for (const auto& [value, name] : route_names)
        if (value == route) return name;
    return "exports";
}

std::vector<ObservedDelivery> read_observed_deliveries(std::string source_name, std::string_view text) {
    auto csv = CsvReader::from_text(std::move(source_name), text);
    const auto id = csv.column("id"), supplier = csv.column("supplier"), route = csv.column("route"),
               recipient = csv.column("recipient"), product = csv.column("product"),
               component = csv.column("component"), date = csv.column("date"), doses = csv.column("doses"),
               source = csv.column("source"), url = csv.column("url");
    std::vector<ObservedDelivery> rows;
    std::set<std::string, std::less<>> ids;
    while (csv.next()) {
        ObservedDelivery row;
        row.line = csv.line();
        row.id = csv.text(id);
        if (row.id.empty()) csv.fail("column 'id' is empty, expected a short unique name");
        if (!ids.insert(row.id).second) csv.fail(fmt::format("id '{}' appears twice; ids must be unique", row.id));
        row.supplier = csv.text(supplier);
        row.recipient = csv.text(recipient);
        for (const auto* code : {&row.supplier, &row.recipient})
            if (!is_country_or_any(*code))
                csv.fail(fmt::format("'{}' is not a country: expected an ISO 3166-1 alpha-3 code (e.g. ARG) or '*'",
                                     *code));
        const auto parsed_route = parse_route(csv.text(route));
        if (!parsed_route)
            csv.fail(fmt::format("column 'route': '{}' is not a route; expected one of sale, donation, covax, "
                                 "domestic, exports, any",
                                 csv.text(route)));
        row.route = *parsed_route;
        row.product = csv.text(product);
        row.component = csv.text(component);
        if (row.product.empty() || row.component.empty())
            csv.fail("columns 'product' and 'component' must name a product (component) or be '*'");
        row.date = csv.date(date);
        row.doses = csv.number(doses);
        if (!(row.doses > 0.0)) csv.fail(fmt::format("column 'doses': {} is not a positive dose count", row.doses));
        row.source = csv.text(source);
        row.url = csv.text(url);
        if (row.source.empty() || row.url.empty())
            csv.fail("columns 'source' and 'url' must name the outlet and date of publication and its address");
        rows.push_back(std::move(row));
    }
    return rows;
}

const std::vector<ObservedDelivery>& embedded_observed_deliveries() {
    static const std::vector<ObservedDelivery> rows = [] {
        const auto text = embedded_file("observed/deliveries.csv");
        if (!text) throw std::runtime_error("embedded table observed/deliveries.csv is missing from this build");
        return read_observed_deliveries("observed/deliveries.csv", *text);
    }();
    return rows;
}

DeliveryComparison compare_deliveries(const fs::path& run_dir, const std::vector<ObservedDelivery>& observed) {
    DeliveryComparison result;
    result.rows.reserve(observed.size());
    for (const auto& row : observed) result.rows.push_back({&row, 0.0, false});

    auto csv = CsvReader::open(run_dir / "deliveries.csv");
    const auto date = csv.column("date"), kind = csv.column("kind"), supplier = csv.column("supplier"),
               recipient = csv.column("recipient"), product = csv.column("product"),
               component = csv.column("component"), doses = csv.column("doses");
    std::optional<Date> first, last;
    while (csv.next()) {
        const Date day = csv.date(date);
        first = first ? std::min(*first, day) : day;
        last = last ? std::max(*last, day) : day;
        const double amount = csv.number(doses);
        const auto row_kind = csv.text(kind), row_supplier = csv.text(supplier), row_recipient = csv.text(recipient),
                   row_product = csv.text(product), row_component = csv.text(component);
        for (auto& row : result.rows) {
            const auto& figure = *row.observed;
            if (day > figure.date || !route_counts(figure.route, row_kind) ||
                !matches(figure.supplier, row_supplier) || !matches(figure.recipient, row_recipient) ||
                !matches(figure.product, row_product) || !matches(figure.component, row_component))
                continue;
            row.simulated += amount;
        }
    }
    std::optional<Span> span = manifest_span(run_dir);
    if (!span && first) span = Span{*first, *last};
    if (!span) {
        result.notes.push_back(fmt::format("{}: no deliveries and no summary.json: nothing to compare",
                                           (run_dir / "deliveries.csv").string()));
        return result;
    }
    for (auto& row : result.rows) {
        row.covered = row.observed->date >= span->start && row.observed->date <= span->end;
        if (!row.covered) {
            result.notes.push_back(fmt::format("{} ({}) lies outside the run ({} to {}): listed, not counted",
                                               row.observed->id, row.observed->date.iso(), span->start.iso(),
                                               span->end.iso()));
            continue;
        }
        ++result.compared;
        if (row.within_25pct()) ++result.within_25pct;
    }
    return result;
}

std::string format_delivery_comparison(const DeliveryComparison& comparison) {
    std::string text = "Deliveries against published figures (cumulative doses by the date; data/observed/deliveries.csv, "
                       "each row with its source)\n";
    text += fmt::format("  {:<30} {:<10} {:>4}->{:<4} {:<16} {:<10} {:>12} {:>12} {:>6}\n", "figure", "route",
                        "from", "to", "product", "date", "published", "simulated", "ratio");
    for (const auto& row : comparison.rows) {
        const auto& figure = *row.observed;
        const std::string product =
            figure.component == "*" ? figure.product : fmt::format("{}/{}", figure.product, figure.component);
        text += fmt::format("  {:<30} {:<10} {:>4}->{:<4} {:<16} {:<10} {:>11.2f}M {:>11.2f}M {:>6} {}\n", figure.id,
                            to_string(figure.route), figure.supplier, figure.recipient, product, figure.date.iso(),
                            figure.doses / 1e6, row.covered ? row.simulated / 1e6 : 0.0,
                            row.covered ? fmt::format("{:.2f}", row.ratio()) : std::string("-"),
                            !row.covered ? "not covered" : row.within_25pct() ? "ok" : "");
    }
    const double share = comparison.compared == 0 ? 0.0
                                                  : 100.0 * static_cast<double>(comparison.within_25pct) /
                                                        static_cast<double>(comparison.compared);
    text += fmt::format("  within 25%: {} of {} figures ({:.0f}%)\n", comparison.within_25pct, comparison.compared,
                        share);
    for (const auto& note : comparison.notes) text += "  " + note + "\n";
    return text;
}

void write_delivery_comparison_csv(const DeliveryComparison& comparison, const fs::path& run_dir) {
    const auto quoted = [](const std::string& text) {
        std::string out = "\"";
        for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    };
    std::string csv = "id,supplier,route,recipient,product,component,date,observed,simulated,ratio,within_25pct,source,"
                      "url\n";
    for (const auto& row : comparison.rows) {
        const auto& figure = *row.observed;
        csv += fmt::format("{},{},{},{},{},{},{},{:.0f},{},{},{},{},{}\n", figure.id, figure.supplier,
                           to_string(figure.route), figure.recipient, figure.product, figure.component,
                           figure.date.iso(), figure.doses,
                           row.covered ? fmt::format("{:.0f}", row.simulated) : std::string(),
                           row.covered ? fmt::format("{:.4f}", row.ratio()) : std::string(),
                           row.covered ? (row.within_25pct() ? "true" : "false") : "", quoted(figure.source),
                           quoted(figure.url));
    }
    write_file_atomically(run_dir / "compare_deliveries.csv", csv);
}

}  // namespace doseflow::output
