// Every numeric parameter of the registry sampled across its declared range, one at a time and all together, from
// a seeded stream: a value the scenario checks accept must run, and the run must give finite, non-negative counts
// that conserve people and doses; a value they refuse must be refused with a located error (docs/architecture.md,
// one set of rules for validate and run). The world is tests/scenarios/every-numeric-parameter.toml.in, which
// names each numeric parameter once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/random.hpp"
#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"
#include "engine/run_record.hpp"
#include "output/run_writer.hpp"

using namespace doseflow;

namespace {

// One marker {{path=value}} of the template.
struct Marker {
    std::string path;
    std::string given;  // the template's value
    int line = 0;       // 1-based, in the template and in every filled copy
};

struct Template {
    std::string text;
    std::vector<Marker> markers;
};

// The next marker at or after `from`: its start, its end (past the closing braces), its path and value.
struct Found {
    std::size_t begin = std::string::npos, end = 0;
    Marker marker;
};
Found next_marker(const std::string& text, std::size_t from) {
    const std::size_t begin = text.find("{{", from);
    if (begin == std::string::npos) return {};
    const std::size_t equals = text.find('=', begin);
    const std::size_t close = text.find("}}", begin);
    if (equals == std::string::npos || close == std::string::npos || equals > close) return {};
    return {begin, close + 2, {text.substr(begin + 2, equals - begin - 2), text.substr(equals + 1, close - equals - 1)}};
}

Template read_template() {
    std::ifstream in(std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/every-numeric-parameter.toml.in");
    std::stringstream text;
    text << in.rdbuf();
    Template result{text.str(), {}};
    for (Found found = next_marker(result.text, 0); found.begin != std::string::npos;
         found = next_marker(result.text, found.end)) {
        const std::size_t line_start = result.text.rfind('\n', found.begin);
        if (result.text[line_start == std::string::npos ? 0 : line_start + 1] == '#') continue;  // the comment
        found.marker.line = 1 + static_cast<int>(std::count(result.text.begin(),
                                                             result.text.begin() + static_cast<std::ptrdiff_t>(found.begin), '\n'));
        result.markers.push_back(found.marker);
    }
    return result;
}

// The template with `values` (path -> TOML text) in place of their markers and the given value elsewhere.
std::string fill(const Template& scenario, const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t last = 0;
    for (Found found = next_marker(scenario.text, 0); found.begin != std::string::npos;
         found = next_marker(scenario.text, found.end)) {
        out.append(scenario.text, last, found.begin - last);
        const auto value = values.find(found.marker.path);
        const bool comment = scenario.text[scenario.text.rfind('\n', found.begin) + 1] == '#';
        out += comment ? scenario.text.substr(found.begin, found.end - found.begin)
                       : value == values.end() ? found.marker.given : value->second;
        last = found.end;
    }
    out.append(scenario.text, last);
    return out;
}

// The first and last line of the TOML table that holds `line` (from its [header] to the line before the next).
std::pair<int, int> table_lines(const std::string& text, int line) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string each; std::getline(in, each);) lines.push_back(each);
    int first = std::min(line, static_cast<int>(lines.size()));
    while (first > 1 && !lines[static_cast<std::size_t>(first - 1)].starts_with("[")) --first;
    int last = std::max(line, 1);
    while (last < static_cast<int>(lines.size()) && !lines[static_cast<std::size_t>(last)].starts_with("[")) ++last;
    return {first, last};
}

std::vector<ParameterInfo> numeric_parameters() {
    std::vector<ParameterInfo> numeric;
    for (const auto& parameter : parameters())
        if (parameter.type == "number" || parameter.type == "integer") numeric.push_back(parameter);
    return numeric;
}

std::string toml_number(double value, bool integer) {
    if (integer) return fmt::format("{}", static_cast<std::int64_t>(value));
    return fmt::format("{}", value);  // shortest text that reads back to the same double
}

// A value from the parameter's declared range: its ends, or a point inside (uniform, or uniform in the logarithm
// where the range spans more than two decades); only points inside with `inside_only`. A side left open reaches up to 1e12 (counts, doses) or down to
// -1e12 from the template's value.
std::string sample(const ParameterInfo& parameter, double given, RandomEngine& random, bool inside_only = false) {
    const bool integer = parameter.type == "integer";
    const double low = parameter.min.value_or(std::min(given, 0.0) - 1e12);
    const double high = parameter.max.value_or(std::max(given, 0.0) + 1e12);
    boost::random::uniform_int_distribution<int> kind(inside_only ? 2 : 0, 3);
    if (low >= high) return toml_number(low, integer);  // a range of one value (format)
    double value = 0;
    switch (kind(random)) {
        case 0: value = low; break;
        case 1: value = high; break;
        case 2: value = boost::random::uniform_real_distribution<double>(low, high)(random); break;
        default: {
            const double floor = std::max(low, 1e-6);
            if (high <= floor * 100) {
                value = boost::random::uniform_real_distribution<double>(low, high)(random);
            } else {
                value = std::exp(
                    boost::random::uniform_real_distribution<double>(std::log(floor), std::log(high))(random));
            }
        }
    }
    if (integer) value = std::clamp(std::round(value), std::ceil(low), std::floor(high));
    return toml_number(value, integer);
}

