// Cost of one simulated day of the uptake stage (intake, hesitancy, administration) for a world of N countries
// with 16 age bands and 8 products, each country receiving two lots a day.
#include <benchmark/benchmark.h>

#include "uptake/uptake_model.hpp"
#include "uptake/uptake_test_support.hpp"

using namespace doseflow;
using namespace doseflow::uptake;
using namespace doseflow::uptake::testing;

namespace {

World bench_world(int countries) {
    std::vector<int> bands;
    for (int b = 0; b < 16; ++b) bands.push_back(5 * b);
    std::vector<Product> products;
    for (int p = 0; p < 8; ++p) {
        ProductSpec spec;
        spec.id = "p" + std::to_string(p);
        spec.components = p % 2 == 0 ? std::vector<std::string>{"a", "b"} : std::vector<std::string>{"a"};
        spec.course = p % 2 == 0 ? std::vector<int>{0, 1} : std::vector<int>{0, 0};
        spec.storage = static_cast<TemperatureClass>(p % 3);
        spec.shelf_life_days = {180, 180, 180};
        spec.min_interval_days = 21;
        spec.recommended_interval_days = 21 + 7 * (p % 3);
        spec.open_vial_wastage = 0.05;
        products.push_back(make_product(spec));
    }
    std::vector<Country> list;
    for (int c = 0; c < countries; ++c) {
        CountrySpec spec;
        spec.code = "C" + std::to_string(c);
        spec.population_by_age.assign(16, 6e5);
        spec.willing_share_by_age.assign(16, 0.7);
        spec.cold_chain_doses = {5e5, 1e6, 5e6};
        spec.admin_capacity_doses_per_day = 5e4;
        spec.min_age_years = 18;
        spec.priority = static_cast<PriorityRule>(c % 3);
        spec.health_worker_share = 0.02;
        spec.second_dose_policy = static_cast<SecondDosePolicy>(c % 2);
        list.push_back(make_country(spec));
    }
    World world = make_world(bands, std::move(list), std::move(products));
    world.uptake.substitutions.push_back(SubstitutionRule{ProductId(0), 2, ProductId(1), 60});
    return world;
}

void BM_UptakeDay(benchmark::State& state) {
    const int countries = static_cast<int>(state.range(0));
    Harness harness(bench_world(countries));
    const World& world = harness.world();
    for (auto& signal : harness.exchange().epidemic) signal.deaths_per_million_7d = 3.0;
    int day = 0;
    std::vector<Arrival> arrivals;
    for (auto _ : state) {
        const Date today = day0() + day;
        arrivals.clear();
        for (int c = 0; c < countries; ++c) {
            const auto p = static_cast<std::size_t>((c + day) % 8);
            for (int component = 0; component < world.products[p].component_count(); ++component)
                arrivals.push_back(make_arrival(ContractId(), CountryId(static_cast<std::size_t>(c)), ProductId(p),
                                                component, 3e4, today + 150));
        }
        harness.run_day(today, arrivals);
        harness.recorder().clear();
        ++day;
    }
    state.counters["country_days_per_s"] =
        benchmark::Counter(static_cast<double>(countries) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
}

}  // namespace

// One simulated year per run, so that the timing covers the busy months of a campaign, not its aftermath.
BENCHMARK(BM_UptakeDay)->Arg(20)->Arg(200)->Iterations(365)->Unit(benchmark::kMicrosecond);
