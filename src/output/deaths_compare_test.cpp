// Tests of the comparison of a run's deaths with the mortality record; expected values worked out by hand in the
// comments.
#include "output/deaths_compare.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/date.hpp"

namespace doseflow::output {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path temp_dir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path path = fs::temp_directory_path() /
                          (std::string("doseflow-deaths-") + test->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
    return path;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SimulatedMonthlyDeaths, WeeklyPeriodsAreSpreadOverTheirDaysAndPartMonthsLeftOut) {
    const fs::path dir = temp_dir();
    // Weeks from Monday 2020-12-28 to the week of 2021-03-01 (the run ends 2021-03-07). CHL: 700 deaths in the
    // first week (100 a day: 4 days in December, 3 in January), 70 in every other week.
    std::string text = "date,country,product,component,metric,value\n";
    for (Date week = Date::from_ymd(2020, 12, 28); week <= Date::from_ymd(2021, 3, 1); week += 7) {
        text += fmt::format("{},CHL,,,deaths,{}\n", week.iso(), week == Date::from_ymd(2020, 12, 28) ? 700 : 70);
        text += fmt::format("{},,,,deaths,99999\n", week.iso());             // world row
        text += fmt::format("{},CHL,pfizer,,deaths,5555\n", week.iso());     // a breakdown, not more deaths
        text += fmt::format("{},CHL,,,cumulative_deaths,1\n", week.iso());
    }
    std::ofstream(dir / "timeseries.csv") << text;
    const auto monthly = read_simulated_monthly_deaths(dir / "timeseries.csv");
    ASSERT_EQ(monthly.size(), 1u);
    const auto& chile = monthly.at("CHL");
    EXPECT_FALSE(chile.contains("2020-12"));  // the run starts on 12-28
    EXPECT_FALSE(chile.contains("2021-03"));  // and ends on 03-07
    EXPECT_NEAR(chile.at("2021-01"), 300.0 + 4 * 70.0, 1e-9);  // 3 days of the first week and four whole weeks
    EXPECT_NEAR(chile.at("2021-02"), 4 * 70.0, 1e-9);
    fs::remove_all(dir);
}

// USA (High income), BRA (Upper middle), IND (Lower middle) over January-April 2021.
struct Fixture {
    MonthlyDeaths simulated;
    ObservedDeaths observed;
    Fixture() {
        const char* months[] = {"2021-01", "2021-02", "2021-03", "2021-04"};
        const double usa_sim[] = {100, 200, 300, 400}, usa_obs[] = {110, 190, 310, 390};    // r close to 1
        const double bra_sim[] = {400, 300, 200, 100}, bra_obs[] = {100, 200, 300, 400};    // r = -1
        const double ind_sim[] = {10, 10, 10, 10}, ind_obs[] = {50, 100, 150, 200};         // constant: no r
        for (int i = 0; i < 4; ++i) {
            simulated["USA"][months[i]] = usa_sim[i];
            simulated["BRA"][months[i]] = bra_sim[i];
            simulated["IND"][months[i]] = ind_sim[i];
            observed["USA"][months[i]] = {usa_obs[i] / 2, usa_obs[i], std::nullopt, false};
            observed["BRA"][months[i]] = {bra_obs[i] / 4, bra_obs[i], bra_obs[i], false};
            observed["IND"][months[i]] = {ind_obs[i] / 10, ind_obs[i], std::nullopt, true};
        }
        simulated["XXX"]["2021-01"] = 5;                      // not in the record
        observed["HKG"]["2021-01"] = {3.0, std::nullopt, std::nullopt, false};  // no WHO estimate
        simulated["HKG"]["2021-01"] = 4;
        simulated["USA"]["2022-01"] = 1000;  // beyond the record
    }
};

const DeathTotalRow& total(const DeathComparison& comparison, const std::string& country) {
    for (const auto& row : comparison.totals)
        if (row.country == country && row.year == "2021") return row;
    throw std::runtime_error("no row " + country);
}

TEST(CompareDeaths, TotalsErrorsCorrelationsAndShares) {
    const Fixture fixture;
    const auto comparison = compare_deaths(fixture.simulated, fixture.observed, 2);
    // USA: 1,000 against 1,000 excess and 500 reported.
    const auto& usa = total(comparison, "USA");
    EXPECT_EQ(usa.months, 4);
    EXPECT_NEAR(usa.simulated, 1000.0, 1e-9);
    EXPECT_NEAR(*usa.excess, 1000.0, 1e-9);
    EXPECT_NEAR(*usa.reported, 500.0, 1e-9);
    EXPECT_FALSE(usa.economist.has_value());
    EXPECT_NEAR(usa.error_excess_pct(), 0.0, 1e-9);
    EXPECT_GT(*usa.correlation_excess, 0.98);
    // BRA: the series run in opposite directions.
    EXPECT_NEAR(*total(comparison, "BRA").correlation_excess, -1.0, 1e-12);
    EXPECT_NEAR(*total(comparison, "BRA").economist, 1000.0, 1e-9);
    // IND: 40 against 500 = -92%; a constant simulated series has no correlation.
    EXPECT_NEAR(total(comparison, "IND").error_excess_pct(), -92.0, 1e-9);
    EXPECT_FALSE(total(comparison, "IND").correlation_excess.has_value());
    // World over the countries with a WHO estimate: 2,040 against 2,500 = -18.4%; HKG (no estimate) left out.
    const auto& world = total(comparison, "world");
    EXPECT_NEAR(world.simulated, 2040.0, 1e-9);
    EXPECT_NEAR(world.error_excess_pct(), -18.4, 1e-9);
    // Shares: High income 1,000/2,040 simulated against 1,000/2,500 observed; Lower middle 40/2,040 vs 500/2,500.
    EXPECT_NEAR(*total(comparison, "High income").share_simulated, 1000.0 / 2040, 1e-12);
    EXPECT_NEAR(*total(comparison, "High income").share_excess, 0.4, 1e-12);
    EXPECT_NEAR(*total(comparison, "Lower middle income").share_excess, 0.2, 1e-12);
    EXPECT_FALSE(std::any_of(comparison.totals.begin(), comparison.totals.end(),
                             [](const DeathTotalRow& row) { return row.country == "Low income"; }));
    // Checks (top 2 by excess: USA 1,000 and BRA 1,000; IND 500 not counted): both within 25%, one correlated.
    ASSERT_EQ(comparison.checks.size(), 1u);
    const auto& checks = comparison.checks[0];
    EXPECT_EQ(checks.year, "2021");
    EXPECT_NEAR(checks.world_error_pct, -18.4, 1e-9);
    EXPECT_EQ(checks.top_count, 2u);
    EXPECT_EQ(checks.top_within_25pct, 2u);
    EXPECT_EQ(checks.top_correlated_08, 1u);
    // Largest share gap: Lower middle income, 20% - 40/2,040 = 18.04 points.
    EXPECT_NEAR(checks.largest_share_gap_pp, 100.0 * (0.2 - 40.0 / 2040), 1e-9);
    // 2022 is beyond the record; XXX has none; HKG has no WHO estimate.
    for (const auto& row : comparison.months) EXPECT_NE(row.month, "2022-01");
    std::string notes;
    for (const auto& note : comparison.notes) notes += note + "\n";
    EXPECT_THAT(notes, HasSubstr("no observed deaths for: XXX"));
    EXPECT_THAT(notes, HasSubstr("no WHO excess estimate (left out of the world and income-group totals): HKG"));
}

TEST(CompareDeaths, PrintsAndWritesTheComparison) {
    const Fixture fixture;
    const auto comparison = compare_deaths(fixture.simulated, fixture.observed, 2);
    const std::string text = format_death_comparison(comparison);
    EXPECT_THAT(text, HasSubstr("world -18.4% of WHO excess"));
    EXPECT_THAT(text, HasSubstr("2 within 25% and 1 with monthly correlation >= 0.8"));
    EXPECT_THAT(text, HasSubstr("WHO, Estimates of Excess Mortality"));
    const fs::path dir = temp_dir();
    write_death_comparison_csv(comparison, dir);
    const std::string totals = read(dir / "compare_deaths.csv");
    EXPECT_TRUE(totals.starts_with("country,year,months,simulated,excess,reported,economist,error_excess_pct,"));
    EXPECT_THAT(totals, HasSubstr("\nIND,2021,4,40.0,500.0,50.0,,-92.00,,,\n"));
    EXPECT_THAT(read(dir / "compare_deaths_monthly.csv"), HasSubstr("\nBRA,2021-02,300.0,200.0,50.0,200.0\n"));
    fs::remove_all(dir);
}

TEST(EmbeddedObservedDeaths, HoldTheWorldRecord) {
    // WHO: 14.9 M excess deaths in 2020-2021 (Msemburi et al. 2023, Nature 613:130); JHU: 5.4 M reported by the
    // end of 2021.
    double excess = 0.0, reported = 0.0;
    for (const auto& [country, months] : embedded_observed_deaths())
        for (const auto& [month, cell] : months) {
            excess += cell.excess.value_or(0.0);
            reported += cell.reported.value_or(0.0);
        }
    EXPECT_NEAR(excess / 1e6, 14.9, 0.1);
    EXPECT_NEAR(reported / 1e6, 5.45, 0.1);
    EXPECT_TRUE(embedded_observed_deaths().at("NGA").at("2021-05").excess_predicted);   // no all-cause data
    EXPECT_FALSE(embedded_observed_deaths().at("USA").at("2021-05").excess_predicted);
}

}  // namespace
}  // namespace doseflow::output
