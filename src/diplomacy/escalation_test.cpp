#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <optional>

#include "diplomacy/diplomacy.hpp"
#include "diplomacy/escalation.hpp"
#include "diplomacy/test_support.hpp"
#include "scenario/registry.hpp"

using namespace doseflow;
using namespace doseflow::diplomacy;
using fixtures::day;
using fixtures::SmallWorld;

namespace {

double share_of(int permille) { return permille / 1000.0; }

struct LadderRun {
    std::map<std::string, Date> first;  // first date of each event kind
    ContractRecord record;              // the scenario contract at the end
    std::size_t contracts = 0;
};

// Runs the diplomacy stage alone over a book with one scenario contract; `delivered_by` gives the cumulative doses
// arrived by each day (the supply stage's part).
template <class Delivered>
LadderRun run_ladder(World world, const Contract& contract, std::uint64_t seed, Date from, Date to,
                     Delivered delivered_by, double doses_needed = 0.0) {
    world.contracts = {contract};
    ContractBook book = fixtures::book_of(world);
    DayExchange exchange = fixtures::exchange_for(world);
    exchange.uptake[contract.recipient.value()].doses_needed = doses_needed;
    EventLog log;
    Recorder recorder;
    std::vector<DiplomacyRow> rows;
    DiplomacyModel model(world, seed);
    for (Date today = from; today <= to; ++today) {
        fixtures::set_due(book, today);
        if (book.records[0].active()) book.records[0].delivered_doses = delivered_by(today);
        book.records[0].shipped_doses = book.records[0].delivered_doses;
        model.step(today, exchange, book, log, recorder, rows);
    }
    LadderRun run;
    for (const LoggedEvent& e : log.events())
        if (e.contract == contract.id && !run.first.count(e.kind)) run.first.emplace(e.kind, e.date);
    run.record = book.records[0];
    run.contracts = book.size();
    return run;
}

// Guatemala, 2021: paid in April, three small batches (150 k doses) by late June, then a trickle.
double guatemala_deliveries(Date today) {
    double doses = 0.0;
    if (today >= day(2021, 5, 5)) doses += 50e3;
    if (today >= day(2021, 6, 1)) doses += 50e3;
    if (today >= day(2021, 6, 20)) doses += 50e3;
    if (today >= day(2021, 8, 1)) doses += 1e3 * (today - day(2021, 8, 1));
    return doses;
}

Contract guatemala() { return fixtures::guatemala_contract(fixtures::monthly_tranches(day(2021, 5, 1), 5, 16e6)); }

double months_between(Date a, Date b) { return (b - a) / 30.44; }

// A neutral buyer (Argentina without its alignment), nothing prepaid, twelve monthly tranches.
Contract testing_contract_neutral() {
    Contract c = fixtures::guatemala_contract(fixtures::monthly_tranches(day(2021, 5, 1), 12, 24e6));
    c.id = "neutral";
    c.recipient = SmallWorld::arg;
    c.prepaid_usd = 0.0;
    return c;
}

}  // namespace

TEST(EscalationHazard, FollowsTheDocumentedForm) {
    DiplomacyParameters p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    EscalationInputs in;
    in.shortfall_share = 0.9;
    in.days_late = 45;
    in.prepaid_share = 0.5;
    in.alignment = -0.3;
    in.alternatives = 0.25;
    const double expected = p.escalation_base_hazard *
                            std::exp(p.escalation_shortfall_weight * 0.9 + p.escalation_lateness_weight * std::log(2.5) +
                                     p.escalation_prepaid_weight * 0.5 + p.escalation_alignment_weight * 0.3 -
                                     p.escalation_alternatives_weight * 0.75);
    EXPECT_NEAR(escalation_hazard_per_day(p, in), expected, 1e-15);
    EXPECT_NEAR(daily_step_probability(0.02), 1.0 - std::exp(-0.02), 1e-15);
}

RC_GTEST_PROP(EscalationHazardProperties, RisesWithShortfallLatenessPrepaymentAndAlternatives, ()) {
    const auto p = scenario::declared_defaults<DiplomacyParameters>("diplomacy");
    EscalationInputs in;
    in.shortfall_share = share_of(*rc::gen::inRange(0, 1001));
    in.days_late = *rc::gen::inRange(0, 400);
    in.prepaid_share = share_of(*rc::gen::inRange(0, 1001));
    in.alignment = share_of(*rc::gen::inRange(-1000, 1001));
    in.alternatives = share_of(*rc::gen::inRange(0, 1001));
    const double h = escalation_hazard_per_day(p, in);
    RC_ASSERT(h >= 0.0);
    auto more = in;
    more.shortfall_share = std::min(1.0, in.shortfall_share + 0.1);
    RC_ASSERT(escalation_hazard_per_day(p, more) >= h);
    more = in;
    more.days_late += 10;
    RC_ASSERT(escalation_hazard_per_day(p, more) >= h);
    more = in;
    more.prepaid_share = std::min(1.0, in.prepaid_share + 0.1);
    RC_ASSERT(escalation_hazard_per_day(p, more) >= h);
    more = in;
    more.alternatives = std::min(1.0, in.alternatives + 0.1);
    RC_ASSERT(escalation_hazard_per_day(p, more) >= h);
    more = in;
    more.alignment = std::min(1.0, in.alignment + 0.1);
    RC_ASSERT(escalation_hazard_per_day(p, more) <= h);
}

