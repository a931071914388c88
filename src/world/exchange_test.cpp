#include "world/exchange.hpp"

#include <gtest/gtest.h>

#include <map>
#include <utility>
#include <vector>

namespace doseflow {
namespace {

const Date start = Date::from_ymd(2021, 1, 1);

SeriesKey key(std::int32_t country, std::string_view metric) { return SeriesKey{country, -1, -1, metric, {}}; }

TEST(Recorder, DailyRecorderSumsRepeatedFlowsOfADayAndKeepsItsLastLevel) {
    Recorder recorder;
    recorder.flow(start, key(0, "produced_doses"), 2.0);
    recorder.level(start, key(0, "stock_doses"), 10.0);
    recorder.flow(start, key(0, "produced_doses"), 3.0);
    recorder.level(start, key(0, "stock_doses"), 7.0);
    recorder.flow(start + 1, key(0, "produced_doses"), 1.0);
    ASSERT_EQ(recorder.points().size(), 3u);
    EXPECT_EQ(recorder.points()[0].value, 5.0);
    EXPECT_EQ(recorder.points()[1].value, 7.0);
    EXPECT_EQ(recorder.points()[2].date, start + 1);
    EXPECT_EQ(recorder.points()[2].value, 1.0);
}

TEST(Recorder, WeeklyRecorderSumsFlowsOverTheWeekAndKeepsTheLastLevelDatedAtTheWeekStart) {
    Recorder recorder(start, 7);
    for (int day = 0; day < 10; ++day) {
        recorder.flow(start + day, key(1, "administered_dose1"), 1.0 + day);
        recorder.level(start + day, key(1, "people_full"), 100.0 * day);
    }
    ASSERT_EQ(recorder.points().size(), 4u);
    EXPECT_EQ(recorder.points()[0].date, start);
    EXPECT_EQ(recorder.points()[0].value, 1.0 + 2 + 3 + 4 + 5 + 6 + 7);
    EXPECT_EQ(recorder.points()[1].value, 600.0);  // the level on the week's last day
    EXPECT_EQ(recorder.points()[2].date, start + 7);
    EXPECT_EQ(recorder.points()[2].value, 8.0 + 9 + 10);
    EXPECT_EQ(recorder.points()[3].value, 900.0);
    EXPECT_EQ(recorder.period_of(start + 13), start + 7);
    EXPECT_EQ(recorder.period_of(start + 14), start + 14);
}

TEST(Recorder, KeysDifferingOnlyInTheirTagOrComponentStayApart) {
    Recorder recorder(start, 7);
    recorder.flow(start, SeriesKey{0, 1, 0, "wasted_doses", "expired"}, 1.0);
    recorder.flow(start, SeriesKey{0, 1, 0, "wasted_doses", "open_vial"}, 2.0);
    recorder.flow(start, SeriesKey{0, 1, 1, "wasted_doses", "expired"}, 4.0);
    recorder.flow(start + 3, SeriesKey{0, 1, 0, "wasted_doses", "expired"}, 8.0);
    ASSERT_EQ(recorder.points().size(), 3u);
    EXPECT_EQ(recorder.points()[0].value, 9.0);
    EXPECT_EQ(recorder.points()[1].value, 2.0);
    EXPECT_EQ(recorder.points()[2].value, 4.0);
}

// Thousands of keys a week, each day in another order, so that the period's index is built, grown past its first
// size and cleared between weeks: every point still sums its own key's flows, in first-recorded order.
TEST(Recorder, ManyKeysInChangingOrderEachSumTheirOwnFlows) {
    Recorder recorder(start, 7);
    const int keys = 3000;
    std::map<std::pair<int, int>, double> expected;  // (week, key) -> sum
    std::vector<std::pair<int, int>> first_order;    // (week, key) in the order first recorded
    for (int day = 0; day < 14; ++day) {
        const int week = day / 7;
        for (int i = 0; i < keys; ++i) {
            const int k = (i * (2 * day + 1) + day * 17) % keys;  // a permutation of the keys, another each day
            const double value = 1.0 + k + 0.5 * day;
            recorder.flow(start + day, SeriesKey{k % 50, k / 50, -1, "produced_doses", {}}, value);
            if (expected.emplace(std::pair{week, k}, value).second)
                first_order.emplace_back(week, k);
            else
                expected[{week, k}] += value;
        }
    }
    ASSERT_EQ(recorder.points().size(), first_order.size());
    for (std::size_t n = 0; n < first_order.size(); ++n) {
        const auto [week, k] = first_order[n];
        const SeriesPoint& point = recorder.points()[n];
        EXPECT_EQ(point.date, start + 7 * week);
        EXPECT_EQ(point.key.country, k % 50);
        EXPECT_EQ(point.key.product, k / 50);
        EXPECT_EQ(point.value, (expected[{week, k}]));
    }
}

TEST(Recorder, DisabledRecorderKeepsNothing) {
    Recorder recorder = Recorder::disabled();
    recorder.flow(start, key(0, "produced_doses"), 2.0);
    EXPECT_FALSE(recorder.enabled());
    EXPECT_TRUE(recorder.points().empty());
}

TEST(Recorder, RejectsAPeriodShorterThanADay) { EXPECT_THROW(Recorder(start, 0), std::invalid_argument); }

}  // namespace
}  // namespace doseflow
