// Properties of the supply stages over random small scenarios (docs/architecture.md, "One simulated day").
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cmath>
#include <map>
#include <tuple>

#include "supply/property_check.hpp"
#include "supply/supply_model.hpp"
#include "supply/test_world.hpp"

using namespace doseflow;
using namespace doseflow::supply;
using supply::testing::day;
using supply::testing::SupplyRun;
using supply::testing::WorldBuilder;

namespace {

template <class T>
T pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, items.size()))];
}

double draw(double low, double high) {  // a value on a grid of 1,000 steps in [low, high]
    return low + (high - low) * *rc::gen::inRange(0, 1001) / 1000.0;
}

CountryId some_country(const World& world) {
    return CountryId(*rc::gen::inRange<std::size_t>(0, world.countries.size()));
}

void add_sites(WorldBuilder& builder) {
    const World& world = builder.world();
    const int sites = *rc::gen::inRange(1, 5);
    for (int s = 0; s < sites; ++s) {
        const ProductId product(*rc::gen::inRange<std::size_t>(0, world.products.size()));
        const CountryId country = some_country(world);
        const int components = world.product(product).component_count();
        std::vector<int> made{0};
        if (components == 2) made = pick<std::vector<int>>({{0}, {1}, {0, 1}, {0, 1}});
        std::vector<double> yields;
        for (std::size_t j = 0; j < made.size(); ++j) yields.push_back(draw(0.1, 1.0));
        const SiteId id = builder.site("site" + std::to_string(s), country, product, draw(0, 100000), made, yields,
                                       *rc::gen::inRange(0, 15));
        Site& site = builder.site_at(id);
        if (*rc::gen::inRange(0, 3) == 0) site.share = StepSchedule({{day(*rc::gen::inRange(0, 60)), draw(0, 1)}}, 1.0);
        if (*rc::gen::inRange(0, 3) == 0) {
            const Date start = day(*rc::gen::inRange(0, 60));
            site.disruptions.push_back(Disruption{start, start + *rc::gen::inRange(0, 30), draw(0, 1)});
        }
        if (*rc::gen::inRange(0, 3) == 0) site.random_disruption = RandomDisruption{draw(0, 0.1), draw(1, 20), draw(0, 1)};
        if (*rc::gen::inRange(0, 3) == 0) {
            Licence licence;
            licence.licensor = some_country(world);
            licence.announced_doses_per_day = draw(0, 100000);
            licence.signed_on = day(*rc::gen::inRange(-30, 30));
            licence.start_lag_days = *rc::gen::inRange(0, 60);
            licence.realised_share_min = draw(0, 1);
            licence.realised_share_max = draw(licence.realised_share_min, 1);
            licence.may_export = *rc::gen::arbitrary<bool>();
            for (std::size_t c = 0; c < world.countries.size(); ++c)
                if (*rc::gen::inRange(0, 2) == 0) licence.export_to.push_back(CountryId(c));
            site.licence = licence;
            site.capacity_doses_per_day = Ramp();
        }
    }
}

void add_contract(WorldBuilder& builder, int index) {
    const World& world = builder.world();
    const ContractKind kind =
        pick<ContractKind>({ContractKind::sale, ContractKind::sale, ContractKind::donation, ContractKind::covax,
                            ContractKind::licence});
    const ProductId product(*rc::gen::inRange<std::size_t>(0, world.products.size()));
    // Suppliers are mostly producers, so that contracts are served.
    const CountryId supplier = *rc::gen::inRange(0, 4) > 0 ? world.sites[*rc::gen::inRange<std::size_t>(0, world.sites.size())].country
                                                           : some_country(world);
    const double doses = draw(1000, 3e6);
    const bool as_available = *rc::gen::inRange(0, 3) == 0;
    const ContractId id = builder.contract("c" + std::to_string(index), supplier, some_country(world), product, doses,
                                           as_available ? std::nullopt : std::optional<Date>(day(0)), kind,
                                           day(*rc::gen::inRange(-30, 40)));
    Contract& contract = builder.contract_at(id);
    contract.prepaid_usd = draw(0, doses * 10.0);
    if (!as_available) {
        contract.schedule.clear();
        const int tranches = *rc::gen::inRange(1, 4);
        for (int t = 1; t <= tranches; ++t)
            contract.schedule.push_back(Tranche{day(*rc::gen::inRange(0, 20) + 20 * (t - 1)), doses * t / tranches});
    }
}

