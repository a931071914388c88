// Scenario tests of the uptake stage on small hand-built Worlds. Expected values are worked out by hand from the
// rules in docs/model/uptake.md, not copied from the code's output.
#include <gtest/gtest.h>

#include <cmath>

#include "uptake/cold_chain.hpp"
#include "uptake/hesitancy.hpp"
#include "uptake/uptake_model.hpp"
#include "uptake/uptake_test_support.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using namespace doseflow::uptake;
using namespace doseflow::uptake::testing;

namespace {

ProductSpec sputnik_v() {
    ProductSpec spec;
    spec.id = "sputnik_v";
    spec.components = {"rAd26", "rAd5"};
    spec.course = {0, 1};
    spec.storage = TemperatureClass::frozen;
    spec.shelf_life_days = {std::nullopt, 180, std::nullopt};
    spec.min_interval_days = 21;
    spec.recommended_interval_days = 21;
    return spec;
}

ProductSpec sputnik_light() {
    ProductSpec spec;
    spec.id = "sputnik_light";
    spec.components = {"rAd26"};
    spec.course = {0};
    spec.storage = TemperatureClass::frozen;
    spec.shelf_life_days = {std::nullopt, 180, std::nullopt};
    spec.min_interval_days = 0;
    spec.recommended_interval_days = 0;
    return spec;
}

ProductSpec pfizer() {
    ProductSpec spec;
    spec.id = "pfizer";
    spec.components = {"BNT162b2"};
    spec.course = {0, 0};
    spec.storage = TemperatureClass::ultra_cold;
    spec.shelf_life_days = {180, std::nullopt, std::nullopt};
    spec.min_interval_days = 21;
    spec.recommended_interval_days = 21;
    return spec;
}

const CountryId first_country(0);
const ProductId first_product(0);
const ProductId second_product(1);
const ContractId first_contract(0);
const Date far_expiry = day0() + 365;

}  // namespace

// Argentina and Mexico, 2021: component 2 (rAd5) arrived months after component 1.
TEST(Administration, LateSecondComponentMakesPeopleOverdueUntilItArrives) {
    CountrySpec country;
    country.population_by_age = {500.0, 1000.0, 500.0};  // bands 0-19, 20-59, 60+
    country.min_age_years = 20;
    country.admin_capacity_doses_per_day = 100.0;
    World world = make_world({0, 20, 60}, {make_country(country)}, {make_product(sputnik_v())});
    world.contracts.push_back(make_contract("arg_sputnik", first_country, first_product, 2000.0));
    Harness harness(std::move(world));

    std::vector<double> dose1_by_day, dose2_by_day, overdue_by_day;
    for (int day = 0; day < 100; ++day) {
        const Date today = day0() + day;
        std::vector<Arrival> arrivals;
        if (day == 0) arrivals.push_back(make_arrival(first_contract, first_country, first_product, 0, 1000.0, far_expiry));
        if (day == 60) arrivals.push_back(make_arrival(first_contract, first_country, first_product, 1, 1000.0, far_expiry));
        harness.run_day(today, arrivals);
        dose1_by_day.push_back(harness.vaccinated_today(0, 1));
        dose2_by_day.push_back(harness.vaccinated_today(0, 2));
        overdue_by_day.push_back(harness.value("overdue_dose2", today, 0, 0));
        EXPECT_NEAR(overdue_by_day.back(), harness.model().overdue_next_dose(first_country, today), 1e-9);
    }
    // 100 first doses a day for 10 days (1000 component-1 doses), 60+ first: days 0-4 go to band 2.
    for (int day = 0; day < 10; ++day) EXPECT_NEAR(dose1_by_day[day], 100.0, 1e-9) << day;
    EXPECT_NEAR(dose1_by_day[10], 0.0, 1e-9);
    // Each day's cohort is due 21 days later; with no rAd5 until day 60 they pile up as overdue.
    EXPECT_NEAR(overdue_by_day[20], 0.0, 1e-9);
    EXPECT_NEAR(overdue_by_day[21], 100.0, 1e-9);
    EXPECT_NEAR(overdue_by_day[30], 1000.0, 1e-9);
    EXPECT_NEAR(overdue_by_day[59], 1000.0, 1e-9);
    // From day 60, 100 second doses a day, oldest cohort first, clear the backlog by day 69.
    EXPECT_NEAR(overdue_by_day[60], 900.0, 1e-9);
    EXPECT_NEAR(overdue_by_day[69], 0.0, 1e-9);
    EXPECT_NEAR(harness.model().people_full(first_country), 1000.0, 1e-9);
    // Nobody ever received dose 2 earlier than 21 days after dose 1: cumulative second doses on day t never exceed
    // cumulative first doses on day t - 21.
    double cumulative_dose1 = 0.0, cumulative_dose2 = 0.0;
    std::vector<double> cumulative_dose1_by_day;
    for (int day = 0; day < 100; ++day) {
        cumulative_dose1 += dose1_by_day[day];
        cumulative_dose2 += dose2_by_day[day];
        cumulative_dose1_by_day.push_back(cumulative_dose1);
        const double allowed = day >= 21 ? cumulative_dose1_by_day[day - 21] : 0.0;
        EXPECT_LE(cumulative_dose2, allowed + 1e-9) << "day " << day;
    }
    for (int day = 0; day < 60; ++day) EXPECT_EQ(dose2_by_day[day], 0.0) << day;
}

