// The doseflow command: run, validate, params, version (and reproduce, report, compare, serve).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"doseflow: a simulator of the global vaccine supply system (production, contracts, shipping, "
                 "uptake, epidemics and diplomacy)"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Help for every subcommand");

    doseflow::cli::RunCommand run;
    auto* run_cmd = app.add_subcommand("run", "Run a scenario (the embedded default-2021 when none is given)");
    run_cmd->add_option("scenario", run.scenario, "Scenario file (.toml) or embedded name");
    run_cmd->add_option("--out", run.out, "Output directory (default: out/<scenario name>, numbered if taken)");
    run_cmd->add_option("--seed", run.seed, "Seed (overrides simulation.seed): an integer from 0 to 9e15");
    run_cmd->add_option("--days", run.days, "Number of days to simulate from the start, at most the 30-year span");
    run_cmd->add_option("--set", run.overrides, "Override one value: PATH=VALUE (repeatable), e.g. epidemic.r0=3");
    run_cmd->add_flag("--quiet", run.quiet, "Print nothing but errors");
    run_cmd->add_flag("--profile", run.profile, "Print the time spent per stage and in writing (to stderr)");
    run_cmd->add_flag("--force", run.force, "Allow writing into a non-empty --out directory");
    run_cmd->add_option("--resolution", run.resolution, "timeseries.csv resolution (default: the scenario's)")
        ->check(CLI::IsMember({"daily", "weekly"}));
    run_cmd->add_option("--db", run.database, "Also store the run in this SQLite file (runs side by side)");
    run_cmd->add_flag("--no-counterfactual", run.no_counterfactual,
                      "Skip the no-vaccination run used for deaths averted");

    doseflow::cli::EnsembleCommand ensemble;
    auto* ensemble_cmd = app.add_subcommand(
        "ensemble", "Run many members with the scenario's [[uncertainty]] values drawn by Latin hypercube; write "
                    "members.csv, quantiles.csv and summary.json (under mpirun: members spread across ranks)");
    ensemble_cmd->add_option("scenario", ensemble.scenario, "Scenario file (.toml) or embedded name");
    ensemble_cmd->add_option("--members", ensemble.members, "Number of members")->required()->check(CLI::Range(1, 10000000));
    ensemble_cmd->add_option("--threads", ensemble.threads, "Members run at once in this process (default 1)")
        ->check(CLI::Range(1, 1024));
    ensemble_cmd->add_option("--seed", ensemble.seed, "Seed of the draws and of the members' runs (default: the "
                                                      "scenario's simulation.seed)")->check(CLI::Range(0LL, 9000000000000000LL));
    ensemble_cmd->add_option("--out", ensemble.out, "Output directory")->required();
    ensemble_cmd->add_option("--days", ensemble.days, "Number of days to simulate from the start")->check(CLI::Range(1, 36500));
    ensemble_cmd->add_option("--set", ensemble.overrides, "Override one value in every member: PATH=VALUE "
                                                          "(repeatable; indices allowed: export_controls[0].end=...)");
    ensemble_cmd->add_option("--metrics", ensemble.metrics, "Series metrics of quantiles.csv, comma-separated "
                                                            "(default: deaths, vaccination and dose series)")
        ->delimiter(',');
    ensemble_cmd->add_flag("--no-counterfactual", ensemble.no_counterfactual,
                           "Skip the no-vaccination runs (no deaths averted)");
    ensemble_cmd->add_flag("--quiet", ensemble.quiet, "Print nothing but errors");
    ensemble_cmd->add_flag("--force", ensemble.force, "Allow writing into a non-empty --out directory");

    doseflow::cli::SensitivityCommand sensitivity;
    auto* sensitivity_cmd = app.add_subcommand(
        "sensitivity", "Sobol first-order and total indices of key figures to the scenario's [[uncertainty]] values, "
                       "with bootstrap intervals (Saltelli design: samples x (uncertainties + 2) runs)");
    sensitivity_cmd->add_option("scenario", sensitivity.scenario, "Scenario file (.toml) or embedded name");
    sensitivity_cmd->add_option("--outputs", sensitivity.outputs, "Key figures (members.csv columns), comma-separated, "
                                                                  "e.g. deaths_averted,shortfall_sputnik_v")
        ->required()->delimiter(',');
    sensitivity_cmd->add_option("--out", sensitivity.out, "Output directory")->required();
    sensitivity_cmd->add_option("--samples", sensitivity.samples, "Rows N of the Saltelli design (default 64)")
        ->check(CLI::Range(2, 1000000));
    sensitivity_cmd->add_option("--threads", sensitivity.threads, "Runs at once in this process (default 1)")
        ->check(CLI::Range(1, 1024));
    sensitivity_cmd->add_option("--bootstrap", sensitivity.resamples, "Bootstrap resamples for the intervals (default 200)")
        ->check(CLI::Range(10, 100000));
    sensitivity_cmd->add_option("--seed", sensitivity.seed, "Seed of the design (default: the scenario's)")
        ->check(CLI::Range(0LL, 9000000000000000LL));
    sensitivity_cmd->add_option("--days", sensitivity.days, "Number of days to simulate from the start")->check(CLI::Range(1, 36500));
    sensitivity_cmd->add_option("--set", sensitivity.overrides, "Override one value in every run: PATH=VALUE");
    sensitivity_cmd->add_flag("--quiet", sensitivity.quiet, "Print nothing but errors");
    sensitivity_cmd->add_flag("--force", sensitivity.force, "Allow writing into a non-empty --out directory");

    std::string diff_a, diff_b, diff_out;
    auto* diff_cmd = app.add_subcommand("diff", "Differences of key figures and world series, B minus A, of two runs or two "
                                                "ensembles (members paired by seed, with intervals)");
    diff_cmd->add_option("run_a", diff_a, "Run or ensemble directory A")->required();
    diff_cmd->add_option("run_b", diff_b, "Run or ensemble directory B")->required();
    diff_cmd->add_option("--out", diff_out, "Also write diff.csv, diff_series.csv and diff.html (a report section) here");

    std::vector<std::string> validate_files;
    auto* validate_cmd = app.add_subcommand("validate", "Check scenarios; print every problem with file:line:column");
    validate_cmd->add_option("scenario", validate_files, "Scenario files or embedded names")->required();

    bool params_json = false;
    auto* params_cmd = app.add_subcommand("params", "Print the reference of every scenario parameter");
    params_cmd->add_flag("--json", params_json, "As JSON");

    auto* version_cmd = app.add_subcommand("version", "Print the version");

    doseflow::cli::ReproduceCommand reproduce;
    auto* reproduce_cmd = app.add_subcommand("reproduce", "Reproduce a published model's results");
    reproduce_cmd->add_option("model", reproduce.model, "Which: bubar2021")->required()->check(CLI::IsMember({"bubar2021"}));
    reproduce_cmd->add_option("--out", reproduce.out, "Output directory");
    reproduce_cmd->add_option("--yll-life-expectancy", reproduce.yll_life_expectancy,
                              "Years of life lost in the heat maps: usa (the USA's remaining life expectancy for every "
                              "country, as the authors' heat maps) or own (each country's, as the paper's text says)")
        ->check(CLI::IsMember({"usa", "own"}));
    reproduce_cmd->add_option("--countries", reproduce.countries, "ISO3 codes to run, comma-separated (default: all nine)")
        ->delimiter(',');
    reproduce_cmd->add_option("--supply-pct", reproduce.supply_pct,
                              "Vaccine supplies in % of the population, comma-separated (default: 0 to 50)")
        ->delimiter(',')->check(CLI::Range(0, 50));

    std::string report_dir, report_out;
    auto* report_cmd = app.add_subcommand("report", "Write a self-contained HTML report of a run directory");
    report_cmd->add_option("run_dir", report_dir, "Run directory")->required();
    report_cmd->add_option("-o,--output", report_out, "HTML file (default: RUN_DIR/report.html)");

    std::string compare_dir, compare_observed;
    auto* compare_cmd = app.add_subcommand(
        "compare", "Compare a run with observed vaccinations (Our World in Data), deaths (WHO excess, JHU reported) and "
                   "published 2021 delivery figures (data/observed/deliveries.csv)");
    compare_cmd->add_option("run_dir", compare_dir, "Run directory")->required();
    compare_cmd->add_option("--observed", compare_observed,
                            "Folder with OWID's vaccinations.csv to compare vaccinations with (default: the tables "
                            "embedded from data/observed)");

    doseflow::cli::ServeCommand serve;
    auto* serve_cmd = app.add_subcommand(
        "serve", "Serve the what-if page on http://127.0.0.1:PORT/: move a lever, the world reruns beside the baseline");
    serve_cmd->add_option("scenario", serve.scenario, "Base scenario file (.toml) or embedded name (default-2021)");
    serve_cmd->add_option("--port", serve.port, "Port (0 = any free one)")->check(CLI::Range(0, 65535));
    serve_cmd->add_option("--host", serve.host, "Loopback address to listen on (127.0.0.1 or ::1; no other is accepted)");
    serve_cmd->add_option("--time-limit", serve.time_limit_seconds, "Seconds a run may take, its wait included")
        ->check(CLI::Range(1, 3600));

    doseflow::cli::CalibrateCommand calibrate;
    auto* calibrate_cmd = app.add_subcommand(
        "calibrate", "Fit each country's transmission path to its monthly deaths (WHO excess; JHU reported where WHO "
                     "has none) and write a scenario overlay that extends the scenario, with a fit report");
    calibrate_cmd->add_option("scenario", calibrate.scenario, "Scenario file (.toml) or embedded name (default-2021)");
    calibrate_cmd->add_option("--out", calibrate.out, "Output directory (scenario.toml, fit.html, fit_summary.csv, fit.csv)")
        ->required();
    calibrate_cmd->add_option("--name", calibrate.name, "Name of the calibrated scenario (default: NAME-calibrated)");
    calibrate_cmd->add_option("--countries", calibrate.countries,
                              "ISO3 codes to fit, comma-separated (default: every country with a record)");
    calibrate_cmd->add_option("--set", calibrate.overrides, "Override a value before fitting: PATH=VALUE (repeatable)");
    calibrate_cmd->add_option("--history-start", calibrate.history_start,
                              "First day of each country's epidemic (default 2020-02-01)");
    calibrate_cmd->add_option("--fit-end", calibrate.fit_end, "Last day of the record to fit (default 2021-12-31)");
    calibrate_cmd->add_option("--knot-days", calibrate.knot_days, "Days between knots of the path (default 28)")
        ->check(CLI::Range(7, 182));
    calibrate_cmd->add_option("--rounds", calibrate.rounds, "World runs alternating with fits (default 2)")
        ->check(CLI::Range(1, 10));
    calibrate_cmd->add_option("--threads", calibrate.threads, "Countries fitted at once (default 1)")
        ->check(CLI::Range(1, 1024));
    calibrate_cmd->add_flag("--quiet", calibrate.quiet, "Print nothing but errors");
    calibrate_cmd->add_flag("--force", calibrate.force, "Replace a previous calibration in --out");

    // CLI11 would answer an unknown first word followed by --help with the main help and exit 0.
    std::string known;
    bool is_known = false;
    for (const auto* command : app.get_subcommands({})) {
        known += (known.empty() ? "" : ", ") + command->get_name();
        is_known = is_known || (argc > 1 && command->get_name() == argv[1]);
    }
    if (argc > 1 && argv[1][0] != '-' && !is_known) {
        std::fprintf(stderr, "doseflow: error: unknown command '%s'; the commands are %s (doseflow --help)\n",
                     doseflow::printable(argv[1], 60).c_str(), known.c_str());
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        if (*run_cmd) {
            run.progress = !run.quiet && isatty(fileno(stderr));
            return doseflow::cli::run(run);
        }
        if (*ensemble_cmd) return doseflow::cli::ensemble(ensemble, argc, argv);
        if (*sensitivity_cmd) return doseflow::cli::sensitivity(sensitivity, argc, argv);
        if (*diff_cmd) return doseflow::cli::diff(diff_a, diff_b, diff_out);
        if (*validate_cmd) return doseflow::cli::validate(validate_files);
        if (*params_cmd) return doseflow::cli::params(params_json);
        if (*version_cmd) return doseflow::cli::version();
        if (*reproduce_cmd) return doseflow::cli::reproduce(reproduce);
        if (*report_cmd) return doseflow::cli::report(report_dir, report_out);
        if (*compare_cmd) return doseflow::cli::compare(compare_dir, compare_observed);
        if (*serve_cmd) return doseflow::cli::serve(serve);
        if (*calibrate_cmd) return doseflow::cli::calibrate(calibrate);
    } catch (const doseflow::ScenarioError& e) {
        std::fputs(e.diagnostics().format().c_str(), stderr);
        return 2;
    } catch (const std::invalid_argument& e) {  // a usage problem the caller can fix
        std::fprintf(stderr, "doseflow: error: %s\n", doseflow::printable(e.what(), 2000).c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "doseflow: error: %s\n", doseflow::printable(e.what(), 2000).c_str());
        return 1;
    }
    return 2;
}
