#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "diplomacy/market.hpp"
#include "diplomacy/procurement.hpp"
#include "diplomacy/test_support.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using namespace doseflow::diplomacy;
using fixtures::day;
using fixtures::SmallWorld;

namespace {

rc::Gen<Offer> offer_gen(int countries) {
    return rc::gen::exec([countries] {
        Offer offer;
        offer.supplier = CountryId(static_cast<std::size_t>(*rc::gen::inRange(0, countries)));
        offer.product = ProductId(static_cast<std::size_t>(*rc::gen::inRange(0, 5)));
        offer.price_usd_per_dose = *rc::gen::inRange(100, 4000) / 100.0;
        offer.expected_delivery = *rc::gen::inRange(0, 1001) / 1000.0;
        offer.approved = *rc::gen::arbitrary<bool>();
        offer.alignment = *rc::gen::inRange(-1000, 1001) / 1000.0;
        offer.bloc_access = *rc::gen::arbitrary<bool>();
        return offer;
    });
}

DiplomacyParameters random_weights() {
    DiplomacyParameters p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    p.choice_price_weight = *rc::gen::inRange(0, 1000) / 1000.0;
    p.choice_delivery_weight = *rc::gen::inRange(0, 1000) / 100.0;
    p.choice_approval_weight = *rc::gen::inRange(0, 500) / 100.0;
    p.choice_alignment_weight = *rc::gen::inRange(0, 500) / 100.0;
    p.choice_bloc_weight = *rc::gen::inRange(0, 500) / 100.0;
    return p;
}

}  // namespace

TEST(Choice, ProbabilitiesAreALogitOverUtilities) {
    DiplomacyParameters p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    Offer cheap;
    cheap.price_usd_per_dose = 5.0;
    Offer dear = cheap;
    dear.price_usd_per_dose = 15.0;
    const auto probabilities = choice_probabilities(p, {cheap, dear});
    ASSERT_EQ(probabilities.size(), 2u);
    // Odds = exp(price weight x USD 10).
    EXPECT_NEAR(probabilities[0] / probabilities[1], std::exp(p.choice_price_weight * 10.0), 1e-12);
    EXPECT_NEAR(probabilities[0] + probabilities[1], 1.0, 1e-12);
    EXPECT_TRUE(choice_probabilities(p, {}).empty());
}

RC_GTEST_PROP(ChoiceProperties, AHigherPriceNeverRaisesTheSuppliersChoiceProbability, ()) {
    const DiplomacyParameters p = random_weights();
    const auto offers = *rc::gen::nonEmpty(rc::gen::container<std::vector<Offer>>(offer_gen(8)));
    const auto i = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, offers.size()));
    const double rise = *rc::gen::inRange(1, 2000) / 100.0;
    auto dearer = offers;
    dearer[i].price_usd_per_dose += rise;
    const auto before = choice_probabilities(p, offers);
    const auto after = choice_probabilities(p, dearer);
    RC_ASSERT(after[i] <= before[i] + 1e-12);
    for (std::size_t j = 0; j < offers.size(); ++j)
        if (j != i) RC_ASSERT(after[j] >= before[j] - 1e-12);  // the others gain what it loses
}

RC_GTEST_PROP(ChoiceProperties, BetterExpectedDeliveryNeverLowersTheChoiceProbability, ()) {
    const DiplomacyParameters p = random_weights();
    const auto offers = *rc::gen::nonEmpty(rc::gen::container<std::vector<Offer>>(offer_gen(8)));
    const auto i = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, offers.size()));
    auto better = offers;
    better[i].expected_delivery = std::min(1.0, offers[i].expected_delivery + 0.2);
    RC_ASSERT(choice_probabilities(p, better)[i] >= choice_probabilities(p, offers)[i] - 1e-12);
}

TEST(Tender, NewBuyerSpreadsItsOrderAcrossSuppliers) {
    DiplomacyParameters p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    p.portfolio_cap = 0.5;
    std::vector<Offer> offers(3);
    for (std::size_t i = 0; i < offers.size(); ++i) offers[i].supplier = CountryId(i);
    Portfolio empty{std::vector<double>(3, 0.0), 0.0};
    RandomEngine rng = make_stream(1, 0, StreamPurpose::test);
    const auto awards = award_tender(p, offers, empty, 10e6, rng);
    ASSERT_EQ(awards.size(), 2u);  // two suppliers at half each fill it
    EXPECT_NEAR(awards[0].doses, 5e6, 1e-6);
    EXPECT_NEAR(awards[1].doses, 5e6, 1e-6);
    EXPECT_NE(offers[awards[0].offer].supplier, offers[awards[1].offer].supplier);
}

