#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <vector>

#include "diplomacy/alignment.hpp"
#include "diplomacy/credibility.hpp"
#include "diplomacy/test_support.hpp"

using namespace doseflow;
using namespace doseflow::diplomacy;

TEST(Alignment, SupplierBlocsFollowTheDocumentedMapping) {
    EXPECT_EQ(supplier_bloc("RUS"), SupplierBloc::russia);
    EXPECT_EQ(supplier_bloc("BLR"), SupplierBloc::russia);
    EXPECT_EQ(supplier_bloc("CHN"), SupplierBloc::china);
    for (const char* code : {"USA", "GBR", "JPN", "DEU", "BEL", "SWE", "AUT", "CAN", "KOR"})
        EXPECT_EQ(supplier_bloc(code), SupplierBloc::west) << code;
    for (const char* code : {"IND", "CUB", "KAZ", "BRA", "GTM", "TUR"})
        EXPECT_EQ(supplier_bloc(code), SupplierBloc::none) << code;
}

TEST(Alignment, BuyerScoreIsTheOneOfTheSuppliersBloc) {
    const World w = fixtures::small_world();
    const Country& gtm = w.country(fixtures::SmallWorld::gtm);
    EXPECT_DOUBLE_EQ(alignment(gtm, w.country(fixtures::SmallWorld::rus)), -0.3);
    EXPECT_DOUBLE_EQ(alignment(gtm, w.country(fixtures::SmallWorld::usa)), 0.5);
    EXPECT_DOUBLE_EQ(alignment(gtm, w.country(fixtures::SmallWorld::chn)), 0.0);
    EXPECT_DOUBLE_EQ(alignment(gtm, gtm), 0.0);
    EXPECT_TRUE(share_trade_bloc(w.country(fixtures::SmallWorld::kgz), w.country(fixtures::SmallWorld::rus)));
    EXPECT_FALSE(share_trade_bloc(gtm, w.country(fixtures::SmallWorld::rus)));
}

TEST(Credibility, PriorMovesTowardsOneWhenAlignedAndTowardsZeroWhenOpposed) {
    EXPECT_DOUBLE_EQ(aligned_prior(0.7, 0.2, 0.0), 0.7);
    EXPECT_NEAR(aligned_prior(0.7, 0.2, 1.0), 0.76, 1e-12);   // 0.8 * 0.7 + 0.2
    EXPECT_NEAR(aligned_prior(0.7, 0.2, -1.0), 0.56, 1e-12);  // 0.8 * 0.7
    EXPECT_LT(aligned_prior(0.7, 0.2, -0.3), 0.7);
}

TEST(Credibility, StartsAtThePriorAndMovesWithTheRecord) {
    CredibilityRecord record(0.7, 60, 2.25);
    EXPECT_NEAR(record.value(), 0.7, 1e-12);
    CredibilityRecord kept = record;
    CredibilityRecord missed = record;
    for (int d = 0; d < 120; ++d) {
        kept.observe(1.0);
        missed.observe(0.0);
    }
    EXPECT_GT(kept.value(), 0.95);
    EXPECT_LT(missed.value(), 0.1);
    // A supplier that stops missing recovers, on the memory's time scale.
    for (int d = 0; d < 180; ++d) missed.observe(1.0);
    EXPECT_GT(missed.value(), 0.8);
}

TEST(Credibility, AMissWeighsMoreThanADeliveryOnTime) {
    // Half the due doses delivered for a long time: with equal weights the record would settle at 1/2; a miss
    // weighing 2.25 times settles it at 1 / (1 + 2.25).
    CredibilityRecord record(0.7, 60, 2.25);
    for (int d = 0; d < 2000; ++d) record.observe(0.5);
    EXPECT_NEAR(record.value(), 1.0 / 3.25, 1e-6);
}

TEST(Credibility, ThePriorFadesOnTheMemorysTimeScale) {
    // With equal weights, after one memory (60 days) of perfect deliveries the prior keeps e^-1 of its weight and
    // the 60 days of record carry the rest: credibility = 0.5 e^-1 + (1 - e^-1).
    CredibilityRecord record(0.5, 60, 1.0);
    for (int d = 0; d < 60; ++d) record.observe(1.0);
    const double prior_weight = std::exp(-1.0);
    EXPECT_NEAR(record.value(), 0.5 * prior_weight + (1.0 - prior_weight), 1e-12);
}

RC_GTEST_PROP(CredibilityProperties, BoundedAndALargerShortfallNeverRaisesIt, ()) {
    const double prior = *rc::gen::map(rc::gen::inRange(0, 1001), [](int v) { return v / 1000.0; });
    const double memory_days = *rc::gen::map(rc::gen::inRange(1, 400), [](int v) { return static_cast<double>(v); });
    const double miss_weight = *rc::gen::map(rc::gen::inRange(1, 100), [](int v) { return v / 10.0; });
    const auto days = *rc::gen::container<std::vector<std::pair<int, int>>>(
        rc::gen::pair(rc::gen::inRange(0, 1001), rc::gen::inRange(0, 1001)));
    CredibilityRecord better(prior, memory_days, miss_weight);
    CredibilityRecord worse = better;
    for (const auto& [a, b] : days) {
        // Pointwise: `worse` delivered no more of the due doses than `better` on every day.
        const double high = std::max(a, b) / 1000.0;
        const double low = std::min(a, b) / 1000.0;
        better.observe(high);
        worse.observe(low);
        RC_ASSERT(worse.value() <= better.value() + 1e-12);
        RC_ASSERT(worse.value() >= 0.0);
        RC_ASSERT(better.value() <= 1.0);
    }
}
