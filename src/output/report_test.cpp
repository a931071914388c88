// Tests of the HTML report (and of the CSV reader it shares with the comparison) on small run directories made
// here, with expected values worked out by hand from the rows written.
#include "output/report.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "output/run_tables.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::AllOf;
using ::testing::Not;

class TempDir {
public:
    TempDir() {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                (std::string("doseflow-report-") + test->test_suite_name() + "-" + test->name() + "-" +
                 std::to_string(::getpid()));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void write(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A run of two weeks (Monday 2021-01-04 to Sunday 2021-01-17) with three suppliers; values chosen so that
// every aggregate below can be checked by hand.
void write_small_run(const fs::path& dir) {
    write(dir / "summary.json", R"({"manifest": {"version": "0.1.0", "git_revision": "abc",
        "scenario_name": "tiny </script><b>run</b>", "scenario_sha256": "00", "seed": 3, "days": 14,
        "start": "2021-01-04", "end": "2021-01-17", "options": {"weekly": false}},
        "figures": {"deaths": 1234, "deaths_averted": 56, "doses": {"delivered": 1000}}})");
    // The products the report features come from the run's scenario, never from the report's code.
    write(dir / "scenario.toml", R"([[report.featured_products]]
product = "sputnik_v"
anchor = "sputnik"
title = "Sputnik V"
note = "Two components, the second harder to make."
)");
    write(dir / "contracts.csv",
          "contract,kind,supplier,recipient,product,signed,ordered_doses,due_doses,delivered_doses,"
          "delivered_component_1,delivered_component_2,wasted_doses,prepaid_usd,refunded_usd,status,"
          "first_delivery,last_delivery\n"
          "R1,sale,RUS,ARG,sputnik_v,2020-12-01,100,60,25,15,10,0,0,0,late,2021-01-06,2021-01-13\n"
          "R2,sale,RUS,MEX,sputnik_v,2021-01-12,40,30,0,0,0,0,0,0,late,,\n"
          "U1,sale,USA,MEX,pfizer,2021-01-05,50,20,20,20,,0,0,0,on_time,2021-01-07,2021-01-07\n"
          "\"I,1\",covax,IND,,astrazeneca,2021-01-04,80,40,35,35,,0,0,0,late,2021-01-08,2021-01-14\n");
    write(dir / "deliveries.csv",
          "date,contract,kind,supplier,recipient,product,component,doses\n"
          "2021-01-06,R1,sale,RUS,ARG,sputnik_v,rAd26,10\n"
          "2021-01-13,R1,sale,RUS,ARG,sputnik_v,rAd26,5\n"
          "2021-01-13,R1,sale,RUS,ARG,sputnik_v,rAd5,10\n"
          "2021-01-07,U1,sale,USA,MEX,pfizer,BNT162b2,20\n"
          "2021-01-08,\"I,1\",covax,IND,BOL,astrazeneca,ChAdOx1,15\n"
          "2021-01-14,\"I,1\",covax,IND,PRY,astrazeneca,ChAdOx1,20\n"
          "2021-01-09,,domestic,RUS,RUS,sputnik_v,rAd26,1000\n");
    // ARG and PRY are Upper middle income, BOL Lower middle income (World Bank FY2021).
    write(dir / "timeseries.csv",
          "date,country,product,component,metric,value\n"
          "2021-01-04,ARG,,,population,1000\n"
          "2021-01-04,PRY,,,population,3000\n"
          "2021-01-04,BOL,,,population,2000\n"
          "2021-01-11,ARG,,,population,999\n"
          "2021-01-04,ARG,,,people_full,10\n"
          "2021-01-10,ARG,,,people_full,100\n"
          "2021-01-17,ARG,,,people_full,250\n"
          "2021-01-17,PRY,,,people_full,150\n"
          "2021-01-11,BOL,sputnik_v,,people_full,40\n"
          "2021-01-11,BOL,pfizer,,people_full,60\n"
          "2021-01-04,ARG,,,deaths,3\n"
          "2021-01-05,ARG,,,deaths,4\n"
          "2021-01-05,PRY,,,deaths,5\n"
          "2021-01-12,BOL,,,deaths,7\n"
          "2021-01-12,,,,deaths,19\n"
          "2021-01-05,RUS,sputnik_v,rAd26,produced_doses,500\n"
          "2021-01-05,ARG,,,rt,\n");
    write(dir / "diplomacy.csv",
          "date,buyer,supplier,credibility,influence\n"
          "2021-01-04,ARG,RUS,0.8,0.1\n"
          "2021-01-04,MEX,RUS,0.6,0.3\n"
          "2021-01-11,ARG,RUS,0.5,0.2\n"
          "2021-01-12,ARG,RUS,0.4,0.2\n"
          "2021-01-12,MEX,RUS,0.2,0.4\n"
          "2021-01-12,MEX,USA,0.9,0.5\n");
    write(dir / "events.csv",
          "date,kind,supplier,recipient,contract,product,value,detail\n"
          "2021-01-05,escalation,RUS,MEX,R2,sputnik_v,1,\"late, ultimatum\"\n"
          "2021-01-06,escalation,RUS,ARG,R1,sputnik_v,1,late\n"
          "2021-01-13,export_ban,IND,,,astrazeneca,1,\n");
}

// The chart list the page hands to vega-embed, decoded from its <script type="application/json"> element.
Json charts_of(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"doseflow-charts\">";
    const auto begin = html.find(open);
    EXPECT_NE(begin, std::string::npos);
    const auto end = html.find("</script>", begin);
    return Json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

Json dataset(const Json& charts, const std::string& chart_id, const std::string& name) {
    for (const auto& chart : charts)
        if (chart["id"] == chart_id) return chart["spec"]["datasets"][name];
    ADD_FAILURE() << "no chart " << chart_id;
    return Json::array();
}

// The rows of `rows` whose fields equal those of `where`.
Json select(const Json& rows, const Json& where) {
    Json out = Json::array();
    for (const auto& row : rows) {
        bool all = true;
        for (const auto& [key, value] : where.items()) all = all && row.contains(key) && row[key] == value;
        if (all) out.push_back(row);
    }
    return out;
}

class ReportTest : public ::testing::Test {
protected:
    void SetUp() override { write_small_run(dir_.path()); }
    std::string render() { return render_report_html(dir_.path()); }
    TempDir dir_;
};

TEST_F(ReportTest, SupplierTotalsSumContracts) {
    const Json rows = dataset(charts_of(render()), "chart-supplier-totals", "supplier_totals");
    // RUS: ordered 100 + 40, due 60 + 30, delivered 25 + 0.
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"measure", "ordered"}})[0]["doses"], 140);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"measure", "due by end of run"}})[0]["doses"], 90);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"measure", "delivered"}})[0]["doses"], 25);
    EXPECT_EQ(select(rows, {{"supplier", "IND"}, {"measure", "delivered"}})[0]["doses"], 35);
    EXPECT_EQ(rows.size(), 9u);  // 3 suppliers x 3 measures
}

