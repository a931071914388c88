#include "commands.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "doseflow/calibrate.hpp"
#include "doseflow/date.hpp"
#include "doseflow/error.hpp"
#include "doseflow/run_directory.hpp"
#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"

#ifndef DOSEFLOW_VERSION
#define DOSEFLOW_VERSION "0.0.0"
#endif
#ifndef DOSEFLOW_GIT_REVISION
#define DOSEFLOW_GIT_REVISION "unknown"
#endif

namespace doseflow::cli {
namespace {

ScenarioSource source_for(const std::string& argument) { return ScenarioSource::named(argument); }

std::vector<Override> parse_overrides(const std::vector<std::string>& items, Diagnostics& diagnostics) {
    std::vector<Override> overrides;
    for (const auto& item : items) {
        const auto equals = item.find('=');
        if (equals == std::string::npos || equals == 0) {
            diagnostics.error({"--set " + item, 0, 0}, "write --set PATH=VALUE, e.g. --set epidemic.r0=3");
            continue;
        }
        overrides.push_back({item.substr(0, equals), item.substr(equals + 1)});
    }
    return overrides;
}

std::filesystem::path default_output_directory(const std::string& name) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
    const std::filesystem::path base = std::filesystem::path("out") / (safe.empty() ? "run" : safe);
    std::error_code error;
    if (!std::filesystem::exists(base, error) || std::filesystem::is_empty(base, error)) return base;
    for (int i = 2;; ++i) {
        auto candidate = base;
        candidate += fmt::format("-{}", i);
        if (!std::filesystem::exists(candidate, error) || std::filesystem::is_empty(candidate, error)) return candidate;
    }
}

void print_progress(int done, int total) {
    const int width = 40;
    const int filled = done * width / total;
    std::fprintf(stderr, "\r[%s%s] %d/%d days", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), done, total);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
}

}  // namespace

namespace {

// Wall-clock seconds of the parts of a run, printed by --profile.
class Stopwatch {
public:
    double lap() {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - last_).count();
        last_ = now;
        return seconds;
    }
    double since_start() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

std::string profile_table(const std::vector<std::pair<std::string, double>>& rows, double total) {
    std::string text = "profile (wall-clock seconds):\n";
    for (const auto& [name, seconds] : rows)
        text += fmt::format("  {:<34} {:8.3f}  {:5.1f}%\n", name, seconds, total > 0 ? 100.0 * seconds / total : 0.0);
    text += fmt::format("  {:<34} {:8.3f}\n", "total", total);
    return text;
}

}  // namespace

ScenarioSource scenario_source(const std::string& argument) { return source_for(argument); }

int calibrate(const CalibrateCommand& command) {
    Diagnostics diagnostics;
    calibrate::CalibrationOptions options;
    options.overrides = parse_overrides(command.overrides, diagnostics);
    if (diagnostics.has_errors()) throw ScenarioError(diagnostics);
    const std::string scenario = command.scenario.empty() ? std::string("default-2021") : command.scenario;
    options.source = source_for(scenario);
    if (command.out.empty()) throw std::invalid_argument("--out is empty; name the directory to write the fit into");
    // The overlay extends the scenario by its embedded name, or by its path from the folder the overlay goes into.
    if (options.source.kind == ScenarioSource::Kind::file) {
        const auto target = std::filesystem::absolute(command.out).lexically_normal();
        options.extends = std::filesystem::absolute(scenario).lexically_normal().lexically_relative(target).generic_string();
    } else {
        options.extends = scenario;
    }
    options.name = command.name;
    // The command that writes this overlay again (the thread count does not change it).
    options.command = "doseflow calibrate " + scenario + (command.name.empty() ? "" : " --name " + command.name);
    for (const auto& item : command.countries) options.command += " --countries " + item;
    for (const auto& item : command.overrides) options.command += " --set " + item;
    if (command.history_start != "2020-02-01") options.command += " --history-start " + command.history_start;
    if (command.fit_end != "2021-12-31") options.command += " --fit-end " + command.fit_end;
    if (command.knot_days != 28) options.command += fmt::format(" --knot-days {}", command.knot_days);
    if (command.rounds != 2) options.command += fmt::format(" --rounds {}", command.rounds);
    options.command += " --out DIR";
    for (const auto& item : command.countries) {
        std::size_t begin = 0;
        while (begin <= item.size()) {
            const auto comma = std::min(item.find(',', begin), item.size());
            if (comma > begin) options.countries.push_back(item.substr(begin, comma - begin));
            begin = comma + 1;
        }
    }
    const auto history_start = Date::parse(command.history_start);
    if (!history_start) throw std::invalid_argument("--history-start " + command.history_start + ": expected YYYY-MM-DD");
    const auto fit_end = Date::parse(command.fit_end);
    if (!fit_end) throw std::invalid_argument("--fit-end " + command.fit_end + ": expected YYYY-MM-DD");
    options.history_start = *history_start;
    options.fit_end = *fit_end;
    options.knot_days = command.knot_days;
    options.rounds = command.rounds;
    options.threads = command.threads;
    if (!command.quiet) options.on_progress = [](const std::string& text) { std::fprintf(stderr, "calibrate: %s\n", text.c_str()); };
    const auto calibration = calibrate::calibrate(options);
    calibrate::write_calibration(calibration, command.out, command.force);
    if (command.quiet) return 0;
    int better = 0, within_25 = 0, with_record = 0;
    for (const auto& fit : calibration.countries) {
        better += fit.error_after < fit.error_before;
        if (fit.observed_2021 > 0) {
            ++with_record;
            within_25 += std::abs(fit.after_2021 / fit.observed_2021 - 1) <= 0.25;
        }
    }
    std::cout << fmt::format("Calibrated {} countries in {:.0f} s ({} rounds): 2021 deaths within 25% of the record "
                             "for {} of {}; monthly error lower than the scenario as given for {}.\n"
                             "Overlay: {}/scenario.toml; fit report: {}/fit.html, fit_summary.csv, fit.csv\n",
                             calibration.countries.size(), calibration.seconds, calibration.rounds, within_25,
                             with_record, better, command.out, command.out);
    return 0;
}
namespace {

// An option's whole-number value in [low, high], or std::invalid_argument saying what would be valid.
std::uint64_t option_integer(std::string_view option, std::string_view text, std::uint64_t low, std::uint64_t high,
                             std::string_view meaning) {
    std::uint64_t value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || failure != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw std::invalid_argument(fmt::format("{} {}: expected an integer from {} to {}{}", option,
                                                printable(text, 60), low, high, meaning));
    return value;
}

}  // namespace

