#include "output/compare.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "core/date.hpp"
#include "output/run_scenario.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;

// OWID reports on irregular days: a month-end value is interpolated between the reports either side when both
// lie within a month of it; after a country's last report only a report at most a week old stands in (weekly
// reporting was the common minimum; OWID's own 7-day smoothing uses the same span).
constexpr int max_bracket_days = 31;
constexpr int max_report_age_days = 7;

constexpr std::string_view people_metrics[] = {"people_dose1", "people_full"};

constexpr std::string_view embedded_observed_source =
    "tables embedded from data/observed: the month-end reports of OWID's vaccinations.csv and "
    "vaccinations-by-manufacturer.csv";

// ------------------------------------------------------------------------------------------------ the run

struct SimulatedRun {
    std::map<std::string, double> population;                 // first value of the `population` metric
    std::map<std::string, CountrySeries> people;              // metric -> per-country levels
    std::map<std::pair<std::string, std::string>, DatedValues> doses;  // (country, product) -> doses per period
    std::map<std::string, DatedValues> all_doses, boosters;   // country -> doses (boosters) of every product per period
    std::set<std::string> products;                           // products with administered rows
    std::set<std::string> countries;
    std::set<Date> dates;
};

SimulatedRun read_simulated_run(const fs::path& path) {
    auto csv = CsvReader::open(path);
    const auto date = csv.column("date"), country = csv.column("country"), product = csv.column("product"),
               component = csv.column("component"), metric = csv.column("metric"), value = csv.column("value");
    SimulatedRun run;
    std::map<std::string, Date> population_date;
    std::string code;
    while (csv.next()) {
        const Date day = csv.date(date);
        run.dates.insert(day);
        const std::string_view name = csv.text(metric);
        const bool is_people = name == "people_dose1" || name == "people_full";
        // Every dose given, boosters included: OWID's doses by manufacturer count them all.
        const bool is_doses =
            name == "administered_dose1" || name == "administered_dose2" || name == "administered_booster";
        if (!is_people && !is_doses && name != "population") continue;
        if (csv.text(country).empty() || !csv.text(component).empty()) continue;  // world rows; component splits
        const auto amount = csv.optional_number(value);
        if (!amount) continue;
        code.assign(csv.text(country));
        run.countries.insert(code);
        const std::string_view product_id = csv.text(product);
        if (is_people) {
            run.people[std::string(name)].add(code, !product_id.empty(), day, *amount);
        } else if (is_doses) {
            if (product_id.empty()) continue;  // a total over products says nothing per manufacturer
            run.products.emplace(product_id);
            run.doses[{code, std::string(product_id)}][day] += *amount;
            run.all_doses[code][day] += *amount;
            if (name == "administered_booster") run.boosters[code][day] += *amount;
        } else if (product_id.empty()) {
            const auto [at, inserted] = population_date.emplace(code, day);
            if (inserted || day < at->second) {
                at->second = day;
                run.population[code] = *amount;
            }
        }
    }
    if (run.dates.empty()) csv.fail("no rows: the run has no timeseries to compare");
    return run;
}

// A simulated series as (end of period, value) points: with weekly output a row dated at a period's first day
// holds the level at its last day (flows: the period's sum), so the value belongs to the period's end.
struct Periods {
    int length_days = 1;
    Date last_day;  // the run's last day
    Date end_of(Date period_start) const { return std::min(period_start + (length_days - 1), last_day); }
};

Periods detect_periods(const std::set<Date>& dates) {
    Periods periods;
    int shortest = 0;
    for (auto it = dates.begin(), next = std::next(dates.begin()); next != dates.end(); ++it, ++next)
        shortest = shortest == 0 ? (*next - *it) : std::min(shortest, *next - *it);
    periods.length_days = std::max(1, shortest);
    periods.last_day = *dates.rbegin() + (periods.length_days - 1);
    return periods;
}

// Linear interpolation at `day` over points (date -> value); nullopt outside their range.
std::optional<double> interpolate(const DatedValues& points, Date day) {
    const auto after = points.lower_bound(day);
    if (after != points.end() && after->first == day) return after->second;
    if (after == points.end() || after == points.begin()) return std::nullopt;
    const auto before = std::prev(after);
    const double span = after->first - before->first;
    return before->second + (after->second - before->second) * (day - before->first) / span;
}

DatedValues level_points(const DatedValues& rows, const Periods& periods) {
    DatedValues points;
    for (const auto& [start, value] : rows) points[periods.end_of(start)] = value;
    return points;
}