TEST_F(ReportTest, SupplierTimelineIsCumulativeAndLeavesOutDomesticSupply) {
    const Json rows = dataset(charts_of(render()), "chart-supplier-timeline", "supplier_timeline");
    // RUS delivered 10 in the week of 2021-01-04 and 15 more in the next; the 1,000 domestic doses are no
    // contract delivery. Ordered: R1 (signed 2020-12-01, week of 2020-11-30) 100, then R2 (2021-01-12) 40.
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "delivered"}, {"week", "2021-01-04"}})[0]["doses"], 10);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "delivered"}, {"week", "2021-01-11"}})[0]["doses"], 25);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "ordered"}, {"week", "2020-11-30"}})[0]["doses"], 100);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "ordered"}, {"week", "2021-01-04"}})[0]["doses"], 100);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "ordered"}, {"week", "2021-01-11"}})[0]["doses"], 140);
}

// An order signed or a delivery dated centuries before the run counts from five years before its start: the
// timelines stay a few hundred weeks long whatever the dates in the tables.
TEST_F(ReportTest, TimelinesStartAtMostFiveYearsBeforeTheRun) {
    std::string contracts = read(dir_.path() / "contracts.csv");
    contracts.replace(contracts.find("2020-12-01"), 10, "1010-12-20");
    write(dir_.path() / "contracts.csv", contracts);
    std::string deliveries = read(dir_.path() / "deliveries.csv");
    deliveries.replace(deliveries.find("2021-01-06"), 10, "1021-01-06");
    write(dir_.path() / "deliveries.csv", deliveries);
    const Json charts = charts_of(render());
    const Json rows = dataset(charts, "chart-supplier-timeline", "supplier_timeline");
    // The run starts 2021-01-04; five years of 366 days before it is 2015-12-31, in the week of 2015-12-28.
    const Json first = select(rows, {{"supplier", "RUS"}, {"series", "ordered"}, {"week", "2015-12-28"}});
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0]["doses"], 100);
    EXPECT_TRUE(select(rows, {{"supplier", "RUS"}, {"series", "ordered"}, {"week", "2015-12-21"}}).empty());
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "delivered"}, {"week", "2015-12-28"}})[0]["doses"], 10);
    EXPECT_EQ(select(rows, {{"supplier", "RUS"}, {"series", "delivered"}, {"week", "2021-01-11"}})[0]["doses"], 25);
    EXPECT_LT(rows.size(), 6u * 2u * 270u);  // groups x series x weeks from 2015-12-28 to 2021-01-17
    const Json sputnik = dataset(charts, "chart-sputnik-components", "sputnik_components");
    EXPECT_EQ(select(sputnik, {{"component", "component 1 (rAd26)"}, {"week", "2015-12-28"}})[0]["doses"], 10);
    EXPECT_EQ(select(sputnik, {{"component", "component 1 (rAd26)"}, {"week", "2021-01-11"}})[0]["doses"], 15);
}

