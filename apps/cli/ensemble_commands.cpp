// doseflow ensemble (docs/uncertainty.md).
#include <chrono>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>

#include "commands.hpp"
#include "doseflow/scenario.hpp"
#include "ensemble/ensemble.hpp"

namespace doseflow::cli {

ScenarioSource scenario_source(const std::string& argument);

int ensemble(const EnsembleCommand& command, int& argc, char**& argv) {
    const auto transport = ensemble::make_transport(argc, argv);
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
    if (!command.quiet && transport->root() && isatty(fileno(stderr)))
        options.on_member = [](int done, int total) {
            std::fprintf(stderr, "\r%d/%d members", done, total);
            if (done == total) std::fputc('\n', stderr);
            std::fflush(stderr);
        };
    const auto started = std::chrono::steady_clock::now();
    const auto summary = ensemble::run_ensemble(options, *transport);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!command.quiet && transport->root())
        std::cout << fmt::format("Ensemble of {} members ({} rank{} x {} thread{}): {} ({:.1f} s, {:.2f} s a member; "
                                 "{} series points, {} sketch buckets)\n",
                                 summary.members, transport->size(), transport->size() == 1 ? "" : "s",
                                 command.threads, command.threads == 1 ? "" : "s", command.out, seconds,
                                 seconds * command.threads * transport->size() / std::max(summary.members, 1),
                                 summary.series_keys, summary.sketch_buckets);
    return 0;
}

}  // namespace doseflow::cli
