// Supply stages (production, allocation, shipping) over a world of 2021's size: 200 countries, 50 production
// sites (10 of them licensed partners), 2,000 contracts, 730 days. Demand is about twice what is made, so most
// contracts are behind and claim stock every day: the costly case for allocation.
#include <benchmark/benchmark.h>

#include <cmath>

#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "core/random.hpp"
#include "supply/supply_model.hpp"
#include "supply/test_world.hpp"

using namespace doseflow;
using supply::testing::day;
using supply::testing::SupplyRun;
using supply::testing::WorldBuilder;

namespace {

constexpr int country_count = 200;
constexpr int site_count = 50;
constexpr int contract_count = 2000;
constexpr int day_count = 730;

World build_world() {
    auto stream = make_stream(2021, 0, StreamPurpose::test);
    auto uniform = [&](double low, double high) {
        return boost::random::uniform_real_distribution<double>(low, high)(stream);
    };
    auto integer = [&](int low, int high) { return boost::random::uniform_int_distribution<int>(low, high)(stream); };

    WorldBuilder builder(day_count);
    for (int c = 0; c < country_count; ++c) {
        const double population = std::exp(uniform(std::log(1e5), std::log(1.4e9)));
        builder.country("C" + std::to_string(c), population, "R" + std::to_string(c % 5),
                        "S" + std::to_string(c % 20), population * 0.005, c % 2 == 0);
    }
    std::vector<ProductId> products{builder.product("two_component", 2, {0, 1}, 180, TemperatureClass::frozen),
                                    builder.product("mrna", 1, {0, 0}, 180, TemperatureClass::ultra_cold),
                                    builder.product("vector", 1, {0, 0}, 180),
                                    builder.product("inactivated", 1, {0, 0}, 365),
                                    builder.product("single_dose", 1, {0}, 180),
                                    builder.product("protein", 1, {0, 0}, 270)};
    // Producers: the first 15 countries own the originals; licensed partners elsewhere.
    for (int s = 0; s < site_count; ++s) {
        const ProductId product = products[static_cast<std::size_t>(s % 6)];
        const bool two = s % 6 == 0;
        const bool licensed = s >= site_count - 10;
        const CountryId owner(licensed ? 15 + static_cast<std::size_t>(s) : static_cast<std::size_t>(s % 15));
        const SiteId id = builder.site("site" + std::to_string(s), owner, product, uniform(1e5, 6e5),
                                       two ? std::vector<int>{0, 1} : std::vector<int>{0},
                                       two ? std::vector<double>{1.0, 0.5} : std::vector<double>{1.0},
                                       integer(7, 30));
        Site& site = builder.site_at(id);
        site.capacity_doses_per_day = Ramp({{day(0), uniform(2e4, 1e5)}, {day(integer(60, 300)), uniform(1e5, 6e5)}});
        site.share = StepSchedule({{day(integer(100, 400)), uniform(0.5, 1.0)}}, 1.0);
        site.random_disruption = RandomDisruption{0.002, 14, 0.5};
        if (licensed) {
            Licence licence;
            licence.licensor = CountryId(static_cast<std::size_t>(s % 15));
            licence.announced_doses_per_day = uniform(1e5, 5e5);
            licence.signed_on = day(integer(0, 120));
            licence.start_lag_days = integer(90, 240);
            licence.realised_share_min = 0.1;
            licence.realised_share_max = 0.5;
            licence.may_export = s % 2 == 0;
            for (int m = 0; m < 8; ++m) licence.export_to.push_back(CountryId(static_cast<std::size_t>(integer(0, 199))));
            site.licence = licence;
            site.capacity_doses_per_day = Ramp();
        }
    }
    const std::vector<AllocationPolicy> policies{AllocationPolicy::domestic_first, AllocationPolicy::pro_rata,
                                                 AllocationPolicy::fifo, AllocationPolicy::priority,
                                                 AllocationPolicy::need_based};
    for (std::size_t c = 0; c < 15; ++c) {
        SupplierPolicy& policy = builder.supplier(CountryId(c), policies[c % 5]);
        policy.covax_share = c % 3 == 0 ? 0.1 : 0.0;
        policy.donation_share = c % 4 == 0 ? 0.05 : 0.0;
        for (int i = 0; i < 10; ++i) policy.priority_order.push_back(CountryId(static_cast<std::size_t>(integer(0, 199))));
    }
    // Contracts: the site of each decides supplier and product; monthly tranches over 6-18 months.
    for (int i = 0; i < contract_count; ++i) {
        const Site& site = builder.world().sites[static_cast<std::size_t>(integer(0, site_count - 1))];
        const CountryId supplier = site.licence ? site.licence->licensor : site.country;
        const bool covax = i % 400 == 0;
        const bool donation = i % 10 == 1;
        const ContractKind kind = covax ? ContractKind::covax : donation ? ContractKind::donation : ContractKind::sale;
        const double doses = std::exp(uniform(std::log(1e5), std::log(6e7)));
        const bool as_available = i % 5 == 0;
        const Date signed_on = day(integer(-120, 400));
        const ContractId id = builder.contract("k" + std::to_string(i), supplier,
                                               CountryId(static_cast<std::size_t>(integer(0, 199))), site.product,
                                               doses, as_available ? std::nullopt : std::optional<Date>(signed_on),
                                               kind, signed_on);
        Contract& contract = builder.contract_at(id);
        if (!as_available) {
            contract.schedule.clear();
            const int months = integer(6, 18);
            for (int m = 1; m <= months; ++m)
                contract.schedule.push_back(Tranche{signed_on + 30 * m, doses * m / months});
        }
    }
    builder.export_control(CountryId(3), day(90), day(330));                // a ban of eight months
    builder.export_control(CountryId(5), day(30), day(200), 200000).exempt = {CountryId(40), CountryId(41)};
    builder.export_control(CountryId(8), day(400), day(500));
    builder.world().shipping.routes.push_back(ShippingRoute{CountryId(0), CountryId(100), 7});
    return builder.build();
}

// The stages alone: each day's records and delivery rows are dropped, as a streaming writer would take them.
void BM_SupplyStages(benchmark::State& state) {
    const World world = build_world();
    double delivered = 0.0;
    for (auto _ : state) {
        SupplyRun run(world, 1);
        run.keep_outputs(false);
        run.run_to_end();
        delivered = 0.0;
        for (const ContractRecord& record : run.book().records) delivered += record.delivered_doses;
        benchmark::DoNotOptimize(delivered);
    }
    state.counters["delivered_doses"] = delivered;
}
BENCHMARK(BM_SupplyStages)->Unit(benchmark::kMillisecond);

// The same, keeping every record and delivery row of the 730 days in memory (as Results does).
void BM_SupplyStagesKeepingOutputs(benchmark::State& state) {
    const World world = build_world();
    std::size_t rows = 0, points = 0;
    for (auto _ : state) {
        SupplyRun run(world, 1);
        run.run_to_end();
        rows = run.deliveries().size();
        points = run.recorder().points().size();
        benchmark::DoNotOptimize(rows);
    }
    state.counters["delivery_rows"] = static_cast<double>(rows);
    state.counters["series_points"] = static_cast<double>(points);
}
BENCHMARK(BM_SupplyStagesKeepingOutputs)->Unit(benchmark::kMillisecond);

}  // namespace
