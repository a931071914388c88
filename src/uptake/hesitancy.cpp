#include "uptake/hesitancy.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace doseflow::uptake {

namespace {

// Saturating fear signal in [0, 1): half its effect at `half_saturation` deaths per million per day.
double fear_signal(double deaths_per_million_per_day, double half_saturation) {
    if (deaths_per_million_per_day <= 0.0) return 0.0;
    return deaths_per_million_per_day / (deaths_per_million_per_day + half_saturation);
}

}  // namespace

double logistic(double x) {
    // Written to avoid overflow of exp for large |x|; logistic(+inf) = 1 and logistic(-inf) = 0.
    if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

double log_odds(double share) {
    assert(share >= 0.0 && share <= 1.0);
    if (share <= 0.0) return -std::numeric_limits<double>::infinity();
    if (share >= 1.0) return std::numeric_limits<double>::infinity();
    return std::log(share / (1.0 - share));
}

double willingness_log_odds_shift(const HesitancyDrivers& drivers, const UptakeParameters& parameters) {
    assert(drivers.deaths_per_million_per_day >= 0.0 && drivers.disinformation >= 0.0);
    return parameters.fear_coefficient *
               fear_signal(drivers.deaths_per_million_per_day, parameters.fear_half_saturation) -
           parameters.trust_coefficient * (1.0 - drivers.trust) -
           parameters.disinformation_coefficient * drivers.disinformation;
}

double willingness_target(double baseline_share, const HesitancyDrivers& drivers,
                          const UptakeParameters& parameters) {
    // logit(0) = -inf and logit(1) = +inf: no finite shift moves them.
    if (baseline_share <= 0.0) return 0.0;
    if (baseline_share >= 1.0) return 1.0;
    return logistic(log_odds(baseline_share) + willingness_log_odds_shift(drivers, parameters));
}

double relaxation_per_day(const UptakeParameters& parameters) {
    if (parameters.willingness_relaxation_days <= 0.0) return 1.0;
    return 1.0 - std::exp(-1.0 / parameters.willingness_relaxation_days);
}

}  // namespace doseflow::uptake
