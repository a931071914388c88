// Hostile but fair use of the doseflow command: whole run directories (a second writer refused, a killed run
// leaving nothing that looks whole, --force replacing a run as a whole, readers refusing incomplete folders),
// usage mistakes named with exit 2, and input never silently ignored.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "doseflow/scenario.hpp"
#include "output/run_tables.hpp"
#include "world/world.hpp"

namespace fs = std::filesystem;
using namespace doseflow;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string source_dir = DOSEFLOW_SOURCE_DIR;
const std::string cli = DOSEFLOW_CLI;
const std::string two_countries = source_dir + "/tests/scenarios/two-countries.toml";

struct Outcome {
    int exit_code;
    std::string output;  // stdout and stderr together
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Outcome run_cli(const std::string& arguments) {
    const fs::path log = fs::temp_directory_path() / ("doseflow_robust_" + std::to_string(::getpid()) + ".log");
    const std::string command = cli + " " + arguments + " > " + log.string() + " 2>&1";
    const int status = std::system(command.c_str());
    const std::string text = read(log);
    fs::remove(log);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

fs::path fresh_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("doseflow_robust_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

fs::path staging_of(const fs::path& out) { return out.parent_path() / ("." + out.filename().string() + ".partial"); }

bool is_whole_run(const fs::path& dir) {
    try {
        output::verify_run_directory(dir);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

// Starts the doseflow command without a shell, so that the pid is the run's own.
pid_t spawn(const std::vector<std::string>& arguments) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> argv{const_cast<char*>(cli.c_str())};
        for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
        argv.push_back(nullptr);
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        ::execv(cli.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(RunDirectory, TwoConcurrentRunsIntoOneFolderLeaveOneWholeRunAndOneRefusal) {
    const fs::path out = fresh_dir("concurrent");
    const fs::path log_a = out.string() + ".a.log", log_b = out.string() + ".b.log";
    const std::string run = cli + " run " + two_countries + " --quiet --out " + out.string();
    const std::string both = "(" + run + " > " + log_a.string() + " 2>&1; echo $? >> " + log_a.string() + ") & (" +
                             run + " > " + log_b.string() + " 2>&1; echo $? >> " + log_b.string() + ") & wait";
    ASSERT_EQ(std::system(both.c_str()), 0);
    const std::string a = read(log_a), b = read(log_b);
    const bool a_won = a.ends_with("0\n"), b_won = b.ends_with("0\n");
    EXPECT_NE(a_won, b_won) << "exactly one run may write the folder\n" << a << "\n" << b;
    const std::string& refused = a_won ? b : a;
    EXPECT_TRUE(refused.ends_with("2\n")) << refused;
    EXPECT_THAT(refused, testing::AnyOf(HasSubstr("another doseflow run is writing"), HasSubstr("not empty")));
    EXPECT_TRUE(is_whole_run(out));
    EXPECT_FALSE(fs::exists(staging_of(out)));
    fs::remove_all(out);
    fs::remove(log_a);
    fs::remove(log_b);
}

TEST(RunDirectory, ARunKilledWhileWritingLeavesNoFolderThatLooksWhole) {
    const fs::path out = fresh_dir("killed");
    const std::vector<std::string> arguments{"run", two_countries, "--quiet", "--out", out.string()};
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(wait_for(spawn(arguments)), 0);
    const auto whole = std::chrono::steady_clock::now() - started;
    fs::remove_all(out);
    // Killed at points through the run, the writing near its end included: the folder is either whole or absent.
    for (const double fraction : {0.3, 0.6, 0.8, 0.9, 0.95, 0.98}) {
        const pid_t pid = spawn(arguments);
        std::this_thread::sleep_for(std::chrono::duration_cast<std::chrono::microseconds>(whole * fraction));
        ::kill(pid, SIGKILL);
        wait_for(pid);
        EXPECT_TRUE(!fs::exists(out) || is_whole_run(out)) << "killed at " << fraction << " of the run";
        fs::remove_all(out);
    }
    // A staging folder left by a killed run is reclaimed by the next run into the same folder.
    fs::create_directories(staging_of(out));
    std::ofstream(staging_of(out) / "timeseries.csv") << "date,country\n2021-01-01,AR";
    const Outcome next = run_cli("run " + two_countries + " --quiet --days 10 --out " + out.string());
    EXPECT_EQ(next.exit_code, 0) << next.output;
    EXPECT_TRUE(is_whole_run(out));
    EXPECT_FALSE(fs::exists(staging_of(out)));
    fs::remove_all(out);
}

TEST(RunDirectory, ForceReplacesAPreviousRunAsAWholeAndNeverAFolderOfOtherFiles) {
    const fs::path out = fresh_dir("force");
    ASSERT_EQ(run_cli("run " + two_countries + " --quiet --days 10 --out " + out.string()).exit_code, 0);
    std::ofstream(out / "compare.csv") << "left from an earlier compare";
    const Outcome refused = run_cli("run " + two_countries + " --quiet --days 20 --out " + out.string());
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_THAT(refused.output, HasSubstr("not empty"));
    const Outcome forced = run_cli("run " + two_countries + " --quiet --days 20 --force --out " + out.string());
    EXPECT_EQ(forced.exit_code, 0) << forced.output;
    EXPECT_FALSE(fs::exists(out / "compare.csv"));
    EXPECT_THAT(read(out / "summary.json"), HasSubstr("\"days\": 20"));
    EXPECT_TRUE(is_whole_run(out));
    EXPECT_FALSE(fs::exists(staging_of(out)));

    const fs::path mine = fresh_dir("force_mine");
    fs::create_directories(mine);
    std::ofstream(mine / "notes.txt") << "mine";
    const Outcome not_a_run = run_cli("run " + two_countries + " --quiet --days 5 --force --out " + mine.string());
    EXPECT_EQ(not_a_run.exit_code, 2);
    EXPECT_THAT(not_a_run.output, HasSubstr("not a previous run"));
    EXPECT_EQ(read(mine / "notes.txt"), "mine");
    EXPECT_FALSE(fs::exists(mine / "summary.json"));
    fs::remove_all(out);
    fs::remove_all(mine);
}

TEST(RunDirectory, ReportAndCompareRefuseAFolderThatIsNotAWholeRun) {
    const fs::path out = fresh_dir("readers");
    ASSERT_EQ(run_cli("run " + two_countries + " --quiet --days 40 --out " + out.string()).exit_code, 0);
    const std::string summary = read(out / "summary.json");

    const Outcome own_input = run_cli("report " + out.string() + " -o " + (out / "summary.json").string());
    EXPECT_EQ(own_input.exit_code, 2);
    EXPECT_THAT(own_input.output, HasSubstr("never writes over its inputs"));
    EXPECT_EQ(read(out / "summary.json"), summary);

    // A table cut short in the middle of a number.
    std::string table = read(out / "timeseries.csv");
    table.resize(table.size() - 3);
    std::ofstream(out / "timeseries.csv", std::ios::binary | std::ios::trunc) << table;
    for (const std::string command : {"report ", "compare "}) {
        const Outcome cut = run_cli(command + out.string());
        EXPECT_EQ(cut.exit_code, 1) << command;
        EXPECT_THAT(cut.output, HasSubstr("cut short")) << command;
    }
    EXPECT_FALSE(fs::exists(out / "report.html"));

    fs::remove(out / "summary.json");
    for (const std::string command : {"report ", "compare "}) {
        const Outcome missing = run_cli(command + out.string());
        EXPECT_EQ(missing.exit_code, 1) << command;
        EXPECT_THAT(missing.output, HasSubstr("summary.json is missing")) << command;
    }
    EXPECT_FALSE(fs::exists(out / "compare.csv"));
    fs::remove_all(out);
}

TEST(RunDirectory, ACompleteRunPassesTheReadersCheck) {
    const fs::path out = fresh_dir("complete");
    ASSERT_EQ(run_cli("run " + two_countries + " --quiet --days 40 --out " + out.string()).exit_code, 0);
    EXPECT_NO_THROW(output::verify_run_directory(out));
    const Outcome report = run_cli("report " + out.string());
    EXPECT_EQ(report.exit_code, 0) << report.output;
    EXPECT_TRUE(is_whole_run(out)) << "the report is written beside the tables, which stay as they were";
    fs::remove_all(out);
}

TEST(CliUsage, AnUnknownCommandIsNamedWithExitTwo) {
    const Outcome outcome = run_cli("ensembel --help");
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.output, HasSubstr("unknown command 'ensembel'"));
    EXPECT_THAT(outcome.output, HasSubstr("the commands are run, "));
}

TEST(CliUsage, EmptyPathsAndExtendsOverridesAreErrors) {
    const Outcome out = run_cli("run " + two_countries + " --quiet --days 5 --out ''");
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_THAT(out.output, HasSubstr("--out is empty"));
    const fs::path dir = fresh_dir("empty_db");
    const Outcome db = run_cli("run " + two_countries + " --quiet --days 5 --db '' --out " + dir.string());
    EXPECT_EQ(db.exit_code, 2);
    EXPECT_THAT(db.output, HasSubstr("--db is empty"));
    EXPECT_FALSE(fs::exists(dir));
    const Outcome extends =
        run_cli("run " + two_countries + " --quiet --days 5 --set extends=default-2021 --out " + dir.string());
    EXPECT_EQ(extends.exit_code, 2);
    EXPECT_THAT(extends.output, HasSubstr("--set extends=default-2021:1:1: error: 'extends' cannot be set with --set"));
    EXPECT_FALSE(fs::exists(dir));
}

TEST(CliUsage, SeedAndDaysOutsideTheirRangesAreNamedAsGiven) {
    const fs::path dir = fresh_dir("ranges");
    for (const std::string& bad : {std::string("--seed 99999999999999999999"), std::string("--seed -1"),
                                   std::string("--seed 9000000000000001"), std::string("--seed 1.5")}) {
        const Outcome outcome = run_cli("run " + two_countries + " --quiet " + bad + " --out " + dir.string());
        EXPECT_EQ(outcome.exit_code, 2) << bad;
        EXPECT_THAT(outcome.output, HasSubstr("expected an integer from 0 to 9000000000000000")) << bad;
        EXPECT_THAT(outcome.output, Not(HasSubstr("e+"))) << bad;
    }
    for (const std::string& bad : {std::string("--days 36500"), std::string("--days 0"), std::string("--days x")}) {
        const Outcome outcome = run_cli("run " + two_countries + " --quiet " + bad + " --out " + dir.string());
        EXPECT_EQ(outcome.exit_code, 2) << bad;
        EXPECT_THAT(outcome.output, HasSubstr("expected an integer from 1 to 10951 (the 30-year span")) << bad;
    }
    EXPECT_FALSE(fs::exists(dir));
    EXPECT_THROW(Scenario::load(ScenarioSource::file(two_countries)).with_days(10952), std::invalid_argument);
    EXPECT_NO_THROW(Scenario::load(ScenarioSource::file(two_countries)).with_days(10951));
}

TEST(CliUsage, ADirectoryOrAPipeGivenAsTheScenarioIsNamedAsSuch) {
    const fs::path dir = fresh_dir("scenario_dir");
    fs::create_directories(dir);
    const Outcome directory = run_cli("validate " + dir.string());
    EXPECT_EQ(directory.exit_code, 2);
    EXPECT_THAT(directory.output, HasSubstr("it is a directory"));
    const fs::path fifo = dir / "pipe.toml";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const Outcome pipe = run_cli("validate " + fifo.string());
    EXPECT_EQ(pipe.exit_code, 2);
    EXPECT_THAT(pipe.output, HasSubstr("it is a pipe (FIFO)"));
    fs::remove_all(dir);
}

TEST(CliUsage, LongAndBinaryBadValuesAreShortenedAndEscaped) {
    const fs::path dir = fresh_dir("long_field");
    fs::create_directories(dir);
    std::string text = read(two_countries);
    const std::string field = std::string(200000, 'x') + "\x01\x02\xff";
    const std::string income = "income_group = \"Upper middle income\"";
    text.replace(text.rfind(income), income.size(), "income_group = \"" + field + "\"");
    std::ofstream(dir / "bad.toml", std::ios::binary) << text;
    const Outcome outcome = run_cli("validate " + (dir / "bad.toml").string());
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_LT(outcome.output.size(), 4000u) << "the bad value is echoed whole";
    EXPECT_THAT(outcome.output, Not(HasSubstr("\x01")));
    EXPECT_THAT(outcome.output, Not(HasSubstr("\xff")));
    fs::remove_all(dir);
}

TEST(Printable, EscapesControlAndInvalidBytesAndShortensLongText) {
    EXPECT_EQ(printable("plain"), "plain");
    EXPECT_EQ(printable("a\x01" "b\n"), "a\\x01b\\x0A");
    EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
    EXPECT_EQ(printable("bad \xff\xc3"), "bad \\xFF\\xC3");
    const std::string shortened = printable(std::string(1000, 'y'), 90);
    EXPECT_THAT(shortened, HasSubstr("...[910 bytes left out]..."));
    EXPECT_LT(shortened.size(), 130u);
}

TEST(ExtendingFile, RemoveTrueDropsTheEntryEvenWhereAllCountriesAreListed) {
    const auto base = Scenario::load(ScenarioSource::embedded("default-2021"));
    ASSERT_TRUE(base.world().find_country("ABW").has_value());
    const auto removed = Scenario::load(
        ScenarioSource::from_text("extends = \"default-2021\"\n[[countries]]\ncode = \"ABW\"\nremove = true\n"
                                  // Aruba's one contract names it, so it goes too (else a located error).
                                  "[[contracts]]\nid = \"nld_abw_pfizer\"\nremove = true\n",
                                  "x.toml"));
    EXPECT_FALSE(removed.world().find_country("ABW").has_value());
    EXPECT_EQ(removed.world().countries.size() + 1, base.world().countries.size());

    const auto result = load_scenario(ScenarioSource::from_text(
        "extends = \"" + two_countries + "\"\n[[contracts]]\nid = \"no_such_contract\"\nremove = true\n", "y.toml"));
    ASSERT_FALSE(result.scenario);
    EXPECT_THAT(result.diagnostics.format(), HasSubstr("y.toml:4:10: error: remove = true, but the scenario this file "
                                                       "extends has no [[contracts]] entry"));
}

// remove = true through files that extend files: the entry is gone from the world at any depth, a reference to a
// removed entry is named, and an array whose entries cannot be removed says so.
TEST(ExtendingFile, RemoveTrueWorksAtAnyDepthOfExtendsForEveryArrayThatAcceptsIt) {
    const fs::path dir = fresh_dir("remove_depth");
    fs::create_directories(dir);
    std::ofstream(dir / "mid.toml") << "extends = \"default-2021\"\nname = \"mid\"\n";
    std::ofstream(dir / "top.toml") << "extends = \"mid.toml\"\nname = \"top\"\n"
                                       "[[export_controls]]\nid = \"ind_export_halt\"\nremove = true\n"
                                       "[[contracts]]\nid = \"gtm_sputnik\"\nremove = true\n"
                                       "[[suppliers]]\ncountry = \"CHN\"\nremove = true\n"
                                       "[[sites]]\nid = \"ru_biocad_light\"\nremove = true\n"
                                       "[[countries]]\ncode = \"ABW\"\nremove = true\n"
                                       "[[contracts]]\nid = \"nld_abw_pfizer\"\nremove = true\n";
    const auto base = Scenario::load(ScenarioSource::embedded("default-2021"));
    const auto result = load_scenario(ScenarioSource::file(dir / "top.toml"));
    ASSERT_TRUE(result.scenario) << result.diagnostics.format();
    const World& world = result.scenario->world();
    EXPECT_EQ(world.export_controls.size() + 1, base.world().export_controls.size());
    EXPECT_EQ(world.contracts.size() + 2, base.world().contracts.size());
    for (const auto& contract : world.contracts) {
        EXPECT_NE(contract.id, "gtm_sputnik");
        EXPECT_NE(contract.id, "nld_abw_pfizer");
    }
    EXPECT_EQ(world.sites.size() + 1, base.world().sites.size());
    for (const auto& site : world.sites) EXPECT_NE(site.id, "ru_biocad_light");
    EXPECT_EQ(world.countries.size() + 1, base.world().countries.size());
    EXPECT_FALSE(world.find_country("ABW").has_value());
    EXPECT_EQ(world.suppliers.size() + 1, base.world().suppliers.size());
    // The validator and the run agree: the command accepts it too.
    const Outcome validated = run_cli("validate " + (dir / "top.toml").string());
    EXPECT_EQ(validated.exit_code, 0) << validated.output;

    // Removed one level down, then changed: an error saying where it was removed.
    std::ofstream(dir / "mid2.toml") << "extends = \"default-2021\"\nname = \"mid2\"\n"
                                        "[[countries]]\ncode = \"ABW\"\nremove = true\n";
    std::ofstream(dir / "top2.toml") << "extends = \"mid2.toml\"\n[[countries]]\ncode = \"ABW\"\nr0_multiplier = 1.1\n";
    const auto changed = load_scenario(ScenarioSource::file(dir / "top2.toml"));
    ASSERT_FALSE(changed.scenario);
    EXPECT_THAT(changed.diagnostics.format(), HasSubstr("top2.toml:2:1: error: [[countries]] code = \"ABW\" is removed "
                                                        "by the scenario this file extends"));
    fs::remove_all(dir);
}

TEST(ExtendingFile, AReferenceToARemovedEntryOrARemovalWhereNoneIsAcceptedIsALocatedError) {
    const std::string base = "extends = \"" + two_countries + "\"\n";
    const auto product = load_scenario(
        ScenarioSource::from_text(base + "[[products]]\nid = \"twodose\"\nremove = true\n", "product.toml"));
    ASSERT_FALSE(product.scenario);
    EXPECT_THAT(product.diagnostics.format(), HasSubstr("names product 'twodose', which the scenario does not define"));
    const auto country = load_scenario(
        ScenarioSource::from_text(base + "[[countries]]\ncode = \"ARG\"\nremove = true\n", "country.toml"));
    ASSERT_FALSE(country.scenario);
    EXPECT_THAT(country.diagnostics.format(), HasSubstr("two-countries.toml:57:13: error: 'contracts[].recipient' names country 'ARG', which this scenario removes (remove = true at country.toml:4)"));
    const auto variant = load_scenario(ScenarioSource::from_text(
        base + "[[epidemic.variants]]\nid = \"ancestral\"\nremove = true\n", "variant.toml"));
    ASSERT_FALSE(variant.scenario);
    EXPECT_THAT(variant.diagnostics.format(), HasSubstr("variant.toml:4:10: error: [[variants]] entries cannot be "
                                                        "removed; remove = true is accepted in [[countries]]"));
}

TEST(ExtendingFile, AKeyGivenTwiceInTheExtendingFileIsAnError) {
    const std::string twice = "extends = \"" + two_countries + "\"\n[[contracts]]\nid = \"arg_order\"\ndoses = 1e7\n" +
                              "[[contracts]]\nid = \"arg_order\"\ndoses = 2e7\n";
    const auto result = load_scenario(ScenarioSource::from_text(twice, "z.toml"));
    ASSERT_FALSE(result.scenario);
    EXPECT_THAT(result.diagnostics.format(), HasSubstr("z.toml:5:1: error: [[contracts]] id = \"arg_order\" is given "
                                                       "twice in this file"));
}

TEST(RunDirectory, TheLastShortWeekOfADaysRunIsMarkedPartial) {
    const fs::path out = fresh_dir("partial_week");
    ASSERT_EQ(run_cli("run " + two_countries + " --quiet --days 10 --resolution weekly --out " + out.string()).exit_code,
              0);
    const auto summary = nlohmann::json::parse(read(out / "summary.json"));
    const auto& timeseries = summary["tables"]["timeseries.csv"];
    EXPECT_EQ(timeseries["period_days"], 7);
    EXPECT_EQ(timeseries["last_period_start"], "2021-01-08");
    EXPECT_EQ(timeseries["last_period_days"], 3);
    EXPECT_EQ(timeseries["last_period_partial"], true);
    fs::remove_all(out);
    ASSERT_EQ(run_cli("run " + two_countries + " --quiet --days 14 --resolution weekly --out " + out.string()).exit_code,
              0);
    EXPECT_EQ(nlohmann::json::parse(read(out / "summary.json"))["tables"]["timeseries.csv"]["last_period_partial"],
              false);
    fs::remove_all(out);
}

TEST(CliCalibrate, WritesAnOverlayThatRunsAndNamesBadCountries) {
    const fs::path out = fs::temp_directory_path() / ("doseflow_calibrate_cli_" + std::to_string(::getpid()));
    fs::remove_all(out);
    const Outcome fitted = run_cli("calibrate " + two_countries + " --countries RUS --rounds 1 --out " + out.string());
    ASSERT_EQ(fitted.exit_code, 0) << fitted.output;
    EXPECT_THAT(fitted.output, HasSubstr("Calibrated 1 countries"));
    EXPECT_TRUE(fs::exists(out / "fit.html"));
    const fs::path run = out.string() + "-run";
    fs::remove_all(run);
    const Outcome ran = run_cli("run " + (out / "scenario.toml").string() + " --quiet --days 20 --out " + run.string());
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_THAT(read(run / "summary.json"), HasSubstr("two-countries-calibrated"));

    const Outcome unknown = run_cli("calibrate " + two_countries + " --countries RUS,XYZ --out " + out.string() + "-bad");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_THAT(unknown.output, HasSubstr("'XYZ' is not a populated country"));
    EXPECT_FALSE(fs::exists(out.string() + "-bad"));
    fs::remove_all(out);
    fs::remove_all(run);
}

TEST(OneSetOfRules, WhatTheRunWouldRefuseTheChecksRefuseWithALocation) {
    const std::string base = "extends = \"" + two_countries + "\"\n";
    const auto immune = load_scenario(ScenarioSource::from_text(
        base + "[[countries]]\ncode = \"RUS\"\ninitial_immune_share = 1\n", "immune.toml"));
    ASSERT_FALSE(immune.scenario);
    EXPECT_THAT(immune.diagnostics.format(),
                HasSubstr("immune.toml:4:24: error: country RUS: initial_immune_share (1) and initial_infections (500"));
    const auto disruption = load_scenario(ScenarioSource::from_text(
        base + "[[sites]]\nid = \"main\"\nrandom_disruption = { daily_probability = 0.5, mean_duration_days = 0.5 }\n",
        "disruption.toml"));
    ASSERT_FALSE(disruption.scenario);
    EXPECT_THAT(disruption.diagnostics.format(),
                HasSubstr("disruption.toml:4:69: error: 'sites[].random_disruption.mean_duration_days' is 0.5; valid: "
                          "1 to 365"));
    const auto zero = load_scenario(ScenarioSource::from_text(
        base + "[[sites]]\nid = \"main\"\nrandom_disruption = { daily_probability = 0.5, mean_duration_days = 0 }\n",
        "zero.toml"));
    ASSERT_FALSE(zero.scenario);
    EXPECT_THAT(zero.diagnostics.format(), HasSubstr("zero.toml:4:69: error: 'sites[].random_disruption."
                                                     "mean_duration_days' is 0; valid: 1 to 365"));
}

// A population near the largest double with uniform contacts passed the checks and stopped the run with an internal
// message: the checks refuse a country beyond 1e10 persons where its populations are written, and run says the same.
TEST(OneSetOfRules, APopulationBeyondTenBillionIsRefusedByValidateAndRunWithALocation) {
    const fs::path dir = fresh_dir("population");
    fs::create_directories(dir);
    const fs::path file = dir / "pop.toml", out = dir / "out";
    const auto write = [&](const std::string& populations) {
        std::ofstream(file) << "extends = \"" << two_countries << "\"\n[[countries]]\ncode = \"ARG\"\n"
                            << "population_by_age = " << populations << "\n";
    };
    for (const std::string populations : {"[1e308, 1e308, 1e308, 1e308]", "[1e308, 1, 1, 1]", "[4e9, 4e9, 4e9, 1]"}) {
        write(populations);
        const Outcome validated = run_cli("validate " + file.string());
        EXPECT_EQ(validated.exit_code, 2) << populations;
        EXPECT_THAT(validated.output, HasSubstr("pop.toml:4:21: error: country ARG: population_by_age sums to "))
            << populations;
        EXPECT_THAT(validated.output, HasSubstr("valid: at most 1e+10 persons in all")) << populations;
        const Outcome ran = run_cli("run " + file.string() + " --quiet --days 5 --out " + out.string());
        EXPECT_EQ(ran.exit_code, 2) << populations;
        EXPECT_THAT(ran.output, HasSubstr("pop.toml:4:21: error: country ARG: population_by_age sums to "));
        EXPECT_FALSE(fs::exists(out));
    }
    write("[2.5e9, 2.5e9, 2.5e9, 2.4e9]");  // just below the limit
    EXPECT_EQ(run_cli("validate " + file.string()).exit_code, 0);
    const Outcome ran = run_cli("run " + file.string() + " --quiet --days 5 --out " + out.string());
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    fs::remove_all(dir);
}

// The supply stage takes at most 64 export controls of one exporter and product on one day; a scenario with more
// passed the checks and stopped the run with an internal message.
TEST(OneSetOfRules, MoreExportControlsAtOnceThanTheSupplyStageTakesAreRefusedWithALocation) {
    const auto controls = [&](int count) {
        std::string text = "extends = \"" + two_countries + "\"\n";
        for (int i = 0; i < count; ++i)
            text += fmt::format("[[export_controls]]\nid = \"c{}\"\nexporter = \"RUS\"\nstart = 2021-02-{:02}\n"
                                "end = 2021-03-31\n", i, 1 + i % 28);
        return load_scenario(ScenarioSource::from_text(text, "controls.toml"));
    };
    const auto allowed = controls(64);
    EXPECT_TRUE(allowed.scenario) << allowed.diagnostics.format();
    const auto refused = controls(65);
    ASSERT_FALSE(refused.scenario);
    ASSERT_FALSE(refused.diagnostics.all().empty());
    EXPECT_GT(refused.diagnostics.all().front().where.line, 1);
    EXPECT_THAT(refused.diagnostics.format(), HasSubstr("error: with this control, 65 export controls of RUS apply to "
                                                        "twodose on 2021-02-"));
    EXPECT_THAT(refused.diagnostics.format(), HasSubstr("valid: at most 64 at once for one exporter and product"));
}

// A product of more than 255 components and a site listing a component twice or none passed the checks and
// stopped the supply stage with an internal message.
TEST(OneSetOfRules, ComponentListsTheSupplyStageCannotTakeAreRefusedWithALocation) {
    const std::string base = "extends = \"" + two_countries + "\"\n";
    std::string components, yields;
    for (int i = 0; i < 256; ++i) {
        components += fmt::format("{}\"k{}\"", i ? ", " : "", i);
        yields += i ? ", 0.5" : "0.5";
    }
    const auto many = load_scenario(ScenarioSource::from_text(
        base + "[[products]]\nid = \"twodose\"\ncomponents = [" + components + "]\n[[sites]]\nid = \"main\"\n" +
            "component_yield = [" + yields + "]\n", "many.toml"));
    ASSERT_FALSE(many.scenario);
    EXPECT_THAT(many.diagnostics.format(),
                HasSubstr("many.toml:4:14: error: 'products[].components' has 256 entries; valid: at most 255"));
    const auto twice = load_scenario(ScenarioSource::from_text(
        base + "[[sites]]\nid = \"main\"\ncomponents = [\"c1\", \"c1\"]\ncomponent_yield = [1.0, 1.0]\n", "twice.toml"));
    ASSERT_FALSE(twice.scenario);
    EXPECT_THAT(twice.diagnostics.format(),
                HasSubstr("twice.toml:4:14: error: site main: component 'c1' is listed twice"));
    const auto none = load_scenario(ScenarioSource::from_text(
        base + "[[sites]]\nid = \"main\"\ncomponents = []\ncomponent_yield = []\n", "none.toml"));
    ASSERT_FALSE(none.scenario);
    EXPECT_THAT(none.diagnostics.format(), HasSubstr("none.toml:4:14: error: site main: components is empty"));
}

// Contract doses beyond ten per person of the scenario's countries are used as given, with a warning that validate
// and run both print, located at the figure.
TEST(AbsurdMagnitudes, ContractDosesBeyondTenPerPersonAreWarnedAboutByValidateAndRun) {
    const fs::path dir = fresh_dir("doses");
    fs::create_directories(dir);
    const fs::path file = dir / "doses.toml", out = dir / "out";
    const auto write = [&](const std::string& doses) {
        std::ofstream(file) << "extends = \"" << two_countries << "\"\n[[contracts]]\nid = \"arg_order\"\n"
                            << "doses = " << doses << "\n";
    };
    const std::string warning = "doses.toml:4:9: warning: contract arg_order: 3e+10 doses is more than 10 times the "
                                "1.91e+08 people of the scenario's countries";
    write("3e10");
    const Outcome validated = run_cli("validate " + file.string());
    EXPECT_EQ(validated.exit_code, 0) << validated.output;
    EXPECT_THAT(validated.output, HasSubstr(warning));
    const Outcome ran = run_cli("run " + file.string() + " --quiet --days 5 --out " + out.string());
    EXPECT_EQ(ran.exit_code, 0) << ran.output;
    EXPECT_THAT(ran.output, HasSubstr(warning));
    write("1e9");
    EXPECT_THAT(run_cli("validate " + file.string()).output, Not(HasSubstr("warning")));
    fs::remove_all(dir);
}

TEST(BoundedResources, AListLongerThanItsDeclaredLimitIsRefusedOnceAndNothingIsBuiltFromIt) {
    std::string bands = "extends = \"" + two_countries + "\"\n[world]\nage_bands = [0";
    for (int band = 1; band < 1'000'000; ++band) bands += ", " + std::to_string(band);
    bands += "]\n";
    const auto many_bands = load_scenario(ScenarioSource::from_text(bands, "bands.toml"));
    ASSERT_FALSE(many_bands.scenario);
    EXPECT_LT(many_bands.diagnostics.all().size(), 5u) << "one problem, told once";
    EXPECT_THAT(many_bands.diagnostics.format(),
                HasSubstr("bands.toml:3:13: error: 'world.age_bands' has 1000000 entries; valid: at most 121"));

    std::string countries = "extends = \"" + two_countries + "\"\n";
    for (int country = 0; country < 1001; ++country)
        countries += fmt::format("[[countries]]\ncode = \"X{:03}\"\npopulation_by_age = [1, 1, 1, 1]\n", country);
    const auto many_countries = load_scenario(ScenarioSource::from_text(countries, "countries.toml"));
    ASSERT_FALSE(many_countries.scenario);
    EXPECT_THAT(many_countries.diagnostics.format(), HasSubstr("entries; valid: at most 1000 ("));
}

// 110,000 contracts (13 MB) took over two minutes to validate when checking them was quadratic; the checks are now
// linear or n log n in the entries, and this test's timeout bounds them. One entry past the declared limit of
// 200,000 is refused where it is written, before anything is built.
TEST(BoundedResources, AHundredAndTenThousandContractsAreValidatedAndOnePastTheLimitIsRefused) {
    const fs::path dir = fresh_dir("contracts");
    fs::create_directories(dir);
    std::string text = "extends = \"" + two_countries + "\"\n";
    for (int i = 0; i < 110'000; ++i)
        text += fmt::format("[[contracts]]\nid = \"c{}\"\nsupplier = \"RUS\"\nrecipient = \"ARG\"\nproduct = \"twodose\"\n"
                            "doses = 1000\nsigned = 2021-01-01\nas_available = true\n", i);
    std::ofstream(dir / "many.toml") << text;
    const Outcome validated = run_cli("validate " + (dir / "many.toml").string());
    EXPECT_EQ(validated.exit_code, 0) << validated.output.substr(0, 2000);
    EXPECT_THAT(validated.output, HasSubstr("110001 contracts"));

    std::string over = "extends = \"" + two_countries + "\"\n";
    for (int i = 0; i < 200'000; ++i) over += fmt::format("[[contracts]]\nid = \"c{}\"\n", i);
    const auto refused = load_scenario(ScenarioSource::from_text(over, "over.toml"));
    ASSERT_FALSE(refused.scenario);
    EXPECT_LT(refused.diagnostics.all().size(), 5u) << "one problem, told once";
    // The base's one contract and 200,000 more: the 200,001st entry is on line 2 + 2 x 199,999 of over.toml.
    EXPECT_THAT(refused.diagnostics.format(),
                HasSubstr("over.toml:400000:1: error: 'contracts' has 200001 entries; valid: at most 200000"));
    fs::remove_all(dir);
}
