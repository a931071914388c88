// Whole-run tests through the doseflow command and the public API: golden outputs of a small scenario,
// determinism (same seed -> same bytes, for 1 and N threads), exit codes and error messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/global_control.h>

#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"
#include "core/csv.hpp"
#include "engine/run_record.hpp"
#include "output/run_tables.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"

namespace fs = std::filesystem;
using namespace doseflow;
using ::testing::HasSubstr;

namespace {

const std::string source_dir = DOSEFLOW_SOURCE_DIR;
const std::string cli = DOSEFLOW_CLI;
const std::string two_countries = source_dir + "/tests/scenarios/two-countries.toml";

struct Outcome {
    int exit_code;
    std::string output;  // stdout and stderr together
};

Outcome run_cli(const std::string& arguments) {
    const fs::path log = fs::temp_directory_path() / ("doseflow_cli_" + std::to_string(::getpid()) + ".log");
    const std::string command = cli + " " + arguments + " > " + log.string() + " 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove(log);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("doseflow_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

const std::vector<std::string> tables = {"timeseries.csv", "deliveries.csv", "contracts.csv", "events.csv",
                                         "diplomacy.csv"};

// The figures of summary.json without the manifest (which names the version and git revision).
std::string figures_of(const fs::path& dir) {
    return nlohmann::json::parse(read(dir / "summary.json"))["figures"].dump(2) + "\n";
}

}  // namespace

TEST(WholeRun, GoldenOutputsOfTheTwoCountryScenario) {
    // Re-approve deliberately after a meant change: `make approve-goldens`.
    const fs::path out = fresh_dir("golden");
    const auto outcome = run_cli("run " + two_countries + " --out " + out.string() + " --quiet");
    ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
    const fs::path golden = source_dir + "/tests/golden/two-countries";
    const bool approve = std::getenv("DOSEFLOW_APPROVE_GOLDENS") != nullptr;
    if (approve) fs::create_directories(golden);
    for (const auto& table : tables) {
        if (approve) fs::copy_file(out / table, golden / table, fs::copy_options::overwrite_existing);
        EXPECT_EQ(read(out / table), read(golden / table))
            << table << " differs from tests/golden/two-countries; if the change is meant, run `make approve-goldens`";
    }
    if (approve) std::ofstream(golden / "figures.json") << figures_of(out);
    EXPECT_EQ(figures_of(out), read(golden / "figures.json"));
    fs::remove_all(out);
}

TEST(WholeRun, SameSeedGivesTheSameBytes) {
    const fs::path a = fresh_dir("same_a"), b = fresh_dir("same_b");
    for (const auto& dir : {a, b}) {
        const auto outcome = run_cli("run " + two_countries + " --out " + dir.string() + " --quiet --seed 11");
        ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
    }
    for (const auto& table : tables) EXPECT_EQ(read(a / table), read(b / table)) << table;
    EXPECT_EQ(read(a / "summary.json"), read(b / "summary.json"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST(WholeRun, ADifferentSeedChangesStochasticOutputs) {
    const fs::path a = fresh_dir("seed_a"), b = fresh_dir("seed_b");
    const std::string stochastic = " --set simulation.epidemic_mode=stochastic --quiet --no-counterfactual";
    ASSERT_EQ(run_cli("run " + two_countries + " --out " + a.string() + " --seed 1" + stochastic).exit_code, 0);
    ASSERT_EQ(run_cli("run " + two_countries + " --out " + b.string() + " --seed 2" + stochastic).exit_code, 0);
    EXPECT_NE(read(a / "timeseries.csv"), read(b / "timeseries.csv"));
    fs::remove_all(a);
    fs::remove_all(b);
}

// Rates inside the parameter ranges that a one-step-a-day integrator could not take (it wrote NaN, infinities and
// negative prevalence with exit 0): every value written is a finite count >= 0, and the deaths figure is a number.
TEST(WholeRun, FastRatesInsideTheRangesGiveSoundOutputs) {
    for (const char* setting : {"epidemic.vaccine_groups.adenovirus.waning_days=0.1",
                                "epidemic.vaccine_groups.adenovirus.waning_days=1e-6", "epidemic.latent_days=0.3",
                                "epidemic.latent_days=0.2", "epidemic.infectious_days=0.1",
                                "epidemic.infection_immunity_days=1e-6"}) {
        const fs::path out = fresh_dir("fast_rates");
        const Outcome outcome = run_cli("run " + two_countries + " --quiet --days 120 --set " + setting +
                                        " --out " + out.string());
        ASSERT_EQ(outcome.exit_code, 0) << setting << "\n" << outcome.output;
        std::istringstream lines(read(out / "timeseries.csv"));
        std::string line;
        std::getline(lines, line);  // header
        int rows = 0;
        while (std::getline(lines, line)) {
            const std::string value = line.substr(line.rfind(',') + 1);
            const double number = std::strtod(value.c_str(), nullptr);
            ASSERT_TRUE(std::isfinite(number) && number >= 0.0) << setting << ": " << line;
            ++rows;
        }
        EXPECT_GT(rows, 100) << setting;
        const auto figures = nlohmann::json::parse(read(out / "summary.json"))["figures"];
        ASSERT_TRUE(figures["deaths"].is_number()) << setting;
        EXPECT_GT(figures["deaths"].get<double>(), 0.0) << setting;
        fs::remove_all(out);
    }
}

TEST(WholeRun, ResultsDoNotDependOnTheThreadCount) {
    for (const char* mode : {"deterministic", "stochastic"}) {
        const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries),
                                                 {{"simulation.epidemic_mode", std::string("\"") + mode + "\""}});
        std::string one, many;
        {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
            one = output::timeseries_csv(Simulation(scenario).run(), false);
        }
        {
            tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
            many = output::timeseries_csv(Simulation(scenario).run(), false);
        }
        EXPECT_EQ(one, many) << mode;
    }
}

TEST(WholeRun, CoverageNeverExceedsFirstDosesOrPopulation) {
    const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries));
    const Results results = Simulation(scenario).run();
    std::map<std::pair<int, std::int32_t>, std::pair<double, double>> by_day;  // (day, country) -> dose1, full
    for (const auto& point : results.recorded->series.points()) {
        if (point.key.product >= 0) continue;
        auto& entry = by_day[{point.date.days_since_1970(), point.key.country}];
        if (point.key.metric == "people_dose1") entry.first = point.value;
        if (point.key.metric == "people_full") entry.second = point.value;
    }
    ASSERT_FALSE(by_day.empty());
    double most_full = 0;
    for (const auto& [key, entry] : by_day) {
        const double population = scenario.world().countries[static_cast<std::size_t>(key.second)].population();
        EXPECT_LE(entry.second, entry.first + 1e-6);
        EXPECT_LE(entry.first, population);
        most_full = std::max(most_full, entry.second);
    }
    EXPECT_GT(most_full, 0.0) << "nobody was fully vaccinated: the scenario no longer exercises the stages";
}

