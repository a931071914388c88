#pragma once
// A production site's output before disruptions and shocks: one rule for supply's production lines and for the
// capacity a buyer expects of a producer (diplomacy's offers), docs/model/supply.md, "Production".
#include "core/date.hpp"
#include "world/world.hpp"

namespace doseflow {

// Doses a day the site gives its product on `date`: its capacity ramp, or for a licensed site the announced
// capacity from its start (signed_on + start_lag_days) times `realised_share` of it; times the share of the line
// given to the product (Site::share).
double site_doses_per_day(const Site& site, Date date, double realised_share);

// The share of a licence's announced capacity a buyer expects: the middle of its realised-share range (1 for a
// site without a licence).
double expected_realised_share(const Site& site);

}  // namespace doseflow