// Kyrgyzstan, 2021: no ultra-cold store, so Pfizer doses could not be accepted.
TEST(ColdChain, CountryWithoutUltraColdStorageRefusesUltraColdProduct) {
    CountrySpec country;
    country.code = "KGZ";
    country.cold_chain_doses = {0.0, 0.0, 1e6};
    World world = make_world({0}, {make_country(country)}, {make_product(pfizer())});
    world.contracts.push_back(make_contract("kgz_pfizer", first_country, first_product, 500.0));
    const auto unreceivable = unreceivable_contracts(world);
    ASSERT_EQ(unreceivable.size(), 1u);
    EXPECT_EQ(unreceivable[0].contract_index, 0u);
    EXPECT_NE(unreceivable[0].reason.find("KGZ"), std::string::npos);
    EXPECT_NE(unreceivable[0].reason.find("ultra_cold"), std::string::npos);

    Harness harness(std::move(world));
    harness.run_day(day0(), {make_arrival(first_contract, first_country, first_product, 0, 500.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().wasted_doses(first_country, first_product, WastageReason::cold_chain), 500.0);
    EXPECT_DOUBLE_EQ(harness.book()[first_contract].wasted_doses, 500.0);
    EXPECT_DOUBLE_EQ(harness.model().stock_doses(first_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.value("wasted_doses", day0(), 0, 0, "cold_chain"), 500.0);
}

TEST(ColdChain, CovaxContractNamesParticipantsThatCannotStoreTheProduct) {
    CountrySpec able, unable, outside;
    able.code = "ABL";
    able.cold_chain_doses = {1e5, 0.0, 0.0};
    unable.code = "KGZ";
    unable.cold_chain_doses = {0.0, 1e6, 1e6};
    outside.code = "OUT";
    outside.cold_chain_doses = {0.0, 0.0, 0.0};
    std::vector<Country> countries{make_country(able), make_country(unable), make_country(outside)};
    countries[0].covax_participant = true;
    countries[1].covax_participant = true;
    World world = make_world({0}, std::move(countries), {make_product(pfizer())});
    Contract covax = make_contract("covax_pfizer", CountryId(), first_product, 1e6);
    covax.kind = ContractKind::covax;
    world.contracts.push_back(covax);
    const auto unreceivable = unreceivable_contracts(world);
    ASSERT_EQ(unreceivable.size(), 1u);
    EXPECT_NE(unreceivable[0].reason.find("KGZ"), std::string::npos);
    EXPECT_EQ(unreceivable[0].reason.find("ABL"), std::string::npos);
    EXPECT_EQ(unreceivable[0].reason.find("OUT"), std::string::npos);  // not a participant
}

TEST(ColdChain, StorageAddedLaterMakesAContractReceivableFromThatDate) {
    CountrySpec country;
    country.cold_chain_doses = {0.0, 0.0, 1e6};
    country.cold_chain_growth = {{day0() + 30, TemperatureClass::ultra_cold, 400.0}};
    country.admin_capacity_doses_per_day = 0.0;
    World world = make_world({0}, {make_country(country)}, {make_product(pfizer())});
    world.contracts.push_back(make_contract("later", first_country, first_product, 1000.0));
    EXPECT_TRUE(unreceivable_contracts(world).empty());

    Harness harness(std::move(world));
    harness.run_day(day0() + 29, {make_arrival(first_contract, first_country, first_product, 0, 300.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.book()[first_contract].wasted_doses, 300.0);
    // From day 30 there is room for 400: 500 arrive, 100 are refused.
    harness.run_day(day0() + 30, {make_arrival(first_contract, first_country, first_product, 0, 500.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().stock_doses(first_country), 400.0);
    EXPECT_DOUBLE_EQ(harness.book()[first_contract].wasted_doses, 400.0);
}

TEST(ColdChain, OverflowGoesToAWarmerClassWithItsShorterShelfLifeAndExpiresThere) {
    ProductSpec spec = pfizer();
    spec.shelf_life_days = {180, 14, std::nullopt};  // two weeks at -20C
    CountrySpec country;
    country.cold_chain_doses = {300.0, 1e6, 1e6};
    country.admin_capacity_doses_per_day = 0.0;
    Harness harness(make_world({0}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 500.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().cold_chain(first_country).stored_doses(TemperatureClass::ultra_cold), 300.0);
    EXPECT_DOUBLE_EQ(harness.model().cold_chain(first_country).stored_doses(TemperatureClass::frozen), 200.0);
    for (int day = 1; day <= 14; ++day) harness.run_day(day0() + day);
    // The frozen lot expires on day 14, the ultra-cold one is still good.
    EXPECT_DOUBLE_EQ(harness.model().wasted_doses(first_country, first_product, WastageReason::expired), 200.0);
    EXPECT_DOUBLE_EQ(harness.value("wasted_doses", day0() + 14, 0, 0, "expired"), 200.0);
    EXPECT_DOUBLE_EQ(harness.model().stock_doses(first_country), 300.0);
}

TEST(ColdChain, TakesFirstExpiringLotFirst) {
    CountrySpec country;
    country.admin_capacity_doses_per_day = 0.0;
    ProductSpec spec;
    spec.course = {0};
    World world = make_world({0}, {make_country(country)}, {make_product(spec)});
    ColdChain stores(world.countries[0], world.products);
    EXPECT_DOUBLE_EQ(stores.store(first_product, 0, 100.0, day0() + 50, day0()), 0.0);
    EXPECT_DOUBLE_EQ(stores.store(first_product, 0, 100.0, day0() + 20, day0()), 0.0);
    EXPECT_DOUBLE_EQ(stores.take(first_product, 0, 150.0), 150.0);
    // The day-20 lot went first; 50 of the day-50 lot are left, and nothing expires on day 20.
    EXPECT_EQ(stores.earliest_expiry(first_product, 0), day0() + 50);
    EXPECT_TRUE(stores.expire(day0() + 20).empty());
    EXPECT_DOUBLE_EQ(stores.stock(first_product, 0), 50.0);
    EXPECT_DOUBLE_EQ(stores.take(first_product, 0, 80.0), 50.0);
}

TEST(ColdChain, ArrivalAlreadyExpiredIsWastedAsExpired) {
    Harness harness(make_world({0}, {make_country(CountrySpec{})}, {make_product(ProductSpec{})}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 70.0, day0())});
    EXPECT_DOUBLE_EQ(harness.model().wasted_doses(first_country, first_product, WastageReason::expired), 70.0);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 0.0);
}

namespace {
SubstitutionRule substitution(ProductId product, int dose, ProductId substitute, int after_days) {
    SubstitutionRule rule;
    rule.product = product;
    rule.dose = dose;
    rule.substitute = substitute;
    rule.after_days = after_days;
    return rule;
}
}  // namespace

// Sputnik Light (the rAd26 component alone) allowed as dose 2 for people stuck after Sputnik V dose 1.
TEST(Substitution, OverduePeopleCompleteWithTheSubstituteOnlyAfterTheRuleDelay) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.admin_capacity_doses_per_day = 5000.0;
    World world = make_world({0}, {make_country(country)}, {make_product(sputnik_v()), make_product(sputnik_light())});
    world.uptake.substitutions.push_back(substitution(first_product, 2, second_product, 90));
    Harness harness(std::move(world));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 1000.0);
    // Everybody has had dose 1, so the Light doses wait for no first-dose demand.
    harness.run_day(day0() + 1, {make_arrival(ContractId(), first_country, second_product, 0, 1000.0, far_expiry)});
    for (int day = 2; day < 90; ++day) {
        harness.run_day(day0() + day);
        EXPECT_EQ(harness.vaccinated_today(0, 2), 0.0) << day;
    }
    EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 89), 1000.0);
    EXPECT_DOUBLE_EQ(harness.model().account(first_country, second_product).stock_doses, 1000.0);
    harness.run_day(day0() + 90);
    // Completed as Sputnik V courses (what the epidemic sees), from Sputnik Light stock (what the ledger sees).
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 2), 1000.0);
    EXPECT_DOUBLE_EQ(harness.value("administered_dose2", day0() + 90, 0, 1), 1000.0);
    EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 1000.0);
    EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 90), 0.0);
    EXPECT_DOUBLE_EQ(harness.model().account(first_country, second_product).administered_doses, 1000.0);
}