int run(const RunCommand& command) {
    Stopwatch stopwatch;
    std::vector<std::pair<std::string, double>> profile;
    Diagnostics diagnostics;
    auto overrides = parse_overrides(command.overrides, diagnostics);
    if (command.seed)
        overrides.push_back({"simulation.seed", std::to_string(option_integer("--seed", *command.seed, 0,
                                                                              max_seed, ""))});
    const std::optional<std::uint64_t> days =
        command.days ? std::optional(option_integer("--days", *command.days, 1, max_simulated_span_days + 1,
                                                    " (the 30-year span limit of a scenario)"))
                     : std::nullopt;
    if (!command.resolution.empty()) overrides.push_back({"simulation.output_resolution", "\"" + command.resolution + "\""});
    if (diagnostics.has_errors()) throw ScenarioError(diagnostics);
    Scenario scenario = Scenario::load(source_for(command.scenario), overrides);
    std::fputs(scenario.warnings().format().c_str(), stderr);
    if (days) scenario = scenario.with_days(static_cast<int>(*days));
    if (command.database && command.database->empty())
        throw std::invalid_argument("--db is empty; name the SQLite file to store the run in, or leave --db out");
    const auto out = command.out ? std::filesystem::path(*command.out) : default_output_directory(scenario.name());
    output::StagedRunDirectory staged(out, command.force);
    profile.emplace_back("load and check the scenario", stopwatch.lap());

    const auto started = std::chrono::steady_clock::now();
    RunOptions options;
    options.profile = command.profile;
    if (command.progress) options.on_day = print_progress;
    const RunWithCounterfactual run = run_with_counterfactual(scenario, options, !command.no_counterfactual);
    const Results& results = run.results;
    const std::optional<Results>& counterfactual = run.counterfactual;
    const double both_seconds = stopwatch.lap();
    if (counterfactual) profile.emplace_back("counterfactual (no vaccination)", run.counterfactual_seconds);
    const double run_seconds = std::max(0.0, both_seconds - run.counterfactual_seconds);
    const StageSeconds& stages = results.stage_seconds;
    const double in_stages = stages.events + stages.supply + stages.uptake + stages.epidemic + stages.diplomacy;
    profile.emplace_back("run: events", stages.events);
    profile.emplace_back("run: supply", stages.supply);
    profile.emplace_back("run: uptake", stages.uptake);
    profile.emplace_back("run: epidemic", stages.epidemic);
    profile.emplace_back("run: diplomacy", stages.diplomacy);
    profile.emplace_back("run: set-up and results", std::max(0.0, run_seconds - in_stages));

    const output::RunSummary summary(scenario, run, DOSEFLOW_VERSION, DOSEFLOW_GIT_REVISION, command.overrides);
    profile.emplace_back("key figures", stopwatch.lap());
    output::write_run_directory(staged.path(), scenario, results, summary);
    std::uintmax_t bytes = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(staged.path(), error))
        if (entry.is_regular_file(error)) bytes += entry.file_size(error);
    staged.commit();
    const double write_seconds = stopwatch.lap();
    const double megabytes = static_cast<double>(bytes) / 1e6;
    profile.emplace_back(fmt::format("write ({:.1f} MB, {:.0f} MB/s)", megabytes,
                                     write_seconds > 0 ? megabytes / write_seconds : 0.0),
                         write_seconds);
    if (command.database) {
        output::store_run(*command.database, results, summary);
        profile.emplace_back("SQLite store", stopwatch.lap());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!command.quiet) {
        std::cout << fmt::format("doseflow {}: scenario '{}' ({} days from {}, seed {})\n", DOSEFLOW_VERSION,
                                 scenario.name(), summary.days(), summary.start().iso(), summary.seed());
        std::cout << summary.text();
        std::cout << fmt::format("Outputs: {} ({:.1f} s)\n", out.string(), seconds);
        if (command.database) std::cout << fmt::format("Stored in: {}\n", *command.database);
    }
    if (command.profile) std::fputs(profile_table(profile, stopwatch.since_start()).c_str(), stderr);
    return 0;
}