void add_policies_controls_and_events(WorldBuilder& builder, int days) {
    World& world = builder.world();
    const auto policies = std::vector<AllocationPolicy>{AllocationPolicy::domestic_first, AllocationPolicy::pro_rata,
                                                        AllocationPolicy::fifo, AllocationPolicy::priority,
                                                        AllocationPolicy::need_based};
    for (std::size_t c = 0; c < world.countries.size(); ++c) {
        if (*rc::gen::inRange(0, 3) == 0) continue;
        SupplierPolicy& policy = builder.supplier(CountryId(c), pick(policies));
        policy.domestic_reserve_days = *rc::gen::inRange(0, 30);
        if (*rc::gen::inRange(0, 3) == 0) policy.domestic_share = draw(0, 1);
        policy.covax_share = *rc::gen::inRange(0, 2) == 0 ? 0.0 : draw(0, 0.5);
        policy.donation_share = *rc::gen::inRange(0, 2) == 0 ? 0.0 : draw(0, 0.5);
        for (std::size_t other = 0; other < world.countries.size(); ++other)
            if (*rc::gen::inRange(0, 2) == 0) policy.priority_order.push_back(CountryId(other));
        if (*rc::gen::inRange(0, 2) == 0)
            for (std::size_t i = 0; i < policy.priority_order.size(); ++i) policy.priority_weights.push_back(draw(0, 5));
    }
    const int controls = *rc::gen::inRange(0, 3);
    for (int j = 0; j < controls; ++j) {
        const Date start = day(*rc::gen::inRange(0, days));
        ExportControl& control = builder.export_control(some_country(world), start, start + *rc::gen::inRange(0, 40),
                                                        *rc::gen::inRange(0, 2) == 0 ? 0.0 : draw(0, 50000));
        if (*rc::gen::inRange(0, 2) == 0) control.product = ProductId(0);
        if (*rc::gen::inRange(0, 2) == 0) control.exempt.push_back(some_country(world));
    }
    world.shipping.default_lead_days = *rc::gen::inRange(0, 20);
    world.shipping.same_region_lead_days = *rc::gen::inRange(0, 10);
    world.shipping.same_subregion_lead_days = *rc::gen::inRange(0, 6);
    world.shipping.domestic_lead_days = *rc::gen::inRange(0, 3);
    if (*rc::gen::inRange(0, 2) == 0)
        world.shipping.routes.push_back(ShippingRoute{some_country(world), some_country(world), *rc::gen::inRange(0, 25)});
    world.covax.coverage_cap = draw(0, 0.5);
    world.covax.shipment_interval_days = *rc::gen::inRange(1, 10);
    if (*rc::gen::inRange(0, 2) == 0) {
        ScenarioEvent shock;
        shock.date = day(*rc::gen::inRange(0, days));
        shock.kind = EventKind::capacity_shock;
        shock.site = SiteId(*rc::gen::inRange<std::size_t>(0, world.sites.size()));
        shock.value = draw(0, 2);
        shock.duration_days = *rc::gen::inRange(0, 30);
        world.events.push_back(shock);
    }
    if (*rc::gen::inRange(0, 2) == 0) {
        ScenarioEvent change;
        change.date = day(*rc::gen::inRange(0, days));
        change.kind = pick<EventKind>({EventKind::policy_change, EventKind::domestic_share});
        change.country = some_country(world);
        change.policy = pick(policies);
        change.value = draw(0, 1);
        world.events.push_back(change);
    }
    std::stable_sort(world.events.begin(), world.events.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.date < b.date; });
}

