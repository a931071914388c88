// Properties of the uptake stage over random small scenarios (docs/architecture.md, "One simulated day").
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "core/random.hpp"
#include "uptake/hesitancy.hpp"
#include "uptake/uptake_model.hpp"
#include "uptake/uptake_test_support.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using namespace doseflow::uptake;
using namespace doseflow::uptake::testing;

namespace {

// Runs a property for at least `cases` random cases (more when RC_PARAMS asks for more).
template <class Testable>
void check_cases(int cases, Testable&& testable) {
    auto params = rc::detail::configuration().testParams;
    params.maxSuccess = std::max(params.maxSuccess, cases);
    rc::detail::TestMetadata metadata;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    metadata.id = std::string(info->test_suite_name()) + "/" + info->name();
    metadata.description = info->name();
    const auto result = rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params);
    if (!result.template is<rc::detail::SuccessResult>()) {
        std::ostringstream message;
        rc::detail::printResultMessage(result, message);
        FAIL() << message.str();
    }
}

int pick(int low, int high_inclusive) { return *rc::gen::inRange(low, high_inclusive + 1); }
double share(int steps = 100) { return pick(0, steps) / static_cast<double>(steps); }

std::optional<int> maybe_shelf_life() {
    if (pick(0, 2) == 0) return std::nullopt;
    return pick(2, 120);
}

Product random_product(int index) {
    ProductSpec spec;
    spec.id = "p" + std::to_string(index);
    const int components = pick(1, 2);
    spec.components.clear();
    for (int c = 0; c < components; ++c) spec.components.push_back("c" + std::to_string(c));
    const int doses = pick(1, 3);
    spec.course.clear();
    for (int d = 0; d < doses; ++d) spec.course.push_back(pick(0, components - 1));
    spec.storage = static_cast<TemperatureClass>(pick(0, 2));
    for (auto& life : spec.shelf_life_days) life = maybe_shelf_life();
    spec.shelf_life_days[static_cast<std::size_t>(spec.storage)] = pick(5, 200);
    spec.min_interval_days = pick(0, 30);
    spec.recommended_interval_days = pick(0, 45);
    spec.open_vial_wastage = share(10) * 0.3;
    return make_product(spec);
}

Country random_country(int index, int bands) {
    CountrySpec spec;
    spec.code = "C" + std::to_string(index);
    spec.population_by_age.clear();
    spec.willing_share_by_age.clear();
    for (int b = 0; b < bands; ++b) {
        spec.population_by_age.push_back(pick(0, 3000));
        spec.willing_share_by_age.push_back(share());
    }
    for (auto& capacity : spec.cold_chain_doses) capacity = pick(0, 2) == 0 ? 0.0 : pick(0, 4000);
    for (int s = pick(0, 2); s > 0; --s)
        spec.cold_chain_growth.push_back({day0() + pick(0, 40), static_cast<TemperatureClass>(pick(0, 2)),
                                          static_cast<double>(pick(0, 2000))});
    spec.admin_capacity_doses_per_day = pick(0, 600);
    spec.priority = static_cast<PriorityRule>(pick(0, 2));
    spec.health_worker_share = share(10) * 0.2;
    spec.min_age_years = pick(0, 70);
    spec.second_dose_policy = static_cast<SecondDosePolicy>(pick(0, 1));
    spec.certificate_fraud_share = share(10) * 0.5;
    spec.campaign_start_day = pick(0, 15);
    return make_country(spec);
}