// National recommendations of a mixed course were dated and national (Germany's STIKO, 1 Jul 2021): a rule naming
// one country from a date leaves the other country's people overdue, and this one's until that date.
TEST(Substitution, ARuleHoldsOnlyInTheCountriesItNamesFromItsStart) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.admin_capacity_doses_per_day = 5000.0;
    World world = make_world({0}, {make_country(country), make_country(country)},
                             {make_product(sputnik_v()), make_product(sputnik_light())});
    const CountryId second_country(1);
    SubstitutionRule rule = substitution(first_product, 2, second_product, 0);
    rule.start = day0() + 60;
    rule.countries = {second_country};
    world.uptake.substitutions.push_back(rule);
    Harness harness(std::move(world));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry),
                             make_arrival(ContractId(), second_country, first_product, 0, 1000.0, far_expiry)});
    harness.run_day(day0() + 1, {make_arrival(ContractId(), first_country, second_product, 0, 1000.0, far_expiry),
                                 make_arrival(ContractId(), second_country, second_product, 0, 1000.0, far_expiry)});
    for (int day = 2; day < 60; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().people_full(second_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(second_country, day0() + 59), 1000.0);
    harness.run_day(day0() + 60);
    EXPECT_DOUBLE_EQ(harness.model().people_full(second_country), 1000.0);
    for (int day = 61; day <= 120; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 120), 1000.0);
}

