#include "epidemic/structure.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace doseflow::epidemic {
namespace {

void require(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument("epidemic model: " + message);
}

bool is_share(double value) { return value >= 0.0 && value <= 1.0; }

// Fills missing per-dose vectors (death: the efficacy against infection, i.e. no extra protection; transmission:
// none) and checks every efficacy is a share.
void normalise_group(VaccineGroupSpec& group) {
    const auto doses = group.efficacy_infection_by_dose.size();
    require(doses > 0, fmt::format("vaccine group '{}' has no efficacy_infection_by_dose", group.name));
    if (group.efficacy_death_by_dose.empty()) group.efficacy_death_by_dose = group.efficacy_infection_by_dose;
    if (group.efficacy_transmission_by_dose.empty()) group.efficacy_transmission_by_dose.assign(doses, 0.0);
    require(group.efficacy_death_by_dose.size() == doses && group.efficacy_transmission_by_dose.size() == doses,
            fmt::format("vaccine group '{}': efficacy vectors by dose must have the same length ({})", group.name,
                        doses));
    for (std::size_t k = 0; k < doses; ++k)
        require(is_share(group.efficacy_infection_by_dose[k]) && is_share(group.efficacy_death_by_dose[k]) &&
                    is_share(group.efficacy_transmission_by_dose[k]),
                fmt::format("vaccine group '{}': efficacies after dose {} must lie in [0, 1]", group.name, k + 1));
    require(group.waning_days >= 0.0, fmt::format("vaccine group '{}': waning_days must be >= 0", group.name));
}

}  // namespace

double conditional_death_protection(double efficacy_infection, double efficacy_death) {
    if (efficacy_infection >= 1.0) return efficacy_death;
    return std::clamp((efficacy_death - efficacy_infection) / (1.0 - efficacy_infection), 0.0, 1.0);
}

ModelStructure::ModelStructure(StructureSpec spec) : spec_(std::move(spec)) {
    require(spec_.bands > 0, "at least one age band is needed");
    require(!spec_.variants.empty(), "at least one variant is needed");
    require(spec_.latent_days > 0.0 && spec_.infectious_days > 0.0,
            "latent_days and infectious_days must be positive");
    require(spec_.infection_immunity_days >= 0.0, "infection_immunity_days must be >= 0");
    for (auto& group : spec_.groups) normalise_group(group);
    for (auto& variant : spec_.variants) {
        if (variant.escape_by_group.empty()) variant.escape_by_group.assign(spec_.groups.size(), 0.0);
        require(variant.escape_by_group.size() == spec_.groups.size(),
                fmt::format("variant '{}': escape_by_group needs one value per vaccine group", variant.id));
        if (variant.escape_death_by_group.empty()) variant.escape_death_by_group = variant.escape_by_group;
        require(variant.escape_death_by_group.size() == spec_.groups.size(),
                fmt::format("variant '{}': escape_death_by_group needs one value per vaccine group", variant.id));
        for (double e : variant.escape_by_group)
            require(is_share(e), fmt::format("variant '{}': escape must lie in [0, 1]", variant.id));
        for (double e : variant.escape_death_by_group)
            require(is_share(e), fmt::format("variant '{}': escape from protection against death must lie in [0, 1]",
                                             variant.id));
        require(is_share(variant.escape_infection),
                fmt::format("variant '{}': escape from infection immunity must lie in [0, 1]", variant.id));
        require(variant.transmissibility >= 0.0 && variant.severity >= 0.0,
                fmt::format("variant '{}': transmissibility and severity must be >= 0", variant.id));
        any_reinfection_ = any_reinfection_ || variant.escape_infection > 0.0;
    }
    bands_ = spec_.bands;
    variants_ = static_cast<int>(spec_.variants.size());

    strata_.push_back({StratumKind::willing});
    strata_.push_back({StratumKind::unwilling});
    for (int g = 0; g < static_cast<int>(spec_.groups.size()); ++g) {
        const auto& group = spec_.groups[g];
        first_vaccinated_.push_back(static_cast<int>(strata_.size()));
        for (int k = 1; k <= group.doses(); ++k) {
            const double ve_infection = group.efficacy_infection_by_dose[k - 1];
            const double death = conditional_death_protection(ve_infection, group.efficacy_death_by_dose[k - 1]);
            const double transmission = group.efficacy_transmission_by_dose[k - 1];
            // All-or-nothing: the protected are fully immune and the vaccination moves only the efficacy share
            // here; leaky: everybody vaccinated is here with susceptibility reduced by the efficacy.
            const double protection = spec_.leaky ? ve_infection : 1.0;
            strata_.push_back({StratumKind::protected_, g, k, protection, death, transmission});
            // Waning removes protection against infection; protection against death and onward transmission
            // given infection is kept (it lasts longer in the observational studies of 2021).
            strata_.push_back({StratumKind::unprotected, g, k, 0.0, death, transmission});
        }
    }

    const int strata_count = strata();
    susceptibility_.resize(static_cast<std::size_t>(strata_count * variants_));
    infectiousness_.resize(susceptibility_.size());
    fatality_factor_.resize(susceptibility_.size());
    for (int s = 0; s < strata_count; ++s) {
        const Stratum& stratum = strata_[s];
        for (int v = 0; v < variants_; ++v) {
            const auto& variant = spec_.variants[v];
            const double kept = stratum.group >= 0 ? 1.0 - variant.escape_by_group[stratum.group] : 0.0;
            const double kept_death = stratum.group >= 0 ? 1.0 - variant.escape_death_by_group[stratum.group] : 0.0;
            const auto at = static_cast<std::size_t>(s * variants_ + v);
            susceptibility_[at] = 1.0 - stratum.protection_infection * kept;
            infectiousness_[at] = 1.0 - stratum.protection_transmission * kept;
            fatality_factor_[at] = variant.severity * (1.0 - stratum.protection_death * kept_death);
        }
    }

    const auto b = static_cast<std::size_t>(bands_);
    const auto s = static_cast<std::size_t>(strata_count);
    const auto v = static_cast<std::size_t>(variants_);
    block_ = (2 + 2 * v) * b;
    d_offset_ = s * block_;
    c_offset_ = d_offset_ + b;
    size_ = c_offset_ + v * b;
}

double ModelStructure::vaccine_waning_rate_per_day(int stratum) const {
    const Stratum& st = strata_[stratum];
    if (st.kind != StratumKind::protected_) return 0.0;
    const double days = spec_.groups[st.group].waning_days;
    return days > 0.0 ? 1.0 / days : 0.0;
}

}  // namespace doseflow::epidemic
