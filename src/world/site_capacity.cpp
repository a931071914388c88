#include "world/site_capacity.hpp"

namespace doseflow {

double site_doses_per_day(const Site& site, Date date, double realised_share) {
    double nominal = 0.0;
    if (site.licence) {
        const Licence& licence = *site.licence;
        if (date < licence.signed_on + licence.start_lag_days) return 0.0;
        nominal = licence.announced_doses_per_day * realised_share;
    } else {
        nominal = site.capacity_doses_per_day.at(date);  // 0 for an empty ramp
    }
    return nominal * site.share.at(date);
}

double expected_realised_share(const Site& site) {
    if (!site.licence) return 1.0;
    return 0.5 * (site.licence->realised_share_min + site.licence->realised_share_max);
}

}  // namespace doseflow