TEST(Substitution, WithoutARulePeopleStayOverdue) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.admin_capacity_doses_per_day = 5000.0;
    Harness harness(make_world({0}, {make_country(country)}, {make_product(sputnik_v()), make_product(sputnik_light())}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    harness.run_day(day0() + 1, {make_arrival(ContractId(), first_country, second_product, 0, 1000.0, far_expiry)});
    for (int day = 2; day <= 120; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 120), 1000.0);
}

TEST(SecondDosePolicy, HoldBackKeepsOneSecondDoseForEveryFirstDose) {
    for (const auto policy : {SecondDosePolicy::first_doses_first, SecondDosePolicy::hold_back_second}) {
        CountrySpec country;
        country.population_by_age = {5000.0};
        country.cold_chain_doses = {1e6, 1e6, 1e6};
        country.admin_capacity_doses_per_day = 2000.0;
        country.second_dose_policy = policy;
        Harness harness(make_world({0}, {make_country(country)}, {make_product(pfizer())}));
        harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
        for (int day = 1; day <= 21; ++day) harness.run_day(day0() + day);
        if (policy == SecondDosePolicy::first_doses_first) {
            EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 1000.0);
            EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 0.0);
            EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 21), 1000.0);
        } else {
            EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 500.0);
            EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 500.0);
            EXPECT_DOUBLE_EQ(harness.model().overdue_next_dose(first_country, day0() + 21), 0.0);
        }
    }
}

