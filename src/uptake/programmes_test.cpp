// Dated programmes of the uptake stage: eligibility that widens, boosters, mandates with fake certificates, and
// dose sharing. Expected values are worked out by hand from docs/model/uptake.md.
#include <gtest/gtest.h>

#include <memory>

#include "uptake/hesitancy.hpp"
#include "uptake/uptake_model.hpp"
#include "uptake/uptake_test_support.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using namespace doseflow::uptake;
using namespace doseflow::uptake::testing;

namespace {

const CountryId first_country(0);
const CountryId second_country(1);
const ProductId first_product(0);
const ProductId second_product(1);
const Date far_expiry = day0() + 365;

ProductSpec one_dose(std::string id) {
    ProductSpec spec;
    spec.id = std::move(id);
    spec.course = {0};
    spec.min_interval_days = 0;
    spec.recommended_interval_days = 0;
    return spec;
}

// Two bands: 0-9 and 10+ (the open band counts to age 100 for eligibility).
World two_band_world(CountrySpec country, std::vector<Product> products) {
    country.population_by_age = {1000.0, 900.0};
    return make_world({0, 10}, {make_country(country)}, std::move(products));
}

}  // namespace

TEST(Eligibility, WidensOnItsDateOnlyForTheNamedProducts) {
    CountrySpec country;
    country.min_age_years = 18;
    country.admin_capacity_doses_per_day = 1e6;
    World world = two_band_world(country, {make_product(one_dose("a")), make_product(one_dose("b"))});
    // From day 10, product a may be given from age 5: half of band 0-9 and all of band 10+.
    world.uptake.eligibility.push_back(EligibilityExpansion{day0() + 10, {first_country}, 5, {first_product}});
    Harness harness(std::move(world));
    // Band 10+ spans 10..100: (100 - 18) / 90 of it is eligible at 18.
    const double adults = 900.0 * 82.0 / 90.0;
    EXPECT_NEAR(harness.model().eligible_by_band(first_country, first_product)[1], adults, 1e-9);
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 5000.0, far_expiry)});
    EXPECT_NEAR(harness.model().people_dose1(first_country), adults, 1e-9);
    for (int day = 1; day < 10; ++day) harness.run_day(day0() + day);
    EXPECT_NEAR(harness.model().people_dose1(first_country), adults, 1e-9);
    harness.run_day(day0() + 10);
    EXPECT_NEAR(harness.model().people_dose1(first_country), 500.0 + 900.0, 1e-9);
    EXPECT_NEAR(harness.model().eligible_by_band(first_country, second_product)[1], adults, 1e-9);
    EXPECT_DOUBLE_EQ(harness.model().eligible_by_band(first_country, second_product)[0], 0.0);
}

TEST(Eligibility, ProductNotAuthorisedForChildrenIsNotGivenToThem) {
    CountrySpec country;
    country.min_age_years = 18;
    country.admin_capacity_doses_per_day = 1e6;
    World world = two_band_world(country, {make_product(one_dose("a")), make_product(one_dose("b"))});
    world.uptake.eligibility.push_back(EligibilityExpansion{day0(), {first_country}, 0, {first_product}});
    Harness harness(std::move(world));
    // Only product b in stock: children stay unvaccinated.
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, second_product, 0, 5000.0, far_expiry)});
    EXPECT_NEAR(harness.model().people_dose1(first_country), 900.0 * 82.0 / 90.0, 1e-9);
    EXPECT_DOUBLE_EQ(harness.model().people_dose1_by_band(first_country)[0], 0.0);
}

namespace {

// One band of 1000 people who all complete a one-dose course on day 0.
struct BoosterSetup {
    explicit BoosterSetup(BoosterProgramme programme, double capacity = 1e6,
                          std::vector<Product> products = {make_product(one_dose("a")), make_product(one_dose("b"))}) {
        CountrySpec country;
        country.admin_capacity_doses_per_day = capacity;
        World world = make_world({0}, {make_country(country)}, std::move(products));
        programme.countries = {first_country};
        world.uptake.boosters.push_back(programme);
        harness = std::make_unique<Harness>(std::move(world));
    }
    std::unique_ptr<Harness> harness;
};

BoosterProgramme programme(int start_day, int interval_days, double uptake_share) {
    auto programme = scenario::declared_defaults<BoosterProgramme>("uptake.boosters[]");
    programme.start = day0() + start_day;
    programme.min_age_years = 0;
    programme.interval_days = interval_days;
    programme.uptake_share = uptake_share;
    return programme;
}

}  // namespace

