// Whole-run benchmarks (single core): the default 2021 world as `doseflow run` does it — load, all stages, the
// no-vaccination counterfactual, key figures and the weekly run directory — and the daily time series written
// alone (its throughput in MB/s). Target: the whole run at least 10x faster than commit 82fd2fa on the same
// machine (bench/side-by-side.sh measures that against the old binary); daily output at 200 MB/s or more.
#include <benchmark/benchmark.h>

#include <filesystem>

#include <tbb/task_arena.h>

#include "doseflow/scenario.hpp"
#include "doseflow/simulation.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"

using namespace doseflow;

namespace {

Results run_default(const Scenario& scenario, Results* counterfactual) {
    Results results = Simulation(scenario).run();
    if (counterfactual != nullptr) {
        RunOptions options;
        options.record_series = false;
        options.epidemic_only = true;
        *counterfactual = Simulation(scenario.without_vaccination()).run(options);
    }
    return results;
}

void BM_DefaultRunWhole(benchmark::State& state) {
    const auto out = std::filesystem::temp_directory_path() / "doseflow_bench_default_run";
    tbb::task_arena one_core(1);
    for (auto _ : state) {
        one_core.execute([&] {
            const Scenario scenario = Scenario::load(ScenarioSource::embedded("default-2021"));
            Results counterfactual;
            const Results results = run_default(scenario, &counterfactual);
            const auto figures = output::key_figures(results, &counterfactual);
            std::filesystem::remove_all(out);
            output::StagedRunDirectory staged(out, true);
            output::write_run_directory(staged.path(), results, {}, figures,
                                        {scenario.world().simulation.weekly_output, scenario.canonical_toml()});
            staged.commit();
        });
    }
    std::filesystem::remove_all(out);
}

void BM_DefaultRunStagesOnly(benchmark::State& state) {
    const Scenario scenario = Scenario::load(ScenarioSource::embedded("default-2021"));
    tbb::task_arena one_core(1);
    for (auto _ : state) one_core.execute([&] { benchmark::DoNotOptimize(Simulation(scenario).run()); });
}

void BM_DailyTimeseriesCsv(benchmark::State& state) {
    const Scenario scenario =
        Scenario::load(ScenarioSource::embedded("default-2021"), {{"simulation.output_resolution", "\"daily\""}});
    const Results results = Simulation(scenario).run();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string text = output::timeseries_csv(results, false);
        bytes = text.size();
        benchmark::DoNotOptimize(text.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

}  // namespace

BENCHMARK(BM_DefaultRunWhole)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DefaultRunStagesOnly)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DailyTimeseriesCsv)->Unit(benchmark::kMillisecond)->Iterations(3);