TEST_F(ReportTest, ARunSpanLongerThanARunMayCoverIsRefused) {
    std::string summary = read(dir_.path() / "summary.json");
    summary.replace(summary.find("\"end\": \"2021-01-17\""), 19, "\"end\": \"2151-01-17\"");
    write(dir_.path() / "summary.json", summary);
    try {
        render();
        FAIL() << "a 130-year run was accepted";
    } catch (const std::exception& e) {
        EXPECT_THAT(e.what(), HasSubstr("more than a run may cover"));
    }
}

TEST_F(ReportTest, ShortfallsAreLargestFirstAndOnlyUnderdelivered) {
    const std::string html = render();
    const Json rows = dataset(charts_of(html), "chart-shortfalls", "shortfalls");
    // Shortfalls: R1 60-25 = 35, R2 30-0 = 30, "I,1" 40-35 = 5; U1 delivered all it owed.
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]["contract"], "R1");
    EXPECT_EQ(rows[0]["shortfall"], 35);
    EXPECT_EQ(rows[1]["contract"], "R2");
    EXPECT_EQ(rows[2]["contract"], "I,1");
    EXPECT_EQ(rows[2]["label"], "I,1 (IND to COVAX)");
    EXPECT_THAT(html, HasSubstr("<td>R1</td>"));
    EXPECT_THAT(html, Not(HasSubstr("<td>U1</td>")));
}

TEST_F(ReportTest, SputnikComponentsAreCumulativeInOrderOfFirstDelivery) {
    const Json rows = dataset(charts_of(render()), "chart-sputnik-components", "sputnik_components");
    const std::string first = "component 1 (rAd26)", second = "component 2 (rAd5)";
    EXPECT_EQ(select(rows, {{"component", first}, {"week", "2021-01-04"}})[0]["doses"], 10);
    EXPECT_EQ(select(rows, {{"component", first}, {"week", "2021-01-11"}})[0]["doses"], 15);
    EXPECT_EQ(select(rows, {{"component", second}, {"week", "2021-01-04"}})[0]["doses"], 0);
    EXPECT_EQ(select(rows, {{"component", second}, {"week", "2021-01-11"}})[0]["doses"], 10);
    const Json recipients = dataset(charts_of(render()), "chart-sputnik-recipients", "sputnik_recipients");
    EXPECT_EQ(select(recipients, {{"recipient", "ARG"}, {"component", "component 1"}})[0]["doses"], 15);
    EXPECT_EQ(select(recipients, {{"recipient", "ARG"}, {"component", "component 2"}})[0]["doses"], 10);
}

