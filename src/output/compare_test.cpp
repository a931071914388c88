// Tests of the comparison with observed (OWID-format) vaccinations on small run and observed folders made here;
// every expected error is worked out by hand in the comments from the rows written.
#include "output/compare.hpp"
#include "output/run_scenario.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/date.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class TempDir {
public:
    TempDir() {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                (std::string("doseflow-compare-") + test->test_suite_name() + "-" + test->name() + "-" +
                 std::to_string(::getpid()));
        fs::remove_all(path_);
        fs::create_directories(path_ / "run");
        fs::create_directories(path_ / "owid");
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    fs::path run() const { return path_ / "run"; }
    fs::path owid() const { return path_ / "owid"; }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void write(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// Daily rows from 2021-01-25 (day 0) to 2021-03-02 (day 36): month ends 2021-01-31 (day 6), 2021-02-28 (day 34).
//   ARG: population 1,000; people_dose1 = 5 x day; people_full = 2 x day; Sputnik V doses 2 + 1 a day.
//   CHL: population 2,000 (a later 1,500 must not count); people_dose1 = 20 x day.
//   URY: no population row (the embedded WPP 2019 value, 3,473,727, applies); people_dose1 = 0.
void write_daily_run(const fs::path& dir) {
    std::string text = "date,country,product,component,metric,value\n";
    const Date first = Date::from_ymd(2021, 1, 25);
    text += "2021-01-25,ARG,,,population,1000\n2021-01-25,CHL,,,population,2000\n2021-01-26,CHL,,,population,1500\n";
    for (int day = 0; day <= 36; ++day) {
        const std::string date = (first + day).iso();
        text += fmt::format("{},ARG,,,people_dose1,{}\n", date, 5 * day);
        text += fmt::format("{},ARG,,,people_full,{}\n", date, 2 * day);
        text += fmt::format("{},CHL,,,people_dose1,{}\n", date, 20 * day);
        text += fmt::format("{},URY,,,people_dose1,0\n", date);
        text += fmt::format("{},,,,people_dose1,999999\n", date);  // a world row: not a country
        text += fmt::format("{},ARG,sputnik_v,,administered_dose1,2\n", date);
        text += fmt::format("{},ARG,sputnik_v,,administered_dose2,1\n", date);
        if (day >= 14) text += fmt::format("{},ARG,sputnik_v,,administered_booster,1\n", date);  // from 02-08
        text += fmt::format("{},ARG,sputnik_v,rAd26,administered_dose1,100\n", date);  // a split, not extra doses
        text += fmt::format("{},ARG,,,rt,\n", date);
    }
    write(dir / "timeseries.csv", text);
}

// The run's products name their OWID vaccine in its scenario.toml; output code knows none by name.
void write_run_scenario(const fs::path& dir) {
    write(dir / "scenario.toml", R"([[products]]
id = "sputnik_v"
observed_name = "Sputnik V"

[[products]]
id = "pfizer"
observed_name = "Pfizer/BioNTech"

[[products]]
id = "novavax"
remove = true
observed_name = "CanSino"
)");
}

void write_observed(const fs::path& dir) {
    write(dir / "vaccinations.csv",
          "location,iso_code,date,total_vaccinations,people_vaccinated,people_fully_vaccinated,daily_vaccinations\n"
          "Argentina,ARG,2021-01-30,,20,,\n"
          "Argentina,ARG,2021-01-31,,,10,\n"
          "Argentina,ARG,2021-02-01,,40,,\n"
          "Argentina,ARG,2021-02-22,,150,,\n"
          "Argentina,ARG,2021-03-05,,260,,\n"
          "Chile,CHL,2021-01-31,,100,,\n"
          "Chile,CHL,2021-02-24,,600,,\n"
          "Chile,CHL,2021-02-27,,,,5000\n"
          "Uruguay,URY,2021-01-31,,69475,,\n"
          "Peru,PER,2021-01-31,,1000,,\n"
          "World,OWID_WRL,2021-01-31,,5000000,,\n"
          "European Union,OWID_EUN,2021-01-31,,100,,\n");
    write(dir / "vaccinations-by-manufacturer.csv",
          "location,date,vaccine,total_vaccinations\n"
          "Argentina,2021-01-31,Sputnik V,25\n"
          "Argentina,2021-02-28,Sputnik V,120\n"
          "Argentina,2021-01-31,CanSino,5\n"
          "Argentina,2021-01-31,Pfizer/BioNTech,7\n"
          "European Union,2021-01-31,Sputnik V,3\n"
          "Atlantis,2021-01-31,Sputnik V,3\n");
}

// (country, metric, month_end) -> row
std::map<std::string, ComparisonRow> index_rows(const CompareResult& result) {
    std::map<std::string, ComparisonRow> rows;
    for (const auto& row : result.rows) {
        const std::string key = row.country + " " + row.metric + " " + row.month_end;
        EXPECT_FALSE(rows.contains(key)) << "duplicate row " << key;
        rows[key] = row;
    }
    return rows;
}

class CompareTest : public ::testing::Test {
protected:
    void SetUp() override {
        write_daily_run(dir_.run());
        write_run_scenario(dir_.run());
        write_observed(dir_.owid());
    }
    TempDir dir_;
};

TEST_F(CompareTest, PeopleVaccinatedErrorsAtMonthEnds) {
    const auto rows = index_rows(compare_with_observed(dir_.run(), dir_.owid()));
    // ARG 01-31: simulated 5 x 6 = 30 of 1,000 = 3%; observed between 20 (01-30) and 40 (02-01) = 30: 3%.
    const auto& arg_january = rows.at("ARG people_dose1 2021-01-31");
    EXPECT_NEAR(*arg_january.simulated, 3.0, 1e-9);
    EXPECT_NEAR(*arg_january.observed, 3.0, 1e-9);
    EXPECT_NEAR(arg_january.error_pp, 0.0, 1e-9);
    // ARG 02-28: simulated 170 = 17%; observed 150 (02-22) + 110 x 6/11 (to 260 on 03-05) = 210: 21%.
    EXPECT_NEAR(rows.at("ARG people_dose1 2021-02-28").error_pp, -4.0, 1e-9);
    // CHL 01-31: 120 of 2,000 = 6% against 100 = 5%.
    EXPECT_NEAR(rows.at("CHL people_dose1 2021-01-31").error_pp, 1.0, 1e-9);
    // CHL 02-28: 680 = 34% against the 02-24 report of 600 = 30% (4 days old; the 02-27 row has no
    // people_vaccinated and is not a zero).
    EXPECT_NEAR(*rows.at("CHL people_dose1 2021-02-28").observed, 30.0, 1e-9);
    EXPECT_NEAR(rows.at("CHL people_dose1 2021-02-28").error_pp, 4.0, 1e-9);
    // URY: 0 against 69,475 of 3,473,727 (embedded population) = 2.000013%.
    EXPECT_NEAR(rows.at("URY people_dose1 2021-01-31").error_pp, -2.000013, 1e-6);
    EXPECT_FALSE(rows.contains("URY people_dose1 2021-02-28"));  // 28 days after the last report
    // ARG people_full 01-31: 12 = 1.2% against 10 = 1%; nothing observed later.
    EXPECT_NEAR(rows.at("ARG people_full 2021-01-31").error_pp, 0.2, 1e-9);
    EXPECT_FALSE(rows.contains("ARG people_full 2021-02-28"));
    // Peru is not in the run; OWID's aggregates are never countries (their only rows are the aggregate
    // comparison's, of the five groups it knows; a second row of the same key would be a duplicate).
    for (const auto& [key, _] : rows) {
        EXPECT_FALSE(key.starts_with("PER ")) << key;
        if (key.starts_with("OWID_")) {
            EXPECT_TRUE(key.starts_with("OWID_WRL ") || key.starts_with("OWID_HIC ") || key.starts_with("OWID_UMC ") ||
                        key.starts_with("OWID_LMC ") || key.starts_with("OWID_LIC "))
                << key;
        }
    }
}

TEST_F(CompareTest, MeanAbsoluteErrorsOverCountriesMonthsAndAll) {
    const auto rows = index_rows(compare_with_observed(dir_.run(), dir_.owid()));
    EXPECT_NEAR(rows.at("ARG people_dose1 all").error_pp, (0.0 + 4.0) / 2, 1e-9);
    EXPECT_NEAR(rows.at("CHL people_dose1 all").error_pp, (1.0 + 4.0) / 2, 1e-9);
    EXPECT_NEAR(rows.at("all people_dose1 2021-01-31").error_pp, (0.0 + 1.0 + 2.000013) / 3, 1e-6);
    EXPECT_NEAR(rows.at("all people_dose1 2021-02-28").error_pp, (4.0 + 4.0) / 2, 1e-9);
    EXPECT_NEAR(rows.at("all people_dose1 all").error_pp, (0.0 + 4.0 + 1.0 + 4.0 + 2.000013) / 5, 1e-6);
    EXPECT_FALSE(rows.at("all people_dose1 all").simulated.has_value());
    // World, 02-28 (ARG and CHL): simulated (170 + 680) / 3,000, observed (210 + 600) / 3,000.
    const auto& world = rows.at("world people_dose1 2021-02-28");
    EXPECT_NEAR(*world.simulated, 100.0 * 850 / 3000, 1e-9);
    EXPECT_NEAR(*world.observed, 100.0 * 810 / 3000, 1e-9);
    EXPECT_NEAR(world.error_pp, 100.0 * 40 / 3000, 1e-9);
}

TEST_F(CompareTest, DosesByManufacturerPer100People) {
    const auto result = compare_with_observed(dir_.run(), dir_.owid());
    const auto rows = index_rows(result);
    // Sputnik V in ARG: 3 doses a day from 01-25 (component rows are a split, not more doses) and a booster a
    // day from 02-08, as OWID counts boosters: 21 by 01-31 = 2.1 per 100 against 25 = 2.5; 105 + 21 = 126 by
    // 02-28 = 12.6 against 120 = 12.
    EXPECT_NEAR(*rows.at("ARG doses_sputnik_v 2021-01-31").simulated, 2.1, 1e-9);
    EXPECT_NEAR(rows.at("ARG doses_sputnik_v 2021-01-31").error_pp, -0.4, 1e-9);
    EXPECT_NEAR(rows.at("ARG doses_sputnik_v 2021-02-28").error_pp, 0.6, 1e-9);
    EXPECT_NEAR(rows.at("all doses_sputnik_v all").error_pp, (0.4 + 0.6) / 2, 1e-9);
    EXPECT_FALSE(rows.contains("ARG doses_pfizer 2021-01-31"));  // no Pfizer in this run
    std::string notes;
    for (const auto& note : result.notes) notes += note + "\n";
    EXPECT_THAT(notes, HasSubstr("boosters included"));
    EXPECT_THAT(notes, HasSubstr("not compared: CanSino"));
    EXPECT_THAT(notes, HasSubstr("not given in this run, not compared: pfizer"));
    EXPECT_THAT(notes, HasSubstr("without an ISO code, not compared: Atlantis"));
}

// The run's countries pooled by World Bank income group against OWID's aggregates (data/observed/
// vaccination_groups.csv): ARG is the only upper-middle-income country of this run, CHL and URY are high income.
TEST_F(CompareTest, IncomeGroupsAndTheWorldAgainstOwidAggregates) {
    const auto result = compare_with_observed(dir_.run(), dir_.owid());
    const auto rows = index_rows(result);
    // ARG by 01-31: 30 of 1,000 people with a first dose; 21 doses (3 a day from 01-25), no booster yet (the
    // boosters from 02-08 do not ramp up from the run's first day).
    const auto& dose1 = rows.at("OWID_UMC people_dose1 2021-01-31");
    EXPECT_NEAR(*dose1.simulated, 3.0, 1e-9);
    EXPECT_NEAR(dose1.error_pp, *dose1.simulated - *dose1.observed, 1e-12);
    EXPECT_NEAR(*dose1.observed, 0.18, 1e-12);  // OWID, Upper middle income, 2021-01-31
    EXPECT_NEAR(*rows.at("OWID_UMC doses 2021-01-31").simulated, 2.1, 1e-9);
    EXPECT_NEAR(*rows.at("OWID_UMC boosters 2021-01-31").simulated, 0.0, 1e-12);
    // By 02-28 the boosters given from 02-08 count: 21 of 1,000 people.
    EXPECT_NEAR(*rows.at("OWID_UMC boosters 2021-02-28").simulated, 2.1, 1e-9);
    // High income: CHL (120 of 2,000) and URY (none of its people) pooled.
    const auto& high = rows.at("OWID_HIC people_dose1 2021-01-31");
    ASSERT_TRUE(high.simulated);
    EXPECT_LT(*high.simulated, 100.0 * 120 / 2000);
    // The aggregates enter no mean error and no list of largest errors.
    EXPECT_FALSE(rows.contains("all OWID_UMC all"));
    EXPECT_THAT(format_comparison(result), HasSubstr("Against OWID's aggregates at 2021-02-28"));
}

TEST_F(CompareTest, WeeklyRowsHoldTheLevelAtTheEndOfTheirWeek) {
    // Weekly periods starting 01-04, ..., 02-01 (the last ends 02-07): a level row dated 01-25 is the level on
    // 01-31, so the 01-31 value is 70 (7%), not an interpolation towards the 02-01 row (130).
    write(dir_.run() / "timeseries.csv",
          "date,country,product,component,metric,value\n"
          "2021-01-04,ARG,,,population,1000\n"
          "2021-01-04,ARG,,,people_dose1,10\n2021-01-11,ARG,,,people_dose1,20\n2021-01-18,ARG,,,people_dose1,40\n"
          "2021-01-25,ARG,,,people_dose1,70\n2021-02-01,ARG,,,people_dose1,140\n"
          "2021-01-04,ARG,sputnik_v,,administered_dose1,7\n2021-01-11,ARG,sputnik_v,,administered_dose1,7\n"
          "2021-01-18,ARG,sputnik_v,,administered_dose1,7\n2021-01-25,ARG,sputnik_v,,administered_dose1,7\n"
          "2021-02-01,ARG,sputnik_v,,administered_dose1,7\n");
    write(dir_.owid() / "vaccinations.csv",
          "location,iso_code,date,total_vaccinations,people_vaccinated,people_fully_vaccinated,daily_vaccinations\n"
          "Argentina,ARG,2021-01-31,,60,,\n");
    write(dir_.owid() / "vaccinations-by-manufacturer.csv",
          "location,date,vaccine,total_vaccinations\nArgentina,2021-01-31,Sputnik V,30\n");
    const auto rows = index_rows(compare_with_observed(dir_.run(), dir_.owid()));
    EXPECT_NEAR(rows.at("ARG people_dose1 2021-01-31").error_pp, 1.0, 1e-9);
    // Four weeks of 7 doses have ended by 01-31: 28 = 2.8 per 100 against 30 = 3.
    EXPECT_NEAR(rows.at("ARG doses_sputnik_v 2021-01-31").error_pp, -0.2, 1e-9);
    EXPECT_FALSE(rows.contains("ARG people_dose1 2021-02-28"));  // the run ends 02-07
}

TEST_F(CompareTest, WritesCompareCsv) {
    const auto result = compare_with_observed(dir_.run(), dir_.owid());
    const fs::path out = default_comparison_path(dir_.run());
    EXPECT_EQ(out, dir_.run() / "compare.csv");
    write_comparison_csv(result, out);
    std::ifstream in(out);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_TRUE(text.starts_with("country,metric,month_end,simulated,observed,error_pp\n"));
    EXPECT_THAT(text, HasSubstr("\nARG,people_dose1,2021-01-31,3.0000,3.0000,0.0000\n"));
    EXPECT_THAT(text, HasSubstr("\nCHL,people_dose1,2021-02-28,34.0000,30.0000,4.0000\n"));
    EXPECT_THAT(text, HasSubstr("\nall,people_dose1,all,,,2.2000\n"));
    EXPECT_FALSE(fs::exists(dir_.run() / "compare.csv.tmp"));
}

TEST_F(CompareTest, PrintsOverallErrorsAndTheLargestOnes) {
    const std::string text = format_comparison(compare_with_observed(dir_.run(), dir_.owid()), 2);
    EXPECT_THAT(text, HasSubstr("people_dose1"));
    EXPECT_THAT(text, HasSubstr("2.20   over 5 country-months, 3 countries"));
    EXPECT_THAT(text, HasSubstr("Largest errors"));
    EXPECT_THAT(text, HasSubstr("ARG      people_dose1           2021-02-28      17.00      21.00      -4.00"));
    EXPECT_THAT(text, HasSubstr("CC BY 4.0"));
    EXPECT_THAT(text, Not(HasSubstr("URY      people_dose1")));  // third largest; two asked for
}

TEST_F(CompareTest, MissingObservedDirSaysWhereItLookedAndWhatToPass) {
    const fs::path nowhere = dir_.path() / "no-such-folder";
    try {
        compare_with_observed(dir_.run(), nowhere);
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr((nowhere / "vaccinations.csv").string()));
        EXPECT_THAT(error.what(), HasSubstr("--observed DIR"));
        EXPECT_THAT(error.what(), HasSubstr("leave --observed out"));
    }
}

TEST_F(CompareTest, MalformedTablesAreNamedWithFileAndLine) {
    write(dir_.owid() / "vaccinations.csv",
          "location,iso_code,date,total_vaccinations,people_vaccinated,people_fully_vaccinated,daily_vaccinations\n"
          "Chile,CHL,2021-01-31,,100,,\n"
          "Chile,CHL,2021-02-01,,1O0,,\n");
    try {
        compare_with_observed(dir_.run(), dir_.owid());
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("vaccinations.csv:3: column 'people_vaccinated': '1O0' is not a finite"));
    }
    write(dir_.run() / "timeseries.csv", "date,country,product,component,value\n");
    try {
        compare_with_observed(dir_.run(), dir_.owid());
        FAIL() << "expected an error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("timeseries.csv:1: missing column 'metric'"));
    }
}