TEST(SecondDosePolicy, DueSecondDosesComeBeforeNewFirstDoses) {
    CountrySpec country;
    country.population_by_age = {5000.0};
    country.cold_chain_doses = {1e6, 1e6, 1e6};
    country.admin_capacity_doses_per_day = 100.0;
    Harness harness(make_world({0}, {make_country(country)}, {make_product(pfizer())}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 10000.0, far_expiry)});
    for (int day = 1; day <= 21; ++day) harness.run_day(day0() + day);
    // Day 21: the 100 people of day 0 take all the capacity.
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 2), 100.0);
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1), 0.0);
}

TEST(Priority, OldestBandsFirst) {
    CountrySpec country;
    country.population_by_age = {100.0, 100.0, 100.0, 100.0};
    country.min_age_years = 20;
    country.admin_capacity_doses_per_day = 60.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0, 20, 40, 60}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1, 3), 60.0);
    harness.run_day(day0() + 1);
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1, 3), 40.0);
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1, 2), 20.0);
    for (int day = 2; day < 10; ++day) harness.run_day(day0() + day);
    // Under-20s are not eligible.
    const auto& dose1 = harness.model().people_dose1_by_band(first_country);
    EXPECT_DOUBLE_EQ(dose1[0], 0.0);
    EXPECT_DOUBLE_EQ(dose1[1], 100.0);
}

TEST(Priority, HealthWorkersOfEveryAdultBandFirst) {
    CountrySpec country;
    country.population_by_age = {1000.0, 1000.0, 1000.0};  // 0-19, 20-59, 60+
    country.min_age_years = 18;
    country.health_worker_share = 0.1;
    country.priority = PriorityRule::health_workers_then_oldest;
    country.admin_capacity_doses_per_day = 210.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0, 20, 60}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 10000.0, far_expiry)});
    // 10% of the adults: band 0-19 holds two adult years of twenty (18, 19): 0.1 * 1000 * 2/20 = 10.
    EXPECT_NEAR(harness.vaccinated_today(0, 1, 0), 10.0, 1e-9);
    EXPECT_NEAR(harness.vaccinated_today(0, 1, 1), 100.0, 1e-9);
    EXPECT_NEAR(harness.vaccinated_today(0, 1, 2), 100.0, 1e-9);
    harness.run_day(day0() + 1);
    EXPECT_NEAR(harness.vaccinated_today(0, 1, 2), 210.0, 1e-9);
}

TEST(Priority, BandStraddlingTheMinimumAgeIsPartlyEligible) {
    CountrySpec country;
    country.population_by_age = {100.0, 100.0, 100.0};  // 0-9, 10-19, 20+
    country.min_age_years = 15;
    country.priority = PriorityRule::uniform;
    country.admin_capacity_doses_per_day = 1000.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0, 10, 20}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    const auto& dose1 = harness.model().people_dose1_by_band(first_country);
    EXPECT_DOUBLE_EQ(dose1[0], 0.0);
    EXPECT_DOUBLE_EQ(dose1[1], 50.0);
    EXPECT_DOUBLE_EQ(dose1[2], 100.0);
}

