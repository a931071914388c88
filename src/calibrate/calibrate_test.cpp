#include "doseflow/calibrate.hpp"

#include <filesystem>
#include <fstream>
#include <cmath>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fmt/format.h>

#include "doseflow/simulation.hpp"
#include "epidemic/epidemic_model.hpp"
#include "epidemic/input_log.hpp"
#include "output/deaths_compare.hpp"

namespace doseflow::calibrate {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string two_countries = std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries.toml";

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

CalibrationOptions small_options() {
    CalibrationOptions options;
    options.source = ScenarioSource::file(two_countries);
    options.extends = "two-countries.toml";
    options.name = "two-countries-calibrated";
    return options;
}

// A country replayed alone from the recorded inputs, with the path it ran with, dies exactly as in the world run.
TEST(EpidemicReplay, ReproducesTheWorldRunOfOneCountry) {
    const Scenario scenario =
        Scenario::load(ScenarioSource::file(two_countries),
                       {{"epidemic.history_start", "2020-06-01"},
                        {"countries.ARG.transmission_path", "[[2020-06-01, 1.8], [2020-10-01, 0.7], [2021-03-01, 1.4]]"}});
    const World& world = scenario.world();
    EpidemicInputLog log;
    RunOptions options;
    options.record_series = false;
    options.epidemic_inputs = &log;
    const Results results = Simulation(scenario).run(options);
    const std::size_t arg = 1;
    ASSERT_EQ(world.countries[arg].code, "ARG");
    ASSERT_FALSE(log.countries[arg].empty());

    const EpidemicModel model(world, world.simulation.seed);
    auto epidemic = model.initial_country_epidemic(CountryId(arg));
    epidemic::IntegratorWorkspace workspace;
    std::vector<double> deaths;
    const auto next = replay_epidemic_inputs(*epidemic, log.countries[arg], 0, world.simulation.end,
                                             world.countries[arg].log_transmission_path, world.epidemic,
                                             model.integrator(), workspace, &deaths);
    EXPECT_EQ(next, log.countries[arg].size());
    const auto history_days = static_cast<std::size_t>(world.simulation.start - *world.epidemic.history_start);
    ASSERT_EQ(deaths.size(), history_days + results.daily_deaths.size());
    double total = 0;
    for (std::size_t day = 0; day < results.daily_deaths.size(); ++day) {
        EXPECT_EQ(deaths[history_days + day], results.daily_deaths[day][arg]) << "day " << day;
        total += results.daily_deaths[day][arg];
    }
    EXPECT_GT(total, 100.0);  // an epidemic, not zeros compared with zeros

    // Another path gives other deaths: the replay follows the path it is given.
    auto other = model.initial_country_epidemic(CountryId(arg));
    std::vector<double> other_deaths;
    replay_epidemic_inputs(*other, log.countries[arg], 0, world.simulation.end, Ramp(std::log(0.5)), world.epidemic,
                           model.integrator(), workspace, &other_deaths);
    double other_total = 0, same_total = 0;
    for (double d : other_deaths) other_total += d;
    for (double d : deaths) same_total += d;
    EXPECT_LT(other_total, 0.5 * same_total);
}

TEST(Calibrate, FitsTheRecordBetterThanTheScenarioAsGivenAndIsDeterministic) {
    const Calibration calibration = calibrate(small_options());
    ASSERT_EQ(calibration.countries.size(), 2u);
    for (const auto& fit : calibration.countries) {
        SCOPED_TRACE(fit.code);
        EXPECT_EQ(fit.target, "who_excess");
        EXPECT_LT(fit.error_after, 0.5 * fit.error_before);
        ASSERT_GT(fit.observed_2021, 0);
        EXPECT_NEAR(fit.after_2021 / fit.observed_2021, 1.0, 0.5);
        EXPECT_GT(fit.correlation_after, 0.6);
        ASSERT_FALSE(fit.path.empty());
        EXPECT_EQ(fit.path.front().first, Date::from_ymd(2020, 2, 1));
        EXPECT_EQ(fit.fatality_multiplier, 1.0);  // transmission alone makes these records
    }
    // The target month by month: WHO's excess where there is any; where a month is at or below the expected
    // deaths, the deaths reported that month (Argentina's first months of 2020), so that a lockdown's fall in
    // other deaths does not put the fitted epidemic out.
    int floored = 0;
    for (const auto& fit : calibration.countries) {
        const auto& record = output::embedded_observed_deaths().at(fit.code);
        for (std::size_t m = 0; m < fit.months.size(); ++m) {
            SCOPED_TRACE(fit.code + " " + fit.months[m]);
            const auto& month = record.at(fit.months[m]);
            ASSERT_TRUE(month.excess.has_value());
            if (*month.excess > 0) {
                EXPECT_EQ(fit.observed[m], *month.excess);
            } else if (month.reported && *month.reported > 0) {
                EXPECT_EQ(fit.observed[m], *month.reported);
                ++floored;
            } else {
                EXPECT_EQ(fit.observed[m], 0.0);
            }
        }
    }
    EXPECT_GE(floored, 3);
    EXPECT_THAT(calibration.overlay_toml, Not(HasSubstr("fatality_multiplier")));
    EXPECT_THAT(calibration.overlay_toml, HasSubstr("extends = \"two-countries.toml\""));
    EXPECT_THAT(calibration.overlay_toml, HasSubstr("history_start = 2020-02-01"));

    auto threaded = small_options();
    threaded.threads = 2;
    EXPECT_EQ(calibrate(threaded).overlay_toml, calibration.overlay_toml);
}

// With a fatality ratio far below the one the records imply, Russia's 2021 deaths need more infections than its
// people: the path saturates, and calibrate raises the country's fatality multiplier instead, which the overlay
// writes and a run of it uses.
TEST(Calibrate, RaisesTheFatalityRatioOnlyWhereTransmissionCannotMakeTheDeaths) {
    auto options = small_options();
    options.countries = {"RUS"};
    options.overrides = {{"epidemic.infection_fatality_ratio", "[4.5e-06, 4.25e-05, 0.000525, 0.00775]"}};
    const fs::path out = fs::temp_directory_path() / "doseflow_calibrate_fatality_test";
    fs::remove_all(out);
    options.extends = fs::path(two_countries).lexically_relative(out).generic_string();
    const Calibration calibration = calibrate(options);
    ASSERT_EQ(calibration.countries.size(), 1u);
    const CountryFit& fit = calibration.countries[0];
    EXPECT_GT(fit.fatality_multiplier, 1.0);
    EXPECT_LE(fit.fatality_multiplier, 4.0);
    EXPECT_THAT(calibration.overlay_toml, HasSubstr(fmt::format("fatality_multiplier = {}", fit.fatality_multiplier)));

    write_calibration(calibration, out, false);
    const Scenario calibrated =
        Scenario::load(ScenarioSource::file(out / "scenario.toml"), options.overrides);
    EXPECT_EQ(calibrated.world().countries[0].code, "RUS");
    EXPECT_EQ(calibrated.world().countries[0].fatality_multiplier, fit.fatality_multiplier);
    EXPECT_EQ(calibrated.world().countries[1].fatality_multiplier, 1.0);
    EXPECT_THAT(read(out / "fit_summary.csv"),
                HasSubstr(fmt::format(",{},{}\n", fit.fatality_multiplier, fit.death_reporting_ratio)));
    fs::remove_all(out);
}

TEST(Calibrate, TheOverlayLoadsAndRunsTheFittedPaths) {
    const fs::path out = fs::temp_directory_path() / "doseflow_calibrate_test";
    fs::remove_all(out);
    fs::create_directories(out.parent_path());
    auto options = small_options();
    options.extends = fs::path(two_countries).lexically_relative(out).generic_string();
    const Calibration calibration = calibrate(options);
    write_calibration(calibration, out, false);
    EXPECT_EQ(read(out / "scenario.toml"), calibration.overlay_toml);
    EXPECT_THAT(read(out / "fit_summary.csv"), HasSubstr("RUS,who_excess,"));
    EXPECT_THAT(read(out / "fit.html"), HasSubstr("<svg"));
    EXPECT_THROW(write_calibration(calibration, out, false), std::invalid_argument);  // not empty, no --force
    write_calibration(calibration, out, true);

    const Scenario calibrated = Scenario::load(ScenarioSource::file(out / "scenario.toml"));
    EXPECT_EQ(calibrated.name(), "two-countries-calibrated");
    ASSERT_TRUE(calibrated.world().epidemic.history_start.has_value());
    // Russia reported about a third of its excess deaths (JHU against WHO, 2020-2021): the fitted ratio says so.
    EXPECT_EQ(calibration.countries[0].code, "RUS");
    EXPECT_GT(calibration.countries[0].death_reporting_ratio, 0.1);
    EXPECT_LT(calibration.countries[0].death_reporting_ratio, 0.7);
    EXPECT_THAT(calibration.overlay_toml,
                HasSubstr(fmt::format("death_reporting_ratio = {}", calibration.countries[0].death_reporting_ratio)));
    EXPECT_EQ(calibrated.world().countries[0].death_reporting_ratio, calibration.countries[0].death_reporting_ratio);
    const auto& path = calibrated.world().countries[0].log_transmission_path.points();
    ASSERT_EQ(path.size(), calibration.countries[0].path.size());
    for (std::size_t k = 0; k < path.size(); ++k)
        EXPECT_DOUBLE_EQ(std::exp(path[k].value), calibration.countries[0].path[k].second);
    fs::remove_all(out);
}

TEST(Calibrate, NamesAnUnknownCountryAndOptionsOutOfRange) {
    auto options = small_options();
    options.countries = {"FRA"};
    try {
        calibrate(options);
        FAIL() << "FRA is not in the scenario";
    } catch (const std::invalid_argument& e) {
        EXPECT_THAT(e.what(), HasSubstr("'FRA' is not a populated country"));
    }
    options = small_options();
    options.knot_days = 3;
    EXPECT_THROW(calibrate(options), std::invalid_argument);
    options = small_options();
    options.history_start = Date::from_ymd(2021, 2, 1);
    EXPECT_THROW(calibrate(options), std::invalid_argument);
}

}  // namespace
}  // namespace doseflow::calibrate