TEST(Tender, OneSupplierCannotTakeMoreThanTheCapEvenWhenAlone) {
    DiplomacyParameters p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    p.portfolio_cap = 0.5;
    std::vector<Offer> offers(1);
    offers[0].supplier = CountryId(1);
    // The buyer holds 6 M doses from supplier 0: supplier 1 can take up to 6 M more (6 / 12 = 0.5).
    Portfolio portfolio{{6e6, 0.0}, 6e6};
    RandomEngine rng = make_stream(1, 0, StreamPurpose::test);
    const auto awards = award_tender(p, offers, portfolio, 20e6, rng);
    ASSERT_EQ(awards.size(), 1u);
    EXPECT_NEAR(awards[0].doses, 6e6, 1e-3);
    // A buyer whose whole portfolio is one supplier cannot add to it.
    offers[0].supplier = CountryId(0);
    EXPECT_TRUE(award_tender(p, offers, portfolio, 20e6, rng).empty());
}

RC_GTEST_PROP(TenderProperties, ThePortfolioCapIsNeverExceeded, ()) {
    DiplomacyParameters p = random_weights();
    p.portfolio_cap = *rc::gen::inRange(5, 101) / 100.0;
    const int countries = 8;
    const auto offers = *rc::gen::container<std::vector<Offer>>(offer_gen(countries));
    Portfolio portfolio;
    portfolio.doses_by_supplier.assign(countries, 0.0);
    const auto held = *rc::gen::container<std::vector<int>>(countries, rc::gen::inRange(0, 50));
    for (int s = 0; s < countries; ++s) {
        portfolio.doses_by_supplier[s] = held[s] % 3 == 0 ? 0.0 : held[s] * 1e6;
        portfolio.total_doses += portfolio.doses_by_supplier[s];
    }
    const double wanted = *rc::gen::inRange(1, 500) * 1e5;
    RandomEngine rng = make_stream(*rc::gen::inRange(0, 1000), 0, StreamPurpose::test);
    const auto awards = award_tender(p, offers, portfolio, wanted, rng);

    Portfolio after = portfolio;
    std::set<std::size_t> suppliers;
    double awarded = 0.0;
    for (const Award& a : awards) {
        RC_ASSERT(a.doses > 0.0);
        RC_ASSERT(suppliers.insert(offers[a.offer].supplier.value()).second);  // one contract per supplier
        after.doses_by_supplier[offers[a.offer].supplier.value()] += a.doses;
        after.total_doses += a.doses;
        awarded += a.doses;
    }
    RC_ASSERT(awarded <= wanted * (1.0 + 1e-12));
    for (std::size_t s : suppliers) RC_ASSERT(after.share(CountryId(s)) <= p.portfolio_cap * (1.0 + 1e-9));
    // Without a binding cap a tender with offers always fills the order.
    if (p.portfolio_cap >= 1.0 && !offers.empty()) RC_ASSERT(std::abs(awarded - wanted) <= 1e-6 * wanted);
}

TEST(Market, ProducersComeFromSitesAndTheScarcestComponentLimitsDoses) {
    const World w = fixtures::small_world();
    const auto producers = find_producers(w);
    ASSERT_EQ(producers.size(), 3u);
    EXPECT_EQ(producers[0].supplier, SmallWorld::rus);
    EXPECT_EQ(producers[0].product, SmallWorld::sputnik);
    EXPECT_TRUE(producers[0].exports_freely);
    // 300 k a day of rAd26 and 150 k of rAd5: 150 k courses, 300 k doses a day.
    EXPECT_NEAR(estimated_producer_doses_per_day(w, producers[0], day(2021, 6, 1)), 3e5, 1e-6);
}

