#include "uptake/eligibility.hpp"

#include <algorithm>
#include <cassert>

namespace doseflow::uptake {

double fraction_at_or_above(const std::vector<int>& age_band_lower, int band, int min_age_years) {
    assert(band >= 0 && band < static_cast<int>(age_band_lower.size()));
    const auto index = static_cast<std::size_t>(band);
    const int lower = age_band_lower[index];
    const bool last = index + 1 == age_band_lower.size();
    const int upper = last ? std::max(open_band_upper_age_years, lower + 1) : age_band_lower[index + 1];
    if (min_age_years <= lower) return 1.0;
    if (min_age_years >= upper) return 0.0;
    return static_cast<double>(upper - min_age_years) / static_cast<double>(upper - lower);
}

std::vector<PriorityGroup> priority_groups(PriorityRule rule, int band_count) {
    std::vector<PriorityGroup> groups;
    if (rule == PriorityRule::uniform) {
        PriorityGroup all;
        for (int band = 0; band < band_count; ++band) all.bands.push_back(band);
        groups.push_back(std::move(all));
        return groups;
    }
    if (rule == PriorityRule::health_workers_then_oldest) {
        PriorityGroup workers{true, {}};
        for (int band = 0; band < band_count; ++band) workers.bands.push_back(band);
        groups.push_back(std::move(workers));
    }
    for (int band = band_count - 1; band >= 0; --band) groups.push_back(PriorityGroup{false, {band}});
    return groups;
}

}  // namespace doseflow::uptake
