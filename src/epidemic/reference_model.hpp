#pragma once
// A plain, slow, obvious implementation of the SEIR-V equations, kept to test the fast CountryEpidemic against:
// named compartments per age band in nested std::vectors, multipliers worked out from the raw efficacies and
// escapes at every evaluation, and classical RK4 with a fine fixed step. It shares nothing with the fast code but
// the input structs and the order of the immunity strata.
#include <vector>

#include "epidemic/country_epidemic.hpp"
#include "epidemic/structure.hpp"

namespace doseflow::epidemic {

class ReferenceModel {
public:
    struct Band {
        std::vector<double> susceptible;                 // [stratum]
        std::vector<std::vector<double>> exposed;        // [stratum][variant]
        std::vector<std::vector<double>> infectious;     // [stratum][variant]
        std::vector<double> recovered;                   // [stratum]
        double dead = 0.0;
        std::vector<double> cumulative_infections;       // [variant]
    };
    struct StratumInfo {
        StratumKind kind;
        int group;
        int dose;
    };

    ReferenceModel(StructureSpec spec, CountryInputs inputs);

    // Copies a state in CountryEpidemic's flat layout in and out.
    void set_from_flat(const ModelStructure& structure, const std::vector<double>& flat);
    std::vector<double> to_flat(const ModelStructure& structure) const;

    void set_transmission_factor(double factor) { transmission_factor_ = factor; }
    void advance(double days, int steps_per_day = 256);
    const std::vector<Band>& bands() const { return bands_; }

private:
    std::vector<Band> derivative(const std::vector<Band>& state) const;
    static std::vector<Band> add(const std::vector<Band>& a, const std::vector<Band>& b, double scale);
    double susceptibility(int stratum, int variant) const;
    double infectiousness(int stratum, int variant) const;
    double fatality(int stratum, int variant, int band) const;

    StructureSpec spec_;
    CountryInputs inputs_;
    std::vector<StratumInfo> strata_;
    std::vector<Band> bands_;
    double transmission_factor_ = 1.0;
};

}  // namespace doseflow::epidemic