World random_world() {
    const int bands = pick(1, 4);
    std::vector<int> lower{0};
    for (int b = 1; b < bands; ++b) lower.push_back(lower.back() + pick(5, 25));
    std::vector<Country> countries;
    for (int c = pick(1, 3); c > 0; --c) countries.push_back(random_country(static_cast<int>(countries.size()), bands));
    std::vector<Product> products;
    for (int p = pick(1, 3); p > 0; --p) products.push_back(random_product(static_cast<int>(products.size())));
    World world = make_world(lower, std::move(countries), std::move(products));
    const int product_count = static_cast<int>(world.products.size());
    for (int r = pick(0, 2); r > 0; --r) {
        SubstitutionRule rule;
        rule.product = ProductId(pick(0, product_count - 1));
        rule.dose = pick(1, 3);
        rule.substitute = ProductId(pick(0, product_count - 1));
        rule.after_days = pick(0, 40);
        world.uptake.substitutions.push_back(rule);
    }
    world.uptake.fear_coefficient = share() * 4.0;
    world.uptake.fear_half_saturation = 0.1 + share() * 10.0;
    world.uptake.trust_coefficient = share() * 2.0;
    world.uptake.disinformation_coefficient = share();
    world.uptake.willingness_relaxation_days = pick(0, 60);
    const auto some_countries = [&] {
        std::vector<CountryId> ids;
        for (std::size_t c = 0; c < world.countries.size(); ++c)
            if (pick(0, 1) == 0) ids.push_back(CountryId(c));
        return ids;
    };
    const auto some_products = [&] {
        std::vector<ProductId> ids;
        for (int p = 0; p < product_count; ++p)
            if (pick(0, 2) == 0) ids.push_back(ProductId(p));
        return ids;
    };
    for (int e = pick(0, 2); e > 0; --e)
        world.uptake.eligibility.push_back(
            EligibilityExpansion{day0() + pick(0, 40), some_countries(), pick(0, 70), some_products()});
    std::stable_sort(world.uptake.eligibility.begin(), world.uptake.eligibility.end(),
                     [](const auto& a, const auto& b) { return a.date < b.date; });
    for (int b = pick(0, 2); b > 0; --b) {
        BoosterProgramme programme;
        programme.start = day0() + pick(0, 40);
        programme.countries = some_countries();
        programme.min_age_years = pick(0, 70);
        programme.interval_days = pick(1, 30);
        programme.products = some_products();
        programme.courses = some_products();
        programme.uptake_share = share();
        programme.repeat_days = pick(0, 1) == 0 ? 0 : pick(1, 20);
        programme.ahead_of_first_doses = pick(0, 1) == 0;
        world.uptake.boosters.push_back(programme);
    }
    for (int m = pick(0, 2); m > 0; --m) {
        const Date start = day0() + pick(0, 40);
        world.uptake.mandates.push_back(
            Mandate{start, start + pick(0, 40), some_countries(), pick(0, 70), share() * 3.0, share()});
    }
    if (pick(0, 1) == 0) {
        const int lead = pick(0, 10);
        const int min_life = pick(0, 20);
        world.uptake.sharing =
            DoseSharing{true, day0() + pick(0, 20), some_countries(), lead + min_life + pick(1, 60), min_life, lead,
                        pick(1, 120)};
        world.covax.shipment_interval_days = pick(1, 7);
    }
    for (std::size_t c = 0; c < world.countries.size(); ++c)
        for (int k = pick(0, 1); k > 0; --k)
            world.contracts.push_back(make_contract("k" + std::to_string(world.contracts.size()), CountryId(c),
                                                    ProductId(pick(0, product_count - 1)), 1e4));
    return world;
}

// Daily inputs come from a seeded stream rather than from rapidcheck generators: they are many, and the
// scenario's structure (drawn by rapidcheck, so it shrinks) is what a failure needs to show.
class DailyInputs {
public:
    DailyInputs(const World& world, std::uint64_t seed) : world_(world), random_(make_stream(seed, 0, StreamPurpose::test)) {}

