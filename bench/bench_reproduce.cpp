// The whole Bubar et al. 2021 grid on one core (docs/bubar2021.md). Target: under 10 s.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "doseflow/reproduce.hpp"

using namespace doseflow;

namespace {

void BM_BubarGrid(benchmark::State& state) {
    const auto out = std::filesystem::temp_directory_path() / "doseflow_bench_bubar2021";
    ReproduceOptions options;
    options.threads = 1;
    for (auto _ : state) reproduce_bubar2021(out, options);
    std::filesystem::remove_all(out);
}

}  // namespace

BENCHMARK(BM_BubarGrid)->Unit(benchmark::kSecond)->Iterations(1);
