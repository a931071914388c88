// Epidemic stage benchmarks (single core): one country for 546 days, a 200-country world for 546 days. Target:
// world under 50 ms.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include "epidemic/epidemic_model.hpp"
#include "scenario/build.hpp"

using namespace doseflow;

namespace {

constexpr int bands = 16;
constexpr int days = 546;  // 2021-01-01 .. 2022-06-30

// One 16-band contact matrix (Prem et al. 2017 shape: assortative plus parent-child contacts) reused by every
// country; populations are scaled so that countries differ in size.
World make_world(int countries) {
    World w = scenario::world_with_declared_defaults();
    w.simulation.start = Date::from_ymd(2021, 1, 1);
    w.simulation.end = w.simulation.start + (days - 1);
    for (int b = 0; b < bands; ++b) w.age_band_lower.push_back(5 * b);
    w.epidemic.age_band_lower = w.age_band_lower;
    w.epidemic.r0 = 2.6;
    w.epidemic.leaky = false;  // all-or-nothing vaccine protection in this world
    w.epidemic.susceptibility.clear();
    w.epidemic.infection_fatality_ratio.clear();
    for (int b = 0; b < bands; ++b) {
        w.epidemic.susceptibility.push_back(b < 4 ? 0.4 : 0.8);
        w.epidemic.infection_fatality_ratio.push_back(std::pow(10.0, -3.27 + 0.0524 * (5 * b + 2.5)) / 100.0);
    }
    w.epidemic.vaccine_groups = {{"mrna", {0.5, 0.9}, {0.8, 0.95}, {0.3, 0.5}, 0.0},
                                 {"adenovirus", {0.6, 0.7}, {0.85, 0.9}, {0.2, 0.3}, 180.0}};
    w.epidemic.importation_rate = 50.0;
    Variant delta;
    delta.id = "delta";
    delta.transmissibility = 1.6;
    delta.escape = {{"mrna", 0.1}, {"adenovirus", 0.2}};
    delta.emergence = w.simulation.start + 120;
    delta.origin = CountryId(0);
    delta.seed_infections = 1000.0;
    w.epidemic.variants = {delta};
    std::vector<double> contacts(bands * bands);
    for (int i = 0; i < bands; ++i)
        for (int j = 0; j < bands; ++j)
            contacts[i * bands + j] = 0.2 + 2.5 * std::exp(-std::abs(i - j)) + 0.6 * std::exp(-std::abs(std::abs(i - j) - 6));
    for (int c = 0; c < countries; ++c) {
        Country country;
        country.code = fmt::format("C{:03d}", c);
        const double population = 1e5 * std::pow(1.05, c % 150);
        for (int b = 0; b < bands; ++b) country.population_by_age.push_back(population / bands);
        country.contacts = contacts;
        country.initial_infections = 1e-4 * population;
        country.willing_share_by_age.assign(bands, 0.8);
        w.countries.push_back(country);
    }
    return w;
}

void run_world(benchmark::State& state, int countries, epidemic::IntegratorSettings integrator) {
    const World world = make_world(countries);
    tbb::task_arena one_core(1);
    for (auto _ : state) {
        one_core.execute([&] {
            EpidemicModel model(world, 1);
            model.set_integrator(integrator);
            DayExchange exchange;
            Recorder recorder;
            for (int d = 0; d < days; ++d) model.step(world.simulation.start + d, exchange, recorder);
            benchmark::DoNotOptimize(model.deaths_total());
        });
    }
    state.counters["country_days_per_s"] =
        benchmark::Counter(static_cast<double>(countries) * days, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_OneCountry546Days(benchmark::State& state) { run_world(state, 1, world_integrator); }
void BM_World200Countries546Days(benchmark::State& state) { run_world(state, 200, world_integrator); }
void BM_World200Countries546DaysRk4x1(benchmark::State& state) {
    run_world(state, 200, {epidemic::Integrator::rk4, 1});
}
void BM_World200Countries546DaysRk4x2(benchmark::State& state) {
    run_world(state, 200, {epidemic::Integrator::rk4, 2});
}


}  // namespace

BENCHMARK(BM_OneCountry546Days)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_World200Countries546Days)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_World200Countries546DaysRk4x1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_World200Countries546DaysRk4x2)->Unit(benchmark::kMillisecond);