TEST(Boosters, CompletersPastTheIntervalTakeTheProgrammeShareFromItsStart) {
    BoosterSetup setup(programme(30, 60, 0.75));
    Harness& harness = *setup.harness;
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 3000.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 1000.0);
    for (int day = 1; day < 60; ++day) {
        harness.run_day(day0() + day);
        EXPECT_DOUBLE_EQ(harness.model().people_boosted(first_country), 0.0) << day;
    }
    harness.run_day(day0() + 60);
    EXPECT_DOUBLE_EQ(harness.model().people_boosted(first_country), 750.0);
    EXPECT_DOUBLE_EQ(harness.value("administered_booster", day0() + 60, 0, 0), 750.0);
    EXPECT_DOUBLE_EQ(harness.value("people_boosted", day0() + 60), 750.0);
    harness.run_day(day0() + 61);
    EXPECT_DOUBLE_EQ(harness.value("administered_booster", day0() + 61), 0.0);  // one booster each
    EXPECT_DOUBLE_EQ(harness.model().account(first_country, first_product).stock_doses, 3000.0 - 1000.0 - 750.0);
}

TEST(Boosters, OnlyTheProgrammeProductsBoostAndMayDifferFromTheCourse) {
    BoosterProgramme heterologous = programme(0, 10, 1.0);
    heterologous.products = {second_product};
    BoosterSetup setup(heterologous);
    Harness& harness = *setup.harness;
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 3000.0, far_expiry)});
    for (int day = 1; day <= 10; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().people_boosted(first_country), 0.0);  // product a may not boost
    harness.run_day(day0() + 11, {make_arrival(ContractId(), first_country, second_product, 0, 400.0, far_expiry)});
    EXPECT_DOUBLE_EQ(harness.model().people_boosted(first_country), 400.0);
    EXPECT_DOUBLE_EQ(harness.value("administered_booster", day0() + 11, 0, 1), 400.0);
}

TEST(Boosters, RevaccinationRepeatsAfterRepeatDays) {
    BoosterProgramme russia = programme(0, 10, 1.0);
    russia.repeat_days = 30;
    BoosterSetup setup(russia);
    Harness& harness = *setup.harness;
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 5000.0, far_expiry)});
    double given = 0.0;
    for (int day = 1; day <= 70; ++day) {
        harness.run_day(day0() + day);
        given += harness.value("administered_booster", day0() + day);
    }
    // Boosted on day 10, again on day 40 and day 70; still 1000 people boosted.
    EXPECT_DOUBLE_EQ(given, 3000.0);
    EXPECT_DOUBLE_EQ(harness.model().people_boosted(first_country), 1000.0);
}

TEST(Boosters, CompeteWithFirstDosesInTheProgrammeOrder) {
    for (const bool ahead : {true, false}) {
        BoosterProgramme rule = programme(0, 1, 1.0);
        rule.ahead_of_first_doses = ahead;
        CountrySpec country;
        country.population_by_age = {1000.0};
        country.admin_capacity_doses_per_day = 300.0;
        World world = make_world({0}, {make_country(country)}, {make_product(one_dose("a"))});
        rule.countries = {first_country};
        world.uptake.boosters.push_back(rule);
        Harness harness(std::move(world));
        harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 5000.0, far_expiry)});
        harness.run_day(day0() + 1);
        // Day 1: 300 completers of day 0 are due a booster and 700 people wait for a first dose.
        EXPECT_DOUBLE_EQ(harness.value("administered_booster", day0() + 1), ahead ? 300.0 : 0.0) << ahead;
        EXPECT_DOUBLE_EQ(harness.value("administered_dose1", day0() + 1), ahead ? 0.0 : 300.0) << ahead;
    }
}

TEST(Mandates, RaiseWillingnessOnlyInTouchedAges) {
    CountrySpec country;
    country.willing_share_by_age = {0.5};
    country.admin_capacity_doses_per_day = 0.0;
    World world = two_band_world(country, {make_product(one_dose("a"))});
    world.uptake.willingness_relaxation_days = 1;
    world.uptake.mandates.push_back(Mandate{day0() + 5, day0() + 100, {first_country}, 10, 1.0, 0.0});
    Harness harness(std::move(world));
    for (int day = 0; day < 100; ++day) harness.run_day(day0() + day);
    EXPECT_NEAR(harness.model().willing_share(first_country)[1], logistic(1.0), 1e-9);  // logit(0.5) + 1
    EXPECT_NEAR(harness.model().willing_share(first_country)[0], 0.5, 1e-9);
    for (int day = 100; day < 200; ++day) harness.run_day(day0() + day);
    EXPECT_NEAR(harness.model().willing_share(first_country)[1], 0.5, 1e-9);  // back once it has ended
}