World random_world(int days) {
    WorldBuilder builder(days);
    const int countries = *rc::gen::inRange(2, 6);
    for (int c = 0; c < countries; ++c)
        builder.country("C" + std::to_string(c), draw(1e5, 1e7), pick<std::string>({"A", "B"}),
                        pick<std::string>({"A1", "A2", "B1"}), draw(0, 50000), *rc::gen::arbitrary<bool>());
    const int products = *rc::gen::inRange(1, 3);
    for (int p = 0; p < products; ++p) {
        const int components = *rc::gen::inRange(1, 3);
        const std::vector<int> course =
            components == 2 ? std::vector<int>{0, 1} : pick<std::vector<int>>({{0}, {0, 0}});
        builder.product("p" + std::to_string(p), components, course, *rc::gen::inRange(3, 200));
    }
    add_sites(builder);
    const int contracts = *rc::gen::inRange(0, 7);
    for (int i = 0; i < contracts; ++i) add_contract(builder, i);
    add_policies_controls_and_events(builder, days);
    return builder.build();
}

// What a diplomacy stage might do to the book: cancel or switch a contract, grant a refund up to the prepayment,
// sign a new contract.
void act_like_diplomacy(SupplyRun& run, const World& world, int seed_day) {
    ContractBook& book = run.book();
    if (book.size() > 0 && seed_day % 7 == 3) {
        ContractRecord& record = book.records[static_cast<std::size_t>(seed_day) % book.size()];
        record.status = seed_day % 2 ? ContractStatus::cancelled : ContractStatus::switched;
        record.refunded_usd = std::min(record.terms.prepaid_usd, 0.5 * record.terms.prepaid_usd + 1.0);
    }
    if (seed_day % 11 == 5 && !world.sites.empty()) {
        Contract terms;
        terms.id = "signed_" + std::to_string(seed_day);
        terms.supplier = world.sites[static_cast<std::size_t>(seed_day) % world.sites.size()].country;
        terms.recipient = CountryId(static_cast<std::size_t>(seed_day) % world.countries.size());
        terms.product = world.sites[static_cast<std::size_t>(seed_day) % world.sites.size()].product;
        terms.doses = 100000;
        terms.signed_on = run.today();
        terms.as_available = true;
        book.add(terms, world.product(terms.product).component_count(), run.today());
    }
}

struct Outcome {
    std::vector<double> shipped, delivered, wasted;
    std::vector<SeriesPoint> points;
    std::size_t deliveries = 0;
    bool operator==(const Outcome& other) const {
        if (points.size() != other.points.size()) return false;
        for (std::size_t i = 0; i < points.size(); ++i)
            if (points[i].date != other.points[i].date || points[i].key != other.points[i].key ||
                points[i].value != other.points[i].value)
                return false;
        return shipped == other.shipped && delivered == other.delivered && wasted == other.wasted &&
               deliveries == other.deliveries;
    }
};

bool near(double a, double b, double scale) { return std::abs(a - b) <= 1e-9 * scale + 1e-6; }