TEST_F(ReportTest, FeaturedProductsComeFromTheRunsScenario) {
    std::string html = render();
    EXPECT_THAT(html, HasSubstr("<section id=\"sputnik\">\n<h2>Sputnik V: component 1 against component 2</h2>\n"
                                "<p class=\"intro\">Two components, the second harder to make.</p>"));
    // Another product, under its own names; and none at all without a scenario.toml.
    write(dir_.path() / "scenario.toml", R"([[report.featured_products]]
product = "novavax"
anchor = "nvx"
title = "Nuvaxovid <NVX>"
)");
    html = render();
    EXPECT_THAT(html, Not(HasSubstr("id=\"sputnik\"")));
    EXPECT_THAT(html, HasSubstr("<section id=\"nvx\">\n<h2>Nuvaxovid &lt;NVX&gt;: component 1 against component 2</h2>"));
    EXPECT_THAT(html, HasSubstr("No Nuvaxovid &lt;NVX&gt; (product novavax) was delivered in this run."));
    fs::remove(dir_.path() / "scenario.toml");
    html = render();
    EXPECT_THAT(html, Not(HasSubstr("component 1 against component 2")));
    EXPECT_THAT(charts_of(html).dump(), Not(HasSubstr("sputnik")));
}

TEST_F(ReportTest, MalformedScenarioIsNamedWithLine) {
    write(dir_.path() / "scenario.toml", "[report\n");
    try {
        render();
        FAIL() << "a malformed scenario.toml must be refused";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("scenario.toml:1:"));
    }
}

TEST_F(ReportTest, CoverageUsesTheLastValueOverTheFirstPopulation) {
    const Json charts = charts_of(render());
    const Json map = dataset(charts, "chart-coverage-map", "coverage");
    // ARG: 250 fully vaccinated of 1,000 (the population at the first date, not the later 999); ISO numeric 032.
    const Json arg = select(map, {{"code", "ARG"}});
    ASSERT_EQ(arg.size(), 1u);
    EXPECT_EQ(arg[0]["id"], "032");
    EXPECT_DOUBLE_EQ(arg[0]["coverage"].get<double>(), 0.25);
    // BOL has only per-product rows: 40 + 60 of 2,000.
    EXPECT_DOUBLE_EQ(select(map, {{"code", "BOL"}})[0]["coverage"].get<double>(), 0.05);
    // The atlas is inline and keyed by the same ids.
    bool has_argentina = false;
    for (const auto& chart : charts)
        if (chart["id"] == "chart-coverage-map")
            for (const auto& shape : chart["spec"]["datasets"]["atlas"]["objects"]["countries"]["geometries"])
                has_argentina = has_argentina || (shape.contains("id") && shape["id"] == "032");
    EXPECT_TRUE(has_argentina);
}

TEST_F(ReportTest, CoverageByIncomeGroupPoolsCountriesWeekByWeek) {
    const Json rows = dataset(charts_of(render()), "chart-coverage-income", "coverage_by_income");
    // Upper middle income = ARG + PRY, 4,000 people. Week of 01-04: ARG's last value that week is 100 (01-10),
    // PRY none yet: 100 / 4000. Week of 01-11: 250 + 150 = 400 / 4000.
    EXPECT_DOUBLE_EQ(select(rows, {{"income_group", "Upper middle income"}, {"week", "2021-01-04"}})[0]["coverage"]
                         .get<double>(), 0.025);
    EXPECT_DOUBLE_EQ(select(rows, {{"income_group", "Upper middle income"}, {"week", "2021-01-11"}})[0]["coverage"]
                         .get<double>(), 0.1);
    EXPECT_DOUBLE_EQ(select(rows, {{"income_group", "Lower middle income"}, {"week", "2021-01-11"}})[0]["coverage"]
                         .get<double>(), 0.05);
}