// Problems of a run's results: a count that is not finite or negative, more people vaccinated or dead than live
// in a country, more doses given than delivered to a country or than released in the world, more released than made.
std::vector<std::string> problems_of(const Results& results, const World& world) {
    std::vector<std::string> problems;
    auto add = [&](std::string problem) {
        if (problems.size() < 5) problems.push_back(std::move(problem));
    };
    const std::size_t countries = world.countries.size();
    std::map<std::pair<int, std::int32_t>, std::map<std::string_view, double>> people;  // (day, country) -> metric
    std::vector<double> administered(countries, 0.0), delivered(countries, 0.0);
    double released = 0.0, produced = 0.0;
    for (const auto& point : results.recorded->series.points()) {
        if (!std::isfinite(point.value) || point.value < 0.0)
            add(fmt::format("{} {} of country {} is {}", point.date.iso(), point.key.metric, point.key.country,
                            point.value));
        const std::string_view metric = point.key.metric;
        if (metric.starts_with("administered_") && point.key.country >= 0)
            administered[static_cast<std::size_t>(point.key.country)] += point.value;
        // Doses shared by another country before expiry reach this one outside the deliveries table.
        if (metric == "shared_doses" && point.key.tag == "received" && point.key.country >= 0)
            delivered[static_cast<std::size_t>(point.key.country)] += point.value;
        if (metric == "released_doses") released += point.value;
        if (metric == "produced_doses") produced += point.value;
        if (point.key.product < 0 && point.key.country >= 0)
            people[{point.date.days_since_1970(), point.key.country}][metric] = point.value;
    }
    for (const auto& row : results.recorded->deliveries) {
        if (!std::isfinite(row.doses) || row.doses < 0.0) add(fmt::format("a delivery of {} doses", row.doses));
        delivered[row.recipient.value()] += row.doses;
    }
    for (const auto& [key, metrics] : people) {
        const double population = world.countries[static_cast<std::size_t>(key.second)].population();
        const auto get = [&](std::string_view name) {
            const auto at = metrics.find(name);
            return at == metrics.end() ? 0.0 : at->second;
        };
        const double slack = 1e-9 * population + 1e-6;
        if (get("people_full") > get("people_dose1") + slack || get("people_dose1") > population + slack ||
            get("cumulative_deaths") > population + slack || get("prevalence") > population + slack)
            add(fmt::format("day {} country {}: people_dose1 {}, people_full {}, deaths {}, prevalence {} of {}",
                            key.first, key.second, get("people_dose1"), get("people_full"), get("cumulative_deaths"),
                            get("prevalence"), population));
    }
    double administered_world = 0.0;
    for (std::size_t c = 0; c < countries; ++c) {
        administered_world += administered[c];
        if (administered[c] > delivered[c] * (1 + 1e-9) + 1e-6)
            add(fmt::format("country {} gave {} doses of {} delivered or shared to it", c, administered[c],
                            delivered[c]));
        if (!std::isfinite(results.deaths_by_country[c]) || results.deaths_by_country[c] < 0.0)
            add(fmt::format("country {} has {} deaths", c, results.deaths_by_country[c]));
    }
    if (administered_world > released * (1 + 1e-9) + 1e-6)
        add(fmt::format("{} doses given in the world, {} released", administered_world, released));
    if (released > produced * (1 + 1e-9) + 1e-6) add(fmt::format("{} doses released of {} made", released, produced));
    // The other tables: every number finite.
    for (const std::string& table : {output::contracts_csv(results), output::diplomacy_csv(results)})
        for (const auto& record : csv::parse(table))
            for (const auto& field : record)
                if (field == "nan" || field == "-nan" || field == "inf" || field == "-inf")
                    add("a table holds " + field);
    return problems;
}

struct Tally {
    int accepted = 0;
    int refused = 0;
};

