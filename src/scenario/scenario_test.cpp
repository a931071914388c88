#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "doseflow/scenario.hpp"
#include "scenario/document.hpp"
#include "scenario/registry.hpp"
#include "world/world.hpp"

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

// Approval dates: a date needs its approval in the list, and an approval counts for buyers from its date.
TEST(Scenario, ApprovalDatesNeedTheirApprovalAndCountFromTheirDay) {
    auto product_with = [](const std::string& keys) {
        std::string text = with_epidemic_lists(minimal);
        const std::string anchor = "shelf_life_days = { fridge = 100 }\n";
        return text.replace(text.find(anchor), anchor.size(), anchor + keys);
    };
    const auto refused = load_text(product_with("approvals = [\"national\"]\nwho_eul_date = 2021-02-15\n"
                                                "ema_date = 2021-01-29\n"));
    ASSERT_FALSE(refused.scenario);
    const std::string report = refused.diagnostics.format();
    EXPECT_THAT(report, HasSubstr("product p: who_eul_date is given but approvals does not list \"who_eul\""));
    EXPECT_THAT(report, HasSubstr("product p: ema_date is given but approvals does not list \"ema\""));

    const auto dated = load_text(product_with("approvals = [\"who_eul\", \"national\"]\nwho_eul_date = 2021-02-15\n"));
    ASSERT_TRUE(dated.scenario) << dated.diagnostics.format();
    const Product& product = dated.scenario->world().products.front();
    EXPECT_FALSE(product.has_stringent_approval(Date::from_ymd(2021, 2, 14)));
    EXPECT_TRUE(product.has_stringent_approval(Date::from_ymd(2021, 2, 15)));
    const auto undated = load_text(product_with("approvals = [\"ema\"]\n"));
    ASSERT_TRUE(undated.scenario) << undated.diagnostics.format();
    EXPECT_TRUE(undated.scenario->world().products.front().has_stringent_approval(Date::from_ymd(2020, 1, 1)));
    const auto national = load_text(product_with("approvals = [\"national\"]\n"));
    ASSERT_TRUE(national.scenario);
    EXPECT_FALSE(national.scenario->world().products.front().has_stringent_approval(Date::from_ymd(2022, 1, 1)));
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

TEST(Scenario, VariantEscapeFromInfectionAndDeathAreReadAndChecked) {
    const std::string variant = "[[epidemic.variants]]\nid = \"o\"\nemergence = 2021-11-01\norigin = \"AAA\"\n"
                                "escape = { g = 0.6 }\n";
    {
        const auto result = load_text(with_epidemic_lists(minimal) + variant +
                                      "escape_death = { g = 0.1 }\nescape_infection = 0.45\n");
        ASSERT_TRUE(result.scenario) << result.diagnostics.format();
        const Variant& v = result.scenario->world().epidemic.variants.at(0);
        EXPECT_DOUBLE_EQ(v.escape.at("g"), 0.6);
        EXPECT_DOUBLE_EQ(v.escape_death.at("g"), 0.1);
        EXPECT_DOUBLE_EQ(v.escape_infection, 0.45);
    }
    {
        const auto result = load_text(with_epidemic_lists(minimal) + variant);
        ASSERT_TRUE(result.scenario) << result.diagnostics.format();
        const Variant& v = result.scenario->world().epidemic.variants.at(0);
        EXPECT_TRUE(v.escape_death.empty());
        EXPECT_DOUBLE_EQ(v.escape_infection, 0.0);  // registry default: no reinfection
    }
    const auto unknown = load_text(with_epidemic_lists(minimal) + variant + "escape_death = { h = 0.1 }\n");
    ASSERT_FALSE(unknown.scenario);
    EXPECT_THAT(unknown.diagnostics.format(),
                HasSubstr("test.toml:28:22: error: variant o: escape_death names group 'h', which no "
                          "[[epidemic.vaccine_groups]] entry defines"));
    const auto out_of_range = load_text(with_epidemic_lists(minimal) + variant + "escape_infection = 1.5\n"
                                        "escape_death = { g = -0.1 }\n");
    ASSERT_FALSE(out_of_range.scenario);
    const std::string report = out_of_range.diagnostics.format();
    EXPECT_THAT(report, HasSubstr("test.toml:28:20: error: 'epidemic.variants[].escape_infection' is 1.5; valid: 0 to 1"));
    EXPECT_THAT(report, HasSubstr("'epidemic.variants[].escape_death.g' must be a share from 0 to 1"));
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

namespace {

// The override path of a registry path on the default scenario: each "[]" becomes the key of the array's first
// entry there; nullopt when the default scenario has no keyed entry to address.
std::optional<std::string> path_on(const toml::table& document, const std::string& pattern) {
    std::string path;
    const toml::table* table = &document;
    std::size_t begin = 0;
    while (begin < pattern.size()) {
        const auto end = pattern.find('.', begin);
        std::string part = pattern.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        begin = end == std::string::npos ? pattern.size() : end + 1;
        path += (path.empty() ? "" : ".");
        if (part.size() > 2 && part.ends_with("[]")) {
            part.resize(part.size() - 2);
            const auto* array = table ? table->get_as<toml::array>(part) : nullptr;
            const auto* entry = array && !array->empty() ? array->get(0)->as_table() : nullptr;
            const auto* key = entry ? entry->get(scenario::entry_key(part)) : nullptr;
            if (!key || !key->is_string()) return std::nullopt;
            path += part + "." + *key->value<std::string>();
            table = entry;
        } else {
            path += part;
            table = table && table->get(part) ? table->get(part)->as_table() : nullptr;
        }
    }
    return path;
}

std::string just_outside(const scenario::ParamSpec& spec, bool below) {
    const double bound = below ? *spec.min : *spec.max;
    if (spec.type == scenario::ValueType::integer)
        return fmt::format("{}", static_cast<std::int64_t>(bound) + (below ? -1 : 1));
    const double step = std::max(std::abs(bound) * 1e-3, 1e-3);
    const double value = below ? bound - step : bound + step;
    switch (spec.type) {
        case scenario::ValueType::number_list: return fmt::format("[{}]", value);
        case scenario::ValueType::schedule: return fmt::format("[[2021-01-01, {}]]", value);
        default: return fmt::format("{}", value);
    }
}

bool is_numeric(const scenario::ParamSpec& spec) {
    using scenario::ValueType;
    return spec.type == ValueType::number || spec.type == ValueType::integer || spec.type == ValueType::number_list ||
           spec.type == ValueType::number_or_list || spec.type == ValueType::schedule;
}

// Sets the parameter `pattern` (a registry path) to `value` in `table`: each "[]" goes into the first entry of that
// array through which the rest of the path can be set. False when no entry of some array on the way has it.
bool set_in(toml::table& table, std::string_view pattern, const toml::node& value) {
    const auto dot = pattern.find('.');
    const std::string_view part = pattern.substr(0, dot);
    if (dot == std::string_view::npos) {
        table.insert_or_assign(part, value);
        return true;
    }
    const std::string_view rest = pattern.substr(dot + 1);
    if (part.ends_with("[]")) {
        auto* array = table.get_as<toml::array>(part.substr(0, part.size() - 2));
        if (!array) return false;
        for (auto& entry : *array)
            if (auto* entry_table = entry.as_table(); entry_table && set_in(*entry_table, rest, value)) return true;
        return false;
    }
    auto* child = table.get_as<toml::table>(part);
    return child && set_in(*child, rest, value);
}

}  // namespace

TEST(ParameterApi, EveryNumericParameterJustOutsideItsRangeIsALocatedError) {
    const Scenario base = Scenario::load(ScenarioSource::embedded("default-2021"));
    Diagnostics ignored;
    const auto document = scenario::load_document(ScenarioSource::embedded("default-2021"), {}, ignored);
    ASSERT_TRUE(document);
    int checked = 0;
    std::vector<std::string> unreachable;
    for (const auto& spec : scenario::parameter_registry().all()) {
        if (!is_numeric(spec) || (!spec.min && !spec.max)) continue;
        const auto path = path_on(*document, spec.path);
        if (!path) {
            unreachable.push_back(spec.path);
            continue;
        }
        for (const bool below : {true, false}) {
            if ((below && !spec.min) || (!below && !spec.max)) continue;
            const Override item{*path, just_outside(spec, below)};
            const auto result = base.try_with({item});
            ASSERT_FALSE(result.scenario) << item.path << " = " << item.value << " was accepted";
            const std::string where = "--set " + item.path + "=" + item.value;
            bool located = false;
            for (const auto& problem : result.diagnostics.all())
                located = located || (problem.where.file == where && problem.where.line == 1 &&
                                      problem.message.find(spec.value_range_text()) != std::string::npos);
            EXPECT_TRUE(located) << where << " gave:\n" << result.diagnostics.format();
            ++checked;
        }
    }
    EXPECT_GT(checked, 150);
    // Only entries of arrays of tables that the default scenario leaves empty, or whose entries have no key to
    // address them by, cannot be reached with --set: the next test sets those in the file.
    for (const auto& path : unreachable) EXPECT_NE(path.find("[]"), std::string::npos) << path;
}

TEST(ParameterApi, EveryNumericParameterOfAnEntryWithoutAKeyJustOutsideItsRangeIsALocatedError) {
    // Parameters of entries that --set cannot address (arrays whose entries have no key) set in the default
    // scenario's merged document, written out as a file: each value just outside its range is an error at that
    // value's file:line:column.
    Diagnostics ignored;
    const auto document = scenario::load_document(ScenarioSource::embedded("default-2021"), {}, ignored);
    ASSERT_TRUE(document);
    int checked = 0;
    std::vector<std::string> absent;
    for (const auto& spec : scenario::parameter_registry().all()) {
        if (!is_numeric(spec) || (!spec.min && !spec.max) || path_on(*document, spec.path)) continue;
        for (const bool below : {true, false}) {
            if ((below && !spec.min) || (!below && !spec.max)) continue;
            const std::string value = just_outside(spec, below);
            const toml::table parsed = toml::parse("value = " + value);
            toml::table edited = *document;
            edited.erase("extends");
            if (!set_in(edited, spec.path, *parsed.get("value"))) {
                absent.push_back(spec.path);
                break;
            }
            std::ostringstream text;
            text << edited;
            const auto result = load_scenario(ScenarioSource::from_text(text.str(), "edited.toml"));
            ASSERT_FALSE(result.scenario) << spec.path << " = " << value << " was accepted";
            bool located = false;
            for (const auto& problem : result.diagnostics.all())
                located = located || (problem.where.file == "edited.toml" && problem.where.line > 0 &&
                                      problem.message.find(spec.range_text()) != std::string::npos);
            EXPECT_TRUE(located) << spec.path << " = " << value << " gave:\n" << result.diagnostics.format();
            ++checked;
        }
    }
    EXPECT_GT(checked, 20);
    // Arrays the default scenario has no entry of at all (no shipping routes, no disinformation campaigns).
    EXPECT_THAT(absent, testing::IsSubsetOf({"shipping.routes[].lead_days", "diplomacy.campaigns[].intensity"}));
}

TEST(ParameterApi, GetReturnsTheScenarioValueOrTheDeclaredDefault) {
    const Scenario base = Scenario::load(ScenarioSource::from_text(with_epidemic_lists(minimal), "test.toml"));
    EXPECT_EQ(base.get("diplomacy.portfolio_cap"), std::optional<std::string>("0.5"));  // declared default
    const Scenario changed = base.with({{"diplomacy.portfolio_cap", "0.25"}, {"countries.AAA.r0", "3"}});
    EXPECT_EQ(changed.get("diplomacy.portfolio_cap"), std::optional<std::string>("0.25"));
    EXPECT_DOUBLE_EQ(changed.world().diplomacy.portfolio_cap, 0.25);
    EXPECT_EQ(changed.get("countries.AAA.r0"), std::optional<std::string>("3"));
    EXPECT_DOUBLE_EQ(*changed.world().countries[0].r0, 3.0);
    EXPECT_FALSE(base.get("diplomacy.no_such_key"));
    EXPECT_FALSE(base.get("countries.ZZZ.r0"));
    EXPECT_DOUBLE_EQ(base.world().diplomacy.portfolio_cap, 0.5);  // the original is unchanged
}

TEST(ParameterApi, ListsEveryDeclaredParameterWithItsRange) {
    const auto list = parameters();
    ASSERT_EQ(list.size(), scenario::parameter_registry().all().size());
    const auto it = std::find_if(list.begin(), list.end(), [](const ParameterInfo& p) {
        return p.path == "diplomacy.portfolio_cap";
    });
    ASSERT_NE(it, list.end());
    EXPECT_EQ(it->min, 0.05);
    EXPECT_EQ(it->max, 1.0);
    EXPECT_EQ(it->default_toml, "0.5");
    EXPECT_EQ(it->valid, "0.05 to 1");
}

TEST(ParameterApi, DeclaredDefaultsReachTheBuiltWorld) {
    const Scenario base = Scenario::load(ScenarioSource::from_text(with_epidemic_lists(minimal), "test.toml"));
    const auto defaults = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    EXPECT_DOUBLE_EQ(base.world().diplomacy.miss_weight, defaults.miss_weight);
    EXPECT_DOUBLE_EQ(defaults.miss_weight, 2.25);
    EXPECT_EQ(base.world().simulation.seed, 1u);
    EXPECT_EQ(base.world().countries[0].min_age_years, 18);
    EXPECT_EQ(base.world().shipping.default_lead_days, 10);
}

TEST(ParameterApi, DeclaredDefaultsOfTheDeliveryPaceReachTheBuiltWorld) {
    const Scenario base = Scenario::load(ScenarioSource::from_text(with_epidemic_lists(minimal), "test.toml"));
    EXPECT_EQ(base.world().diplomacy.as_available_expected_days, 270);
    EXPECT_EQ(base.world().diplomacy.as_available_first_delivery_days, 30);
    EXPECT_DOUBLE_EQ(base.world().diplomacy.switch_advantage, 1.5);
    EXPECT_FALSE(base.world().epidemic.history_start);
    const Scenario changed = base.with({{"epidemic.history_start", "2020-06-01"}});
    ASSERT_TRUE(changed.world().epidemic.history_start);
    EXPECT_EQ(changed.world().epidemic.history_start->iso(), "2020-06-01");
}

TEST(ParameterApi, FirstDeliveryExpectedAfterTheWholeOrderIsALocatedError) {
    const Scenario base = Scenario::load(ScenarioSource::from_text(with_epidemic_lists(minimal), "test.toml"));
    const auto result = base.try_with({{"diplomacy.as_available_expected_days", "20"},
                                       {"diplomacy.as_available_first_delivery_days", "40"}});
    ASSERT_FALSE(result.scenario);
    const auto text = result.diagnostics.format();
    EXPECT_THAT(text, testing::HasSubstr("--set diplomacy.as_available_first_delivery_days=40:1"));
    EXPECT_THAT(text, testing::HasSubstr("after diplomacy.as_available_expected_days (20)"));
    EXPECT_TRUE(base.try_with({{"diplomacy.as_available_first_delivery_days", "270"}}).scenario);
}

// contracts[].donors: countries out of whose sale contracts (same supplier and product) a donation is made.
TEST(Scenario, DonorsOfADonationAreReadAndChecked) {
    const std::string sale = "[[contracts]]\nid = \"s\"\nsupplier = \"AAA\"\nrecipient = \"AAA\"\nproduct = \"p\"\n"
                             "doses = 100\nsigned = 2021-01-01\nas_available = true\n";
    const std::string gift = "[[contracts]]\nid = \"g\"\nkind = \"covax\"\nsupplier = \"AAA\"\nproduct = \"p\"\n"
                             "doses = 10\nsigned = 2021-01-01\nas_available = true\n";
    {
        const auto result = load_text(with_epidemic_lists(minimal) + sale + gift + "donors = [\"AAA\"]\n");
        ASSERT_TRUE(result.scenario) << result.diagnostics.format();
        const World& world = result.scenario->world();
        ASSERT_EQ(world.contracts.size(), 2u);
        EXPECT_EQ(world.contracts[1].donors, (std::vector<CountryId>{CountryId(0)}));
        EXPECT_TRUE(world.contracts[0].donors.empty());
    }
    {  // an unknown country, located
        const auto result = load_text(with_epidemic_lists(minimal) + sale + gift + "donors = [\"AAA\", \"ZZZ\"]\n");
        ASSERT_FALSE(result.scenario);
        EXPECT_THAT(result.diagnostics.format(), HasSubstr("test.toml:39:18: error:"));
        EXPECT_THAT(result.diagnostics.format(), HasSubstr("names country 'ZZZ', which the scenario does not define"));
    }
    {  // a donor without a sale contract with the supplier for the product
        const auto result = load_text(with_epidemic_lists(minimal) + gift + "donors = [\"AAA\"]\n");
        ASSERT_FALSE(result.scenario);
        EXPECT_THAT(result.diagnostics.format(),
                    HasSubstr("test.toml:31:10: error: contract g: donor AAA has no sale contract with AAA for p"));
    }
    {  // donors on a sale, and a donor listed twice
        const auto result = load_text(with_epidemic_lists(minimal) + sale + "donors = [\"AAA\"]\n" + gift +
                                      "donors = [\"AAA\", \"AAA\"]\n");
        ASSERT_FALSE(result.scenario);
        EXPECT_THAT(result.diagnostics.format(), HasSubstr("contract s: donors apply to a covax or donation contract, "
                                                           "not a sale"));
        EXPECT_THAT(result.diagnostics.format(), HasSubstr("contract g: donor AAA is listed twice"));
    }
}
