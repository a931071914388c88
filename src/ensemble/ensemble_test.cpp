#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ensemble/document_path.hpp"
#include "ensemble/ensemble.hpp"
#include "ensemble/quantile_sketch.hpp"
#include "ensemble/uncertainty.hpp"
#include "scenario/document.hpp"

namespace doseflow::ensemble {
namespace {

namespace fs = std::filesystem;

const std::string two_countries = std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries.toml";
const std::string uncertain = std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries-uncertain.toml";

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

toml::table document_of(const std::string& extra) {
    Diagnostics diagnostics;
    const std::string text = "extends = \"" + two_countries + "\"\n" + extra;
    auto document = scenario::load_document(ScenarioSource::from_text(text, "test.toml"), {}, diagnostics);
    EXPECT_TRUE(document) << diagnostics.format();
    return document ? std::move(*document) : toml::table{};
}

std::vector<Uncertainty> read_text(const std::string& extra, Diagnostics& diagnostics) {
    auto document = document_of(extra);
    return read_uncertainties(document, diagnostics);
}

TEST(QuantileSketch, WithinItsRelativeAccuracyOfTheExactOrderStatistic) {
    boost::random::mt19937 engine(11);
    boost::random::lognormal_distribution<double> draw(10.0, 2.0);
    QuantileSketch sketch;
    std::vector<double> values;
    for (int i = 0; i < 5000; ++i) {
        const double v = i % 7 == 0 ? -draw(engine) : draw(engine);
        values.push_back(v);
        sketch.add(v);
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) {
        const double exact = values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
        EXPECT_NEAR(sketch.quantile(q), exact, std::fabs(exact) * QuantileSketch::relative_accuracy) << q;
    }
}

TEST(QuantileSketch, SameBytesWhateverTheOrderAndExactForEqualValues) {
    std::vector<double> values;
    boost::random::mt19937 engine(3);
    boost::random::normal_distribution<double> draw(0.0, 1e6);
    for (int i = 0; i < 1000; ++i) values.push_back(draw(engine));
    values.push_back(0.0);
    QuantileSketch forward, backward;
    OrderFreeSum sum_forward, sum_backward;
    for (double v : values) forward.add(v), sum_forward.add(v);
    for (auto it = values.rbegin(); it != values.rend(); ++it) backward.add(*it), sum_backward.add(*it);
    for (double q : {0.05, 0.5, 0.95}) EXPECT_EQ(forward.quantile(q), backward.quantile(q));
    EXPECT_EQ(sum_forward.value(), sum_backward.value());
    QuantileSketch constant;
    for (int i = 0; i < 10; ++i) constant.add(50000.0);
    EXPECT_EQ(constant.quantile(0.05), 50000.0);
    OrderFreeSum small;
    small.add(-2.5);
    small.add(0.25);
    EXPECT_EQ(small.value(), -2.25);
}

TEST(QuantileSketch, MemoryFollowsTheSpreadNotTheCount) {
    QuantileSketch sketch;
    for (int i = 0; i < 100000; ++i) sketch.add(1000.0 + (i % 100));  // a 10% spread
    EXPECT_EQ(sketch.count(), 100000u);
    EXPECT_LE(sketch.buckets(), 11u);  // log(1.1) / log(1.01) + 1
}

TEST(DocumentPath, ResolvesKeysEntriesAndIndices) {
    auto document = document_of("");
    std::string why;
    const auto yield = resolve_path(document, "sites.main.component_yield[1]", why);
    ASSERT_TRUE(yield) << why;
    EXPECT_EQ(yield->registry_path, "sites[].component_yield");
    EXPECT_EQ(yield->node()->value<double>(), 0.5);
    const auto doses = resolve_path(document, "contracts.arg_order.doses", why);
    ASSERT_TRUE(doses) << why;
    EXPECT_EQ(doses->registry_path, "contracts[].doses");
    const auto by_index = resolve_path(document, "contracts[0].doses", why);
    ASSERT_TRUE(by_index) << why;
    EXPECT_EQ(by_index->registry_path, "contracts[].doses");
    auto parsed = parse_value("3.0e7");
    assign(*by_index, std::move(*parsed.get("value")));
    EXPECT_EQ(doses->node()->value<double>(), 3.0e7);

    EXPECT_FALSE(resolve_path(document, "contracts.nobody.doses", why));
    EXPECT_NE(why.find("no entry with id = \"nobody\""), std::string::npos) << why;
    EXPECT_FALSE(resolve_path(document, "sites.main.component_yield[2]", why));
    EXPECT_NE(why.find("index 2 is past the end"), std::string::npos) << why;
    EXPECT_FALSE(resolve_path(document, "sites.main.component_yield[x]", why));
}

TEST(Uncertainty, EveryDistributionStaysInItsTruncatedRangeAndIsMonotone) {
    Diagnostics diagnostics;
    const auto items = read_text(R"(
[[uncertainty]]
path = "epidemic.r0"
distribution = "normal"
mean = 1.4
sd = 2.0
[[uncertainty]]
path = "suppliers.RUS.domestic_share"
distribution = "lognormal"
median = 0.5
sigma = 1.0
[[uncertainty]]
path = "sites.main.component_yield[1]"
distribution = "beta"
alpha = 2
beta = 5
min = 0.2
max = 0.8
[[uncertainty]]
path = "contracts.arg_order.doses"
distribution = "triangular"
min = 2e7
mode = 2.5e7
max = 4e7
[[uncertainty]]
path = "sites.main.release_delay_days"
distribution = "uniform"
min = 3
max = 30
[[uncertainty]]
path = "countries.ARG.initial_infections"
distribution = "values"
values = [10, 100, 1000]
)", diagnostics);
    ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.format();
    ASSERT_EQ(items.size(), 6u);
    for (const auto& u : items) {
        double previous = -std::numeric_limits<double>::infinity();
        for (int i = 0; i < 200; ++i) {
            const double value = u.value_at((i + 0.5) / 200.0);
            EXPECT_GE(value, previous) << u.path;
            previous = value;
            if (u.kind != DistributionKind::values) {
                EXPECT_GE(value, u.min) << u.path;
                EXPECT_LE(value, u.max) << u.path;
            }
        }
    }
    EXPECT_GE(items[0].min, 0.1);  // r0's registry range truncates the normal
    EXPECT_LE(items[1].value_at(0.999), 1.0);  // a share: lognormal truncated to [0, 1]
    EXPECT_EQ(items[4].value_at(0.5), std::round(items[4].value_at(0.5)));  // an integer parameter
    EXPECT_EQ(items[5].value_at(0.0), 10);
    EXPECT_EQ(items[5].value_at(0.5), 100);
    EXPECT_EQ(items[5].nominal, 500);  // from [country_defaults]
    EXPECT_NEAR(items[3].value_at(0.25), 2.5e7, 1.0);  // triangular: F(mode) = (mode - min) / (max - min)
}

TEST(Uncertainty, ProblemsAreReportedWithTheirPositions) {
    Diagnostics diagnostics;
    const auto items = read_text(R"([[uncertainty]]
path = "epidemic.nonsense"
distribution = "uniform"
min = 1
max = 2
[[uncertainty]]
path = "products.twodose.components"
distribution = "uniform"
min = 1
max = 2
[[uncertainty]]
path = "epidemic.r0"
distribution = "uniform"
min = 0.0
max = 2
[[uncertainty]]
path = "contracts.arg_order.doses"
distribution = "triangular"
min = 1
mode = 5
max = 2
[[uncertainty]]
path = "sites.main.component_yield[1]"
distribution = "normal"
mean = 0.5
sd = 0.1
alpha = 2
[[uncertainty]]
path = "suppliers.RUS.domestic_share"
distribution = "values"
values = [0.5, 1.5]
[[uncertainty]]
path = "suppliers.RUS.domestic_share"
distribution = "uniform"
min = 0.2
max = 0.6
[[uncertainty]]
path = "suppliers.RUS.domestic_share"
distribution = "uniform"
min = 0.3
max = 0.6
)", diagnostics);
    EXPECT_EQ(items.size(), 1u);  // only the first domestic_share uniform is usable
    const std::string text = diagnostics.format();
    for (const char* expected :
         {"test.toml:3:8: error: path 'epidemic.nonsense'", "test.toml:8:8: error: path 'products.twodose.components'",
          "test.toml:15:7: error: min = 0 is outside the valid range of 'epidemic.r0'", "test.toml:21:8: error: mode 5",
          "test.toml:28:9: error: 'alpha' does not apply to a normal distribution",
          "test.toml:32:16: error: 1.5 is outside the valid range", "already has an uncertainty"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST(LatinHypercube, EachColumnHasOneValueInEveryStratum) {
    const auto design = latin_hypercube(50, 3, 9);
    ASSERT_EQ(design.size(), 50u);
    for (std::size_t j = 0; j < 3; ++j) {
        std::vector<int> seen(50, 0);
        for (const auto& row : design) {
            ASSERT_GE(row[j], 0.0);
            ASSERT_LT(row[j], 1.0);
            ++seen[static_cast<std::size_t>(row[j] * 50)];
        }
        EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 50);
    }
    EXPECT_EQ(latin_hypercube(50, 3, 9), design);
    EXPECT_NE(latin_hypercube(50, 3, 10), design);
    EXPECT_EQ(member_seed(9, 4), member_seed(9, 4));
    EXPECT_NE(member_seed(9, 4), member_seed(9, 5));
}

fs::path run_small_ensemble(const std::string& name, int threads, int members = 5) {
    EnsembleOptions options;
    options.source = ScenarioSource::file(uncertain);
    options.days = 40;
    options.members = members;
    options.threads = threads;
    options.out = fs::temp_directory_path() / ("doseflow_ensemble_test_" + name);
    options.force = true;
    options.member.metrics = default_series_metrics();
    MemberTransport alone;
    run_ensemble(options, alone);
    return options.out;
}

TEST(Ensemble, SameBytesOnOneThreadAndOnThree) {
    const auto one = run_small_ensemble("t1", 1);
    const auto three = run_small_ensemble("t3", 3);
    for (const char* file : {"members.csv", "quantiles.csv", "summary.json"}) {
        const auto a = read(one / file);
        EXPECT_FALSE(a.empty()) << file;
        EXPECT_EQ(a, read(three / file)) << file;
    }
}

TEST(Ensemble, QuantilesAreOrderedAndMembersDrawWithinTheirRanges) {
    const auto dir = run_small_ensemble("check", 2, 6);
    std::istringstream quantiles(read(dir / "quantiles.csv"));
    std::string line;
    std::getline(quantiles, line);
    EXPECT_EQ(line, "date,country,product,component,metric,q05,q25,q50,q75,q95,mean,members");
    int rows = 0, spread = 0, all_members = 0;
    while (std::getline(quantiles, line)) {
        std::vector<std::string> cells;
        std::stringstream split(line);
        for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
        ASSERT_EQ(cells.size(), 12u) << line;
        for (std::size_t i = 5; i < 9; ++i) ASSERT_LE(std::stod(cells[i]), std::stod(cells[i + 1])) << line;
        all_members += cells[11] == "6";  // a point recorded only when it happens may miss in some members
        spread += std::stod(cells[9]) > std::stod(cells[5]);
        ++rows;
    }
    EXPECT_GT(rows, 100);
    EXPECT_GT(all_members, rows / 2);
    EXPECT_GT(spread, 10);  // uncertain inputs move the outputs
    std::istringstream members(read(dir / "members.csv"));
    std::getline(members, line);
    EXPECT_EQ(line.rfind("member,seed,epidemic.r0,contracts.arg_order.doses,", 0), 0u) << line;
    int count = 0;
    while (std::getline(members, line)) {
        std::vector<std::string> cells;
        std::stringstream split(line);
        for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
        const double r0 = std::stod(cells[2]), yield = std::stod(cells[4]);
        EXPECT_GE(r0, 1.1);
        EXPECT_LE(r0, 1.8);
        EXPECT_GE(yield, 0.3);
        EXPECT_LE(yield, 0.9);
        ++count;
    }
    EXPECT_EQ(count, 6);
    const auto summary = nlohmann::json::parse(read(dir / "summary.json"));
    const auto& deaths = summary["figures"]["deaths"];
    EXPECT_LE(deaths["q05"].get<double>(), deaths["q50"].get<double>());
    EXPECT_LT(deaths["q05"].get<double>(), deaths["q95"].get<double>());
}

TEST(Ensemble, AFailingMemberNamesItsValuesAndWritesNothing) {
    EnsembleOptions options;
    options.source = ScenarioSource::file(uncertain);
    options.days = 10;
    options.members = 3;
    // Every member orders fewer doses than the schedule delivers: the loader refuses it.
    options.overrides = {"contracts.arg_order.schedule=[[2021-02-01, 9.0e7]]"};
    options.out = fs::temp_directory_path() / "doseflow_ensemble_test_fail";
    fs::remove_all(options.out);
    MemberTransport alone;
    try {
        run_ensemble(options, alone);
        FAIL() << "expected an error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(e.diagnostics().format().find("schedule reaches 90000000 doses"), std::string::npos)
            << e.diagnostics().format();
    }
    EXPECT_FALSE(fs::exists(options.out / "members.csv"));
}

}  // namespace
}  // namespace doseflow::ensemble

// ------------------------------------------------------------------------------------------------ sensitivity, diff, report

#include "doseflow/ensemble.hpp"
#include "ensemble/sensitivity.hpp"

namespace doseflow::ensemble {
namespace {

TEST(Sobol, RecoversTheIndicesOfTheIshigamiFunction) {
    // Ishigami and Homma 1990, a = 7, b = 0.1, inputs uniform on [-pi, pi]: S1 = 0.314, S2 = 0.442, S3 = 0;
    // ST1 = 0.558, ST2 = 0.442, ST3 = 0.244 (Saltelli et al. 2010).
    const double pi = 3.14159265358979323846;
    auto f = [&](const std::vector<double>& u) {
        const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
        return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
    };
    const std::size_t n = 4096;
    const auto design = latin_hypercube(static_cast<int>(n), 6, 5);
    std::vector<double> f_a(n), f_b(n);
    std::vector<std::vector<double>> f_ab(3, std::vector<double>(n));
    for (std::size_t j = 0; j < n; ++j) {
        const std::vector<double> a(design[j].begin(), design[j].begin() + 3), b(design[j].begin() + 3, design[j].end());
        f_a[j] = f(a);
        f_b[j] = f(b);
        for (std::size_t i = 0; i < 3; ++i) {
            auto ab = a;
            ab[i] = b[i];
            f_ab[i][j] = f(ab);
        }
    }
    const auto indices = sobol_indices("y", {"x1", "x2", "x3"}, f_a, f_b, f_ab, 100, 1);
    ASSERT_EQ(indices.size(), 3u);
    const double first[] = {0.314, 0.442, 0.0}, total[] = {0.558, 0.442, 0.244};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(indices[i].first_order, first[i], 0.05) << i;
        EXPECT_NEAR(indices[i].total, total[i], 0.05) << i;
        EXPECT_LE(indices[i].first_low, indices[i].first_order);
        EXPECT_GE(indices[i].first_high, indices[i].first_order);
        EXPECT_LE(indices[i].total_low, indices[i].total_high);
    }
}

TEST(Sensitivity, RunsTheSaltelliDesignAndNamesAMisspeltOutput) {
    SensitivityOptions options;
    options.source = ScenarioSource::file(uncertain);
    options.days = 30;
    options.samples = 32;  // enough for the total index to separate a driver from a bystander
    options.threads = 2;
    options.resamples = 20;
    options.outputs = {"doses_produced", "deaths"};
    options.out = fs::temp_directory_path() / "doseflow_sensitivity_test";
    options.force = true;
    MemberTransport alone;
    const auto indices = run_sensitivity(options, alone);
    EXPECT_EQ(indices.size(), 12u);  // 2 outputs x 6 uncertain values
    const auto csv = read(options.out / "sensitivity.csv");
    EXPECT_EQ(csv.rfind("output,parameter,first_order,", 0), 0u);
    EXPECT_NE(read(options.out / "sensitivity.html").find("<svg"), std::string::npos);
    // Production in 30 days depends on the site's yield and not on r0.
    double yield_total = 0, r0_total = 1;
    for (const auto& i : indices)
        if (i.output == "doses_produced" && i.parameter == "sites.main.component_yield[1]") yield_total = i.total;
        else if (i.output == "doses_produced" && i.parameter == "epidemic.r0") r0_total = i.total;
    EXPECT_GT(yield_total, 0.5);
    EXPECT_LT(r0_total, 0.1);
    options.outputs = {"death"};
    try {
        run_sensitivity(options, alone);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("no key figure 'death'; key figures: deaths,"), std::string::npos) << e.what();
    }
}

TEST(Diff, PairsMembersBySeedAndGivesIntervals) {
    EnsembleOptions options;
    options.source = ScenarioSource::file(uncertain);
    options.days = 40;
    options.members = 4;
    options.threads = 2;
    options.force = true;
    options.member.metrics = {"cumulative_deaths"};
    MemberTransport alone;
    options.out = fs::temp_directory_path() / "doseflow_diff_a";
    run_ensemble(options, alone);
    options.out = fs::temp_directory_path() / "doseflow_diff_b";
    options.overrides = {"contracts[0].schedule=[[2021-01-15, 2.0e7]]"};  // every dose due at once
    run_ensemble(options, alone);
    const auto diff = diff_directories(fs::temp_directory_path() / "doseflow_diff_a",
                                       fs::temp_directory_path() / "doseflow_diff_b");
    EXPECT_TRUE(diff.ensembles);
    EXPECT_EQ(diff.pairs, 4);
    bool delivered_moved = false;
    for (const auto& row : diff.figures) {
        ASSERT_TRUE(row.q05 && row.q95) << row.name;
        EXPECT_LE(*row.q05, *row.q95);
        EXPECT_NEAR(row.difference, row.b - row.a, 1e-6 * (1 + std::fabs(row.a)));
        if (row.name == "doses_delivered" && row.difference != 0) delivered_moved = true;
    }
    EXPECT_TRUE(delivered_moved);
    EXPECT_FALSE(diff.series.empty());
    EXPECT_NE(diff_report_section(diff, "a", "b").find("<svg"), std::string::npos);
    // A different seed breaks the pairing.
    options.seed = 99;
    options.out = fs::temp_directory_path() / "doseflow_diff_c";
    run_ensemble(options, alone);
    EXPECT_THROW(diff_directories(fs::temp_directory_path() / "doseflow_diff_a", options.out), std::invalid_argument);
}

TEST(EnsembleReport, DrawsBothBandsAroundTheMedian) {
    const auto dir = run_small_ensemble("report", 2, 4);
    const auto html = render_ensemble_report_html(dir);
    EXPECT_NE(html.find("Deaths, cumulative (world)"), std::string::npos);
    EXPECT_NE(html.find("<polygon class=\"band95\""), std::string::npos);
    EXPECT_NE(html.find("<polygon class=\"band50\""), std::string::npos);
    EXPECT_NE(html.find("<polyline class=\"median\""), std::string::npos);
    EXPECT_NE(html.find("deaths_averted"), std::string::npos);
}

// Run tables are read back by RFC 4180 (core/csv): CRLF, and a quoted component holding a comma and a line break.
TEST(Diff, ReadsRunTablesAsRfc4180) {
    const fs::path root = fs::temp_directory_path() / "doseflow_diff_csv";
    fs::remove_all(root);
    const auto write_run = [&](const std::string& name, double deaths, const std::string& timeseries) {
        const fs::path dir = root / name;
        fs::create_directories(dir);
        std::ofstream(dir / "summary.json") << R"({"figures": {"deaths": )" << deaths << "}}\n";
        std::ofstream(dir / "timeseries.csv", std::ios::binary) << timeseries;
        return dir;
    };
    const std::string header = "date,country,product,component,metric,value\r\n";
    const auto a = write_run("a", 10, header + "2021-01-04,ARG,p,\"two\nlines, one comma\",deaths,3\r\n"
                                               "2021-01-04,BRA,,,deaths,4\r\n");
    const auto b = write_run("b", 12, header + "2021-01-04,ARG,p,\"two\nlines, one comma\",deaths,5\r\n"
                                               "2021-01-04,BRA,,,deaths,4\r\n");
    const auto diff = diff_directories(a, b);
    EXPECT_FALSE(diff.ensembles);
    ASSERT_EQ(diff.figures.size(), 1u);
    EXPECT_DOUBLE_EQ(diff.figures[0].difference, 2.0);
    ASSERT_EQ(diff.series.size(), 1u);
    EXPECT_EQ(diff.series[0].date, "2021-01-04");
    EXPECT_DOUBLE_EQ(diff.series[0].a, 7.0);
    EXPECT_DOUBLE_EQ(diff.series[0].b, 9.0);
    const auto broken = write_run("broken", 12, header + "2021-01-04,ARG,p,\"never closed,deaths,5\n");
    try {
        diff_directories(a, broken);
        FAIL() << "an unterminated quote was accepted";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("timeseries.csv:2: unterminated quoted field"), std::string::npos)
            << error.what();
    }
    // A summary.json number beyond a double's range is an error naming the file, not a JSON library exception.
    const auto overflowing = write_run("overflowing", 12, header);
    std::ofstream(overflowing / "summary.json") << R"({"figures": {"deaths": 62e29850833}})";
    try {
        diff_directories(a, overflowing);
        FAIL() << "an overflowing number was accepted";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("summary.json: malformed JSON"), std::string::npos) << error.what();
    }
    fs::remove_all(root);
}

}  // namespace
}  // namespace doseflow::ensemble