TEST(Priority, UniformSplitsProRata) {
    CountrySpec country;
    country.population_by_age = {300.0, 100.0};
    country.priority = PriorityRule::uniform;
    country.admin_capacity_doses_per_day = 40.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0, 50}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1, 0), 30.0);
    EXPECT_DOUBLE_EQ(harness.vaccinated_today(0, 1, 1), 10.0);
}

TEST(Administration, NothingBeforeTheCampaignStarts) {
    CountrySpec country;
    country.campaign_start_day = 5;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    for (int day = 1; day < 5; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 0.0);
    EXPECT_DOUBLE_EQ(harness.exchange().uptake[0].admin_capacity_doses_per_day, 0.0);
    harness.run_day(day0() + 5);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 100.0);
}

// With shipping.recipient_stock_days the signal carries what the planned capacity gives over the coming stock days
// (none before the campaign starts), so that a country about to raise its capacity takes doses for it ahead.
TEST(Administration, SignalsTheCapacityOfTheComingStockDays) {
    CountrySpec spec;
    spec.population_by_age = {1e6};
    spec.campaign_start_day = 3;
    ProductSpec product;
    product.course = {0};
    Country country = make_country(spec);
    country.admin_capacity_doses_per_day = Ramp({{day0(), 100.0}, {day0() + 10, 100.0}, {day0() + 20, 1100.0}});
    World world = make_world({0}, {country}, {make_product(product)});
    world.shipping.recipient_stock_days = 30;
    Harness harness(world);
    harness.run_day(day0());
    // Days 3-10: 100 each; days 11-20: 100 + 100 (k - 10); days 21-29: 1,100 each.
    const UptakeSignal& signal = harness.exchange().uptake[0];
    EXPECT_DOUBLE_EQ(signal.capacity_ahead_doses, 8 * 100.0 + (10 * 100.0 + 100.0 * 55) + 9 * 1100.0);
    EXPECT_DOUBLE_EQ(signal.usable_doses(), signal.capacity_ahead_doses);  // a million people want more
    EXPECT_DOUBLE_EQ(signal.admin_capacity_doses_per_day, 0.0);            // today: before the campaign

    world.shipping.recipient_stock_days = 0;
    Harness unlimited(world);
    unlimited.run_day(day0());
    EXPECT_DOUBLE_EQ(unlimited.exchange().uptake[0].capacity_ahead_doses, 0.0);
}

// The signal also holds the free room of the stores, and what a country can hold is no more than its stock and that
// room: a recipient does not take deliveries its stores cannot keep (docs/model/supply.md, "Recipients' room").
TEST(Administration, WhatItCanHoldIsBoundedByItsStores) {
    CountrySpec spec;
    spec.population_by_age = {1e6};
    spec.admin_capacity_doses_per_day = 1000.0;
    spec.cold_chain_doses = {0.0, 0.0, 5000.0};  // fridge only
    ProductSpec product;
    product.course = {0};
    World world = make_world({0}, {make_country(spec)}, {make_product(product)});
    world.shipping.recipient_stock_days = 30;
    Harness harness(world);
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 3000.0, far_expiry)});
    const UptakeSignal& signal = harness.exchange().uptake[0];
    // 3,000 arrived and 1,000 were given: 2,000 in stock, 3,000 free; 30 days of 1,000 a day would be 30,000.
    EXPECT_DOUBLE_EQ(signal.stock_doses, 2000.0);
    EXPECT_DOUBLE_EQ(signal.cold_chain_free_doses, 3000.0);
    EXPECT_DOUBLE_EQ(signal.capacity_ahead_doses, 30000.0);
    EXPECT_DOUBLE_EQ(signal.usable_doses(), 5000.0);
    // Per product: the room of the classes that keep it (here the fridges, which hold everything).
    ASSERT_EQ(signal.cold_chain_free_by_product.size(), 1u);
    EXPECT_DOUBLE_EQ(signal.cold_chain_free_by_product[0], 3000.0);
}