TEST(Cli, ValidateReportsEveryMistakeAndExitsTwo) {
    const fs::path file = fs::temp_directory_path() / ("doseflow_bad_" + std::to_string(::getpid()) + ".toml");
    std::ofstream(file) << "format = 1\nextends = \"" << two_countries << "\"\n"
                        << "[simulation]\nseeed = 3\n[epidemic]\nr0 = -1\n[[contracts]]\nid = \"arg_order\"\n"
                        << "product = \"twodse\"\n";
    const auto outcome = run_cli("validate " + file.string());
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.output, HasSubstr(file.string() + ":4:1: error: unknown key 'seeed' in [simulation]; did you mean 'seed'?"));
    EXPECT_THAT(outcome.output, HasSubstr(file.string() + ":6:6: error: 'epidemic.r0' is -1; valid: 0.1 to 20"));
    EXPECT_THAT(outcome.output, HasSubstr(":9:11: error: 'contracts[].product' names product 'twodse', which the "
                                          "scenario does not define; did you mean 'twodose'?"));
    fs::remove(file);
}

TEST(Cli, ValidateAcceptsTheTestScenario) {
    const auto outcome = run_cli("validate " + two_countries);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
    EXPECT_THAT(outcome.output, HasSubstr("valid"));
}

TEST(Cli, RunRefusesANonEmptyOutputDirectoryWithoutForce) {
    const fs::path out = fresh_dir("nonempty");
    fs::create_directories(out);
    std::ofstream(out / "keep.txt") << "mine";
    const auto outcome = run_cli("run " + two_countries + " --out " + out.string() + " --quiet --days 5");
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.output, HasSubstr("not empty"));
    EXPECT_EQ(read(out / "keep.txt"), "mine");
    EXPECT_FALSE(fs::exists(out / "summary.json"));
    // --force replaces only a previous run directory, never a folder of other files.
    const auto forced = run_cli("run " + two_countries + " --out " + out.string() + " --quiet --days 5 --force");
    EXPECT_EQ(forced.exit_code, 2) << forced.output;
    EXPECT_THAT(forced.output, HasSubstr("not a previous run"));
    EXPECT_FALSE(fs::exists(out / "summary.json"));
    EXPECT_EQ(read(out / "keep.txt"), "mine");
    fs::remove_all(out);
}