int validate(const std::vector<std::string>& scenarios) {
    int status = 0;
    for (const auto& name : scenarios) {
        auto result = load_scenario(source_for(name));
        if (result.scenario) {
            const ScenarioCheck check = check_scenario(*result.scenario);
            std::fputs(check.warnings.format().c_str(), stderr);
            std::cout << fmt::format("{}: valid ({} countries, {} products, {} sites, {} contracts)\n", name,
                                     check.countries, check.products, check.sites, check.contracts);
        } else {
            std::fputs(result.diagnostics.format().c_str(), stderr);
            std::size_t errors = 0;
            for (const auto& d : result.diagnostics.all()) errors += d.severity == Severity::error;
            std::cerr << fmt::format("{}: {} error{}\n", name, errors, errors == 1 ? "" : "s");
            status = 2;
        }
    }
    return status;
}

int params(bool json) {
    std::cout << (json ? parameters_json() : parameters_markdown());
    return 0;
}

int version() {
    std::cout << fmt::format("doseflow {} ({})\n", DOSEFLOW_VERSION, DOSEFLOW_GIT_REVISION);
    return 0;
}

}  // namespace doseflow::cli

#include "doseflow/ensemble.hpp"
#include "doseflow/report.hpp"
#include "doseflow/reproduce.hpp"
#include "doseflow/serve.hpp"

namespace doseflow::cli {

void write_ensemble_report(const std::filesystem::path& dir, const std::filesystem::path& html);

int reproduce(const ReproduceCommand& command) {
    if (command.model != "bubar2021")
        throw std::invalid_argument("unknown model '" + command.model + "'; known: bubar2021");
    ReproduceOptions options;
    options.heatmap_yll_with_usa_life_expectancy = command.yll_life_expectancy != "own";
    options.countries = command.countries;
    options.supply_pct = command.supply_pct;
    const std::string& out = command.out;
    if (isatty(fileno(stderr)))
        options.on_progress = [](int done, int total) {
            std::fprintf(stderr, "\r%d/%d runs", done, total);
            if (done == total) std::fputc('\n', stderr);
        };
    const auto started = std::chrono::steady_clock::now();
    reproduce_bubar2021(out, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << fmt::format("Bubar et al. 2021 reproduced: {} ({:.1f} s)\n",
                             (std::filesystem::path(out) / "bubar2021.csv").string(), seconds);
    return 0;
}

int report(const std::string& run_dir, const std::string& out) {
    output::verify_run_directory(run_dir);
    const auto html = out.empty() ? output::default_report_path(run_dir) : std::filesystem::path(out);
    if (ensemble::is_ensemble_directory(run_dir)) write_ensemble_report(run_dir, html);
    else output::write_report(run_dir, html);
    std::cout << fmt::format("Report: {}\n", html.string());
    return 0;
}

int compare(const std::string& run_dir, const std::string& observed) {
    output::verify_run_directory(run_dir);
    std::optional<std::filesystem::path> observed_dir;
    if (!observed.empty()) observed_dir = observed;
    std::cout << output::compare_run_directory(run_dir, observed_dir);
    std::cout << fmt::format("Written: {}, compare_deaths.csv, compare_deaths_monthly.csv, compare_deliveries.csv\n",
                             output::default_comparison_path(run_dir).string());
    return 0;
}

int serve(const ServeCommand& command) {
    doseflow::serve::check_bind_address(command.host);  // before the scenario loads: a refused address fails at once
    doseflow::serve::ServeOptions options;
    options.scenario = source_for(command.scenario);
    // A downloaded what-if extends the base by its embedded name, or by the file's absolute path.
    options.scenario_reference = options.scenario.kind == ScenarioSource::Kind::file
                                     ? std::filesystem::absolute(options.scenario.name_or_path).string()
                                     : options.scenario.name_or_path;
    options.host = command.host;
    options.port = command.port;
    options.run_time_limit = std::chrono::seconds(command.time_limit_seconds);
    options.on_listening = [&](int port) {
        const std::string host = command.host.find(':') != std::string::npos ? "[" + command.host + "]" : command.host;
        std::cout << fmt::format("doseflow serve: http://{}:{}/ (scenario '{}'; Ctrl-C stops)", host, port,
                                 options.scenario.name_or_path)
                  << std::endl;
    };
    doseflow::serve::run_server(options);  // a copy: on_listening reads `options`
    return 0;
}

}  // namespace doseflow::cli
