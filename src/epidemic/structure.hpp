#pragma once
// The compartment structure of the age-structured SEIR-V model shared by the world simulation and the Bubar et al.
// 2021 reproduction: immunity strata, variants, the layout of the flat state vector and the per-stratum
// multipliers of susceptibility, infectiousness and fatality.
//
// Every age band holds, for each immunity stratum s, the compartments S_s, E_s,v, I_s,v and R_s (v = variant), plus
// one D (dead) and one cumulative-infections counter C_v per variant. Infected people keep their stratum, so that
// recovery returns them to it and the vaccination bookkeeping (who is still eligible for which dose) survives an
// infection, as in Bubar et al.'s "v" and "x" streams.
#include <cstddef>
#include <string>
#include <vector>

namespace doseflow::epidemic {

enum class StratumKind {
    willing,     // unvaccinated and willing: eligible for a first dose (Bubar's S, E, R)
    unwilling,   // unvaccinated and unwilling (Bubar's x stream of refusers)
    protected_,  // vaccinated, protection against infection in force
    unprotected  // vaccinated, no protection against infection: failed all-or-nothing dose, or waned
};

struct Stratum {
    StratumKind kind = StratumKind::willing;
    int group = -1;  // vaccine group index; -1 when unvaccinated
    int dose = 0;    // doses received
    double protection_infection = 0.0;     // share of susceptibility removed
    double protection_death = 0.0;         // share of the fatality ratio removed, given infection
    double protection_transmission = 0.0;  // share of onward infectiousness removed, given infection
};

// Efficacy of one vaccine product group, after each dose (index k-1 for dose k).
struct VaccineGroupSpec {
    std::string name;
    std::vector<double> efficacy_infection_by_dose;
    std::vector<double> efficacy_death_by_dose;        // against death, unconditional (as trials report it)
    std::vector<double> efficacy_transmission_by_dose;  // against onward transmission, given infection
    double waning_days = 0.0;                           // mean duration of protection; 0 = none
    int doses() const { return static_cast<int>(efficacy_infection_by_dose.size()); }
};

struct VariantSpec {
    std::string id;
    double transmissibility = 1.0;         // multiplier of the force of infection
    double severity = 1.0;                 // multiplier of the infection fatality ratio
    std::vector<double> escape_by_group;   // share of vaccine protection lost, per vaccine group
    double escape_infection = 0.0;         // share of infection-acquired protection lost
    // Share of the vaccine protection against death given infection lost, per vaccine group; empty: as
    // escape_by_group (a variant may escape protection against infection more than against death).
    std::vector<double> escape_death_by_group;
};

struct StructureSpec {
    int bands = 0;
    std::vector<VaccineGroupSpec> groups;
    std::vector<VariantSpec> variants;  // at least one
    bool leaky = false;
    double latent_days = 3.0;
    double infectious_days = 5.0;
    double infection_immunity_days = 0.0;  // 0 = no waning of infection-acquired immunity
};

// Protection against death given infection implied by unconditional efficacies against infection and death:
// 1 - VE_death = (1 - VE_infection) (1 - p)  =>  p = (VE_death - VE_infection) / (1 - VE_infection).
double conditional_death_protection(double efficacy_infection, double efficacy_death);

class ModelStructure {
public:
    explicit ModelStructure(StructureSpec spec);  // throws std::invalid_argument on inconsistent input

    const StructureSpec& spec() const { return spec_; }
    int bands() const { return bands_; }
    int strata() const { return static_cast<int>(strata_.size()); }
    int variants() const { return variants_; }
    const std::vector<Stratum>& stratum_list() const { return strata_; }
    const Stratum& stratum(int s) const { return strata_[s]; }

    static constexpr int willing = 0;
    static constexpr int unwilling = 1;
    int protected_stratum(int group, int dose) const { return first_vaccinated_[group] + 2 * (dose - 1); }
    int unprotected_stratum(int group, int dose) const { return protected_stratum(group, dose) + 1; }

    // Flat state layout: one contiguous block per stratum, [S (bands) | E (variants x bands) | I (variants x
    // bands) | R (bands)], then D (bands) and the cumulative-infection counters C (variants x bands). Keeping a
    // stratum together lets the integrator skip the strata nobody is in (vaccines not yet given).
    std::size_t size() const { return size_; }
    std::size_t block_size() const { return block_; }
    std::size_t block_offset(int stratum) const { return static_cast<std::size_t>(stratum) * block_; }
    std::size_t s_index(int stratum, int band) const { return block_offset(stratum) + static_cast<std::size_t>(band); }
    std::size_t e_index(int stratum, int variant, int band) const {
        return block_offset(stratum) + static_cast<std::size_t>((1 + variant) * bands_ + band);
    }
    std::size_t i_index(int stratum, int variant, int band) const {
        return block_offset(stratum) + static_cast<std::size_t>((1 + variants_ + variant) * bands_ + band);
    }
    std::size_t r_index(int stratum, int band) const {
        return block_offset(stratum) + static_cast<std::size_t>((1 + 2 * variants_) * bands_ + band);
    }
    std::size_t d_index(int band) const { return d_offset_ + static_cast<std::size_t>(band); }
    std::size_t c_index(int variant, int band) const {
        return c_offset_ + static_cast<std::size_t>(variant * bands_ + band);
    }
    std::size_t d_offset() const { return d_offset_; }
    std::size_t c_offset() const { return c_offset_; }  // everything before it is people (S, E, I, R, D)

    // Multipliers, indexed [stratum * variants + variant].
    double susceptibility(int stratum, int variant) const { return susceptibility_[stratum * variants_ + variant]; }
    double infectiousness(int stratum, int variant) const { return infectiousness_[stratum * variants_ + variant]; }
    double fatality_factor(int stratum, int variant) const { return fatality_factor_[stratum * variants_ + variant]; }
    double reinfection(int variant) const { return spec_.variants[variant].escape_infection; }
    bool any_reinfection() const { return any_reinfection_; }
    double latent_rate_per_day() const { return 1.0 / spec_.latent_days; }
    double recovery_rate_per_day() const { return 1.0 / spec_.infectious_days; }
    double infection_waning_rate_per_day() const {
        return spec_.infection_immunity_days > 0 ? 1.0 / spec_.infection_immunity_days : 0.0;
    }
    // Rate at which a stratum's protection against infection wanes (protected -> unprotected of the same dose).
    double vaccine_waning_rate_per_day(int stratum) const;

private:
    StructureSpec spec_;
    int bands_ = 0;
    int variants_ = 0;
    std::vector<Stratum> strata_;
    std::vector<int> first_vaccinated_;
    std::vector<double> susceptibility_;
    std::vector<double> infectiousness_;
    std::vector<double> fatality_factor_;
    bool any_reinfection_ = false;
    std::size_t block_ = 0, d_offset_ = 0, c_offset_ = 0, size_ = 0;
};

}  // namespace doseflow::epidemic
