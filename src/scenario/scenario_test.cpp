#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "doseflow/scenario.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using ::testing::HasSubstr;

namespace {

const std::string minimal = R"(format = 1
[world]
age_bands = [0, 50]
[[countries]]
code = "AAA"
population_by_age = [1000, 500]
contacts = "uniform"
[[products]]
id = "p"
origin = "AAA"
components = ["c"]
course = [1, 1]
group = "g"
storage = "fridge"
shelf_life_days = { fridge = 100 }
[[epidemic.vaccine_groups]]
group = "g"
efficacy_infection_by_dose = [0.5, 0.8]
efficacy_death_by_dose = [0.6, 0.9]
)";

std::string with_epidemic_lists(std::string text) {
    return text + "[epidemic]\nsusceptibility = [1.0, 1.0]\ninfection_fatality_ratio = [0.001, 0.01]\n";
}

LoadResult load_text(const std::string& text) { return load_scenario(ScenarioSource::from_text(text, "test.toml")); }

}  // namespace

TEST(Scenario, LoadsAMinimalScenarioWithDefaults) {
    auto text = minimal;
    const auto result = load_text(with_epidemic_lists(text));
    ASSERT_TRUE(result.scenario) << result.diagnostics.format();
    const World& world = result.scenario->world();
    ASSERT_EQ(world.countries.size(), 1u);
    EXPECT_EQ(world.countries[0].population(), 1500);
    EXPECT_EQ(world.products[0].course, (std::vector<int>{0, 0}));
    EXPECT_DOUBLE_EQ(world.epidemic.r0, 2.6);                    // registry default
    EXPECT_DOUBLE_EQ(world.countries[0].target_coverage, 0.7);   // registry default
    EXPECT_EQ(result.scenario->sha256().size(), 64u);
}

TEST(Scenario, ReportsEveryProblemAtOnceWithPositions) {
    const std::string text = R"(format = 1
[world]
age_bands = [0, 50]
[simulation]
sed = 3
epidemic_mode = "stochastc"
[[countries]]
code = "AAA"
population_by_age = [1000, 500]
contacts = "uniform"
target_coverage = 1.5
[[contracts]]
id = "x"
supplier = "AAA"
recipient = "BBB"
product = "nothing"
doses = "many"
signed = 2021-01-01
as_available = true
)";
    const auto result = load_text(text);
    ASSERT_FALSE(result.scenario);
    const std::string report = result.diagnostics.format();
    EXPECT_THAT(report, HasSubstr("test.toml:5:1: error: unknown key 'sed' in [simulation]; did you mean 'seed'?"));
    EXPECT_THAT(report, HasSubstr("test.toml:6:17: error: 'simulation.epidemic_mode' is \"stochastc\"; valid: one of "
                                  "\"deterministic\", \"stochastic\" (did you mean \"stochastic\"?)"));
    EXPECT_THAT(report, HasSubstr("test.toml:11:19: error: 'countries[].target_coverage' is 1.5; valid: 0 to 1 share of population"));
    EXPECT_THAT(report, HasSubstr("test.toml:17:9: error: 'contracts[].doses' must be a number (doses)"));
    EXPECT_THAT(report, HasSubstr("names country 'BBB', which the scenario does not define"));
    EXPECT_THAT(report, HasSubstr("names product 'nothing', which the scenario does not define"));
    EXPECT_GE(result.diagnostics.all().size(), 6u);
}

TEST(Scenario, SemanticErrorsNameTheProblemAndTheFix) {
    auto text = minimal;
    text = with_epidemic_lists(text);
    text += "[simulation]\nstart = 2021-05-01\nend = 2021-01-01\n";
    text += "[[contracts]]\nid = \"c\"\nsupplier = \"AAA\"\nrecipient = \"AAA\"\nproduct = \"p\"\ndoses = 100\n"
            "signed = 2021-01-01\nschedule = [[2021-02-01, 80], [2021-03-01, 50]]\n";
    const auto result = load_text(text);
    ASSERT_FALSE(result.scenario);
    const std::string report = result.diagnostics.format();
    EXPECT_THAT(report, HasSubstr("simulation.end (2021-01-01) is before simulation.start (2021-05-01)"));
    EXPECT_THAT(report, HasSubstr("schedule amounts are cumulative doses due by each date and must not decrease"));
}