// Runs one scenario, asserting the invariants after every day; returns what came out.
Outcome run_and_check(const World& world, std::uint64_t seed) {
    SupplyRun run(world, seed);
    std::map<std::tuple<std::size_t, std::size_t, int>, double> received;  // recipient, product, component
    int index = 0;
    while (!run.done()) {
        act_like_diplomacy(run, world, index++);
        std::vector<double> refunds_before;  // refunds are diplomacy's: supply must leave them as they are
        for (const ContractRecord& record : run.book().records) refunds_before.push_back(record.refunded_usd);
        run.step();
        RC_ASSERT(run.book().records.size() == refunds_before.size());  // supply signs nothing
        for (const Arrival& arrival : run.exchange().arrivals) {
            RC_ASSERT(arrival.doses > 0.0);
            RC_ASSERT(arrival.expiry > run.today() - 1);  // nobody receives an expired lot
            received[{arrival.recipient.value(), arrival.product.value(), arrival.component}] += arrival.doses;
        }
        SupplyModel& model = run.model();
        for (std::size_t p = 0; p < world.products.size(); ++p) {
            const ProductId product(p);
            for (int k = 0; k < world.products[p].component_count(); ++k) {
                const double produced = model.produced_total(product, k);
                const double parts = model.unreleased_total(product, k) + model.stock_total(product, k) +
                                     model.in_transit_total(product, k) + model.delivered_total(product, k) +
                                     model.wasted_total(product, k);
                RC_ASSERT(near(produced, parts, produced));
                for (double part : {produced, model.unreleased_total(product, k), model.stock_total(product, k),
                                    model.in_transit_total(product, k), model.delivered_total(product, k),
                                    model.wasted_total(product, k)})
                    RC_ASSERT(part >= -1e-6 - 1e-9 * produced);
            }
        }
        for (std::size_t i = 0; i < run.book().records.size(); ++i) {
            const ContractRecord& record = run.book().records[i];
            const Product& product = world.product(record.terms.product);
            double shipped = 0.0, delivered = 0.0;
            for (int k = 0; k < product.component_count(); ++k) {
                const auto ku = static_cast<std::size_t>(k);
                const double per_course = static_cast<double>(std::count(product.course.begin(), product.course.end(), k));
                const double ordered = record.terms.doses * per_course / product.doses_per_course();
                RC_ASSERT(record.shipped_by_component[ku] <= ordered + 1e-6);  // never more than ordered
                RC_ASSERT(record.delivered_by_component[ku] >= 0.0);
                shipped += record.shipped_by_component[ku];
                delivered += record.delivered_by_component[ku];
            }
            RC_ASSERT(near(shipped, record.shipped_doses, shipped));
            RC_ASSERT(near(delivered, record.delivered_doses, delivered));
            RC_ASSERT(record.delivered_doses + record.wasted_doses <= record.shipped_doses + 1e-6);
            RC_ASSERT(record.delivered_doses <= record.terms.doses + 1e-6);
            RC_ASSERT(record.refunded_usd == refunds_before[i]);
            RC_ASSERT(record.due_doses >= 0.0);
            if (record.terms.kind != ContractKind::covax && product.component_count() == 2)
                RC_ASSERT(record.delivered_by_component[1] <= record.delivered_by_component[0] + 1e-6);
        }
        // Per recipient over every channel (contracts, COVAX, home programme): second components never ahead.
        for (const auto& [key, doses] : received) {
            const auto& [recipient, product, component] = key;
            if (component != 1) continue;
            const auto first = received.find({recipient, product, 0});
            RC_ASSERT(first != received.end());
            RC_ASSERT(doses <= first->second + 1e-6);
        }
    }
    for (const SeriesPoint& point : run.recorder().points()) RC_ASSERT(point.value >= -1e-6);
    Outcome outcome;
    for (const ContractRecord& record : run.book().records) {
        outcome.shipped.push_back(record.shipped_doses);
        outcome.delivered.push_back(record.delivered_doses);
        outcome.wasted.push_back(record.wasted_doses);
    }
    outcome.points = run.recorder().points().to_vector();
    outcome.deliveries = run.deliveries().size();
    return outcome;
}

}  // namespace

TEST(SupplyProperties, InvariantsHoldAndRunsAreDeterministicOverRandomScenarios) {
    supply::testing::check_property(1000, [] {
        const int days = *rc::gen::inRange(30, 80);
        const World world = random_world(days);
        const auto seed = *rc::gen::inRange<std::uint64_t>(1, 1000000);
        const Outcome first = run_and_check(world, seed);
        const Outcome again = run_and_check(world, seed);
        RC_ASSERT(first == again);  // same seed, identical results
    });
}
