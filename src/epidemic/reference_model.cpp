#include "epidemic/reference_model.hpp"

#include <algorithm>

namespace doseflow::epidemic {

ReferenceModel::ReferenceModel(StructureSpec spec, CountryInputs inputs)
    : spec_(std::move(spec)), inputs_(std::move(inputs)) {
    // Same normalisation and strata order as ModelStructure (its constructor also validates).
    const ModelStructure structure(spec_);
    spec_ = structure.spec();
    for (const Stratum& s : structure.stratum_list()) strata_.push_back({s.kind, s.group, s.dose});
    const std::size_t strata = strata_.size();
    const std::size_t variants = spec_.variants.size();
    Band empty;
    empty.susceptible.assign(strata, 0.0);
    empty.recovered.assign(strata, 0.0);
    empty.exposed.assign(strata, std::vector<double>(variants, 0.0));
    empty.infectious.assign(strata, std::vector<double>(variants, 0.0));
    empty.cumulative_infections.assign(variants, 0.0);
    bands_.assign(static_cast<std::size_t>(spec_.bands), empty);
}

void ReferenceModel::set_from_flat(const ModelStructure& m, const std::vector<double>& flat) {
    for (int b = 0; b < m.bands(); ++b) {
        Band& band = bands_[b];
        for (int s = 0; s < m.strata(); ++s) {
            band.susceptible[s] = flat[m.s_index(s, b)];
            band.recovered[s] = flat[m.r_index(s, b)];
            for (int v = 0; v < m.variants(); ++v) {
                band.exposed[s][v] = flat[m.e_index(s, v, b)];
                band.infectious[s][v] = flat[m.i_index(s, v, b)];
            }
        }
        band.dead = flat[m.d_index(b)];
        for (int v = 0; v < m.variants(); ++v) band.cumulative_infections[v] = flat[m.c_index(v, b)];
    }
}

std::vector<double> ReferenceModel::to_flat(const ModelStructure& m) const {
    std::vector<double> flat(m.size(), 0.0);
    for (int b = 0; b < m.bands(); ++b) {
        const Band& band = bands_[b];
        for (int s = 0; s < m.strata(); ++s) {
            flat[m.s_index(s, b)] = band.susceptible[s];
            flat[m.r_index(s, b)] = band.recovered[s];
            for (int v = 0; v < m.variants(); ++v) {
                flat[m.e_index(s, v, b)] = band.exposed[s][v];
                flat[m.i_index(s, v, b)] = band.infectious[s][v];
            }
        }
        flat[m.d_index(b)] = band.dead;
        for (int v = 0; v < m.variants(); ++v) flat[m.c_index(v, b)] = band.cumulative_infections[v];
    }
    return flat;
}

// The share of vaccine protection a variant leaves in place for the stratum's vaccine group.
namespace {
double kept_protection(const StructureSpec& spec, int group, int variant) {
    if (group < 0) return 0.0;
    return 1.0 - spec.variants[variant].escape_by_group[group];
}
}  // namespace

double ReferenceModel::susceptibility(int stratum, int variant) const {
    const StratumInfo& s = strata_[stratum];
    if (s.kind != StratumKind::protected_) return 1.0;
    const double efficacy = spec_.leaky ? spec_.groups[s.group].efficacy_infection_by_dose[s.dose - 1] : 1.0;
    return 1.0 - efficacy * kept_protection(spec_, s.group, variant);
}

double ReferenceModel::infectiousness(int stratum, int variant) const {
    const StratumInfo& s = strata_[stratum];
    if (s.group < 0) return 1.0;
    return 1.0 - spec_.groups[s.group].efficacy_transmission_by_dose[s.dose - 1] *
                     kept_protection(spec_, s.group, variant);
}

double ReferenceModel::fatality(int stratum, int variant, int band) const {
    const StratumInfo& s = strata_[stratum];
    double protection = 0.0;
    if (s.group >= 0) {
        const auto& g = spec_.groups[s.group];
        const double ve_i = g.efficacy_infection_by_dose[s.dose - 1];
        const double ve_d = g.efficacy_death_by_dose[s.dose - 1];
        // (1 - VE_death) = (1 - VE_infection)(1 - protection given infection)
        protection = ve_i < 1.0 ? std::clamp(1.0 - (1.0 - ve_d) / (1.0 - ve_i), 0.0, 1.0) : ve_d;
        protection *= 1.0 - spec_.variants[variant].escape_death_by_group[s.group];
    }
    const double ifr = inputs_.fatality_ratio_by_band[band] * spec_.variants[variant].severity * (1.0 - protection);
    return std::min(1.0, ifr);
}

std::vector<ReferenceModel::Band> ReferenceModel::derivative(const std::vector<Band>& state) const {
    const int bands = spec_.bands;
    const int strata = static_cast<int>(strata_.size());
    const int variants = static_cast<int>(spec_.variants.size());
    const double sigma_latent = 1.0 / spec_.latent_days;
    const double gamma = 1.0 / spec_.infectious_days;
    const double omega_infection = spec_.infection_immunity_days > 0 ? 1.0 / spec_.infection_immunity_days : 0.0;

    std::vector<Band> d = add(state, state, -1.0);  // zero with the same shape

    for (int i = 0; i < bands; ++i) {
        for (int v = 0; v < variants; ++v) {
            // Force of infection on band i by variant v.
            double lambda = 0.0;
            for (int j = 0; j < bands; ++j) {
                double weighted_infectious = 0.0;
                for (int s = 0; s < strata; ++s) weighted_infectious += infectiousness(s, v) * state[j].infectious[s][v];
                const double alive = inputs_.population_by_band[j] - state[j].dead;
                if (alive > 0.0) lambda += inputs_.transmission[i * bands + j] * weighted_infectious / alive;
            }
            lambda *= transmission_factor_ * spec_.variants[v].transmissibility;
            for (int s = 0; s < strata; ++s) {
                const double new_infections = susceptibility(s, v) * lambda * state[i].susceptible[s];
                const double reinfections =
                    susceptibility(s, v) * spec_.variants[v].escape_infection * lambda * state[i].recovered[s];
                d[i].susceptible[s] -= new_infections;
                d[i].recovered[s] -= reinfections;
                d[i].exposed[s][v] += new_infections + reinfections;
                d[i].cumulative_infections[v] += new_infections + reinfections;
                d[i].exposed[s][v] -= sigma_latent * state[i].exposed[s][v];
                d[i].infectious[s][v] += sigma_latent * state[i].exposed[s][v] - gamma * state[i].infectious[s][v];
                const double f = fatality(s, v, i);
                d[i].recovered[s] += gamma * (1.0 - f) * state[i].infectious[s][v];
                d[i].dead += gamma * f * state[i].infectious[s][v];
            }
        }
        for (int s = 0; s < strata; ++s) {
            const StratumInfo& info = strata_[s];
            if (info.kind == StratumKind::protected_) {
                const double days = spec_.groups[info.group].waning_days;
                if (days > 0.0) {
                    // The unprotected stratum of the same group and dose follows the protected one.
                    d[i].susceptible[s] -= state[i].susceptible[s] / days;
                    d[i].susceptible[s + 1] += state[i].susceptible[s] / days;
                    d[i].recovered[s] -= state[i].recovered[s] / days;
                    d[i].recovered[s + 1] += state[i].recovered[s] / days;
                }
            }
            d[i].recovered[s] -= omega_infection * state[i].recovered[s];
            d[i].susceptible[s] += omega_infection * state[i].recovered[s];
        }
    }
    return d;
}

std::vector<ReferenceModel::Band> ReferenceModel::add(const std::vector<Band>& a, const std::vector<Band>& b,
                                                      double scale) {
    std::vector<Band> out = a;
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t s = 0; s < a[i].susceptible.size(); ++s) {
            out[i].susceptible[s] += scale * b[i].susceptible[s];
            out[i].recovered[s] += scale * b[i].recovered[s];
            for (std::size_t v = 0; v < a[i].exposed[s].size(); ++v) {
                out[i].exposed[s][v] += scale * b[i].exposed[s][v];
                out[i].infectious[s][v] += scale * b[i].infectious[s][v];
            }
        }
        out[i].dead += scale * b[i].dead;
        for (std::size_t v = 0; v < a[i].cumulative_infections.size(); ++v)
            out[i].cumulative_infections[v] += scale * b[i].cumulative_infections[v];
    }
    return out;
}

void ReferenceModel::advance(double days, int steps_per_day) {
    const int steps = std::max(1, static_cast<int>(days * steps_per_day + 0.5));
    const double h = days / steps;
    for (int k = 0; k < steps; ++k) {
        const auto k1 = derivative(bands_);
        const auto k2 = derivative(add(bands_, k1, h / 2));
        const auto k3 = derivative(add(bands_, k2, h / 2));
        const auto k4 = derivative(add(bands_, k3, h));
        bands_ = add(bands_, k1, h / 6);
        bands_ = add(bands_, k2, h / 3);
        bands_ = add(bands_, k3, h / 3);
        bands_ = add(bands_, k4, h / 6);
    }
}

}  // namespace doseflow::epidemic