TEST(Escalation, LadderStepsInOrder) {
    EXPECT_EQ(next_escalation(ContractStatus::late), ContractStatus::public_complaint);
    EXPECT_EQ(next_escalation(ContractStatus::public_complaint), ContractStatus::refund_demand);
    EXPECT_FALSE(next_escalation(ContractStatus::refund_demand).has_value());
    EXPECT_FALSE(next_escalation(ContractStatus::on_track).has_value());
}

TEST(Refunds, CoverOnlyPrepaidDosesNotDeliveredAndNeverExceedThePrepayment) {
    ContractRecord record;
    record.terms = guatemala();
    record.delivered_doses = 150e3;
    // USD 79.6 M prepaid less 150 k doses at USD 9.95 already covered.
    EXPECT_NEAR(refundable_usd(record), 79.6e6 - 150e3 * 9.95, 1e-3);
    record.refunded_usd = refundable_usd(record);
    EXPECT_EQ(refundable_usd(record), 0.0);
    record.delivered_doses = 12e6;  // more than the prepayment covers
    record.refunded_usd = 0.0;
    EXPECT_EQ(refundable_usd(record), 0.0);
    EXPECT_NEAR(prepaid_share(record.terms), 0.5, 1e-12);
}

TEST(Escalation, GuatemalaLikeContractReachesARefundDemandWithinMonths) {
    // 200 seeds. Guatemala itself demanded its money back 83 days (2.7 months) after signing.
    std::vector<double> months;
    int refunded = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        const LadderRun run = run_ladder(fixtures::small_world(), guatemala(), seed, day(2021, 4, 7),
                                         day(2022, 1, 7), guatemala_deliveries);
        ASSERT_TRUE(run.first.count("late")) << seed;
        ASSERT_TRUE(run.first.count("refund_demand")) << "seed " << seed << " never demanded a refund";
        EXPECT_LE(run.first.at("late"), run.first.at("refund_demand"));
        if (run.first.count("public_complaint")) {
            EXPECT_LE(run.first.at("public_complaint"), run.first.at("refund_demand"));
        }
        months.push_back(months_between(day(2021, 4, 7), run.first.at("refund_demand")));
        EXPECT_LE(run.record.refunded_usd, run.record.terms.prepaid_usd);
        if (run.record.refunded_usd > 0.0) ++refunded;
    }
    std::sort(months.begin(), months.end());
    const double median = months[months.size() / 2];
    EXPECT_GE(months[20], 2.0) << "10th percentile";  // at least 90% of seeds take 2 months or more
    EXPECT_LE(months.back(), 9.0) << "slowest seed";  // and every seed escalates within 9
    EXPECT_GE(median, 2.0);
    EXPECT_LE(median, 5.0);
    // Refund demands succeed about half the time (refund_success_probability, two chances per contract).
    EXPECT_GT(refunded, 60);
    EXPECT_LT(refunded, 190);
    std::printf("refund demand after months: p5 %.1f median %.1f p95 %.1f max %.1f; refunds paid in %d of 200\n",
                months[10], median, months[190], months.back(), refunded);
}

TEST(Escalation, OnTimeContractNeverEscalates) {
    const Contract contract = guatemala();
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        const LadderRun run = run_ladder(fixtures::small_world(), contract, seed, day(2021, 4, 7), day(2022, 1, 7),
                                         [&](Date today) {
                                             double due = 0.0;
                                             for (const Tranche& t : contract.schedule)
                                                 if (t.due <= today) due = t.cumulative_doses;
                                             return due;
                                         });
        EXPECT_TRUE(run.first.empty()) << "seed " << seed << ": " << run.first.begin()->first;
        EXPECT_EQ(run.record.status, ContractStatus::completed);
        EXPECT_EQ(run.record.refunded_usd, 0.0);
    }
}

