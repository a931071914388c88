#pragma once
// Willingness to be vaccinated, per age band and product, moved by fear of the home epidemic, trust in the
// product's supplier and exposure to disinformation against the product (docs/model/uptake.md, "Hesitancy").
//
//   target = logistic( logit(baseline) + fear_coefficient * D / (D + fear_half_saturation)
//                      - trust_coefficient * (1 - trust) - disinformation_coefficient * disinformation )
//   willing(t+1) = willing(t) + (1 - exp(-1 / willingness_relaxation_days)) * (target - willing(t))
//
// The logistic keeps the target in [0, 1] and the relaxation is a convex combination of two values in [0, 1], so
// willingness never leaves [0, 1] without any clamp.
#include "world/world.hpp"

namespace doseflow::uptake {

struct HesitancyDrivers {
    double deaths_per_million_per_day = 0.0;  // 7-day mean at home, >= 0
    double trust = 1.0;                       // trust in the product (1 = full)
    double disinformation = 0.0;              // exposure, in units of one Loomba et al. (2021) treatment
};

// The share of a band willing to take a product under `drivers`, given its `baseline_share` (the share willing
// with no recent deaths, full trust and no disinformation). A baseline of exactly 0 or 1 stays there.
double willingness_target(double baseline_share, const HesitancyDrivers& drivers, const UptakeParameters& parameters);

// The same in parts, for evaluating many bands under the same drivers: the change of log-odds the drivers make,
// the log-odds of a baseline (infinite at 0 and 1), and the logistic function.
double willingness_log_odds_shift(const HesitancyDrivers& drivers, const UptakeParameters& parameters);
double log_odds(double share);
double logistic(double log_odds);

// Share of the gap to the target closed in one day.
double relaxation_per_day(const UptakeParameters& parameters);

}  // namespace doseflow::uptake
