#pragma once
// Daily output of one production line: capacity (a ramp, or a licence's announced capacity times the share
// realised), the share of the line given to the product, scheduled and random disruptions, capacity shocks.
#include <cstdint>
#include <optional>

#include "core/date.hpp"
#include "core/random.hpp"
#include "world/world.hpp"

namespace doseflow::supply {

// A scenario capacity_shock: the site's capacity is multiplied by `factor` from `first_day` through `last_day`.
struct CapacityShock {
    SiteId site;
    double factor = 1.0;
    Date first_day;
    std::optional<Date> last_day;  // until the end of the run when empty
    bool covers(Date day) const { return first_day <= day && (!last_day || day <= *last_day); }
};

class ProductionLine {
public:
    // Draws the licence's realised share (uniform in [min, max]) from the site's licence_realisation stream and
    // opens the site's disruption stream; both are keyed by the site's id, so adding a site changes no other.
    ProductionLine(const Site& site, std::uint64_t seed);

    // Product doses per day the line makes today, before component yields. Advances the random disruption
    // process by one day, so call it exactly once per simulated day, in date order.
    double capacity_doses_per_day(Date today, double shock_factor);

    double realised_share() const { return realised_share_; }
    bool randomly_disrupted(Date today) const { return disrupted_through_ && today <= *disrupted_through_; }

private:
    double disruption_factor(Date today);

    const Site* site_;
    double realised_share_ = 1.0;
    RandomEngine disruption_stream_;
    std::optional<Date> disrupted_through_;
};

}  // namespace doseflow::supply