TEST(Cli, UsageErrorsExitTwoAndParamsListsTheRegistry) {
    EXPECT_EQ(run_cli("run --no-such-flag").exit_code, 2);
    EXPECT_EQ(run_cli("run " + two_countries + " --set nonsense").exit_code, 2);
    const auto params = run_cli("params");
    EXPECT_EQ(params.exit_code, 0);
    EXPECT_THAT(params.output, HasSubstr("| `epidemic.r0` | number | 1 | `2.6` | 0.1 to 20 |"));
    const auto json = run_cli("params --json");
    EXPECT_EQ(json.exit_code, 0);
    EXPECT_TRUE(nlohmann::json::parse(json.output).is_array());
}

TEST(Cli, SummaryJsonCarriesTheManifest) {
    const fs::path out = fresh_dir("manifest");
    ASSERT_EQ(run_cli("run " + two_countries + " --out " + out.string() + " --quiet --days 30 --seed 5").exit_code, 0);
    const auto summary = nlohmann::json::parse(read(out / "summary.json"));
    const auto& m = summary["manifest"];
    EXPECT_EQ(m["seed"], 5);
    EXPECT_EQ(m["days"], 30);
    EXPECT_EQ(m["scenario_name"], "two-countries");
    EXPECT_EQ(m["scenario_sha256"].get<std::string>().size(), 64u);
    EXPECT_TRUE(summary["figures"].contains("world_doses"));
    for (const auto& entry : fs::directory_iterator(out))
        EXPECT_FALSE(entry.path().filename().string().ends_with(".partial")) << entry.path();
    fs::remove_all(out);
}

namespace {
double doses_delivered_to(const Results& results, const std::string& code) {
    double total = 0;
    for (const auto& row : results.recorded->deliveries)
        if (row.recipient.valid() && results.recorded->world->country(row.recipient).code == code && row.supplier != row.recipient)
            total += row.doses;
    return total;
}
}  // namespace

