#include "output/report_inputs.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

namespace doseflow::output::report {
namespace {

namespace fs = std::filesystem;

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
    } catch (const Json::exception& error) {  // a syntax error, or a number beyond a double's range
        throw std::runtime_error(fmt::format("{}: malformed JSON: {}", path.string(), error.what()));
    }
    if (!summary.is_object() || !summary.contains("manifest") || !summary["manifest"].is_object())
        throw std::runtime_error(fmt::format("{}: expected an object with a \"manifest\" object", path.string()));
    if (summary.contains("figures") && !summary["figures"].is_object())
        throw std::runtime_error(fmt::format("{}: \"figures\" must be an object", path.string()));
    return summary;
}

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

DeliveryTotals read_deliveries(const fs::path& path, const std::vector<FeaturedProduct>& featured) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), kind = csv.column("kind"), supplier = csv.column("supplier"),
               product = csv.column("product"), component = csv.column("component"), doses = csv.column("doses");
    const auto contract = csv.column("contract");
    csv.column("recipient");
    DeliveryTotals totals;
    std::set<std::string, std::less<>> featured_products;
    for (const auto& entry : featured) featured_products.insert(entry.product);
    while (csv.next()) {
        const Date day = csv.date(date);
        const double amount = csv.number(doses);
        const Date week = day.week_start();
        totals.first = totals.first ? std::min(*totals.first, day) : day;
        totals.last = totals.last ? std::max(*totals.last, day) : day;
        // A supplier's own programme is no promise to anyone: only contracted deliveries are compared.
        if (csv.text(contract).empty() || csv.text(kind) == "domestic") continue;
        totals.weekly_by_supplier[std::string(csv.text(supplier))][week] += amount;
        if (const auto at_product = featured_products.find(csv.text(product)); at_product != featured_products.end()) {
            ComponentDeliveries& by_component = totals.featured[*at_product];
            const std::string name(csv.text(component));
            by_component.weekly[name][week] += amount;
            auto [at, inserted] = by_component.first_delivery.emplace(name, day);
            if (!inserted) at->second = std::min(at->second, day);
        }
        if (csv.text(kind) == "covax") totals.covax_weekly_by_product[std::string(csv.text(product))][week] += amount;
    }
    return totals;
}

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

}  // namespace

ReportInputs read_report_inputs(const fs::path& run_dir) {
    const RunPaths paths = run_paths(run_dir);
    ReportInputs inputs;
    inputs.summary = read_summary(paths.summary);
    inputs.featured = read_run_scenario(run_dir).featured_products;
    inputs.contracts = read_contracts(paths.contracts);
    inputs.deliveries = read_deliveries(paths.deliveries, inputs.featured);
    inputs.timeseries = read_timeseries(paths.timeseries);
    inputs.diplomacy = read_diplomacy(paths.diplomacy);
    inputs.event_counts = read_event_counts(paths.events);
    return inputs;
}

}  // namespace doseflow::output::report