TEST(Escalation, SmallShortfallHeldForAYearRarelyEndsTheContract) {
    // Deliveries 20% short of the schedule all year: moderate, persistent shortfalls were the rule in 2021 and
    // rarely ended a contract; some buyers complain, hardly any leave.
    const Contract contract = testing_contract_neutral();
    World neutral = fixtures::small_world();
    neutral.countries[SmallWorld::arg.value()].alignment_russia = 0.0;
    int complained = 0;
    int left = 0;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        const LadderRun run = run_ladder(neutral, contract, seed, day(2021, 4, 7), day(2022, 4, 7),
                                         [&](Date today) {
                                             double due = 0.0;
                                             for (const Tranche& t : contract.schedule)
                                                 if (t.due <= today) due = t.cumulative_doses;
                                             return 0.8 * due;
                                         });
        if (run.first.count("public_complaint")) ++complained;
        if (run.first.count("cancelled") || run.first.count("switched")) ++left;
    }
    std::printf("20%% short for a year: %d of 100 complained, %d left\n", complained, left);
    EXPECT_GE(complained, 1);
    EXPECT_LT(complained, 50);
    EXPECT_LT(left, 10);
}

TEST(Escalation, ShippingWithinTheGracePeriodIsNotLate) {
    // Every tranche arrives 10 days after it is due (a default shipping lead time).
    const Contract contract = guatemala();
    const LadderRun run = run_ladder(fixtures::small_world(), contract, 3, day(2021, 4, 7), day(2022, 1, 7),
                                     [&](Date today) {
                                         double due = 0.0;
                                         for (const Tranche& t : contract.schedule)
                                             if (t.due + 10 <= today) due = t.cumulative_doses;
                                         return due;
                                     });
    EXPECT_FALSE(run.first.count("late"));
}

TEST(Escalation, ContractRecoversWhenDeliveriesCatchUp) {
    // Nothing arrives until mid-July, then everything due: late, then back on track.
    const Contract contract = guatemala();
    const LadderRun run = run_ladder(fixtures::small_world(), contract, 5, day(2021, 4, 7), day(2021, 9, 1),
                                     [&](Date today) {
                                         if (today < day(2021, 6, 10)) return 0.0;
                                         double due = 0.0;
                                         for (const Tranche& t : contract.schedule)
                                             if (t.due <= today) due = t.cumulative_doses;
                                         return due;
                                     });
    ASSERT_TRUE(run.first.count("late"));
    ASSERT_TRUE(run.first.count("recovered"));
    EXPECT_LT(run.first.at("late"), run.first.at("recovered"));
    EXPECT_TRUE(run.record.status == ContractStatus::on_track || run.record.status == ContractStatus::completed);
}

TEST(Escalation, AlignedBuyerEscalatesMoreSlowly) {
    // The same contract and deliveries for Argentina (aligned with Russia) and Guatemala (opposed).
    double guatemala_days = 0.0;
    double argentina_days = 0.0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        Contract gtm = guatemala();
        Contract arg = guatemala();
        arg.recipient = SmallWorld::arg;
        const auto first_demand = [&](const Contract& c) {
            const LadderRun run =
                run_ladder(fixtures::small_world(), c, seed, day(2021, 4, 7), day(2022, 3, 31), guatemala_deliveries);
            return run.first.count("refund_demand") ? run.first.at("refund_demand") - c.signed_on : 360;
        };
        guatemala_days += first_demand(gtm);
        argentina_days += first_demand(arg);
    }
    EXPECT_GT(argentina_days, 1.3 * guatemala_days);
    std::printf("mean days from signing to refund demand: Guatemala %.0f, Argentina %.0f\n", guatemala_days / 60,
                argentina_days / 60);
}

TEST(Escalation, BuyerWithNeedSwitchesToAnotherSupplierOrCancels) {
    // With unmet need and free capacity elsewhere the buyer that leaves the contract signs with someone else.
    int switched = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const LadderRun run = run_ladder(fixtures::small_world(), guatemala(), seed, day(2021, 4, 7), day(2022, 3, 31),
                                         guatemala_deliveries, 20e6);
        if (run.record.status == ContractStatus::switched) {
            ++switched;
            EXPECT_TRUE(run.first.count("switched"));
        }
        EXPECT_FALSE(run.record.status == ContractStatus::switched && run.first.count("cancelled"));
    }
    EXPECT_GT(switched, 0);
    // Without any other producer the buyer can only cancel.
    World alone = fixtures::small_world();
    alone.sites.resize(1);  // Russia's site only
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const LadderRun run =
            run_ladder(alone, guatemala(), seed, day(2021, 4, 7), day(2022, 3, 31), guatemala_deliveries, 20e6);
        EXPECT_NE(run.record.status, ContractStatus::switched);
        EXPECT_FALSE(run.first.count("switched"));
        if (run.first.count("cancelled")) {
            EXPECT_EQ(run.record.status, ContractStatus::cancelled);
            EXPECT_FALSE(run.record.active());
        }
    }
}