// Cumulative doses at each period end, starting from 0 the day before the first period. A period without a row
// gave nothing (flows are written only where they are not zero), so the total holds flat across it: each row also
// sets the total so far at the day before its period, and a product first given months into the run does not
// ramp up from the run's first day.
DatedValues cumulative_points(const DatedValues& rows, const Periods& periods, Date first_day) {
    DatedValues points{{first_day - 1, 0.0}};
    double total = 0.0;
    for (const auto& [start, value] : rows) {
        points.emplace(start - 1, total);
        total += value;
        points[periods.end_of(start)] = total;
    }
    return points;
}

// ------------------------------------------------------------------------------------------- observed data

using ObservedSeries = std::map<std::string, DatedValues>;  // country -> date -> cumulative value

bool is_owid_aggregate(std::string_view iso_code) { return iso_code.empty() || iso_code.starts_with("OWID_"); }

struct ObservedPeople {
    std::map<std::string, ObservedSeries> by_metric;  // people_dose1 / people_full -> series
    std::unordered_map<std::string, std::string> iso_by_location;
};

ObservedPeople read_observed_people(CsvReader csv) {
    const auto location = csv.column("location"), iso_code = csv.column("iso_code"), date = csv.column("date"),
               people_vaccinated = csv.column("people_vaccinated"),
               people_fully_vaccinated = csv.column("people_fully_vaccinated");
    ObservedPeople observed;
    while (csv.next()) {
        const std::string iso(csv.text(iso_code));
        observed.iso_by_location.emplace(csv.text(location), iso);
        if (is_owid_aggregate(iso)) continue;  // World, continents, income groups, England, ...
        const Date day = csv.date(date);
        // Empty means "not reported that day", never zero (OWID README).
        if (const auto value = csv.optional_number(people_vaccinated)) observed.by_metric["people_dose1"][iso][day] = *value;
        if (const auto value = csv.optional_number(people_fully_vaccinated))
            observed.by_metric["people_full"][iso][day] = *value;
    }
    return observed;
}

void read_location_codes(CsvReader csv, std::unordered_map<std::string, std::string>& iso_by_location) {
    const auto location = csv.column("location"), iso_code = csv.column("iso_code");
    while (csv.next()) iso_by_location.emplace(csv.text(location), csv.text(iso_code));
}

struct ObservedDoses {
    std::map<std::pair<std::string, std::string>, DatedValues> by_country_product;
    std::set<std::string> unmodelled_vaccines, unknown_locations;
};

// `product_by_observed_name`: the run's products by their observed_name (output/run_scenario.hpp).
ObservedDoses read_observed_doses(CsvReader csv, const std::unordered_map<std::string, std::string>& iso_by_location,
                                  const std::map<std::string, std::string, std::less<>>& product_by_observed_name) {
    const auto location = csv.column("location"), date = csv.column("date"), vaccine = csv.column("vaccine"),
               total = csv.column("total_vaccinations");
    ObservedDoses observed;
    while (csv.next()) {
        const auto product = product_by_observed_name.find(csv.text(vaccine));
        if (product == product_by_observed_name.end()) {
            observed.unmodelled_vaccines.emplace(csv.text(vaccine));
            continue;
        }
        const auto iso = iso_by_location.find(std::string(csv.text(location)));
        if (iso == iso_by_location.end()) {
            observed.unknown_locations.emplace(csv.text(location));
            continue;
        }
        if (is_owid_aggregate(iso->second)) continue;  // European Union
        const auto value = csv.optional_number(total);
        if (!value) continue;
        observed.by_country_product[{iso->second, product->second}][csv.date(date)] += *value;
    }
    return observed;
}

// The observed cumulative value at a month end (see max_bracket_days, max_report_age_days).
std::optional<double> observed_at(const DatedValues& reports, Date day) {
    const auto after = reports.lower_bound(day);
    if (after != reports.end() && after->first == day) return after->second;
    if (after == reports.begin()) return std::nullopt;
    const auto before = std::prev(after);
    if (after != reports.end() && day - before->first <= max_bracket_days && after->first - day <= max_bracket_days)
        return interpolate(reports, day);
    if (day - before->first <= max_report_age_days) return before->second;
    return std::nullopt;
}

// ------------------------------------------------------------------------------------------------ comparing