TEST_F(ReportTest, CovaxDeliveriesByWeek) {
    const Json rows = dataset(charts_of(render()), "chart-covax", "covax_weekly");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(select(rows, {{"week", "2021-01-04"}, {"product", "astrazeneca"}})[0]["doses"], 15);
    EXPECT_EQ(select(rows, {{"week", "2021-01-11"}, {"product", "astrazeneca"}})[0]["doses"], 20);
}

TEST_F(ReportTest, CredibilityIsTheMeanOverBuyersAtTheWeeksLastDay) {
    const Json charts = charts_of(render());
    const Json credibility = dataset(charts, "chart-credibility", "credibility");
    // RUS, week of 01-04: (0.8 + 0.6) / 2; week of 01-11: last day 01-12, (0.4 + 0.2) / 2.
    EXPECT_DOUBLE_EQ(select(credibility, {{"supplier", "RUS"}, {"week", "2021-01-04"}})[0]["value"].get<double>(), 0.7);
    EXPECT_DOUBLE_EQ(select(credibility, {{"supplier", "RUS"}, {"week", "2021-01-11"}})[0]["value"].get<double>(), 0.3);
    const Json influence = dataset(charts, "chart-influence", "influence");
    EXPECT_DOUBLE_EQ(select(influence, {{"supplier", "USA"}, {"week", "2021-01-11"}})[0]["value"].get<double>(), 0.5);
}

TEST_F(ReportTest, DeathsByIncomeGroupAndDeathFigures) {
    const Json charts = charts_of(render());
    const Json weekly = dataset(charts, "chart-deaths", "deaths_weekly");
    // Country rows only (the world row of 19 would double count): UMI week 1: 3 + 4 + 5; LMI week 2: 7.
    EXPECT_DOUBLE_EQ(select(weekly, {{"income_group", "Upper middle income"}, {"week", "2021-01-04"}})[0]["deaths"]
                         .get<double>(), 12.0);
    EXPECT_DOUBLE_EQ(select(weekly, {{"income_group", "Lower middle income"}, {"week", "2021-01-11"}})[0]["deaths"]
                         .get<double>(), 7.0);
    EXPECT_TRUE(select(weekly, {{"income_group", "world"}}).empty());
    const Json figures = dataset(charts, "chart-death-figures", "death_figures");
    ASSERT_EQ(figures.size(), 2u);
    EXPECT_EQ(select(figures, {{"figure", "deaths_averted"}})[0]["value"], 56.0);
}

TEST_F(ReportTest, EventsCountedPerWeekAndKind) {
    const Json rows = dataset(charts_of(render()), "chart-events", "events_weekly");
    EXPECT_EQ(select(rows, {{"week", "2021-01-04"}, {"kind", "escalation"}})[0]["events"], 2);
    EXPECT_EQ(select(rows, {{"week", "2021-01-11"}, {"kind", "export_ban"}})[0]["events"], 1);
}

TEST_F(ReportTest, PageIsSelfContainedAndEscapesEmbeddedText) {
    const std::string html = render();
    EXPECT_THAT(html, Not(HasSubstr("<script src")));
    EXPECT_THAT(html, Not(HasSubstr("<link")));
    // Three libraries, the chart data and the drawing script: five elements, so exactly five closing tags; the
    // scenario name's "</script>" is escaped both in the JSON and in the HTML text.
    std::size_t closing = 0;
    for (auto at = html.find("</script"); at != std::string::npos; at = html.find("</script", at + 1)) ++closing;
    EXPECT_EQ(closing, 5u);
    EXPECT_THAT(html, HasSubstr("tiny &lt;/script&gt;&lt;b&gt;run&lt;/b&gt;"));
    EXPECT_THAT(html, HasSubstr("renderer: 'svg'"));
    EXPECT_THAT(html, HasSubstr("vegaEmbed"));
    // Every chart box in the page has a spec and the reverse.
    const Json charts = charts_of(html);
    EXPECT_EQ(charts.size(), 13u);
    for (const auto& chart : charts)
        EXPECT_THAT(html, HasSubstr("<div class=\"chart\" id=\"" + chart["id"].get<std::string>() + "\">"));
}

