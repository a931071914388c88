#include <gtest/gtest.h>

#include <boost/random/uniform_real_distribution.hpp>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/schedule.hpp"

using namespace doseflow;

TEST(Date, RoundTripsThroughIsoText) {
    for (int days = -800000; days < 800000; days += 997) {
        const Date d = Date::from_days(days);
        if (d.year() < 1 || d.year() > 9999) continue;
        const auto parsed = Date::parse(d.iso());
        ASSERT_TRUE(parsed.has_value()) << d.iso();
        EXPECT_EQ(*parsed, d);
    }
}

TEST(Date, KnownDaysAndArithmetic) {
    EXPECT_EQ(Date::from_ymd(1970, 1, 1).days_since_1970(), 0);
    EXPECT_EQ(Date::from_ymd(2021, 1, 1).days_since_1970(), 18628);
    EXPECT_EQ(Date::from_ymd(2022, 6, 30) - Date::from_ymd(2021, 1, 1), 545);
    EXPECT_EQ((Date::from_ymd(2021, 2, 28) + 1).iso(), "2021-03-01");
    EXPECT_EQ((Date::from_ymd(2020, 2, 28) + 1).iso(), "2020-02-29");
    EXPECT_EQ(Date::from_ymd(2021, 4, 8).week_start().iso(), "2021-04-05");  // a Thursday -> Monday
}

TEST(Date, RejectsInvalidText) {
    for (const char* text : {"2021-02-29", "2021-13-01", "2021-00-10", "21-01-01", "2021/01/01", "2021-01-1x", ""})
        EXPECT_FALSE(Date::parse(text).has_value()) << text;
    EXPECT_TRUE(Date::parse("2020-02-29").has_value());
}

TEST(Ramp, InterpolatesAndHoldsEnds) {
    const Date d0 = Date::from_ymd(2021, 1, 1);
    const Ramp ramp({{d0, 0.0}, {d0 + 10, 100.0}});
    EXPECT_DOUBLE_EQ(ramp.at(d0 - 5), 0.0);
    EXPECT_DOUBLE_EQ(ramp.at(d0 + 5), 50.0);
    EXPECT_DOUBLE_EQ(ramp.at(d0 + 20), 100.0);
}

TEST(StepSchedule, HoldsEachValueUntilTheNext) {
    const Date d0 = Date::from_ymd(2021, 1, 1);
    const StepSchedule steps({{d0, 1.0}, {d0 + 10, 0.5}}, 0.0);
    EXPECT_DOUBLE_EQ(steps.at(d0 - 1), 0.0);
    EXPECT_DOUBLE_EQ(steps.at(d0 + 9), 1.0);
    EXPECT_DOUBLE_EQ(steps.at(d0 + 10), 0.5);
}

TEST(RandomStreams, SameKeySameDrawsDifferentKeyDifferentDraws) {
    auto a = make_stream(7, 3, StreamPurpose::test);
    auto b = make_stream(7, 3, StreamPurpose::test);
    auto c = make_stream(7, 4, StreamPurpose::test);
    auto d = make_stream(8, 3, StreamPurpose::test);
    boost::random::uniform_real_distribution<double> u(0.0, 1.0);
    const double xa = u(a), xb = u(b), xc = u(c), xd = u(d);
    EXPECT_EQ(xa, xb);
    EXPECT_NE(xa, xc);
    EXPECT_NE(xa, xd);
}

TEST(Diagnostics, FormatsFileLineColumn) {
    Diagnostics diagnostics;
    diagnostics.error({"a.toml", 3, 7}, "unknown key 'dose'; did you mean 'doses'?");
    diagnostics.warning({"a.toml", 0, 0}, "never received");
    EXPECT_TRUE(diagnostics.has_errors());
    EXPECT_EQ(diagnostics.format(),
              "a.toml:3:7: error: unknown key 'dose'; did you mean 'doses'?\na.toml: warning: never received\n");
}

#include "core/sha256.hpp"

TEST(Sha256, MatchesFips180Vectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
