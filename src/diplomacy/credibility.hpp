#pragma once
// A buyer's view of a supplier's credibility: an exponentially weighted record of delivered against due doses
// in which a missed dose weighs `miss_weight` times a dose delivered on time (docs/model/diplomacy.md,
// "Credibility").
namespace doseflow::diplomacy {

// The prior credibility of a supplier in a buyer's eyes: the base prior moved towards 1 (aligned buyer) or
// towards 0 (opposed buyer) by the share weight * |alignment|. In [0, 1] for prior and weight in [0, 1] and
// alignment in [-1, 1].
double aligned_prior(double prior, double alignment_weight, double alignment);

class CredibilityRecord {
public:
    CredibilityRecord() = default;
    // memory_days > 0: the e-folding time of the record; miss_weight > 0.
    CredibilityRecord(double prior, double memory_days, double miss_weight);

    // One day on which doses were due: `fulfilled_share` in [0, 1] of the due doses had arrived.
    void observe(double fulfilled_share);

    double value() const {  // in [0, 1]; inline: asked for every buyer and supplier every day
        const double weighted = kept_ + miss_weight_ * missed_;
        return weighted > 0.0 ? kept_ / weighted : prior_;
    }
    double prior() const { return prior_; }

private:
    double prior_ = 0.0;
    double retention_per_day_ = 0.0;  // exp(-1 / memory_days)
    double miss_weight_ = 1.0;
    double kept_ = 0.0;    // weighted days of kept promises (the prior counts as one memory's worth)
    double missed_ = 0.0;  // weighted days of missed promises
};

}  // namespace doseflow::diplomacy