// A gift the Facility shipped (most US gifts of 2021) is a donation to the recipient the donor chose, and COVAX's
// delivery: deliveries.csv gives its channel, covax, and summary.json counts it among COVAX's deliveries.
TEST(WholeRun, AGiftShippedThroughCovaxCountsAmongCovaxDeliveries) {
    std::string text = read(two_countries);
    const std::string order = "id = \"arg_order\"\n";
    ASSERT_NE(text.find(order), std::string::npos);
    const auto summed = [](const fs::path& dir) {
        output::CsvReader csv = output::CsvReader::open(dir / "deliveries.csv");
        const auto contract = csv.column("contract"), kind = csv.column("kind"), doses = csv.column("doses");
        std::map<std::string, double> by_kind;
        while (csv.next())
            if (csv.text(contract) == "arg_order") by_kind[std::string(csv.text(kind))] += csv.number(doses);
        const double covax = nlohmann::json::parse(read(dir / "summary.json"))["figures"]["covax_delivered"];
        return std::make_pair(by_kind, covax);
    };
    for (const bool through_covax : {false, true}) {
        std::string gift = text;
        gift.replace(gift.find(order), order.size(),
                     order + "kind = \"donation\"\nthrough_covax = " + (through_covax ? "true" : "false") + "\n");
        gift.replace(gift.find("prepaid_usd = 5.0e7\n"), std::string("prepaid_usd = 5.0e7\n").size(), "");
        const fs::path dir = fresh_dir(through_covax ? "gift_covax" : "gift_direct");
        const fs::path file = dir.string() + ".toml";
        std::ofstream(file) << gift;
        const Outcome outcome = run_cli("run " + file.string() + " --quiet --out " + dir.string());
        ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
        const auto [by_kind, covax] = summed(dir);
        const std::string channel = through_covax ? "covax" : "donation";
        ASSERT_EQ(by_kind.size(), 1u);
        ASSERT_TRUE(by_kind.count(channel)) << by_kind.begin()->first;
        EXPECT_GT(by_kind.at(channel), 0.0);
        EXPECT_NEAR(covax, through_covax ? by_kind.at(channel) : 0.0, 1e-6 * by_kind.at(channel));
        fs::remove_all(dir);
        fs::remove(file);
    }
    // Only a donation can be shipped through COVAX.
    std::string sale = text;
    sale.replace(sale.find(order), order.size(), order + "through_covax = true\n");
    try {
        Scenario::load(ScenarioSource::from_text(sale, "sale.toml"));
        ADD_FAILURE() << "a sale through COVAX was accepted";
    } catch (const ScenarioError& e) {
        EXPECT_THAT(e.what(), HasSubstr("through_covax is for a donation"));
        EXPECT_THAT(e.what(), HasSubstr("arg_order"));
    }
}

TEST(WholeRun, ExportsFallWhenTheSuppliersHomeEpidemicSurges) {
    // Other things equal, only Russia's own epidemic differs between the two runs (its R0).
    const auto exports = [](const char* home_r0, const char* surge_response) {
        const Scenario scenario = Scenario::load(
            ScenarioSource::file(two_countries),
            {{"countries.RUS.r0", home_r0}, {"countries.RUS.initial_infections", "20000"},
             {"suppliers.RUS.surge_response", surge_response}, {"suppliers.RUS.policy", "\"domestic_first\""}});
        return doses_delivered_to(Simulation(scenario).run(), "ARG");
    };
    const double calm = exports("0.9", "0.8"), surge = exports("2.5", "0.8");
    EXPECT_GT(calm, 0.0);
    EXPECT_LT(surge, 0.9 * calm) << "exports to the buyer should fall when the home epidemic surges";
}

TEST(WholeRun, EpidemicOnlyCounterfactualMatchesAFullRunWithoutVaccination) {
    const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries)).without_vaccination();
    const Results full = Simulation(scenario).run();
    RunOptions options;
    options.epidemic_only = true;
    options.record_series = false;
    const Results fast = Simulation(scenario).run(options);
    EXPECT_TRUE(fast.recorded->series.points().empty());
    EXPECT_TRUE(fast.recorded->deliveries.empty());
    ASSERT_EQ(full.deaths_by_country.size(), fast.deaths_by_country.size());
    double deaths = 0;
    for (std::size_t c = 0; c < full.deaths_by_country.size(); ++c) {
        EXPECT_NEAR(fast.deaths_by_country[c], full.deaths_by_country[c], 1e-9 * (1 + full.deaths_by_country[c]));
        deaths += full.deaths_by_country[c];
        EXPECT_EQ(full.people_dose1_by_country[c], 0.0);
    }
    EXPECT_GT(deaths, 0.0) << "the scenario has no epidemic to compare";
}