TEST_F(CompareTest, EmbeddedTablesNeedNoFolder) {
    // Without a folder the tables embedded from data/observed are used. The test run gives Argentina a
    // population of 1,000, so OWID's people_vaccinated on 2021-02-28 (966,300: data/observed/vaccinations.csv)
    // is far above 100%; a table read from the wrong column or not embedded would fail this.
    const auto result = compare_with_observed(dir_.run());
    const auto rows = index_rows(result);
    const auto& argentina = rows.at("ARG people_dose1 2021-02-28");
    EXPECT_NEAR(*argentina.observed, 100.0 * 966300 / 1000, 1e-6);
    EXPECT_THAT(result.observed_source, HasSubstr("embedded"));
    EXPECT_THAT(format_comparison(result), HasSubstr("embedded from data/observed"));
}

// The embedded tables keep only the reports bracketing each month end; the comparison must come out the same as
// on the full OWID files (checked where the shared data set is present).
TEST(EmbeddedObservedTables, GiveTheSameMonthEndValuesAsTheFullFiles) {
    // The shared data set sits beside the checkout, or above it (a worktree).
    fs::path owid = fs::path(DOSEFLOW_SHARED_DATA_DIR) / "owid";
    for (fs::path dir = DOSEFLOW_SOURCE_DIR; !fs::is_regular_file(owid / "vaccinations.csv") && dir != dir.parent_path();
         dir = dir.parent_path())
        owid = dir / "shared" / "data" / "owid";
    if (!fs::is_regular_file(owid / "vaccinations.csv")) GTEST_SKIP() << "no shared/data/owid above the checkout";
    TempDir dir;
    // Every country of the full file, one dose a day from 2021-01-01 to 2022-03-31, with Sputnik V and Pfizer doses.
    std::string text = "date,country,product,component,metric,value\n";
    for (const char* country : {"ARG", "IND", "USA", "DEU", "HUN", "NGA", "BRA"})
        for (Date day = Date::from_ymd(2021, 1, 1); day <= Date::from_ymd(2022, 3, 31); ++day) {
            text += fmt::format("{},{},,,people_dose1,{}\n", day.iso(), country, day - Date::from_ymd(2021, 1, 1));
            text += fmt::format("{},{},,,people_full,{}\n", day.iso(), country, day - Date::from_ymd(2021, 1, 1));
            text += fmt::format("{},{},sputnik_v,,administered_dose1,1\n", day.iso(), country);
            text += fmt::format("{},{},pfizer,,administered_dose1,1\n", day.iso(), country);
        }
    write(dir.run() / "timeseries.csv", text);
    write_run_scenario(dir.run());
    const auto embedded = compare_with_observed(dir.run());
    const auto full = compare_with_observed(dir.run(), owid);
    ASSERT_GT(full.rows.size(), 100u);
    ASSERT_EQ(embedded.rows.size(), full.rows.size());
    for (std::size_t i = 0; i < full.rows.size(); ++i) {
        EXPECT_EQ(embedded.rows[i].country + embedded.rows[i].metric + embedded.rows[i].month_end,
                  full.rows[i].country + full.rows[i].metric + full.rows[i].month_end);
        EXPECT_NEAR(embedded.rows[i].error_pp, full.rows[i].error_pp, 1e-9) << full.rows[i].country << " "
                                                                            << full.rows[i].metric << " "
                                                                            << full.rows[i].month_end;
    }
}

TEST(OwidVaccines, MapToProductsByTheScenariosObservedNames) {
    TempDir dir;
    write_run_scenario(dir.run());
    const auto names = read_run_scenario(dir.run()).product_by_observed_name;
    ASSERT_EQ(names.size(), 2u);  // a removed product names nothing
    EXPECT_EQ(names.at("Sputnik V"), "sputnik_v");
    EXPECT_EQ(names.at("Pfizer/BioNTech"), "pfizer");
    // Without a scenario no vaccine maps to a product, so no doses are compared.
    write_daily_run(dir.run());
    write_observed(dir.owid());
    fs::remove(dir.run() / "scenario.toml");
    const auto result = compare_with_observed(dir.run(), dir.owid());
    for (const auto& row : result.rows) EXPECT_FALSE(row.metric.starts_with("doses_")) << row.metric;
    std::string notes;
    for (const auto& note : result.notes) notes += note + "\n";
    EXPECT_THAT(notes, HasSubstr("not compared: CanSino, Pfizer/BioNTech, Sputnik V"));
}

}  // namespace
}  // namespace doseflow::output