TEST_F(ReportTest, WriteReportReplacesTheFileWhole) {
    const fs::path out = dir_.path() / "report.html";
    write(out, "old");
    write_report(dir_.path(), out);
    const std::string html = read(out);
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
    EXPECT_TRUE(html.ends_with("</html>\n"));
    EXPECT_FALSE(fs::exists(dir_.path() / "report.html.tmp"));
    EXPECT_EQ(default_report_path(dir_.path()), dir_.path() / "report.html");
}

TEST_F(ReportTest, EmptyOptionalSectionsBecomeNotes) {
    write(dir_.path() / "events.csv", "date,kind,supplier,recipient,contract,product,value,detail\n");
    write(dir_.path() / "deliveries.csv", "date,contract,kind,supplier,recipient,product,component,doses\n");
    const std::string html = render();
    EXPECT_THAT(html, HasSubstr("No Sputnik V (product sputnik_v) was delivered in this run."));
    EXPECT_THAT(html, HasSubstr("No COVAX deliveries in this run."));
    EXPECT_THAT(html, HasSubstr("events.csv has no rows."));
    EXPECT_EQ(charts_of(html).size(), 9u);
}

// ------------------------------------------------------------------------------------------ malformed input

std::string error_of(const fs::path& run_dir) {
    try {
        render_report_html(run_dir);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "no error";
}

TEST_F(ReportTest, MissingFileIsNamed) {
    fs::remove(dir_.path() / "diplomacy.csv");
    EXPECT_THAT(error_of(dir_.path()), HasSubstr((dir_.path() / "diplomacy.csv").string() + ": missing"));
    EXPECT_THAT(error_of(dir_.path() / "nowhere"), HasSubstr("not a run directory"));
}

TEST_F(ReportTest, MissingColumnIsNamedWithFileAndLine) {
    write(dir_.path() / "contracts.csv", "contract,kind,supplier\nR1,sale,RUS\n");
    EXPECT_THAT(error_of(dir_.path()),
                HasSubstr((dir_.path() / "contracts.csv").string() + ":1: missing column 'recipient'"));
}

TEST_F(ReportTest, BadNumberIsNamedWithFileLineAndColumn) {
    write(dir_.path() / "deliveries.csv",
          "date,contract,kind,supplier,recipient,product,component,doses\n"
          "2021-01-06,R1,sale,RUS,ARG,sputnik_v,rAd26,10\n"
          "2021-01-13,R1,sale,RUS,ARG,sputnik_v,rAd26,1O\n");
    EXPECT_THAT(error_of(dir_.path()),
                HasSubstr((dir_.path() / "deliveries.csv").string() + ":3: column 'doses': '1O' is not a finite number"));
}

TEST_F(ReportTest, BadDateIsNamedWithFileAndLine) {
    write(dir_.path() / "timeseries.csv",
          "date,country,product,component,metric,value\n2021-01-04,ARG,,,deaths,1\n2021-13-01,ARG,,,deaths,1\n");
    EXPECT_THAT(error_of(dir_.path()), HasSubstr("timeseries.csv:3: column 'date': '2021-13-01' is not a date"));
}

TEST_F(ReportTest, WrongFieldCountIsNamedWithFileAndLine) {
    write(dir_.path() / "diplomacy.csv", "date,buyer,supplier,credibility,influence\n2021-01-04,ARG,RUS,0.5\n");
    EXPECT_THAT(error_of(dir_.path()), HasSubstr("diplomacy.csv:2: 4 fields, expected 5"));
}

TEST_F(ReportTest, MalformedSummaryIsNamedWithLine) {
    write(dir_.path() / "summary.json", "{\"manifest\": {\n  \"seed\": 3,,\n}}");
    const std::string message = error_of(dir_.path());
    EXPECT_THAT(message, HasSubstr("summary.json: malformed JSON"));
    EXPECT_THAT(message, HasSubstr("line 2"));
    write(dir_.path() / "summary.json", "{\"figures\": {}}");
    EXPECT_THAT(error_of(dir_.path()), HasSubstr("summary.json: expected an object with a \"manifest\" object"));
    // Well-formed, but a number beyond a double's range (found by fuzz_run_tables): named, not an uncaught throw.
    write(dir_.path() / "summary.json", "{\"manifest\": {\"seed\": 62e29850833}}");
    EXPECT_THAT(error_of(dir_.path()), AllOf(HasSubstr("summary.json: malformed JSON"), HasSubstr("62e29850833")));
}

// ------------------------------------------------------------------------------------------------ CsvReader

TEST(CsvReader, ReadsQuotedFieldsAndCountsLinesAcrossLineBreaks) {
    auto csv = CsvReader::from_text("t.csv", "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",2\n\n3,4\n");
    ASSERT_TRUE(csv.next());
    EXPECT_EQ(csv.text(0), "x, y");
    EXPECT_EQ(csv.text(1), "say \"hi\"");
    EXPECT_EQ(csv.line(), 2);
    ASSERT_TRUE(csv.next());
    EXPECT_EQ(csv.text(0), "two\nlines");
    EXPECT_EQ(csv.number(1), 2.0);
    EXPECT_EQ(csv.line(), 3);
    ASSERT_TRUE(csv.next());  // the blank line 5 is skipped
    EXPECT_EQ(csv.line(), 6);
    EXPECT_EQ(csv.number(csv.column("b")), 4.0);
    EXPECT_FALSE(csv.next());
}

TEST(CsvReader, RejectsWhatIsNotANumberOrADate) {
    auto csv = CsvReader::from_text("t.csv", "n,d\n1e3,2021-02-29\nnan,\n+5,2020-02-29\n");
    ASSERT_TRUE(csv.next());
    EXPECT_EQ(csv.number(0), 1000.0);
    EXPECT_THROW(csv.date(1), std::runtime_error);  // 2021 is no leap year
    ASSERT_TRUE(csv.next());
    EXPECT_THROW(csv.number(0), std::runtime_error);
    EXPECT_FALSE(csv.optional_date(1).has_value());
    EXPECT_THROW(csv.date(1), std::runtime_error);
    ASSERT_TRUE(csv.next());
    EXPECT_EQ(csv.number(0), 5.0);
    EXPECT_EQ(csv.date(1), Date::from_ymd(2020, 2, 29));
}

TEST(CsvReader, RejectsAnUnterminatedQuote) {
    auto csv = CsvReader::from_text("t.csv", "a\n\"open\n");
    EXPECT_THROW(csv.next(), std::runtime_error);
}

TEST(RunTables, MonthEndHandlesLeapYearsAndDecember) {
    EXPECT_EQ(month_end(Date::from_ymd(2021, 2, 10)), Date::from_ymd(2021, 2, 28));
    EXPECT_EQ(month_end(Date::from_ymd(2020, 2, 1)), Date::from_ymd(2020, 2, 29));
    EXPECT_EQ(month_end(Date::from_ymd(2021, 12, 31)), Date::from_ymd(2021, 12, 31));
    EXPECT_EQ(month_end(Date::from_ymd(2021, 4, 30)), Date::from_ymd(2021, 4, 30));
}

TEST(RunTables, EmbeddedTablesHoldWpp2019PopulationAndIsoNumericCodes) {
    // Uruguay on 1 July 2020, WPP 2019: 3,473,727 persons; ISO 3166-1 numeric 858.
    const auto countries = embedded_countries();
    ASSERT_TRUE(countries.contains("URY"));
    EXPECT_DOUBLE_EQ(countries.at("URY").population, 3473727.0);
    EXPECT_EQ(countries.at("URY").income_group, "High income");
    const auto numeric = embedded_iso_numeric_codes();
    EXPECT_EQ(numeric.at("URY"), "858");
    EXPECT_EQ(numeric.at("AFG"), "004");
}

}  // namespace
}  // namespace doseflow::output