struct Comparison {
    std::string country, metric;
    Date month_end;
    double simulated_pct = 0.0, observed_pct = 0.0;
    double population = 0.0;
    double error() const { return simulated_pct - observed_pct; }
};

std::vector<Date> month_ends_between(Date first, Date last) {
    std::vector<Date> ends;
    for (Date end = month_end(first); end <= last; end = month_end(end + 1)) ends.push_back(end);
    return ends;
}

void compare_series(const std::string& country, const std::string& metric, const DatedValues& simulated_points,
                    const DatedValues& observed_reports, double population, const std::vector<Date>& month_ends,
                    std::vector<Comparison>& out) {
    for (const Date end : month_ends) {
        const auto simulated = interpolate(simulated_points, end);
        const auto observed = observed_at(observed_reports, end);
        if (!simulated || !observed) continue;
        out.push_back({country, metric, end, 100.0 * *simulated / population, 100.0 * *observed / population,
                       population});
    }
}

double mean_absolute_error(const std::vector<const Comparison*>& items) {
    double sum = 0.0;
    for (const auto* item : items) sum += std::abs(item->error());
    return items.empty() ? 0.0 : sum / static_cast<double>(items.size());
}

std::vector<ComparisonRow> summarise(std::vector<Comparison> detail) {
    std::sort(detail.begin(), detail.end(), [](const Comparison& a, const Comparison& b) {
        return std::tie(a.country, a.metric, a.month_end) < std::tie(b.country, b.metric, b.month_end);
    });
    std::vector<ComparisonRow> rows;
    std::map<std::pair<std::string, std::string>, std::vector<const Comparison*>> by_country, by_month;
    std::map<std::string, std::vector<const Comparison*>> by_metric;
    std::map<std::pair<std::string, Date>, std::array<double, 3>> world;  // simulated, observed people; persons
    for (const auto& item : detail) {
        rows.push_back({item.country, item.metric, item.month_end.iso(), item.simulated_pct, item.observed_pct,
                        item.error()});
        by_country[{item.metric, item.country}].push_back(&item);
        by_month[{item.metric, item.month_end.iso()}].push_back(&item);
        by_metric[item.metric].push_back(&item);
        auto& cell = world[{item.metric, item.month_end}];
        cell[0] += item.simulated_pct * item.population;
        cell[1] += item.observed_pct * item.population;
        cell[2] += item.population;
    }
    std::vector<ComparisonRow> country_means;
    for (const auto& [key, items] : by_country)
        country_means.push_back({key.second, key.first, "all", std::nullopt, std::nullopt, mean_absolute_error(items)});
    std::sort(country_means.begin(), country_means.end(), [](const ComparisonRow& a, const ComparisonRow& b) {
        return std::tie(a.country, a.metric) < std::tie(b.country, b.metric);
    });
    rows.insert(rows.end(), country_means.begin(), country_means.end());
    for (const auto& [key, items] : by_month)
        rows.push_back({"all", key.first, key.second, std::nullopt, std::nullopt, mean_absolute_error(items)});
    for (const auto& [metric, items] : by_metric)
        rows.push_back({"all", metric, "all", std::nullopt, std::nullopt, mean_absolute_error(items)});
    for (const auto& [key, cell] : world) {
        const double simulated = cell[0] / cell[2], observed = cell[1] / cell[2];
        rows.push_back({"world", key.first, key.second.iso(), simulated, observed, simulated - observed});
    }
    return rows;
}