// Loads the filled template; a refusal must be located, an accepted scenario must run soundly. Returns the
// diagnostics of a refusal.
Diagnostics check(const Template& scenario, const std::map<std::string, std::string>& values, const std::string& label,
                  Tally& tally) {
    const auto loaded = load_scenario(ScenarioSource::from_text(fill(scenario, values), "every.toml"));
    if (!loaded.scenario) {
        ++tally.refused;
        EXPECT_TRUE(loaded.diagnostics.has_errors()) << label;
        for (const auto& diagnostic : loaded.diagnostics.all()) {
            if (diagnostic.severity == Severity::error) {
                EXPECT_GT(diagnostic.where.line, 0) << label << ": an error without a line: " << diagnostic.format();
            }
        }
        return loaded.diagnostics;
    }
    ++tally.accepted;
    try {
        const Results results = Simulation(*loaded.scenario).run();
        for (const auto& problem : problems_of(results, loaded.scenario->world()))
            ADD_FAILURE() << label << ": " << problem;
    } catch (const std::exception& error) {
        ADD_FAILURE() << label << ": the checks accepted it, the run stopped: " << error.what();
    }
    return {};
}

}  // namespace

TEST(ParameterSpace, TheTemplateNamesEveryNumericParameterOnceAndRunsAsGiven) {
    const Template scenario = read_template();
    const auto numeric = numeric_parameters();
    std::set<std::string> declared, named;
    for (const auto& parameter : numeric) declared.insert(parameter.path);
    for (const auto& marker : scenario.markers) EXPECT_TRUE(named.insert(marker.path).second) << marker.path;
    EXPECT_EQ(named, declared);
    EXPECT_EQ(scenario.markers.size(), numeric.size());
    EXPECT_GT(numeric.size(), 100u);
    Tally tally;
    check(scenario, {}, "the template as given", tally);
    EXPECT_EQ(tally.accepted, 1);
}

TEST(ParameterSpace, EachNumericParameterAcrossItsRangeAloneRunsSoundlyOrIsRefusedWithALocation) {
    const Template scenario = read_template();
    std::map<std::string, double> given;
    for (const auto& marker : scenario.markers) given[marker.path] = std::stod(marker.given);
    Tally tally;
    int covered = 0;
    for (const auto& parameter : numeric_parameters()) {
        ASSERT_TRUE(given.count(parameter.path)) << parameter.path;
        auto random = make_stream(2021, stable_hash(parameter.path), StreamPurpose::test);
        for (int draw = 0; draw < 3; ++draw) {
            const std::string value = sample(parameter, given[parameter.path], random);
            check(scenario, {{parameter.path, value}}, parameter.path + " = " + value, tally);
        }
        ++covered;
    }
    EXPECT_EQ(covered, static_cast<int>(numeric_parameters().size()));
    EXPECT_GT(tally.accepted, tally.refused) << "most values inside the declared ranges should run";
}

TEST(ParameterSpace, AllNumericParametersDrawnTogetherRunSoundlyOrAreRefusedWithALocation) {
    const Template scenario = read_template();
    std::map<std::string, double> given;
    for (const auto& marker : scenario.markers) given[marker.path] = std::stod(marker.given);
    const auto numeric = numeric_parameters();
    Tally tally;
    int sampled_in_runs = 0;
    for (int draw = 0; draw < 40; ++draw) {
        auto random = make_stream(2022, static_cast<std::uint64_t>(draw), StreamPurpose::test);
        std::map<std::string, std::string> values;
        for (const auto& parameter : numeric)
            values[parameter.path] = sample(parameter, given[parameter.path], random, true);
        // Values that break a rule between parameters (an interval below the minimum, shares summing past 1) go
        // back to the template's, named by the lines of the errors, until the checks accept the draw.
        for (int attempt = 0; attempt < 20; ++attempt) {
            std::string label = fmt::format("draw {} attempt {}:", draw, attempt);
            for (const auto& [path, value] : values) label += " " + path + "=" + value;
            const Diagnostics refused = check(scenario, values, label, tally);
            if (!refused.has_errors()) {
                sampled_in_runs += static_cast<int>(values.size());
                break;
            }
            std::size_t reverted = 0;
            for (const auto& diagnostic : refused.all()) {
                std::size_t on_line = 0;
                for (const auto& marker : scenario.markers)
                    if (marker.line == diagnostic.where.line) on_line += values.erase(marker.path);
                if (on_line == 0) {  // the rule's other side: the values of the table holding the line
                    const auto [first, last] = table_lines(scenario.text, diagnostic.where.line);
                    for (const auto& marker : scenario.markers)
                        if (marker.line >= first && marker.line <= last) on_line += values.erase(marker.path);
                }
                reverted += on_line;
            }
            if (reverted == 0) break;
        }
    }
    EXPECT_GE(tally.accepted, 30) << "most joint draws should run once the values that break a rule are reverted";
    EXPECT_GT(sampled_in_runs, tally.accepted * static_cast<int>(numeric.size()) * 3 / 4)
        << "the runs kept too few of the drawn values";
}
