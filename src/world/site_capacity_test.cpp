// A site's output before disruptions and shocks: the one rule of supply's production lines and of the capacity
// buyers expect of a producer (diplomacy's offers).
#include "world/site_capacity.hpp"

#include <gtest/gtest.h>

namespace doseflow {
namespace {

const Date start = Date::from_ymd(2021, 1, 1);

TEST(SiteCapacity, ARampTimesTheShareOfTheLine) {
    Site site;
    site.capacity_doses_per_day = Ramp({{start, 0.0}, {start + 100, 1000.0}});
    site.share = StepSchedule({{start + 50, 0.5}}, 1.0);
    EXPECT_DOUBLE_EQ(site_doses_per_day(site, start + 40, 0.3), 400.0);  // no licence: the realised share is unused
    EXPECT_DOUBLE_EQ(site_doses_per_day(site, start + 60, 1.0), 300.0);
    EXPECT_DOUBLE_EQ(expected_realised_share(site), 1.0);
}

TEST(SiteCapacity, ALicensedSiteFromItsStartTimesTheRealisedShareAndTheShareOfTheLine) {
    Site site;
    site.licence = Licence{};
    site.licence->announced_doses_per_day = 1000.0;
    site.licence->signed_on = start;
    site.licence->start_lag_days = 90;
    site.licence->realised_share_min = 0.2;
    site.licence->realised_share_max = 0.6;
    site.share = StepSchedule({{start + 120, 0.5}}, 1.0);
    EXPECT_DOUBLE_EQ(site_doses_per_day(site, start + 89, 0.5), 0.0);
    EXPECT_DOUBLE_EQ(site_doses_per_day(site, start + 90, 0.5), 500.0);
    EXPECT_DOUBLE_EQ(expected_realised_share(site), 0.4);
    // A line shared with another product gives it only its share, licensed or not.
    EXPECT_DOUBLE_EQ(site_doses_per_day(site, start + 120, expected_realised_share(site)), 200.0);
}

}  // namespace
}  // namespace doseflow
