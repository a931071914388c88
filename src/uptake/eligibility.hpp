#pragma once
// Who may be vaccinated and in what order: eligibility by minimum age (a band straddling the minimum is eligible
// by the fraction of its years at or above it) and the priority groups of a country's rule.
#include <vector>

#include "world/world.hpp"

namespace doseflow::uptake {

// The open last band is taken to end at this age when a minimum age falls inside it.
inline constexpr int open_band_upper_age_years = 100;

// Fraction of band `band`'s years at or above `min_age_years` (ages spread evenly within a band).
double fraction_at_or_above(const std::vector<int>& age_band_lower, int band, int min_age_years);

// Adults, for the health-worker group.
inline constexpr int adult_age_years = 18;

struct PriorityGroup {
    bool health_workers = false;  // the group of health workers (their own count), not the whole bands
    std::vector<int> bands;       // bands in this group; doses split pro rata to willing people waiting in them
};

// Groups in the order they are served. oldest_first: one group per band, oldest first; uniform: one group of all
// bands; health_workers_then_oldest: the health workers of every adult band, then oldest first.
std::vector<PriorityGroup> priority_groups(PriorityRule rule, int band_count);

}  // namespace doseflow::uptake
