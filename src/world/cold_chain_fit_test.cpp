// Whether a country can keep a product: the one rule of uptake's stores and of diplomacy's market.
#include "world/cold_chain_fit.hpp"

#include <gtest/gtest.h>

namespace doseflow {
namespace {

const Date start = Date::from_ymd(2021, 1, 1);

Product mrna() {  // kept ultra-cold, 14 days frozen, 31 days in a fridge
    Product p;
    p.storage = TemperatureClass::ultra_cold;
    p.shelf_life_days = {180, 14, 31};
    return p;
}

Country stores(double ultra_cold, double frozen, double fridge) {
    Country c;
    c.cold_chain_doses = {ultra_cold, frozen, fridge};
    return c;
}

TEST(ColdChainFit, TheRequiredClassFirstThenLongestShelfLife) {
    const auto classes = storage_classes(mrna());
    ASSERT_EQ(classes.size(), 3u);
    EXPECT_EQ(classes[0], TemperatureClass::ultra_cold);
    EXPECT_EQ(classes[1], TemperatureClass::fridge);  // 31 days before frozen's 14
    EXPECT_EQ(classes[2], TemperatureClass::frozen);
    Product fridge_only;
    fridge_only.storage = TemperatureClass::fridge;
    fridge_only.shelf_life_days = {std::nullopt, std::nullopt, 365};
    EXPECT_EQ(storage_classes(fridge_only), std::vector<TemperatureClass>{TemperatureClass::fridge});
}

TEST(ColdChainFit, AWarmerClassWithAShelfLifeKeepsTheProduct) {
    EXPECT_TRUE(can_store(stores(0.0, 0.0, 1e6), mrna(), start));  // 31 days in a fridge
    Product strict = mrna();
    strict.shelf_life_days = {180, std::nullopt, std::nullopt};
    EXPECT_FALSE(can_store(stores(0.0, 1e6, 1e6), strict, start));
    EXPECT_FALSE(can_ever_store(stores(0.0, 1e6, 1e6), strict));
    EXPECT_TRUE(can_store(stores(1.0, 0.0, 0.0), strict, start));
}

TEST(ColdChainFit, CapacityCountsTheStepsUpToTheDate) {
    Country c = stores(0.0, 0.0, 0.0);
    c.cold_chain_growth = {{start + 10, TemperatureClass::ultra_cold, 500.0},
                           {start + 20, TemperatureClass::ultra_cold, 250.0},
                           {start + 15, TemperatureClass::fridge, 7.0}};
    EXPECT_DOUBLE_EQ(cold_chain_capacity_doses(c, TemperatureClass::ultra_cold, start + 9), 0.0);
    EXPECT_DOUBLE_EQ(cold_chain_capacity_doses(c, TemperatureClass::ultra_cold, start + 10), 500.0);
    EXPECT_DOUBLE_EQ(cold_chain_capacity_doses(c, TemperatureClass::ultra_cold, start + 30), 750.0);
    EXPECT_DOUBLE_EQ(peak_capacity_doses(c, TemperatureClass::ultra_cold), 750.0);
    Product strict = mrna();
    strict.shelf_life_days = {180, std::nullopt, std::nullopt};
    EXPECT_FALSE(can_store(c, strict, start + 9));
    EXPECT_TRUE(can_store(c, strict, start + 10));
    EXPECT_TRUE(can_ever_store(c, strict));
}

}  // namespace
}  // namespace doseflow
