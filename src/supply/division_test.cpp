// The fast division of doses against its slow reference, and the FEFO lot queue.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <numeric>
#include <vector>

#include "supply/division.hpp"
#include "supply/lots.hpp"
#include "supply/property_check.hpp"

using namespace doseflow;
using namespace doseflow::supply;

namespace {
double total_granted(const std::vector<Claim>& claims) {
    double total = 0.0;
    for (const Claim& claim : claims) total += claim.granted;
    return total;
}
}  // namespace

TEST(Division, ProRataWhenShort) {
    std::vector<Claim> claims{{300.0, 0.0, 1.0, 0.0}, {100.0, 0.0, 1.0, 0.0}};
    EXPECT_DOUBLE_EQ(divide(200.0, claims), 0.0);
    EXPECT_DOUBLE_EQ(claims[0].granted, 150.0);
    EXPECT_DOUBLE_EQ(claims[1].granted, 50.0);
}

TEST(Division, GroupsAreServedInOrderAndLeftoverReturned) {
    std::vector<Claim> claims{{50.0, 0.0, 0.0, 0.0}, {100.0, 0.0, 1.0, 0.0}, {100.0, 0.0, 2.0, 0.0}};
    EXPECT_DOUBLE_EQ(divide(120.0, claims), 0.0);
    EXPECT_DOUBLE_EQ(claims[0].granted, 50.0);
    EXPECT_DOUBLE_EQ(claims[1].granted, 70.0);
    EXPECT_DOUBLE_EQ(claims[2].granted, 0.0);
    std::vector<Claim> small{{10.0, 0.0, 0.0, 0.0}};
    EXPECT_DOUBLE_EQ(divide(25.0, small), 15.0);
}

TEST(Division, WeightsFillSmallClaimsAndShareTheRest) {
    // Equal weights: the 10-dose claim is filled, the other two share what is left equally.
    std::vector<Claim> claims{{10.0, 1.0, 0.0, 0.0}, {100.0, 1.0, 0.0, 0.0}, {100.0, 1.0, 0.0, 0.0}};
    divide(90.0, claims);
    EXPECT_DOUBLE_EQ(claims[0].granted, 10.0);
    EXPECT_DOUBLE_EQ(claims[1].granted, 40.0);
    EXPECT_DOUBLE_EQ(claims[2].granted, 40.0);
    // Zero weight is served after the weighted claims are full.
    std::vector<Claim> second{{10.0, 2.0, 0.0, 0.0}, {100.0, 0.0, 0.0, 0.0}};
    divide(50.0, second);
    EXPECT_DOUBLE_EQ(second[0].granted, 10.0);
    EXPECT_DOUBLE_EQ(second[1].granted, 40.0);
}

TEST(Division, FastMatchesReferenceOnRandomClaims) {
    supply::testing::check_property(1000, [] {
        const int groups = *rc::gen::inRange(1, 4);
        const auto count = *rc::gen::inRange<std::size_t>(1, 12);
        std::vector<Claim> claims;
        for (std::size_t i = 0; i < count; ++i) {
            Claim claim;
            claim.amount = *rc::gen::inRange(0, 100000) / 10.0;
            claim.granted = *rc::gen::element(0.0, 0.0, claim.amount / 3.0);
            claim.weight = *rc::gen::element(0.0, 0.0, 1.0, 2.5, 7.0);
            claim.group = *rc::gen::inRange(0, groups);
            claims.push_back(claim);
        }
        std::stable_sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) { return a.group < b.group; });
        const double available = *rc::gen::inRange(0, 500000) / 10.0;
        std::vector<Claim> fast = claims, slow = claims;
        const double before = total_granted(claims);
        const double left_fast = divide(available, fast);
        const double left_slow = divide_reference(available, slow);
        const double scale = 1e-6 * (1.0 + available);
        RC_ASSERT(std::abs(left_fast - left_slow) <= scale);
        RC_ASSERT(std::abs(total_granted(fast) - before + left_fast - available) <= scale);
        for (std::size_t i = 0; i < claims.size(); ++i) {
            RC_ASSERT(fast[i].granted <= std::max(fast[i].amount, claims[i].granted) + 1e-9);
            RC_ASSERT(fast[i].granted >= claims[i].granted);
            RC_ASSERT(std::abs(fast[i].granted - slow[i].granted) <= scale);
        }
    });
}

TEST(LotQueue, TakesFirstExpiringFirstAndExpires) {
    LotQueue queue;
    const Date d0 = Date::from_ymd(2021, 1, 1);
    queue.push(Lot{100.0, d0, d0 + 10});
    queue.push(Lot{50.0, d0 + 1, d0 + 11});
    queue.push(Lot{20.0, d0 + 1, d0 + 5});  // out of order: inserted before the others
    std::vector<Lot> pieces;
    const double taken = queue.take(60.0, [&](const Lot& piece) { pieces.push_back(piece); });
    EXPECT_DOUBLE_EQ(taken, 60.0);
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(pieces[0].expiry, d0 + 5);
    EXPECT_DOUBLE_EQ(pieces[0].doses, 20.0);
    EXPECT_EQ(pieces[1].expiry, d0 + 10);
    EXPECT_DOUBLE_EQ(pieces[1].doses, 40.0);
    EXPECT_DOUBLE_EQ(queue.total_doses(), 110.0);
    EXPECT_DOUBLE_EQ(queue.expire(d0 + 10), 60.0);
    EXPECT_DOUBLE_EQ(queue.total_doses(), 50.0);
    EXPECT_DOUBLE_EQ(queue.take(1000.0, [](const Lot&) {}), 50.0);
    EXPECT_TRUE(queue.empty());
    EXPECT_DOUBLE_EQ(queue.total_doses(), 0.0);
}

TEST(LotQueue, MergesLotsOfTheSameDayAndKeepsManyInOrder) {
    LotQueue queue;
    const Date d0 = Date::from_ymd(2021, 1, 1);
    for (int i = 0; i < 1000; ++i) {
        queue.push(Lot{1.0, d0 + i, d0 + i + 30});
        queue.push(Lot{1.0, d0 + i, d0 + i + 30});  // same lot date and expiry: one lot
        queue.take(1.5, [](const Lot&) {});
    }
    EXPECT_NEAR(queue.total_doses(), 500.0, 1e-9);
    Date last = d0;
    int lots = 0;
    for (const Lot& lot : queue) {
        EXPECT_LE(last, lot.expiry);
        last = lot.expiry;
        ++lots;
    }
    EXPECT_EQ(lots, 250);  // 1,500 doses taken of 2,000: lots of days 750-999 remain
}
