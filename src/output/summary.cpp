#include "output/summary.hpp"
#include "engine/run_record.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace doseflow::output {
namespace {

// Totals of the flow metrics the summary reports, in one pass over the recorded points.
struct FlowTotals {
    double produced = 0, administered_dose1 = 0, administered_dose2 = 0, administered_booster = 0, wasted = 0,
           shared = 0;
    std::map<std::string, double> wasted_by_cause;
    std::map<std::int32_t, std::map<std::string, double>> wasted_by_country;  // country -> cause -> doses
};

FlowTotals flow_totals(const Results& results) {
    FlowTotals totals;
    for (const auto& point : results.recorded->series.points()) {
        if (point.kind != MetricKind::flow) continue;
        const auto metric = point.key.metric;
        if (metric == "produced_doses") totals.produced += point.value;
        else if (metric == "administered_dose1") totals.administered_dose1 += point.value;
        else if (metric == "administered_dose2") totals.administered_dose2 += point.value;
        else if (metric == "administered_booster") totals.administered_booster += point.value;
        else if (metric == "shared_doses" && point.key.tag == "given") totals.shared += point.value;
        else if (metric == "wasted_doses") {
            totals.wasted += point.value;
            const std::string cause(point.key.tag);
            totals.wasted_by_cause[cause] += point.value;
            totals.wasted_by_country[point.key.country][cause] += point.value;
        }
    }
    return totals;
}

double total(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

// Deaths (and, with a counterfactual, deaths without vaccination and averted) in calendar 2021 and over the whole
// run, worldwide and per income group, from the daily deaths of both runs.
nlohmann::ordered_json deaths_by_window(const Results& results, const Results* counterfactual,
                                        const std::vector<std::string>& income_order) {
    const World& world = *results.recorded->world;
    const Date start = world.simulation.start;
    struct Window {
        std::string name;
        Date first, last;  // inclusive
    };
    std::vector<Window> windows;
    const Date first_2021 = Date::from_ymd(2021, 1, 1), last_2021 = Date::from_ymd(2021, 12, 31);
    if (start <= last_2021 && world.simulation.end >= first_2021) windows.push_back({"2021", first_2021, last_2021});
    windows.push_back({"whole_run", start, world.simulation.end});
    std::vector<std::string> groups = income_order;
    for (const auto& country : world.countries)
        if (std::find(groups.begin(), groups.end(), country.income_group) == groups.end() &&
            !country.income_group.empty())
            groups.push_back(country.income_group);
    auto group_index = [&](const Country& country) {
        return static_cast<std::size_t>(std::find(groups.begin(), groups.end(), country.income_group) - groups.begin());
    };
    auto sums = [&](const Results& run, const Window& window) {
        std::vector<double> by_group(groups.size() + 1, 0.0);  // last: unclassified
        for (std::size_t day = 0; day < run.daily_deaths.size(); ++day) {
            const Date date = start + static_cast<int>(day);
            if (date < window.first || date > window.last) continue;
            for (std::size_t c = 0; c < run.daily_deaths[day].size(); ++c)
                by_group[group_index(world.countries[c])] += run.daily_deaths[day][c];
        }
        return by_group;
    };
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const Window& window : windows) {
        const auto with = sums(results, window);
        const auto without = counterfactual ? sums(*counterfactual, window) : std::vector<double>{};
        auto entry = [&](double deaths, double deaths_without) {
            nlohmann::ordered_json e{{"deaths", deaths}};
            if (counterfactual) {
                e["deaths_without_vaccination"] = deaths_without;
                e["deaths_averted"] = deaths_without - deaths;
            }
            return e;
        };
        auto& item = out[window.name];
        item["first_day"] = window.first.iso();
        item["last_day"] = window.last.iso();
        item["world"] = entry(total(with), counterfactual ? total(without) : 0.0);
        auto& by_group = item["by_income_group"];
        by_group = nlohmann::ordered_json::object();
        for (std::size_t g = 0; g < groups.size(); ++g)
            by_group[groups[g]] = entry(with[g], counterfactual ? without[g] : 0.0);
    }
    return out;
}

}  // namespace