TEST(WholeRun, WeeklyRecordingWritesWhatDailyRecordingAggregatesToWeeks) {
    const Scenario daily = Scenario::load(ScenarioSource::file(two_countries),
                                          {{"simulation.output_resolution", "\"daily\""}});
    const Scenario weekly = Scenario::load(ScenarioSource::file(two_countries),
                                           {{"simulation.output_resolution", "\"weekly\""}});
    const Results from_daily = Simulation(daily).run();
    const Results from_weekly = Simulation(weekly).run();
    EXPECT_EQ(from_daily.recorded->series.period_days(), 1);
    EXPECT_EQ(from_weekly.recorded->series.period_days(), 7);
    EXPECT_LT(from_weekly.recorded->series.points().size(), from_daily.recorded->series.points().size());
    EXPECT_EQ(output::timeseries_csv(from_daily, true), output::timeseries_csv(from_weekly, true));
    EXPECT_THROW(output::timeseries_csv(from_weekly, false), std::logic_error);
}

TEST(Summary, KeyFiguresTotalContractsByProductAndSupplierAndRankShortfalls) {
    const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries));
    const Results results = Simulation(scenario).run();
    const auto figures = output::key_figures(results, nullptr);
    double contracted = 0, delivered = 0;
    for (const auto& record : results.recorded->contracts.records) {
        if (record.terms.kind == ContractKind::licence) continue;
        contracted += record.terms.doses;
        delivered += record.delivered_doses;
    }
    ASSERT_GT(contracted, 0.0);
    for (const char* table : {"products", "suppliers"}) {
        double table_contracted = 0, table_delivered = 0;
        for (const auto& row : figures[table]) {
            table_contracted += row["contracted"].get<double>();
            table_delivered += row["delivered"].get<double>();
        }
        EXPECT_NEAR(table_contracted, contracted, 1e-6 * contracted) << table;
        EXPECT_NEAR(table_delivered, delivered, 1e-6 * contracted) << table;
    }
    const auto& shortfalls = figures["largest_shortfalls"];
    ASSERT_FALSE(shortfalls.empty());
    EXPECT_LE(shortfalls.size(), 10u);
    for (std::size_t i = 1; i < shortfalls.size(); ++i)
        EXPECT_GE(shortfalls[i - 1]["shortfall"].get<double>(), shortfalls[i]["shortfall"].get<double>());
    for (const auto& s : shortfalls) {
        EXPECT_LE(s["delivered"].get<double>(), s["ordered"].get<double>() + 1e-6);
        EXPECT_LE(s["due"].get<double>(), s["ordered"].get<double>() + 1e-6);
    }
    const std::string text = output::format_summary(figures);
    for (const auto& s : shortfalls) EXPECT_THAT(text, HasSubstr(s["contract"].get<std::string>()));
    EXPECT_THAT(text, HasSubstr("by product"));
}

TEST(Summary, IncomeGroupsAreListedPoorestFirst) {
    const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries));
    Results results = Simulation(scenario).run();
    auto world = std::make_shared<World>(*results.recorded->world);
    ASSERT_GE(world->countries.size(), 2u);
    world->countries[0].income_group = "High income";
    world->countries[1].income_group = "Low income";
    auto recorded = std::make_shared<RunRecord>(*results.recorded);
    recorded->world = world;
    results.recorded = recorded;
    const auto figures = output::key_figures(results, nullptr);
    const auto& groups = figures["people_full_by_income_group"];
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0]["income_group"], "Low income");
    EXPECT_EQ(groups[1]["income_group"], "High income");
}