std::string join_limited(const std::set<std::string>& items, std::size_t limit) {
    std::string out;
    std::size_t count = 0;
    for (const auto& item : items) {
        if (count++ == limit) return out + fmt::format(", and {} more", items.size() - limit);
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

std::string format_optional(const std::optional<double>& value) {
    return value ? fmt::format("{:.4f}", *value) : std::string();
}

bool is_group(const ComparisonRow& row) { return row.country.starts_with("OWID_"); }

bool is_detail(const ComparisonRow& row) {
    return row.country != "all" && row.country != "world" && row.month_end != "all" && !is_group(row);
}

// OWID's aggregates (data/observed/vaccination_groups.csv): the world and the World Bank income groups.
struct Group {
    std::string_view code, name;  // OWID's code; the name in the table and in data/tables/countries.csv
};
constexpr Group groups[] = {{"OWID_WRL", "World"},
                            {"OWID_HIC", "High income"},
                            {"OWID_UMC", "Upper middle income"},
                            {"OWID_LMC", "Lower middle income"},
                            {"OWID_LIC", "Low income"}};
// Metrics of the aggregate comparison: the table's column, per 100 people.
constexpr std::pair<std::string_view, std::string_view> group_metrics[] = {
    {"people_dose1", "people_dose1_per_100"},
    {"people_full", "people_full_per_100"},
    {"doses", "doses_per_100"},
    {"boosters", "boosters_per_100"}};

// The run's countries pooled by OWID aggregate (persons, or doses, per 100 people of the group's countries in the
// run) against OWID's figure for the aggregate, at each month end both have.
std::vector<ComparisonRow> compare_groups(const SimulatedRun& run, const Periods& periods, Date first_day,
                                          const std::map<std::string, double>& persons,
                                          const std::vector<Date>& month_ends) {
    std::map<std::tuple<std::string, std::string, std::string>, double> table;
    auto csv = embedded_table("observed/vaccination_groups.csv");
    const auto group_column = csv.column("group"), end_column = csv.column("month_end");
    std::vector<std::pair<std::string_view, std::size_t>> columns;
    for (const auto& [metric, column] : group_metrics) columns.emplace_back(metric, csv.column(std::string(column)));
    while (csv.next())
        for (const auto& [metric, column] : columns)
            if (const auto value = csv.optional_number(column))
                table[{std::string(csv.text(group_column)), std::string(metric), std::string(csv.text(end_column))}] =
                    *value;
    // Each country's value at each month end, per metric (absent where the run has no value).
    std::map<std::pair<std::string, std::string>, DatedValues> at_end;  // (metric, country) -> month end -> value
    for (const auto& [metric, _] : group_metrics) {
        const bool people_metric = metric == "people_dose1" || metric == "people_full";
        const auto by_metric = people_metric ? run.people.find(std::string(metric)) : run.people.end();
        const auto resolved = by_metric != run.people.end() ? by_metric->second.resolved()
                                                            : std::map<std::string, DatedValues>{};
        for (const auto& [country, _count] : persons) {
            DatedValues points;
            if (people_metric) {
                const auto series = resolved.find(country);
                if (series == resolved.end()) continue;
                points = level_points(series->second, periods);
            } else {
                const auto& source = metric == "doses" ? run.all_doses : run.boosters;
                const auto series = source.find(country);
                if (series != source.end()) points = cumulative_points(series->second, periods, first_day);
            }
            auto& values = at_end[{std::string(metric), country}];
            for (const Date end : month_ends) {
                const auto value = points.empty() && !people_metric ? std::optional<double>(0.0)
                                                                      : interpolate(points, end);
                if (value) values[end] = *value;
            }
        }
    }
    const auto countries = embedded_countries();
    std::vector<ComparisonRow> rows;
    for (const auto& group : groups) {
        for (const auto& [metric, _] : group_metrics) {
            for (const Date end : month_ends) {
                const auto reported = table.find({std::string(group.name), std::string(metric), end.iso()});
                if (reported == table.end()) continue;
                double amount = 0.0, people = 0.0;
                for (const auto& [country, count] : persons) {
                    const auto info = countries.find(country);
                    if (group.code != "OWID_WRL" && (info == countries.end() || info->second.income_group != group.name))
                        continue;
                    const auto values = at_end.find({std::string(metric), country});
                    if (values == at_end.end()) continue;
                    const auto value = values->second.find(end);
                    if (value == values->second.end()) continue;
                    amount += value->second;
                    people += count;
                }
                if (people <= 0.0) continue;
                const double simulated = 100.0 * amount / people;
                rows.push_back({std::string(group.code), std::string(metric), end.iso(), simulated, reported->second,
                                simulated - reported->second});
            }
        }
    }
    return rows;
}

}  // namespace

CompareResult compare_with_observed(const fs::path& run_dir, const std::optional<fs::path>& observed_dir) {
    if (observed_dir && !fs::is_regular_file(*observed_dir / "vaccinations.csv"))
        throw std::runtime_error(fmt::format(
            "observed vaccination data not found: {} does not exist; pass --observed DIR, a folder holding Our "
            "World in Data's vaccinations.csv (and optionally vaccinations-by-manufacturer.csv), e.g. "
            "../shared/data/owid, or leave --observed out to use the tables embedded in doseflow",
            (*observed_dir / "vaccinations.csv").string()));
    const fs::path timeseries = run_dir / "timeseries.csv";
    if (!fs::is_regular_file(timeseries))
        throw std::runtime_error(fmt::format("{}: missing from the run directory", timeseries.string()));

    CompareResult result;
    result.run_dir = run_dir;
    result.observed_source = observed_dir ? observed_dir->string() : std::string(embedded_observed_source);
    const SimulatedRun run = read_simulated_run(timeseries);
    const Periods periods = detect_periods(run.dates);
    const auto population = resolve_population({run.countries.begin(), run.countries.end()}, run.population,
                                               embedded_countries());
    if (!population.missing.empty())
        result.notes.push_back(fmt::format("left out, no population known: {}",
                                           join_limited({population.missing.begin(), population.missing.end()}, 20)));
    const Date first_day = *run.dates.begin();
    const auto month_ends = month_ends_between(periods.end_of(first_day), periods.last_day);
    if (month_ends.empty())
        result.notes.push_back(fmt::format("the run ({} to {}) contains no whole month end", first_day.iso(),
                                           periods.last_day.iso()));

    ObservedPeople observed = read_observed_people(observed_dir ? CsvReader::open(*observed_dir / "vaccinations.csv")
                                                                : embedded_table("observed/vaccinations.csv"));
    std::vector<Comparison> detail;
    for (const auto metric : people_metrics) {
        const auto simulated = run.people.contains(std::string(metric))
                                   ? run.people.at(std::string(metric)).resolved()
                                   : std::map<std::string, DatedValues>{};
        const auto& reports = observed.by_metric[std::string(metric)];
        for (const auto& [country, persons] : population.persons) {
            const auto reported = reports.find(country);
            const auto series = simulated.find(country);
            if (reported == reports.end() || series == simulated.end()) continue;
            compare_series(country, std::string(metric), level_points(series->second, periods), reported->second,
                           persons, month_ends, detail);
        }
    }
    std::set<std::string> not_observed;
    for (const auto& [country, _] : population.persons)
        if (!observed.by_metric["people_dose1"].contains(country) && !observed.by_metric["people_full"].contains(country))
            not_observed.insert(country);
    if (!not_observed.empty())
        result.notes.push_back(fmt::format("no OWID reports for: {}", join_limited(not_observed, 20)));

    const fs::path by_manufacturer = observed_dir ? *observed_dir / "vaccinations-by-manufacturer.csv" : fs::path();
    if (observed_dir && !fs::is_regular_file(by_manufacturer)) {
        result.notes.push_back(fmt::format("{} not found: doses by manufacturer not compared", by_manufacturer.string()));
    } else {
        if (const fs::path locations = observed_dir ? *observed_dir / "locations.csv" : fs::path();
            observed_dir && fs::is_regular_file(locations))
            read_location_codes(CsvReader::open(locations), observed.iso_by_location);
        const ObservedDoses doses = read_observed_doses(
            observed_dir ? CsvReader::open(by_manufacturer) : embedded_table("observed/vaccinations_by_manufacturer.csv"),
            observed.iso_by_location, read_run_scenario(run_dir).product_by_observed_name);
        std::set<std::string> unsimulated;
        for (const auto& [key, reports] : doses.by_country_product) {
            const auto& [country, product] = key;
            const auto persons = population.persons.find(country);
            if (persons == population.persons.end()) continue;
            if (!run.products.contains(product)) {
                unsimulated.insert(product);
                continue;
            }
            const auto series = run.doses.find(key);
            const DatedValues none;
            compare_series(country, "doses_" + product,
                           cumulative_points(series == run.doses.end() ? none : series->second, periods, first_day),
                           reports, persons->second, month_ends, detail);
        }
        if (std::any_of(detail.begin(), detail.end(), [](const Comparison& item) { return item.metric.starts_with("doses_"); }))
            result.notes.push_back("doses_* count every dose given, boosters included, as OWID's doses by "
                                   "manufacturer do");
        if (!doses.unmodelled_vaccines.empty())
            result.notes.push_back(fmt::format("OWID vaccines without a doseflow product, not compared: {}",
                                               join_limited(doses.unmodelled_vaccines, 20)));
        if (!unsimulated.empty())
            result.notes.push_back(fmt::format("products reported by OWID but not given in this run, not compared: {}",
                                               join_limited(unsimulated, 20)));
        if (!doses.unknown_locations.empty())
            result.notes.push_back(fmt::format("OWID manufacturer locations without an ISO code, not compared: {}",
                                               join_limited(doses.unknown_locations, 20)));
    }
    if (detail.empty())
        result.notes.push_back("no country and month end had both simulated and observed values");
    result.rows = summarise(std::move(detail));
    const auto group_rows = compare_groups(run, periods, first_day, population.persons, month_ends);
    result.rows.insert(result.rows.end(), group_rows.begin(), group_rows.end());
    return result;
}

std::string format_comparison(const CompareResult& result, std::size_t top_count) {
    std::string text = fmt::format("Run {} against observed vaccinations ({})\n", result.run_dir.string(),
                                   result.observed_source);
    text += "Data: Our World in Data, COVID-19 vaccinations (github.com/owid/covid-19-data), CC BY 4.0.\n\n";
    text += "Mean absolute error (percentage points of population; doses_*: doses per 100 people)\n";
    std::map<std::string, std::pair<std::size_t, std::set<std::string>>> counts;
    for (const auto& row : result.rows)
        if (is_detail(row)) {
            ++counts[row.metric].first;
            counts[row.metric].second.insert(row.country);
        }
    for (const auto& row : result.rows)
        if (row.country == "all" && row.month_end == "all")
            text += fmt::format("  {:<22} {:>8.2f}   over {} country-months, {} countries\n", row.metric, row.error_pp,
                                counts[row.metric].first, counts[row.metric].second.size());

    std::map<std::string, const ComparisonRow*> last_world;
    for (const auto& row : result.rows)
        if (row.country == "world") last_world[row.metric] = &row;  // rows ascend by month
    if (!last_world.empty()) {
        text += "\nCountries compared, taken together (population-weighted)\n";
        text += fmt::format("  {:<22} {:>10} {:>10} {:>10} {:>10}\n", "metric", "month end", "simulated", "observed",
                            "error");
        for (const auto& [metric, row] : last_world)
            text += fmt::format("  {:<22} {:>10} {:>10.2f} {:>10.2f} {:>+10.2f}\n", metric, row->month_end,
                                row->simulated.value_or(0.0), row->observed.value_or(0.0), row->error_pp);
    }

    // The aggregates at the last month end compared.
    std::string last_group_end;
    for (const auto& row : result.rows)
        if (is_group(row)) last_group_end = std::max(last_group_end, row.month_end);
    if (!last_group_end.empty()) {
        text += fmt::format("\nAgainst OWID's aggregates at {} (per 100 people: the run's countries of each World Bank "
                            "income group pooled)\n  {:<10} {:<14} {:>10} {:>10} {:>10}\n",
                            last_group_end, "group", "metric", "simulated", "observed", "error");
        for (const auto& row : result.rows)
            if (is_group(row) && row.month_end == last_group_end)
                text += fmt::format("  {:<10} {:<14} {:>10.2f} {:>10.2f} {:>+10.2f}\n", row.country, row.metric,
                                    row.simulated.value_or(0.0), row.observed.value_or(0.0), row.error_pp);
    }

    std::vector<const ComparisonRow*> detail;
    for (const auto& row : result.rows)
        if (is_detail(row)) detail.push_back(&row);
    std::stable_sort(detail.begin(), detail.end(), [](const ComparisonRow* a, const ComparisonRow* b) {
        return std::abs(a->error_pp) > std::abs(b->error_pp);
    });
    if (detail.size() > top_count) detail.resize(top_count);
    if (!detail.empty()) {
        text += fmt::format("\nLargest errors\n  {:<8} {:<22} {:>10} {:>10} {:>10} {:>10}\n", "country", "metric",
                            "month end", "simulated", "observed", "error");
        for (const auto* row : detail)
            text += fmt::format("  {:<8} {:<22} {:>10} {:>10.2f} {:>10.2f} {:>+10.2f}\n", row->country, row->metric,
                                row->month_end, row->simulated.value_or(0.0), row->observed.value_or(0.0),
                                row->error_pp);
    }
    if (!result.notes.empty()) {
        text += "\nNotes\n";
        for (const auto& note : result.notes) text += "  " + note + "\n";
    }
    return text;
}

void write_comparison_csv(const CompareResult& result, const fs::path& csv_out) {
    std::string text = "country,metric,month_end,simulated,observed,error_pp\n";
    for (const auto& row : result.rows)
        text += fmt::format("{},{},{},{},{},{:.4f}\n", row.country, row.metric, row.month_end,
                            format_optional(row.simulated), format_optional(row.observed), row.error_pp);
    write_file_atomically(csv_out, text);
}

fs::path default_comparison_path(const fs::path& run_dir) { return run_dir / "compare.csv"; }

}  // namespace doseflow::output
