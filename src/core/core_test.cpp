#include <gtest/gtest.h>

#include <string>
#include <utility>

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

TEST(Ramp, SumsItsDailyValuesOverAPeriodFromAGivenDay) {
    const Date d0 = Date::from_ymd(2021, 1, 1);
    const Ramp ramp({{d0, 10.0}, {d0 + 10, 110.0}, {d0 + 12, 50.0}});
    for (int start : {-7, -1, 0, 3, 9, 10, 11, 12, 30})
        for (int days : {0, 1, 5, 20})
            for (int from_day : {-100, 0, 4, 11}) {
                double expected = 0.0;
                for (int k = 0; k < days; ++k)
                    if (start + k >= from_day) expected += ramp.at(d0 + start + k);
                EXPECT_DOUBLE_EQ(ramp.sum_over_days(d0 + start, days, d0 + from_day), expected)
                    << start << " " << days << " " << from_day;
            }
    EXPECT_DOUBLE_EQ(ramp.sum_over_days(d0 + 9, 4, d0 - 100), 100.0 + 110.0 + 80.0 + 50.0);
    EXPECT_DOUBLE_EQ(Ramp().sum_over_days(d0, 10, d0), 0.0);
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
    // 112 bytes: two blocks of message (FIPS 180-2 / NIST CSRC example vectors).
    EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                         "mnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    // One million 'a': 15,625 blocks (FIPS 180-2, appendix B.3).
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, LengthsAroundABlockBoundary) {
    // The bytes 0, 1, ..., n-1: lengths where the padding and the length field spill into one more block. Digests
    // from Python's hashlib (OpenSSL), an independent implementation.
    const std::pair<std::size_t, const char*> cases[] = {
        {55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"},
        {56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"},
        {63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"},
        {64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"},
        {65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"},
        {119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"},
        {120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"},
        {128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"},
    };
    for (const auto& [length, digest] : cases) {
        std::string bytes(length, '\0');
        for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<char>(i);
        EXPECT_EQ(sha256_hex(bytes), digest) << length << " bytes";
    }
}
