#include "output/report_charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "core/embedded.hpp"
#include "doseflow/scenario.hpp"

namespace doseflow::output::report {
namespace {

// Readability limits of the charts: more lines or bars than this cannot be told apart by colour or label.
constexpr std::size_t top_supplier_count = 8;
constexpr std::size_t diplomacy_supplier_count = 6;
constexpr std::size_t shortfall_count = 10;
constexpr std::size_t featured_recipient_count = 15;
constexpr std::size_t figure_row_limit = 300;
constexpr int chart_width_px = 720;
constexpr int chart_height_px = 300;
constexpr std::string_view other_suppliers = "other";
constexpr std::string_view unknown_income_group = "unclassified";

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
    if (*end - *start > max_simulated_span_days)
        throw std::runtime_error(fmt::format("the run spans {} to {}, more than a run may cover (30 years): not a "
                                             "run directory doseflow wrote",
                                             start->iso(), end->iso()));
    return {*start, std::max(*start, *end)};
}

// The first week the timelines show: orders signed and doses delivered before it count from it (five years before
// the run: a contract signed earlier still shows, and a date centuries off cannot make a chart of centuries).
Date earliest_week(const RunSpan& span) { return (span.start - 5 * 366).week_start(); }

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
    const Date earliest = earliest_week(span);
    for (const auto& row : contracts)
        ordered_weekly[supplier_group(row.supplier, shown)]
                      [std::max(row.signed_on.value_or(span.start).week_start(), earliest)] += row.ordered_doses;
    for (const auto& [supplier, weekly] : deliveries.weekly_by_supplier)
        for (const auto& [week, doses] : weekly)
            delivered_weekly[supplier_group(supplier, shown)][std::max(week, earliest)] += doses;

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

// A section for a product the scenario features (report.featured_products): its components delivered, cumulative,
// and per recipient.
void add_featured_product_charts(PageBuilder& page, const FeaturedProduct& featured,
                                 const std::vector<ContractRow>& contracts, const DeliveryTotals& deliveries,
                                 const RunSpan& span) {
    page.open_section(featured.anchor, featured.title + ": component 1 against component 2", featured.note);
    const auto delivered = deliveries.featured.find(featured.product);
    if (delivered == deliveries.featured.end() || delivered->second.weekly.empty()) {
        page.note(fmt::format("No {} (product {}) was delivered in this run.", featured.title, featured.product));
        page.close_section();
        return;
    }
    const ComponentDeliveries& by_component = delivered->second;
    // Components in the order of their first delivery: component 1 ships first.
    std::vector<std::string> components;
    for (const auto& [name, _] : by_component.weekly) components.push_back(name);
    std::stable_sort(components.begin(), components.end(), [&](const std::string& a, const std::string& b) {
        return by_component.first_delivery.at(a) <
               by_component.first_delivery.at(b);
    });
    Json rows = Json::array();
    Json legend = Json::array();
    const Date first = std::max(by_component.first_delivery.at(components.front()).week_start(), earliest_week(span));
    for (std::size_t i = 0; i < components.size(); ++i) {
        const std::string label =
            components[i].empty() ? fmt::format("component {}", i + 1)
                                  : fmt::format("component {} ({})", i + 1, components[i]);
        legend.push_back(label);
        const auto& weekly = by_component.weekly.at(components[i]);
        double cumulative = 0.0;  // deliveries before the first week shown count from it
        for (auto at = weekly.begin(); at != weekly.end() && at->first < first; ++at) cumulative += at->second;
        for (const Date week : weeks_between(first, span.end)) {
            if (const auto at = weekly.find(week); at != weekly.end()) cumulative += at->second;
            rows.push_back(Json{{"week", week.iso()}, {"component", label}, {"doses", doses_value(cumulative)}});
        }
    }
    Json spec = base_spec(featured.title + " doses delivered, cumulative, by component",
                          featured.anchor + "_components", std::move(rows));
    spec["mark"] = Json{{"type", "line"}, {"interpolate", "step-after"}};
    spec["encoding"] = Json{{"x", week_axis()},
                            {"y", doses_axis("doses delivered (cumulative)")},
                            {"color", {{"field", "component"}, {"type", "nominal"}, {"sort", legend},
                                       {"title", nullptr}}},
                            {"tooltip", Json::array({Json{{"field", "component"}},
                                                     Json{{"field", "week"}, {"type", "temporal"}},
                                                     Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-" + featured.anchor + "-components", std::move(spec));

    std::map<std::string, std::pair<double, double>> by_recipient;
    for (const auto& row : contracts) {
        if (row.product != featured.product) continue;
        auto& cell = by_recipient[row.recipient.empty() ? "COVAX" : row.recipient];
        cell.first += row.delivered_component_1;
        cell.second += row.delivered_component_2;
    }
    std::vector<std::pair<std::string, std::pair<double, double>>> ranked(by_recipient.begin(), by_recipient.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    if (ranked.size() > featured_recipient_count) ranked.resize(featured_recipient_count);
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
        fmt::format("{} components delivered per recipient (largest {})", featured.title, ranked.size()),
        featured.anchor + "_recipients", std::move(bars));
    per_recipient["mark"] = "bar";
    per_recipient["encoding"] = Json{
        {"x", {{"field", "recipient"}, {"type", "nominal"}, {"sort", order}}},
        {"xOffset", {{"field", "component"}}},
        {"y", doses_axis("doses delivered")},
        {"color", {{"field", "component"}, {"type", "nominal"}, {"title", nullptr}}},
        {"tooltip", Json::array({Json{{"field", "recipient"}}, Json{{"field", "component"}},
                                 Json{{"field", "doses"}, {"format", ","}}})}};
    page.chart("chart-" + featured.anchor + "-recipients", std::move(per_recipient));
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
    } catch (const Json::exception& error) {
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

}  // namespace

std::string web_asset(std::string_view name) {
    const auto contents = embedded_file(name);
    if (!contents)
        throw std::runtime_error(fmt::format(
            "{} is not embedded in this build: run scripts/install-deps (npm install) and rebuild", name));
    return std::string(*contents);
}

ReportPage build_report_page(const ReportInputs& inputs) {
    const Json& manifest = inputs.summary["manifest"];
    const auto countries = embedded_countries();
    const RunSpan span = run_span(manifest, inputs.timeseries, inputs.deliveries);
    PageBuilder page;
    add_supplier_charts(page, inputs.contracts, inputs.deliveries, span);
    add_shortfalls(page, inputs.contracts);
    for (const auto& featured : inputs.featured)
        add_featured_product_charts(page, featured, inputs.contracts, inputs.deliveries, span);
    add_coverage_charts(page, inputs.timeseries, span, countries);
    add_covax_chart(page, inputs.deliveries);
    add_diplomacy_charts(page, inputs.diplomacy, inputs.contracts);
    add_deaths_charts(page, inputs.timeseries, inputs.summary, countries);
    add_events_chart(page, inputs.event_counts);
    add_figures_table(page, inputs.summary);
    return {std::move(page), span};
}

}  // namespace doseflow::output::report
