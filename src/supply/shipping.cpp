#include "supply/shipping.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace doseflow::supply {
namespace {

int lead_by_geography(const ShippingSettings& settings, const Country& from, const Country& to, bool home) {
    if (home) return settings.domestic_lead_days;
    if (!from.subregion.empty() && from.subregion == to.subregion) return settings.same_subregion_lead_days;
    if (!from.region.empty() && from.region == to.region) return settings.same_region_lead_days;
    return settings.default_lead_days;
}

}  // namespace

LeadTimes::LeadTimes(const World& world) : countries_(world.countries.size()) {
    const ShippingSettings& settings = world.shipping;
    days_.resize(countries_ * countries_);
    for (std::size_t from = 0; from < countries_; ++from)
        for (std::size_t to = 0; to < countries_; ++to)
            days_[from * countries_ + to] =
                lead_by_geography(settings, world.countries[from], world.countries[to], from == to);
    for (const ShippingRoute& route : settings.routes) {
        if (!route.from.valid() || !route.to.valid() || route.from.value() >= countries_ ||
            route.to.value() >= countries_)
            throw std::invalid_argument("shipping route names a country outside the world");
        days_[route.from.value() * countries_ + route.to.value()] = route.lead_days;
    }
    for (int days : days_)
        if (days < 0) throw std::invalid_argument("shipping lead time is negative: " + std::to_string(days));
    longest_days_ = days_.empty() ? 0 : *std::max_element(days_.begin(), days_.end());
}

}  // namespace doseflow::supply