TEST(WholeRun, CounterfactualDeathsAreRecordedBesideDeathsAndSummedByWindow) {
    const Scenario scenario = Scenario::load(ScenarioSource::file(two_countries));
    RunOptions counterfactual_options;
    counterfactual_options.epidemic_only = true;
    counterfactual_options.record_series = false;
    const Results counterfactual = Simulation(scenario.without_vaccination()).run(counterfactual_options);
    ASSERT_EQ(static_cast<int>(counterfactual.daily_deaths.size()), scenario.world().simulation.days());
    RunOptions options;
    options.deaths_without_vaccination = &counterfactual.daily_deaths;
    const Results results = Simulation(scenario).run(options);

    // The recorded flows add up, country by country, to the counterfactual's cumulative deaths.
    std::vector<double> recorded(scenario.world().countries.size(), 0.0), deaths(recorded.size(), 0.0);
    for (const auto& point : results.recorded->series.points()) {
        if (point.key.metric == "deaths_without_vaccination") recorded.at(point.key.country) += point.value;
        if (point.key.metric == "deaths") deaths.at(point.key.country) += point.value;
    }
    double averted = 0.0;
    for (std::size_t c = 0; c < recorded.size(); ++c) {
        EXPECT_NEAR(recorded[c], counterfactual.deaths_by_country[c], 1e-6 * (1 + recorded[c]));
        EXPECT_NEAR(deaths[c], results.deaths_by_country[c], 1e-6 * (1 + deaths[c]));
        averted += recorded[c] - deaths[c];
    }
    EXPECT_GT(averted, 0.0) << "vaccination should avert deaths in the test scenario";

    const auto figures = output::key_figures(results, &counterfactual);
    const auto& windows = figures["deaths_by_window"];
    ASSERT_TRUE(windows.contains("2021"));
    ASSERT_TRUE(windows.contains("whole_run"));
    const auto& run = windows["whole_run"];
    EXPECT_NEAR(run["world"]["deaths_averted"].get<double>(), figures["deaths_averted"].get<double>(),
                1e-6 * (1 + averted));
    double by_group = 0.0;
    for (const auto& [group, entry] : run["by_income_group"].items()) by_group += entry["deaths"].get<double>();
    EXPECT_NEAR(by_group, run["world"]["deaths"].get<double>(), 1e-6 * (1 + by_group));
    EXPECT_GT(run["by_income_group"]["Upper middle income"]["deaths"].get<double>(), 0.0);
    EXPECT_THAT(output::format_summary(figures), HasSubstr("same transmission path"));

    RunOptions short_options;
    std::vector<std::vector<double>> too_short(3, std::vector<double>(recorded.size(), 0.0));
    short_options.deaths_without_vaccination = &too_short;
    EXPECT_THROW(Simulation(scenario).run(short_options), std::invalid_argument);
}

TEST(WholeRun, TransmissionPathMovesGeometricallyBetweenKnots) {
    const Scenario scenario = Scenario::load(
        ScenarioSource::file(two_countries),
        {{"countries.RUS.transmission_path", "[[2021-01-01, 0.5], [2021-01-21, 2.0]]"}});
    const World& world = scenario.world();
    const auto transmission_multiplier = [](const Country& c, Date date) {
        return std::exp(c.log_transmission_path.at(date));
    };
    const auto russia = std::find_if(world.countries.begin(), world.countries.end(),
                                     [](const Country& c) { return c.code == "RUS"; });
    ASSERT_NE(russia, world.countries.end());
    EXPECT_NEAR(transmission_multiplier(*russia, Date::from_ymd(2020, 12, 1)), 0.5, 1e-12);
    EXPECT_NEAR(transmission_multiplier(*russia, Date::from_ymd(2021, 1, 11)), 1.0, 1e-12);  // geometric midpoint
    EXPECT_NEAR(transmission_multiplier(*russia, Date::from_ymd(2021, 1, 6)), std::sqrt(0.5), 1e-12);
    EXPECT_NEAR(transmission_multiplier(*russia, Date::from_ymd(2021, 5, 1)), 2.0, 1e-12);
    for (const Country& c : world.countries) {
        if (c.code == "RUS") continue;
        EXPECT_TRUE(c.log_transmission_path.empty()) << c.code;
    }

    // Less transmission, fewer deaths; more, more.
    const auto russian_deaths = [&](const char* path) {
        const Scenario s = Scenario::load(ScenarioSource::file(two_countries),
                                          {{"countries.RUS.transmission_path", path}});
        const Results r = Simulation(s).run();
        const auto at = std::find_if(s.world().countries.begin(), s.world().countries.end(),
                                     [](const Country& c) { return c.code == "RUS"; });
        return r.deaths_by_country[static_cast<std::size_t>(at - s.world().countries.begin())];
    };
    const double low = russian_deaths("[[2021-01-01, 0.6]]"), one = russian_deaths("[[2021-01-01, 1.0]]"),
                 high = russian_deaths("[[2021-01-01, 1.5]]");
    EXPECT_LT(low, one);
    EXPECT_LT(one, high);
    EXPECT_THROW(Scenario::load(ScenarioSource::file(two_countries), {{"countries.RUS.transmission_path", "[[2021-01-01, 0]]"}}),
                 ScenarioError);
}