TEST(Scenario, UptakeProgrammesResolveCountriesAndIncomeGroups) {
    auto text = with_epidemic_lists(minimal);
    text += "[[countries]]\ncode = \"BBB\"\npopulation_by_age = [1000, 500]\ncontacts = \"uniform\"\n"
            "income_group = \"High income\"\n";
    text += "[[uptake.eligibility]]\ndate = 2021-06-01\nmin_age_years = 12\nproducts = [\"p\"]\nsource = \"s\"\n";
    text += "[[uptake.boosters]]\nstart = 2021-09-01\nincome_groups = [\"High income\"]\nuptake_share = 0.5\n"
            "source = \"s\"\n";
    text += "[[uptake.mandates]]\nstart = 2021-07-01\nend = 2021-12-31\ncountries = [\"AAA\"]\n"
            "willingness_log_odds = 0.4\nsource = \"s\"\n";
    text += "[uptake.sharing]\nenabled = true\ndonors = [\"BBB\"]\n";
    text += "[[uptake.willingness]]\nwilling_share = 0.4\ncountries = [\"BBB\"]\nsource = \"fit\"\n";
    const auto result = load_text(text);
    ASSERT_TRUE(result.scenario) << result.diagnostics.format();
    const auto& uptake = result.scenario->world().uptake;
    ASSERT_EQ(uptake.eligibility.size(), 1u);
    EXPECT_EQ(uptake.eligibility[0].countries.size(), 2u);  // neither countries nor groups: every country
    EXPECT_EQ(uptake.eligibility[0].min_age_years, 12);
    ASSERT_EQ(uptake.boosters.size(), 1u);
    ASSERT_EQ(uptake.boosters[0].countries.size(), 1u);
    EXPECT_EQ(result.scenario->world().country(uptake.boosters[0].countries[0]).code, "BBB");
    EXPECT_EQ(uptake.boosters[0].interval_days, 180);  // registry default
    ASSERT_EQ(uptake.mandates.size(), 1u);
    EXPECT_DOUBLE_EQ(uptake.mandates[0].willingness_log_odds, 0.4);
    EXPECT_TRUE(uptake.sharing.enabled);
    EXPECT_EQ(uptake.sharing.donors.size(), 1u);
    const World& world = result.scenario->world();
    EXPECT_EQ(world.countries[1].willing_share_by_age, (std::vector<double>{0.4, 0.4}));  // overridden
    EXPECT_EQ(world.countries[0].willing_share_by_age, (std::vector<double>{0.7, 0.7}));  // registry default
}

TEST(Scenario, UptakeProgrammeErrorsSayWhereAndWhatIsValid) {
    auto text = with_epidemic_lists(minimal);
    text += "[[uptake.mandates]]\nstart = 2021-07-01\nend = 2021-06-01\nsource = \"s\"\n";
    text += "[uptake.sharing]\noffer_days_before_expiry = 20\nlead_days = 14\nmin_shelf_life_days = 30\n";
    const auto result = load_text(text);
    ASSERT_FALSE(result.scenario);
    const std::string report = result.diagnostics.format();
    EXPECT_THAT(report, HasSubstr("mandate ends (2021-06-01) before it starts (2021-07-01)"));
    EXPECT_THAT(report, HasSubstr("offer_days_before_expiry (20) must exceed lead_days + min_shelf_life_days (44)"));
    EXPECT_THAT(report, HasSubstr("test.toml:"));

    auto unknown_group = with_epidemic_lists(minimal);
    unknown_group += "[[uptake.boosters]]\nstart = 2021-09-01\nincome_groups = [\"Rich\"]\nsource = \"s\"\n";
    const auto rejected = load_text(unknown_group);
    ASSERT_FALSE(rejected.scenario);
    EXPECT_THAT(rejected.diagnostics.format(), HasSubstr("valid: one of \"Low income\""));
}