    std::vector<Arrival> arrivals(Date today) {
        std::vector<Arrival> arrivals;
        if (integer(0, 2) != 0) return arrivals;
        for (int n = integer(1, 2); n > 0; --n) {
            const auto c = static_cast<std::size_t>(integer(0, static_cast<int>(world_.countries.size()) - 1));
            const auto p = static_cast<std::size_t>(integer(0, static_cast<int>(world_.products.size()) - 1));
            const int component = integer(0, world_.products[p].component_count() - 1);
            const ContractId contract = world_.contracts.empty()
                                            ? ContractId()
                                            : ContractId(integer(0, static_cast<int>(world_.contracts.size()) - 1));
            arrivals.push_back(make_arrival(contract, CountryId(c), ProductId(p), component, integer(0, 2500),
                                            today + integer(-2, 150)));
        }
        return arrivals;
    }

    void drivers(DayExchange& exchange) {
        for (auto& signal : exchange.epidemic) signal.reported_deaths_per_million_7d = uniform(0.0, 20.0);
        auto& diplomacy = exchange.diplomacy;
        if (integer(0, 1) == 0) {
            diplomacy.trust.clear();
            diplomacy.disinformation.clear();
            return;
        }
        diplomacy.trust.assign(world_.countries.size(), std::vector<double>(world_.products.size(), 1.0));
        diplomacy.disinformation.assign(world_.countries.size(), std::vector<double>(world_.products.size(), 0.0));
        for (auto& row : diplomacy.trust)
            for (auto& value : row) value = uniform(0.0, 1.0);
        for (auto& row : diplomacy.disinformation)
            for (auto& value : row) value = uniform(0.0, 5.0);
    }

private:
    int integer(int low, int high) { return boost::random::uniform_int_distribution<int>(low, high)(random_); }
    double uniform(double low, double high) {
        return boost::random::uniform_real_distribution<double>(low, high)(random_);
    }
    const World& world_;
    RandomEngine random_;
};

bool close_enough(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); }

}  // namespace

TEST(UptakeProperties, InvariantsHoldEveryDayOfRandomScenarios) {
    check_cases(1000, [] {
        Harness harness(random_world());
        const World& world = harness.world();
        DailyInputs inputs(world, static_cast<std::uint64_t>(*rc::gen::inRange(0, 1 << 30)));
        const int days = 50;
        // Cumulative people by (country, course product, band, dose number) per day, from the exchange alone.
        std::map<std::tuple<std::size_t, std::size_t, int, int>, std::vector<double>> cumulative;
        std::vector<double> boosters(world.countries.size(), 0.0);  // booster doses: not an epidemic stratum
        for (int day = 0; day < days; ++day) {
            const Date today = day0() + day;
            inputs.drivers(harness.exchange());
            harness.run_day(today, inputs.arrivals(today));

            std::vector<double> administered_today(world.countries.size(), 0.0);
            for (std::size_t c = 0; c < world.countries.size(); ++c)
                boosters[c] += harness.value("administered_booster", today, static_cast<int>(c));
            for (auto& [key, series] : cumulative) series.push_back(series.empty() ? 0.0 : series.back());
            for (const Vaccination& v : harness.exchange().vaccinations) {
                RC_ASSERT(v.people > 0.0);
                auto& series = cumulative[{v.country.value(), v.product.value(), v.age_band, v.dose_number}];
                if (series.size() < static_cast<std::size_t>(day + 1)) series.resize(static_cast<std::size_t>(day + 1), 0.0);
                series.back() += v.people;
                administered_today[v.country.value()] += v.people;
            }
            for (const auto& [key, series] : cumulative) {
                const auto& [c, p, band, dose] = key;
                if (dose == 1) continue;
                // Nobody gets dose k+1 before dose k, nor sooner than the minimum interval (at least a day) after it.
                const int interval = std::max(1, world.products[p].min_interval_days);
                const auto previous = cumulative.find({c, p, band, dose - 1});
                const double allowed = (previous == cumulative.end() || day < interval)
                                           ? 0.0
                                           : previous->second[static_cast<std::size_t>(day - interval)];
                RC_ASSERT(series.back() <= allowed + 1e-9 * std::max(1.0, allowed));
            }
            for (std::size_t c = 0; c < world.countries.size(); ++c) {
                const CountryId country(c);
                const auto& model = harness.model();
                const double population = world.countries[c].population();
                RC_ASSERT(model.people_full(country) <= model.people_dose1(country) + 1e-9 * std::max(1.0, population));
                RC_ASSERT(model.people_dose1(country) <= population * (1 + 1e-12) + 1e-9);
                for (std::size_t b = 0; b < model.population_by_band(country).size(); ++b)
                    RC_ASSERT(model.people_dose1_by_band(country)[b] <=
                              model.population_by_band(country)[b] * (1 + 1e-12) + 1e-9);
                double administered_total = 0.0;
                for (std::size_t p = 0; p < world.products.size(); ++p) {
                    for (int component = 0; component < world.products[p].component_count(); ++component) {
                        const DoseAccount account = model.account(country, ProductId(p), component);
                        RC_ASSERT(account.stock_doses >= -1e-9);
                        RC_ASSERT(close_enough(account.received_doses, account.administered_doses +
                                                                           account.wasted_doses + account.stock_doses +
                                                                           account.shared_doses));
                    }
                    administered_total += model.account(country, ProductId(p)).administered_doses;
                    for (const double w : model.willing_share(country, ProductId(p))) RC_ASSERT(w >= 0.0 && w <= 1.0);
                }
                for (const double w : model.willing_share(country)) RC_ASSERT(w >= 0.0 && w <= 1.0);
                // Every dose that left the stores as administered reached somebody the epidemic is told about.
                double people_vaccinated = 0.0;
                for (const auto& [key, series] : cumulative)
                    if (std::get<0>(key) == c) people_vaccinated += series.back();
                RC_ASSERT(close_enough(people_vaccinated + boosters[c], administered_total));
                RC_ASSERT(model.people_boosted(country) <= model.people_full(country) * (1 + 1e-12) + 1e-9);
                RC_ASSERT(model.reported_people_full(country) >= model.people_full(country));
            }
        }
    });
}