TEST(Market, LicensedSitesCountFromTheirStartAndExportOnlyToTheirBloc) {
    World w = fixtures::small_world();
    Site licensed = fixtures::make_site("kz_sputnik", SmallWorld::kgz, SmallWorld::sputnik, 2, 0.0, {1.0, 1.0});
    Licence licence;
    licence.licensor = SmallWorld::rus;
    licence.announced_doses_per_day = 1e5;
    licence.signed_on = day(2021, 3, 1);
    licence.start_lag_days = 120;
    licence.realised_share_min = 0.2;
    licence.realised_share_max = 0.4;
    licence.may_export = true;
    licence.export_to = {SmallWorld::rus};
    licensed.licence = licence;
    licensed.capacity_doses_per_day = Ramp();
    w.sites.push_back(licensed);
    const auto producers = find_producers(w);
    const auto it = std::find_if(producers.begin(), producers.end(),
                                 [](const Producer& p) { return p.supplier == SmallWorld::kgz; });
    ASSERT_NE(it, producers.end());
    EXPECT_FALSE(it->exports_freely);
    EXPECT_EQ(estimated_producer_doses_per_day(w, *it, day(2021, 6, 1)), 0.0);  // before signed + 120 days
    // 100 k announced x 0.3 (middle of 0.2-0.4): 30 k of each component a day, 30 k courses, 60 k doses.
    EXPECT_NEAR(estimated_producer_doses_per_day(w, *it, day(2021, 8, 1)), 6e4, 1e-6);
    EXPECT_TRUE(may_sell_to(w, *it, SmallWorld::rus, day(2021, 8, 1)));
    EXPECT_FALSE(may_sell_to(w, *it, SmallWorld::gtm, day(2021, 8, 1)));
}

TEST(Market, ExportBanClosesNewContractsExceptToExemptBuyers) {
    World w = fixtures::small_world();
    ExportControl ban;
    ban.exporter = SmallWorld::chn;
    ban.start = day(2021, 4, 1);
    ban.end = day(2021, 6, 30);
    ban.exempt = {SmallWorld::kgz};
    w.export_controls = {ban};
    const auto producers = find_producers(w);
    const Producer& china = producers[2];
    EXPECT_FALSE(may_sell_to(w, china, SmallWorld::gtm, day(2021, 5, 1)));
    EXPECT_TRUE(may_sell_to(w, china, SmallWorld::kgz, day(2021, 5, 1)));
    EXPECT_TRUE(may_sell_to(w, china, SmallWorld::gtm, day(2021, 7, 1)));
}

TEST(Market, ColdChainIsAHardConstraint) {
    // The rule uptake's stores use (world/cold_chain_fit.hpp): a class with capacity that keeps the product.
    World w = fixtures::small_world();
    const Country& kgz = w.country(SmallWorld::kgz);  // no ultra-cold stores
    EXPECT_TRUE(can_store(kgz, w.product(SmallWorld::pfizer), day(2021, 5, 1)));  // 30 days in a fridge
    EXPECT_TRUE(can_store(kgz, w.product(SmallWorld::sputnik), day(2021, 5, 1)));
    EXPECT_TRUE(can_store(kgz, w.product(SmallWorld::sinopharm), day(2021, 5, 1)));
    // Without the fridge life, Pfizer-BioNTech needs ultra-cold stores.
    w.products[SmallWorld::pfizer.value()].shelf_life_days[static_cast<std::size_t>(TemperatureClass::fridge)].reset();
    EXPECT_FALSE(can_store(w.country(SmallWorld::kgz), w.product(SmallWorld::pfizer), day(2021, 5, 1)));
    w.countries[SmallWorld::kgz.value()].cold_chain_growth = {{day(2021, 9, 1), TemperatureClass::ultra_cold, 1e5}};
    EXPECT_FALSE(can_store(w.country(SmallWorld::kgz), w.product(SmallWorld::pfizer), day(2021, 8, 31)));
    EXPECT_TRUE(can_store(w.country(SmallWorld::kgz), w.product(SmallWorld::pfizer), day(2021, 9, 1)));
    // A frozen product without a fridge life cannot go into a country with only fridges.
    w.countries[SmallWorld::kgz.value()].cold_chain_doses = {0.0, 0.0, 1e6};
    EXPECT_TRUE(can_store(w.country(SmallWorld::kgz), w.product(SmallWorld::sputnik), day(2021, 5, 1)));
    w.products[SmallWorld::sputnik.value()].shelf_life_days[static_cast<std::size_t>(TemperatureClass::fridge)].reset();
    EXPECT_FALSE(can_store(w.country(SmallWorld::kgz), w.product(SmallWorld::sputnik), day(2021, 5, 1)));
}