TEST(WholeRun, HistoryBeforeTheStartSetsTheStateAndIsNotCountedInTheRun) {
    const Scenario plain = Scenario::load(ScenarioSource::file(two_countries));
    const Scenario history = Scenario::load(ScenarioSource::file(two_countries),
                                            {{"epidemic.history_start", "2020-09-01"}});
    const Results a = Simulation(plain).run();
    const Results b = Simulation(history).run();
    double deaths_a = 0, deaths_b = 0, recorded_b = 0;
    for (double d : a.deaths_by_country) deaths_a += d;
    for (double d : b.deaths_by_country) deaths_b += d;
    for (const auto& point : b.recorded->series.points())
        if (point.key.metric == "deaths") recorded_b += point.value;
    EXPECT_GT(deaths_b, 0.0);
    EXPECT_NE(deaths_a, deaths_b) << "four months of history should change the state at the start";
    // The run's deaths are those of its own days: the history's are not in the totals.
    EXPECT_NEAR(recorded_b, deaths_b, 1e-6 * (1 + deaths_b));
    EXPECT_THROW(Scenario::load(ScenarioSource::file(two_countries), {{"epidemic.history_start", "2021-01-01"}}),
                 ScenarioError);
}

namespace {

// A table of a SQLite store as CSV records: the header (without run_id), then each row's fields as the CSV writer
// formats them (numbers by format_number, NULL as an empty field).
std::vector<std::vector<std::string>> stored_records(const fs::path& db, const std::string& table) {
    SQLite::Database database(db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement query(database, "SELECT * FROM " + table + " ORDER BY rowid");
    std::vector<std::vector<std::string>> records(1);
    for (int i = 1; i < query.getColumnCount(); ++i) records[0].emplace_back(query.getColumnName(i));
    while (query.executeStep()) {
        std::vector<std::string> row;
        for (int i = 1; i < query.getColumnCount(); ++i) {  // column 0 is run_id
            const auto column = query.getColumn(i);
            row.push_back(column.isNull()    ? std::string()
                          : column.isFloat() ? output::format_number(column.getDouble())
                                             : column.getString());
        }
        records.push_back(std::move(row));
    }
    return records;
}

}  // namespace

TEST(Cli, AnEventNoteWithALineBreakIsOneRowInEventsCsvAndInTheDatabase) {
    const fs::path dir = fresh_dir("note");
    fs::create_directories(dir);
    const fs::path scenario = dir / "note.toml";
    std::ofstream(scenario) << "format = 1\nextends = \"" << two_countries << "\"\n"
                            << "[[events]]\ndate = 2021-01-10\nkind = \"price_change\"\nproduct = \"twodose\"\n"
                            << "value = 12\nnote = \"\"\"first line, with a comma\nsecond \"quoted\" line\"\"\"\n";
    const fs::path out = dir / "out";
    const fs::path db = dir / "runs.sqlite";
    const auto outcome = run_cli("run " + scenario.string() + " --out " + out.string() + " --db " + db.string() +
                                 " --quiet --days 20");
    ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
    const auto records = csv::parse(read(out / "events.csv"));
    ASSERT_GE(records.size(), 2u);
    EXPECT_EQ(stored_records(db, "events"), records);
    const auto& header = records.front();
    const auto detail = static_cast<std::size_t>(std::find(header.begin(), header.end(), "detail") - header.begin());
    const auto note = std::find_if(records.begin() + 1, records.end(), [&](const auto& row) {
        return row.at(detail) == "first line, with a comma\nsecond \"quoted\" line";
    });
    EXPECT_NE(note, records.end()) << read(out / "events.csv");
    // The other tables the CSV writer rounds nothing in hold the same rows too.
    for (const std::string table : {"timeseries", "deliveries", "contracts"}) {
        const auto written = csv::parse(read(out / (table + ".csv")));
        EXPECT_GE(written.size(), 2u) << table;
        EXPECT_EQ(stored_records(db, table), written) << table;
    }
    fs::remove_all(dir);
}

TEST(Cli, TheRunDirectoryScenarioRepeatsTheRunByteForByte) {
    const fs::path first = fresh_dir("first");
    const fs::path again = fresh_dir("again");
    ASSERT_EQ(run_cli("run " + two_countries + " --out " + first.string() +
                      " --quiet --days 60 --seed 7 --set epidemic.r0=2.2 --set contracts.arg_order.doses=2.5e7")
                  .exit_code,
              0);
    ASSERT_TRUE(fs::exists(first / "scenario.toml"));
    const auto rerun = run_cli("run " + (first / "scenario.toml").string() + " --out " + again.string() +
                               " --quiet --seed 7");
    ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
    for (const auto& table : tables) EXPECT_EQ(read(first / table), read(again / table)) << table;
    EXPECT_EQ(figures_of(first), figures_of(again));
    EXPECT_EQ(read(first / "scenario.toml"), read(again / "scenario.toml"));
    const auto other_seed = run_cli("run " + (first / "scenario.toml").string() + " --out " + again.string() +
                                    " --quiet --force --seed 8");
    ASSERT_EQ(other_seed.exit_code, 0) << other_seed.output;
    EXPECT_THAT(read(again / "scenario.toml"), HasSubstr("seed = 8"));
    fs::remove_all(first);
    fs::remove_all(again);
}

TEST(Cli, ReproduceBubar2021CountsYearsOfLifeLostWithTheUsaOrEachCountrysLifeExpectancy) {
    const fs::path usa = fresh_dir("bubar_usa");
    const fs::path own = fresh_dir("bubar_own");
    const std::string part = "reproduce bubar2021 --countries ZWE --supply-pct 0,20 --out ";
    const auto by_usa = run_cli(part + usa.string());
    ASSERT_EQ(by_usa.exit_code, 0) << by_usa.output;
    const auto by_own = run_cli(part + own.string() + " --yll-life-expectancy own");
    ASSERT_EQ(by_own.exit_code, 0) << by_own.output;
    const auto a = csv::parse(read(usa / "bubar2021.csv"));
    const auto b = csv::parse(read(own / "bubar2021.csv"));
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GT(a.size(), 1u);
    int yll_rows = 0;
    for (std::size_t r = 1; r < a.size(); ++r) {
        ASSERT_EQ(a[r].size(), 7u);
        for (std::size_t c = 0; c < 6; ++c) ASSERT_EQ(a[r][c], b[r][c]) << "row " << r;
        if (a[r][5] != "yll") {  // infections, deaths and the shares averted do not depend on it
            if (a[r][5] != "yll_averted_pct") {
                EXPECT_EQ(a[r][6], b[r][6]) << "row " << r;
            }
            continue;
        }
        ++yll_rows;
        // Zimbabwe's remaining life expectancy is below the USA's in every age group (UN WPP 2019).
        if (std::stod(a[r][6]) > 0.0) {
            EXPECT_LT(std::stod(b[r][6]), std::stod(a[r][6])) << "row " << r;
        }
    }
    EXPECT_EQ(yll_rows, 4 * (1 + 5 * 2));  // four heat-map scenarios: the baseline and five strategies x 2 supplies
    const auto wrong = run_cli(part + own.string() + " --yll-life-expectancy mine");
    EXPECT_NE(wrong.exit_code, 0);
    EXPECT_THAT(wrong.output, HasSubstr("usa"));
    fs::remove_all(usa);
    fs::remove_all(own);
}