TEST(Scenario, ExtendsMergesArraysOfTablesByKeyAndSetOverrides) {
    const auto dir = std::filesystem::temp_directory_path() / "doseflow_scenario_test";
    std::filesystem::create_directories(dir);
    auto base = minimal;
    std::ofstream(dir / "base.toml") << with_epidemic_lists(base);
    std::ofstream(dir / "child.toml") << R"(format = 1
extends = "base.toml"
[[countries]]
code = "AAA"
target_coverage = 0.4
[[countries]]
code = "BBB"
population_by_age = [1000, 1000]
contacts = "uniform"
)";
    const auto result = load_scenario(ScenarioSource::file(dir / "child.toml"),
                                      {{"countries.BBB.target_coverage", "0.25"}, {"epidemic.r0", "1.8"}});
    ASSERT_TRUE(result.scenario) << result.diagnostics.format();
    const World& world = result.scenario->world();
    ASSERT_EQ(world.countries.size(), 2u);
    EXPECT_DOUBLE_EQ(world.countries[0].target_coverage, 0.4);
    EXPECT_EQ(world.countries[0].population(), 1500);  // kept from the base
    EXPECT_DOUBLE_EQ(world.countries[1].target_coverage, 0.25);
    EXPECT_DOUBLE_EQ(world.epidemic.r0, 1.8);
    std::filesystem::remove_all(dir);
}

TEST(Scenario, ExtendsCycleIsReportedNotFollowedForever) {
    const auto dir = std::filesystem::temp_directory_path() / "doseflow_cycle_test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a.toml") << "format = 1\nextends = \"b.toml\"\n";
    std::ofstream(dir / "b.toml") << "format = 1\nextends = \"a.toml\"\n";
    const auto result = load_scenario(ScenarioSource::file(dir / "a.toml"));
    EXPECT_FALSE(result.scenario);
    EXPECT_THAT(result.diagnostics.format(), HasSubstr("cycle"));
    std::filesystem::remove_all(dir);
}

TEST(Scenario, SetOverrideWithUnknownEntryIsAnError) {
    auto text = minimal;
    const auto result = load_scenario(ScenarioSource::from_text(with_epidemic_lists(text), "t.toml"),
                                      {{"countries.ZZZ.target_coverage", "0.2"}});
    ASSERT_FALSE(result.scenario);
    EXPECT_THAT(result.diagnostics.format(), HasSubstr("'countries' has no entry with code = \"ZZZ\""));
}

TEST(Scenario, TestScenarioFileIsValid) {
    const auto result = load_scenario(ScenarioSource::file(std::string(DOSEFLOW_SOURCE_DIR) +
                                                           "/tests/scenarios/two-countries.toml"));
    ASSERT_TRUE(result.scenario) << result.diagnostics.format();
    EXPECT_EQ(result.scenario->world().sites[0].component_yield, (std::vector<double>{1.0, 0.5}));
}

TEST(Registry, EveryParameterHasHelpAndDefaultsOrRequired) {
    for (const auto& spec : scenario::parameter_registry().all()) {
        EXPECT_FALSE(spec.help.empty()) << spec.path;
        if (spec.default_toml.empty()) continue;
        EXPECT_TRUE(spec.default_value) << spec.path;
        // A parameter with a default names where the default comes from.
        EXPECT_FALSE(spec.source.empty()) << spec.path;
    }
}

TEST(Registry, DocsParametersMdMatchesTheRegistry) {
    std::ifstream in(std::string(DOSEFLOW_SOURCE_DIR) + "/docs/parameters.md");
    ASSERT_TRUE(in) << "docs/parameters.md is missing; run `make docs`";
    const std::string committed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(committed, scenario::parameter_registry().markdown())
        << "docs/parameters.md is stale; regenerate it with `make docs` (doseflow params > docs/parameters.md)";
}

TEST(Registry, DidYouMeanFindsCloseWordsOnly) {
    EXPECT_EQ(scenario::did_you_mean("dose", {"doses", "product"}), "doses");
    EXPECT_EQ(scenario::did_you_mean("zzzzzz", {"doses", "product"}), std::nullopt);
}