nlohmann::ordered_json key_figures(const Results& results, const Results* counterfactual) {
    static const std::vector<std::string> income_order = {"Low income", "Lower middle income", "Upper middle income",
                                                          "High income"};
    const World& world = *results.recorded->world;
    nlohmann::ordered_json f;
    auto& doses = f["world_doses"];
    const FlowTotals totals = flow_totals(results);
    doses["produced"] = totals.produced;
    double delivered = 0;
    for (const auto& row : results.recorded->deliveries) delivered += row.doses;
    doses["delivered"] = delivered;
    doses["administered"] = totals.administered_dose1 + totals.administered_dose2 + totals.administered_booster;
    doses["boosters"] = totals.administered_booster;
    doses["wasted"] = totals.wasted;
    doses["shared"] = totals.shared;
    auto& causes = f["wasted_by_cause"];
    causes = nlohmann::ordered_json::object();
    for (const auto& [cause, value] : totals.wasted_by_cause) causes[cause] = value;
    // The countries that wasted most, each with its causes.
    std::vector<std::pair<double, std::int32_t>> ranked;
    for (const auto& [country, by_cause] : totals.wasted_by_country) {
        double sum = 0;
        for (const auto& [cause, value] : by_cause) sum += value;
        ranked.emplace_back(sum, country);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    auto& by_country = f["wasted_by_country"];
    by_country = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) {
        const auto country = ranked[i].second;
        nlohmann::ordered_json row;
        row["country"] = country >= 0 && static_cast<std::size_t>(country) < world.countries.size()
                             ? world.countries[static_cast<std::size_t>(country)].code
                             : std::string("?");
        row["wasted"] = ranked[i].first;
        for (const auto& [cause, value] : totals.wasted_by_country.at(country)) row[cause] = value;
        by_country.push_back(std::move(row));
    }

    // Per supplier: contracted vs delivered (sales, donations, COVAX pledges), by supplying country and by product
    // (the manufacturer a reader names: "Pfizer delivered 80% of what it sold").
    auto contracted_vs_delivered = [&](auto key_of, const char* label) {
        std::map<std::string, std::pair<double, double>> by_key;
        for (const auto& record : results.recorded->contracts.records) {
            if (record.terms.kind == ContractKind::licence) continue;
            auto& entry = by_key[key_of(record.terms)];
            entry.first += record.terms.doses;
            entry.second += record.delivered_doses;
        }
        std::vector<std::pair<std::string, std::pair<double, double>>> rows(by_key.begin(), by_key.end());
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
        auto table = nlohmann::ordered_json::array();
        for (const auto& [key, pair] : rows)
            table.push_back({{label, key}, {"contracted", pair.first}, {"delivered", pair.second},
                             {"delivered_share", pair.first > 0 ? pair.second / pair.first : 0.0}});
        return table;
    };
    f["suppliers"] = contracted_vs_delivered([&](const Contract& c) { return world.country(c.supplier).code; },
                                             "supplier");
    f["products"] = contracted_vs_delivered([&](const Contract& c) { return world.product(c.product).id; },
                                            "product");

    // The ten largest shortfalls (ContractRecord::shortfall_doses: due by the end minus delivered), ranked as the
    // report ranks them.
    std::vector<const ContractRecord*> records;
    for (const auto& record : results.recorded->contracts.records)
        if (record.terms.kind != ContractKind::licence && record.shortfall_doses() > 0.0) records.push_back(&record);
    std::sort(records.begin(), records.end(), [](const ContractRecord* a, const ContractRecord* b) {
        const double sa = a->shortfall_doses(), sb = b->shortfall_doses();
        return sa != sb ? sa > sb : a->terms.id < b->terms.id;
    });
    auto& shortfalls = f["largest_shortfalls"];
    shortfalls = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < records.size() && i < 10; ++i) {
        const auto& r = *records[i];
        shortfalls.push_back({{"contract", r.terms.id},
                              {"supplier", world.country(r.terms.supplier).code},
                              {"recipient", r.terms.recipient.valid() ? world.country(r.terms.recipient).code : "COVAX"},
                              {"product", world.product(r.terms.product).id},
                              {"ordered", r.terms.doses},
                              {"due", r.due_doses},
                              {"delivered", r.delivered_doses},
                              {"shortfall", r.shortfall_doses()},
                              {"status", to_string(r.status)}});
    }

    // Two-component products: component 1 vs component 2 delivered.
    auto& components = f["component_deliveries"];
    components = nlohmann::ordered_json::object();
    for (std::size_t p = 0; p < world.products.size(); ++p) {
        const auto& product = world.products[p];
        if (product.component_count() < 2) continue;
        std::vector<double> delivered_by_component(static_cast<std::size_t>(product.component_count()), 0.0);
        for (const auto& row : results.recorded->deliveries)
            if (row.product.value() == p) delivered_by_component[static_cast<std::size_t>(row.component)] += row.doses;
        auto& item = components[product.id];
        for (std::size_t k = 0; k < delivered_by_component.size(); ++k)
            item[product.components[k]] = delivered_by_component[k];
    }

    double covax = 0;
    for (const auto& row : results.recorded->deliveries)
        if (row.contract.valid() && results.recorded->contracts[row.contract].terms.channel() == ContractKind::covax) covax += row.doses;
    f["covax_delivered"] = covax;

    // People fully vaccinated by income group, poorest first (World Bank groups; others after, by name).
    std::map<std::string, std::pair<double, double>> by_income;
    for (std::size_t c = 0; c < world.countries.size(); ++c) {
        const auto& country = world.countries[c];
        auto& entry = by_income[country.income_group.empty() ? "Unclassified" : country.income_group];
        entry.first += c < results.people_full_by_country.size() ? results.people_full_by_country[c] : 0.0;
        entry.second += country.population();
    }
    auto rank = [&](const std::string& group) {
        const auto at = std::find(income_order.begin(), income_order.end(), group);
        return static_cast<std::size_t>(at - income_order.begin());
    };
    std::vector<std::pair<std::string, std::pair<double, double>>> groups(by_income.begin(), by_income.end());
    std::stable_sort(groups.begin(), groups.end(),
                     [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
    auto& income = f["people_full_by_income_group"];
    income = nlohmann::ordered_json::array();
    for (const auto& [group, pair] : groups)
        income.push_back({{"income_group", group}, {"people_full", pair.first}, {"population", pair.second},
                          {"share", pair.second > 0 ? pair.first / pair.second : 0.0}});

    f["deaths"] = total(results.deaths_by_country);
    if (counterfactual) {
        const double without = total(counterfactual->deaths_by_country);
        f["deaths_without_vaccination"] = without;
        f["deaths_averted"] = without - total(results.deaths_by_country);
    }
    f["deaths_by_window"] = deaths_by_window(results, counterfactual, income_order);
    return f;
}

namespace {
std::string millions(double value) { return fmt::format("{:.1f} M", value / 1e6); }
}  // namespace

std::string format_summary(const nlohmann::ordered_json& f) {
    std::string text;
    const auto& d = f["world_doses"];
    text += fmt::format("World doses: produced {}, delivered {}, administered {}, wasted {}\n",
                        millions(d["produced"].get<double>()), millions(d["delivered"].get<double>()),
                        millions(d["administered"].get<double>()), millions(d["wasted"].get<double>()));
    text += fmt::format("Boosters given: {}; shared before expiry: {}\n", millions(d["boosters"].get<double>()),
                        millions(d["shared"].get<double>()));
    text += "Wasted by cause:";
    for (const auto& [cause, value] : f["wasted_by_cause"].items())
        text += fmt::format(" {} {};", cause, millions(value.get<double>()));
    text += "\nWasted, largest countries:";
    for (const auto& row : f["wasted_by_country"])
        text += fmt::format(" {} {};", row["country"].get<std::string>(), millions(row["wasted"].get<double>()));
    text += "\n";
    auto delivered_vs_contracted = [&](const char* title, const char* label, int limit) {
        text += title;
        int shown = 0;
        for (const auto& s : f[std::string(label) + "s"]) {
            if (shown++ == limit) break;
            text += fmt::format("  {:<14} {:>10} / {:>10}  ({:.0f}%)\n", s[label].get<std::string>(),
                                millions(s["delivered"].get<double>()), millions(s["contracted"].get<double>()),
                                100 * s["delivered_share"].get<double>());
        }
    };
    delivered_vs_contracted("Delivered / contracted, by product (sales, donations, COVAX):\n", "product", 10);
    delivered_vs_contracted("Delivered / contracted, by supplying country (largest 8):\n", "supplier", 8);
    text += "Largest shortfalls (contract: ordered, due by the end, delivered, shortfall = due - delivered, status):\n";
    for (const auto& s : f["largest_shortfalls"])
        text += fmt::format("  {:<30} {:>10} {:>10} {:>10} {:>10}  {}\n", s["contract"].get<std::string>(),
                            millions(s["ordered"].get<double>()), millions(s["due"].get<double>()),
                            millions(s["delivered"].get<double>()), millions(s["shortfall"].get<double>()),
                            s["status"].get<std::string>());
    for (const auto& [product, components] : f["component_deliveries"].items()) {
        text += fmt::format("{} delivered by component (all routes, home programme included):", product);
        for (const auto& [name, value] : components.items()) text += fmt::format(" {} {}", name, millions(value.get<double>()));
        text += "\n";
    }
    text += fmt::format("COVAX delivered: {}\n", millions(f["covax_delivered"].get<double>()));
    text += "Fully vaccinated by income group:";
    for (const auto& g : f["people_full_by_income_group"])
        text += fmt::format(" {} {:.0f}%;", g["income_group"].get<std::string>(), 100 * g["share"].get<double>());
    text += "\n";
    text += fmt::format("Deaths: {}", millions(f["deaths"].get<double>()));
    if (f.contains("deaths_averted"))
        text += fmt::format(" (averted by vaccination: {})", millions(f["deaths_averted"].get<double>()));
    text += "\n";
    if (!f.contains("deaths_by_window")) return text;
    for (const auto& [window, item] : f["deaths_by_window"].items()) {
        text += fmt::format("Deaths {} ({} to {}):", window == "whole_run" ? "over the run" : "in " + window,
                            item["first_day"].get<std::string>(), item["last_day"].get<std::string>());
        auto line = [&](const std::string& label, const nlohmann::ordered_json& e) {
            text += fmt::format(" {} {}", label, millions(e["deaths"].get<double>()));
            if (e.contains("deaths_averted"))
                text += fmt::format(" (averted {})", millions(e["deaths_averted"].get<double>()));
            text += ";";
        };
        line("world", item["world"]);
        for (const auto& [group, e] : item["by_income_group"].items()) line(group, e);
        text += "\n";
    }
    if (f.contains("deaths_averted"))
        text += "Deaths averted = deaths of the same scenario run without any vaccination, with the same transmission "
                "path and variants (the convention of published estimates of vaccine impact), minus the run's deaths.\n";
    return text;
}

}  // namespace doseflow::output