TEST(UptakeProperties, MoreDeathsNeverLowerTheWillingnessTarget) {
    check_cases(1000, [] {
        UptakeParameters parameters = scenario::declared_defaults<UptakeParameters>("uptake");
        parameters.fear_coefficient = share(1000) * 5.0;
        parameters.fear_half_saturation = share(1000) * 20.0;
        parameters.trust_coefficient = share() * 2.0;
        parameters.disinformation_coefficient = share();
        const double baseline = share(1000);
        HesitancyDrivers low{share(1000) * 30.0, share(), share() * 10.0};
        HesitancyDrivers high = low;
        high.deaths_per_million_per_day += share(1000) * 30.0;
        const double at_low = willingness_target(baseline, low, parameters);
        const double at_high = willingness_target(baseline, high, parameters);
        RC_ASSERT(at_low >= 0.0 && at_low <= 1.0 && at_high >= 0.0 && at_high <= 1.0);
        RC_ASSERT(at_high >= at_low);
    });
}

TEST(UptakeProperties, MoreDisinformationNeverRaisesAndMoreTrustNeverLowersTheTarget) {
    check_cases(1000, [] {
        UptakeParameters parameters = scenario::declared_defaults<UptakeParameters>("uptake");
        parameters.fear_coefficient = share(1000) * 5.0;
        parameters.fear_half_saturation = share(1000) * 20.0;
        parameters.trust_coefficient = share() * 2.0;
        parameters.disinformation_coefficient = share();
        const double baseline = share(1000);
        const HesitancyDrivers base{share(1000) * 30.0, share(), share() * 10.0};
        HesitancyDrivers more_disinformation = base;
        more_disinformation.disinformation += share() * 10.0;
        HesitancyDrivers more_trust = base;
        more_trust.trust += (1.0 - base.trust) * share();
        const double at_base = willingness_target(baseline, base, parameters);
        RC_ASSERT(willingness_target(baseline, more_disinformation, parameters) <= at_base);
        RC_ASSERT(willingness_target(baseline, more_trust, parameters) >= at_base);
    });
}