TEST(Administration, OpenVialLossesAreWastedNotAdministered) {
    CountrySpec country;
    country.admin_capacity_doses_per_day = 400.0;
    ProductSpec spec;
    spec.course = {0};
    spec.open_vial_wastage = 0.2;
    Harness harness(make_world({0}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 1000.0, far_expiry)});
    // 400 people need 400 / 0.8 = 500 doses opened.
    const DoseAccount account = harness.model().account(first_country, first_product);
    EXPECT_DOUBLE_EQ(account.administered_doses, 400.0);
    EXPECT_DOUBLE_EQ(harness.model().wasted_doses(first_country, first_product, WastageReason::open_vial), 100.0);
    EXPECT_DOUBLE_EQ(account.stock_doses, 500.0);
    EXPECT_DOUBLE_EQ(harness.value("wasted_doses", day0(), 0, 0, "open_vial"), 100.0);
    EXPECT_DOUBLE_EQ(harness.value("administered_dose1", day0(), 0, 0), 400.0);
}

TEST(Administration, OnlyWillingPeopleGetFirstDoses) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.willing_share_by_age = {0.4};
    country.admin_capacity_doses_per_day = 5000.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 5000.0, far_expiry)});
    harness.run_day(day0() + 1);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 400.0);
    EXPECT_DOUBLE_EQ(harness.exchange().uptake[0].unvaccinated_willing, 0.0);
}

TEST(Records, CertificateFraudInflatesReportedCoverage) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.certificate_fraud_share = 0.2;
    country.admin_capacity_doses_per_day = 1000.0;
    ProductSpec spec;
    spec.course = {0};
    Harness harness(make_world({0}, {make_country(country)}, {make_product(spec)}));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 600.0, far_expiry)});
    // 600 real courses; 20% of reported courses are fake, so 600 / (1 - 0.2) = 750 are reported.
    EXPECT_DOUBLE_EQ(harness.value("people_full", day0()), 600.0);
    EXPECT_DOUBLE_EQ(harness.value("reported_people_full", day0()), 750.0);
    EXPECT_DOUBLE_EQ(harness.value("population", day0()), 1000.0);
    EXPECT_DOUBLE_EQ(harness.value("population", day0() + 1), 0.0);  // recorded once
}

// Russia 2021: few willing before the Delta surge, demand rising with deaths.
TEST(Hesitancy, WillingnessRelaxesExponentiallyTowardTheFearTarget) {
    CountrySpec country;
    country.population_by_age = {1000.0};
    country.willing_share_by_age = {0.2};
    country.admin_capacity_doses_per_day = 0.0;
    World world = make_world({0}, {make_country(country)}, {make_product(ProductSpec{})});
    world.uptake.fear_coefficient = 3.0;
    world.uptake.fear_half_saturation = 5.0;
    world.uptake.willingness_relaxation_days = 20.0;
    Harness harness(std::move(world));
    harness.exchange().epidemic[0].reported_deaths_per_million_7d = 5.0;
    // Half saturation: log-odds rise by 3 * 0.5 = 1.5 from logit(0.2).
    const double target = 1.0 / (1.0 + std::exp(-(std::log(0.2 / 0.8) + 1.5)));
    for (int day = 0; day < 30; ++day) harness.run_day(day0() + day);
    const double expected = target + (0.2 - target) * std::exp(-30.0 / 20.0);
    EXPECT_NEAR(harness.model().willing_share(first_country)[0], expected, 1e-12);
}

