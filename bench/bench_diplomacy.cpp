// Cost of a simulated year (365 daily steps) of the diplomacy stage for a world of N countries, 8 producers in 6
// supplier countries and three contracts per buyer, a third of them far behind schedule, with tenders, escalation
// and a disinformation campaign running. Divide by 365 for the cost of a day.
#include <benchmark/benchmark.h>

#include "diplomacy/diplomacy.hpp"
#include "diplomacy/test_support.hpp"
#include "scenario/build.hpp"

using namespace doseflow;
using namespace doseflow::diplomacy;

namespace {

constexpr int supplier_count = 6;  // countries 0..5 produce

World bench_world(int countries) {
    World w = scenario::world_with_declared_defaults();
    w.simulation.start = fixtures::day(2021, 1, 1);
    w.simulation.end = fixtures::day(2021, 12, 31);
    w.age_band_lower = {0};
    const char* codes[supplier_count] = {"RUS", "USA", "CHN", "IND", "GBR", "DEU"};
    for (int c = 0; c < countries; ++c) {
        Country country = fixtures::make_country(c < supplier_count ? codes[c] : "C" + std::to_string(c), 2e7);
        country.alignment_west = ((c * 37) % 21 - 10) / 10.0;
        country.alignment_russia = ((c * 53) % 21 - 10) / 10.0;
        country.alignment_china = ((c * 71) % 21 - 10) / 10.0;
        country.trade_blocs = {"B" + std::to_string(c % 7)};
        w.countries.push_back(country);
    }
    for (int p = 0; p < 8; ++p) {
        const auto storage = static_cast<TemperatureClass>(p % 3);
        w.products.push_back(fixtures::make_product("p" + std::to_string(p), codes[p % supplier_count],
                                                    p % 2 == 0 ? std::vector<int>{0, 1} : std::vector<int>{0, 0},
                                                    storage, 3.0 + 2.0 * p, {p % 3 == 0 ? "national" : "who_eul"}));
        const int components = p % 2 == 0 ? 2 : 1;
        w.sites.push_back(fixtures::make_site("s" + std::to_string(p), CountryId(static_cast<std::size_t>(p % supplier_count)),
                                              ProductId(static_cast<std::size_t>(p)), components, 5e5,
                                              std::vector<double>(static_cast<std::size_t>(components), 1.0)));
    }
    for (int b = supplier_count; b < countries; ++b) {
        for (int k = 0; k < 3; ++k) {
            const int p = (b + 3 * k) % 8;
            Contract c;
            c.id = "c" + std::to_string(b) + "_" + std::to_string(k);
            c.kind = k == 2 ? ContractKind::donation : ContractKind::sale;
            c.supplier = CountryId(static_cast<std::size_t>(p % supplier_count));
            c.recipient = CountryId(static_cast<std::size_t>(b));
            c.product = ProductId(static_cast<std::size_t>(p));
            c.doses = 4e6;
            c.price_usd_per_dose = w.products[static_cast<std::size_t>(p)].price_usd_per_dose;
            c.prepaid_usd = k == 0 ? 0.5 * c.doses * c.price_usd_per_dose : 0.0;
            c.signed_on = w.simulation.start;
            c.schedule = fixtures::monthly_tranches(w.simulation.start + 30, 10, c.doses);
            w.contracts.push_back(c);
        }
    }
    DisinformationCampaign campaign;
    campaign.source = CountryId(0);
    campaign.products = {ProductId(1), ProductId(4)};
    campaign.start = w.simulation.start;
    campaign.end = w.simulation.end;
    campaign.intensity = 0.01;
    w.diplomacy.campaigns = {campaign};
    return w;
}

// One iteration simulates a year, day by day: the book grows with the tenders as it would in a run.
void BM_DiplomacyYear(benchmark::State& state) {
    const int countries = static_cast<int>(state.range(0));
    const World world = bench_world(countries);
    std::size_t contracts = 0;
    for (auto _ : state) {
        state.PauseTiming();
        ContractBook book = fixtures::book_of(world);
        DayExchange exchange = fixtures::exchange_for(world);
        for (std::size_t c = 0; c < exchange.uptake.size(); ++c) {
            exchange.uptake[c].doses_needed = c % 4 == 0 ? 2e7 : 0.0;  // a quarter of the buyers tender
            exchange.uptake[c].admin_capacity_doses_per_day = 5e4;
            exchange.epidemic[c].deaths_per_million_7d = 2.0;
        }
        EventLog log;
        Recorder recorder;
        std::vector<DiplomacyRow> rows;
        DiplomacyModel model(world, 1);
        state.ResumeTiming();
        for (Date today = world.simulation.start; today <= world.simulation.end; ++today) {
            fixtures::set_due(book, today);
            for (std::size_t i = 0; i < book.size(); ++i) {
                ContractRecord& r = book.records[i];
                if (!r.active()) continue;
                r.delivered_doses = i % 3 == 0 ? 0.2 * r.due_doses : r.due_doses;  // a third far behind
                r.shipped_doses = r.delivered_doses;
            }
            model.step(today, exchange, book, log, recorder, rows);
        }
        contracts = book.size();
    }
    state.counters["contracts_at_end"] = static_cast<double>(contracts);
    state.counters["days"] = world.simulation.days();
}

}  // namespace

BENCHMARK(BM_DiplomacyYear)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond);