TEST(Mandates, SomeOfTheUnwillingBuyFakeCertificatesThatOutlastTheMandate) {
    CountrySpec country;
    country.willing_share_by_age = {0.5};
    country.admin_capacity_doses_per_day = 0.0;
    World world = two_band_world(country, {make_product(one_dose("a"))});
    world.uptake.willingness_relaxation_days = 1;
    world.uptake.mandates.push_back(Mandate{day0() + 5, day0() + 100, {first_country}, 10, 0.0, 0.2});
    Harness harness(std::move(world));
    for (int day = 0; day < 5; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().fake_certificates(first_country), 0.0);
    for (int day = 5; day < 200; ++day) harness.run_day(day0() + day);
    // 0.2 of the 450 unwilling of band 10+ (band 0-9 is not touched); nobody is really vaccinated.
    EXPECT_NEAR(harness.model().fake_certificates(first_country), 90.0, 1e-6);
    EXPECT_NEAR(harness.model().reported_people_full(first_country), 90.0, 1e-6);
    EXPECT_DOUBLE_EQ(harness.model().people_full(first_country), 0.0);
}

TEST(Sharing, SurplusNearExpiryGoesToTheCountryThatCanUseItWithItsExpiry) {
    CountrySpec donor;
    donor.code = "DON";
    donor.population_by_age = {100.0};
    donor.admin_capacity_doses_per_day = 1000.0;
    CountrySpec recipient;
    recipient.code = "REC";
    recipient.population_by_age = {1000.0};
    recipient.admin_capacity_doses_per_day = 10.0;
    World world = make_world({0}, {make_country(donor), make_country(recipient)}, {make_product(one_dose("a"))});
    world.covax.shipment_interval_days = 1;
    world.uptake.sharing = DoseSharing{true, day0(), {first_country}, 60, 10, 5, 100};
    Harness harness(std::move(world));
    // 2,000 doses expiring on day 50 at the donor, which vaccinates its 100 people on day 0 and has no more use.
    const Date expiry = day0() + 50;
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 2000.0, expiry)});
    EXPECT_DOUBLE_EQ(harness.model().people_dose1(first_country), 100.0);
    for (int day = 1; day <= 50; ++day) harness.run_day(day0() + day);
    const DoseAccount given = harness.model().account(first_country, first_product);
    const DoseAccount taken = harness.model().account(second_country, first_product);
    // The recipient absorbs at most 100 days of its capacity (1000 doses) over what it holds; it gives 10 a day.
    EXPECT_GT(given.shared_doses, 0.0);
    EXPECT_LE(given.shared_doses, 1000.0 + 1e-9);
    EXPECT_NEAR(given.received_doses,
                given.administered_doses + given.wasted_doses + given.stock_doses + given.shared_doses, 1e-9);
    EXPECT_NEAR(taken.received_doses, given.shared_doses - harness.model().shared_in_transit_doses(), 1e-9);
    EXPECT_GT(harness.model().people_dose1(second_country), 0.0);
    EXPECT_NEAR(taken.received_doses, taken.administered_doses + taken.wasted_doses + taken.stock_doses, 1e-9);
}

TEST(Sharing, LotsThatWouldArriveWithTooLittleShelfLifeAreNotOffered) {
    CountrySpec donor;
    donor.population_by_age = {100.0};
    donor.admin_capacity_doses_per_day = 1000.0;
    CountrySpec recipient;
    recipient.code = "REC";
    recipient.population_by_age = {1000.0};
    World world = make_world({0}, {make_country(donor), make_country(recipient)}, {make_product(one_dose("a"))});
    world.covax.shipment_interval_days = 1;
    // 30 days of life needed on arrival after 14 days on the way: lots expiring within 44 days are never offered.
    world.uptake.sharing = DoseSharing{true, day0(), {first_country}, 60, 30, 14, 100};
    Harness harness(std::move(world));
    harness.run_day(day0(), {make_arrival(ContractId(), first_country, first_product, 0, 2000.0, day0() + 40)});
    for (int day = 1; day <= 40; ++day) harness.run_day(day0() + day);
    EXPECT_DOUBLE_EQ(harness.model().account(first_country, first_product).shared_doses, 0.0);
    EXPECT_DOUBLE_EQ(harness.model().wasted_doses(first_country, first_product, WastageReason::expired), 1900.0);
}