TEST(Hesitancy, DisinformationAgainstOneProductLowersOnlyThatProduct) {
    CountrySpec country;
    country.willing_share_by_age = {0.6};
    ProductSpec a, b;
    a.id = "a";
    b.id = "b";
    World world = make_world({0}, {make_country(country)}, {make_product(a), make_product(b)});
    world.uptake.disinformation_coefficient = 0.25;
    world.uptake.willingness_relaxation_days = 0.0;  // jump to the target
    world.contracts.push_back(make_contract("a", first_country, first_product, 1.0));
    Harness harness(std::move(world));
    harness.exchange().diplomacy.trust = {{1.0, 1.0}};
    harness.exchange().diplomacy.disinformation = {{2.0, 0.0}};
    harness.run_day(day0());
    const double lowered = 1.0 / (1.0 + std::exp(-(std::log(0.6 / 0.4) - 0.5)));
    EXPECT_NEAR(harness.model().willing_share(first_country, first_product)[0], lowered, 1e-12);
    EXPECT_NEAR(harness.model().willing_share(first_country, second_product)[0], 0.6, 1e-12);
    // The country's portfolio holds only product a (its contract).
    EXPECT_NEAR(harness.model().willing_share(first_country)[0], lowered, 1e-12);
    harness.run_day(day0() + 1, {make_arrival(ContractId(), first_country, second_product, 0, 10.0, far_expiry)});
    EXPECT_NEAR(harness.model().willing_share(first_country)[0], 0.6, 1e-12);
}

TEST(Hesitancy, LowTrustLowersTheTargetAndEmptyDiplomacyMeansFullTrust) {
    UptakeParameters parameters = scenario::declared_defaults<UptakeParameters>("uptake");
    parameters.trust_coefficient = 0.8;
    EXPECT_DOUBLE_EQ(willingness_target(0.5, HesitancyDrivers{0.0, 1.0, 0.0}, parameters), 0.5);
    EXPECT_NEAR(willingness_target(0.5, HesitancyDrivers{0.0, 0.0, 0.0}, parameters), 1.0 / (1.0 + std::exp(0.8)), 1e-15);
    EXPECT_EQ(willingness_target(0.0, HesitancyDrivers{100.0, 1.0, 0.0}, parameters), 0.0);
    EXPECT_EQ(willingness_target(1.0, HesitancyDrivers{0.0, 0.0, 50.0}, parameters), 1.0);
}

TEST(World, MismatchedBandVectorsAreRejected) {
    CountrySpec country;
    country.population_by_age = {1.0, 2.0};
    const World world = make_world({0}, {make_country(country)}, {});
    EXPECT_THROW(UptakeModel model(world), std::invalid_argument);
}

TEST(World, ArrivalWithoutAValidRecipientIsRejected) {
    Harness harness(make_world({0}, {make_country(CountrySpec{})}, {make_product(ProductSpec{})}));
    EXPECT_THROW(harness.run_day(day0(), {make_arrival(ContractId(), CountryId(), first_product, 0, 10.0, far_expiry)}),
                 std::invalid_argument);
    EXPECT_THROW(harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 3, 10.0, far_expiry)}),
                 std::invalid_argument);
}

// The default coefficients reproduce the Levada series they were fitted to (docs/model/uptake.md): with Russia's
// fear-free willingness 0.18, the target at each poll's death rate is within 2 points of 1 - "not ready".
TEST(Hesitancy, DefaultsReproduceLevadaPollsOf2021) {
    const auto defaults = scenario::declared_defaults<UptakeParameters>("uptake");
    struct Poll {
        double deaths_per_million_per_day;
        double not_ready_share;
    };
    for (const Poll poll : {Poll{3.1, 0.62}, Poll{2.6, 0.62}, Poll{4.5, 0.54}, Poll{5.4, 0.52}, Poll{7.2, 0.45}}) {
        const double target = willingness_target(0.18, HesitancyDrivers{poll.deaths_per_million_per_day, 1.0, 0.0}, defaults);
        EXPECT_NEAR(target, 1.0 - poll.not_ready_share, 0.02) << poll.deaths_per_million_per_day;
    }
}
