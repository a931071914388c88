// doseflow ensemble (docs/uncertainty.md).
#include <chrono>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>

#include "commands.hpp"
#include "doseflow/ensemble.hpp"
#include "doseflow/scenario.hpp"

namespace doseflow::cli {

ScenarioSource scenario_source(const std::string& argument);

int ensemble(const EnsembleCommand& command, int& argc, char**& argv) {
    const ensemble::Ranks ranks(argc, argv);
    ensemble::EnsembleOptions options;
    options.source = scenario_source(command.scenario);
    options.overrides = command.overrides;
    options.days = command.days;
    options.members = command.members;
    options.threads = command.threads;
    if (command.seed) options.seed = static_cast<std::uint64_t>(*command.seed);
    options.out = command.out;
    options.force = command.force;
    options.member.counterfactual = !command.no_counterfactual;
    options.member.metrics = command.metrics.empty() ? ensemble::default_series_metrics() : command.metrics;
    if (!command.quiet && ranks.root() && isatty(fileno(stderr)))
        options.on_member = [](int done, int total) {
            std::fprintf(stderr, "\r%d/%d members", done, total);
            if (done == total) std::fputc('\n', stderr);
            std::fflush(stderr);
        };
    const auto started = std::chrono::steady_clock::now();
    const auto summary = ensemble::run_ensemble(options, ranks.transport());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!command.quiet && ranks.root())
        std::cout << fmt::format("Ensemble of {} members ({} rank{} x {} thread{}): {} ({:.1f} s, {:.2f} s a member; "
                                 "{} series points, {} sketch buckets)\n",
                                 summary.members, ranks.size(), ranks.size() == 1 ? "" : "s",
                                 command.threads, command.threads == 1 ? "" : "s", command.out, seconds,
                                 seconds * command.threads * ranks.size() / std::max(summary.members, 1),
                                 summary.series_keys, summary.sketch_buckets);
    return 0;
}

}  // namespace doseflow::cli

#include <fstream>

#include "doseflow/ensemble.hpp"

namespace doseflow::cli {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void write_ensemble_report(const std::filesystem::path& dir, const std::filesystem::path& html) {
    write_text(html, ensemble::render_ensemble_report_html(dir));
}

int diff(const std::string& a, const std::string& b, const std::string& out) {
    const auto result = ensemble::diff_directories(a, b);
    std::cout << ensemble::format_diff(result, a, b);
    if (out.empty()) return 0;
    std::error_code error;
    std::filesystem::create_directories(out, error);
    if (error) throw std::invalid_argument(fmt::format("--out {}: cannot create the directory: {}", out, error.message()));
    const std::filesystem::path dir(out);
    write_text(dir / "diff.csv", ensemble::diff_csv(result));
    write_text(dir / "diff_series.csv", ensemble::diff_series_csv(result));
    write_text(dir / "diff.html", ensemble::diff_report_section(result, a, b));
    std::cout << fmt::format("Written: {}, diff_series.csv, diff.html\n", (dir / "diff.csv").string());
    return 0;
}

}  // namespace doseflow::cli


namespace doseflow::cli {

int sensitivity(const SensitivityCommand& command, int& argc, char**& argv) {
    const ensemble::Ranks ranks(argc, argv);
    ensemble::SensitivityOptions options;
    options.source = scenario_source(command.scenario);
    options.overrides = command.overrides;
    options.days = command.days;
    options.outputs = command.outputs;
    options.samples = command.samples;
    options.threads = command.threads;
    options.resamples = command.resamples;
    if (command.seed) options.seed = static_cast<std::uint64_t>(*command.seed);
    options.out = command.out;
    options.force = command.force;
    if (!command.quiet && ranks.root() && isatty(fileno(stderr)))
        options.on_run = [](int done, int total) {
            std::fprintf(stderr, "\r%d/%d runs", done, total);
            if (done == total) std::fputc('\n', stderr);
            std::fflush(stderr);
        };
    const auto indices = ensemble::run_sensitivity(options, ranks.transport());
    if (command.quiet || !ranks.root()) return 0;
    std::cout << fmt::format("{:<28} {:<60} {:>22} {:>22}\n", "output", "uncertain value", "first order [95%]",
                             "total [95%]");
    for (const auto& i : indices)
        std::cout << fmt::format("{:<28} {:<60} {:>6.3f} [{:>6.3f}, {:>6.3f}] {:>6.3f} [{:>6.3f}, {:>6.3f}]\n", i.output,
                                 i.parameter, i.first_order, i.first_low, i.first_high, i.total, i.total_low,
                                 i.total_high);
    std::cout << fmt::format("Written: {}/sensitivity.csv, sensitivity.json, sensitivity.html\n", command.out);
    return 0;
}

}  // namespace doseflow::cli
