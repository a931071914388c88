#include "supply/production.hpp"

#include <stdexcept>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/geometric_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "world/site_capacity.hpp"

namespace doseflow::supply {
namespace {

void check_share(double value, const std::string& what, const Site& site) {
    if (!(value >= 0.0 && value <= 1.0))
        throw std::invalid_argument("site " + site.id + ": " + what + " must lie in [0, 1], got " +
                                    std::to_string(value));
}

double draw_realised_share(const Site& site, std::uint64_t seed) {
    if (!site.licence) return 1.0;
    const Licence& licence = *site.licence;
    check_share(licence.realised_share_min, "licence realised share", site);
    check_share(licence.realised_share_max, "licence realised share", site);
    if (licence.realised_share_max < licence.realised_share_min)
        throw std::invalid_argument("site " + site.id + ": licence realised share range is reversed");
    if (licence.realised_share_max == licence.realised_share_min) return licence.realised_share_min;
    auto stream = make_stream(seed, stable_hash(site.id), StreamPurpose::licence_realisation);
    boost::random::uniform_real_distribution<double> share(licence.realised_share_min, licence.realised_share_max);
    return share(stream);
}

}  // namespace

ProductionLine::ProductionLine(const Site& site, std::uint64_t seed)
    : site_(&site),
      realised_share_(draw_realised_share(site, seed)),
      disruption_stream_(make_stream(seed, stable_hash(site.id), StreamPurpose::site_disruption)) {
    const RandomDisruption& random = site.random_disruption;
    check_share(random.daily_probability, "random disruption daily probability", site);
    check_share(random.capacity_loss, "random disruption capacity loss", site);
    if (random.daily_probability > 0.0 && random.mean_duration_days < 1.0)
        throw std::invalid_argument("site " + site.id + ": random disruption mean duration must be >= 1 day");
    for (const Disruption& disruption : site.disruptions) check_share(disruption.capacity_loss, "capacity loss", site);
    for (const SchedulePoint& point : site.capacity_doses_per_day.points())
        if (!(point.value >= 0.0)) throw std::invalid_argument("site " + site.id + ": capacity must be >= 0");
    for (const SchedulePoint& point : site.share.points()) check_share(point.value, "share of the line", site);
    if (site.licence && !(site.licence->announced_doses_per_day >= 0.0))
        throw std::invalid_argument("site " + site.id + ": announced licence capacity must be >= 0");
}

double ProductionLine::disruption_factor(Date today) {
    double factor = 1.0;
    for (const Disruption& disruption : site_->disruptions)
        if (disruption.start <= today && today <= disruption.end) factor *= 1.0 - disruption.capacity_loss;
    const RandomDisruption& random = site_->random_disruption;
    if (!randomly_disrupted(today) && random.daily_probability > 0.0) {
        boost::random::bernoulli_distribution<double> starts(random.daily_probability);
        if (starts(disruption_stream_)) {
            // Durations are geometric on {1, 2, ...} with the given mean: a memoryless outage.
            disrupted_through_ = today;
            if (random.mean_duration_days > 1.0) {
                boost::random::geometric_distribution<int, double> extra_days(1.0 / random.mean_duration_days);
                disrupted_through_ = today + extra_days(disruption_stream_);
            }
        }
    }
    if (randomly_disrupted(today)) factor *= 1.0 - random.capacity_loss;
    return factor;
}

double ProductionLine::capacity_doses_per_day(Date today, double shock_factor) {
    const double disruption = disruption_factor(today);
    return site_doses_per_day(*site_, today, realised_share_) * disruption * shock_factor;
}

}  // namespace doseflow::supply
