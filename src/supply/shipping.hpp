#pragma once
// Lead times of shipments between countries.
#include <vector>

#include "core/ids.hpp"
#include "world/world.hpp"

namespace doseflow::supply {

// Lead days for every (from, to) pair: an explicit route when one is given, else the domestic lead at home,
// else the same-subregion, same-region or default lead of ShippingSettings.
class LeadTimes {
public:
    explicit LeadTimes(const World& world);
    int days(CountryId from, CountryId to) const { return days_[from.value() * countries_ + to.value()]; }
    int longest_days() const { return longest_days_; }

private:
    std::size_t countries_ = 0;
    std::vector<int> days_;
    int longest_days_ = 0;
};

}  // namespace doseflow::supply
