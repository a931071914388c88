#include "diplomacy/credibility.hpp"

#include <cassert>
#include <cmath>

namespace doseflow::diplomacy {

double aligned_prior(double prior, double alignment_weight, double alignment) {
    const double pull = alignment_weight * std::abs(alignment);
    const double target = alignment > 0.0 ? 1.0 : 0.0;
    return (1.0 - pull) * prior + pull * target;
}

CredibilityRecord::CredibilityRecord(double prior, double memory_days, double miss_weight)
    : prior_(prior), retention_per_day_(std::exp(-1.0 / memory_days)), miss_weight_(miss_weight) {
    assert(prior >= 0.0 && prior <= 1.0 && memory_days > 0.0 && miss_weight > 0.0);
    // The prior is one memory's worth of record (the steady state of one observation a day), split so that the
    // credibility starts exactly at the prior.
    const double days_of_record = 1.0 / (1.0 - retention_per_day_);
    kept_ = prior * days_of_record;
    missed_ = (1.0 - prior) * days_of_record / miss_weight;
}

void CredibilityRecord::observe(double fulfilled_share) {
    assert(fulfilled_share >= 0.0 && fulfilled_share <= 1.0);
    kept_ = retention_per_day_ * kept_ + fulfilled_share;
    missed_ = retention_per_day_ * missed_ + (1.0 - fulfilled_share);
}

}  // namespace doseflow::diplomacy
