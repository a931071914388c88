#include "epidemic/country_epidemic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/binomial_distribution.hpp>
#include <fmt/format.h>

// The two hottest functions of a run, compiled for AVX2 and for any x86-64, picked when the program starts (GCC;
// clang refuses clones of a member function whose declaration lacks them, so its builds use one version).
#if defined(__GNUC__) && !defined(__clang__)
#define DOSEFLOW_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define DOSEFLOW_AVX2_CLONES
#endif

namespace doseflow::epidemic {
namespace {

void require(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument("country epidemic: " + message);
}

// Whole and fractional people leaving a compartment in a stochastic sub-step: the whole part binomially, the
// fractional part by its expectation, so that the compartment never goes negative and the totals are conserved.
struct Draw {
    double whole = 0.0;
    double fraction = 0.0;
    double total() const { return whole + fraction; }
};

double binomial(double trials, double probability, RandomEngine& rng) {
    if (trials <= 0.0 || probability <= 0.0) return 0.0;
    if (probability >= 1.0) return trials;
    boost::random::binomial_distribution<long long, double> distribution(static_cast<long long>(trials), probability);
    return static_cast<double>(distribution(rng));
}

Draw draw_leaving(double count, double probability, RandomEngine& rng) {
    const double whole = std::floor(std::max(count, 0.0));
    return {binomial(whole, probability, rng), (std::max(count, 0.0) - whole) * probability};
}

// Splits `leaving` among exits with the given rates (sequential conditional binomials), writing each exit's share.
void split_exits(const Draw& leaving, const double* rates, int exits, double rate_total, Draw* out, RandomEngine& rng) {
    double whole_left = leaving.whole;
    double rate_left = rate_total;
    for (int k = 0; k < exits; ++k) {
        const double share = rate_left > 0.0 ? std::min(1.0, rates[k] / rate_left) : 0.0;
        out[k].whole = k + 1 == exits ? whole_left : binomial(whole_left, share, rng);
        out[k].fraction = rate_total > 0.0 ? leaving.fraction * rates[k] / rate_total : 0.0;
        whole_left -= out[k].whole;
        rate_left -= rates[k];
    }
}

// Per-step exit probability of E and I. rate x dt (not 1 - exp(-rate dt)) makes the expected number of steps spent
// there exactly the mean latent or infectious period: with 1 - exp(-rate dt) people who enter during a step would
// stay on average half a step longer, which raises R0 by dt / (2 x infectious period) (3 % at 4 steps a day).
double sojourn_probability(double rate, double dt) { return std::min(1.0, rate * dt); }

// to += c k
void add_scaled(double* __restrict to, const double* __restrict k, double c, std::size_t n) {
    for (std::size_t e = 0; e < n; ++e) to[e] += c * k[e];
}

// to = from + c k
void scaled_sum(double* __restrict to, const double* __restrict from, const double* __restrict k, double c,
                std::size_t n) {
    for (std::size_t e = 0; e < n; ++e) to[e] = from[e] + c * k[e];
}

// Infection of S, progression of E and removal from I of one stratum and variant, across the age bands.
void infection_flows(int bands, double sigma, double latent_rate, double recovery_rate,
                     const double* __restrict lambda, const double* __restrict susceptible,
                     const double* __restrict exposed, const double* __restrict infectious,
                     const double* __restrict fatality, double* __restrict d_susceptible,
                     double* __restrict d_exposed, double* __restrict d_infectious, double* __restrict d_recovered,
                     double* __restrict d_dead, double* __restrict d_cumulative) {
    for (int b = 0; b < bands; ++b) {
        const double infection = sigma * lambda[b] * susceptible[b];
        const double progression = latent_rate * exposed[b];
        const double removal = recovery_rate * infectious[b];
        d_susceptible[b] -= infection;
        d_exposed[b] = infection - progression;
        d_infectious[b] = progression - removal;
        d_recovered[b] += removal * (1.0 - fatality[b]);
        d_dead[b] += removal * fatality[b];
        d_cumulative[b] += infection;
    }
}


// Seeding of one stratum (CountryEpidemic::seed_infections): the share of `placed` that falls on each band's
// susceptibles, capped by them, moved to exposed and counted.
void seed_flows(int bands, double sigma, double placed, double weight_total, const double* __restrict contact_weight,
                double* __restrict susceptible, double* __restrict exposed, double* __restrict cumulative,
                double* __restrict amounts) {
    for (int b = 0; b < bands; ++b) {
        const double share = sigma * contact_weight[b] * susceptible[b] / weight_total;
        const double amount = std::min(susceptible[b], placed * share);
        amounts[b] = amount;
        susceptible[b] -= amount;
        exposed[b] += amount;
        cumulative[b] += amount;
    }
}

}  // namespace

CountryEpidemic::CountryEpidemic(const ModelStructure& structure, CountryInputs inputs)
    : structure_(&structure),
      population_(std::move(inputs.population_by_band)),
      transmission_(std::move(inputs.transmission)) {
    const auto bands = static_cast<std::size_t>(structure.bands());
    require(population_.size() == bands,
            fmt::format("population_by_band has {} entries for {} age bands", population_.size(), bands));
    require(transmission_.size() == bands * bands,
            fmt::format("transmission has {} entries; {} x {} needed", transmission_.size(), bands, bands));
    require(inputs.fatality_ratio_by_band.size() == bands,
            fmt::format("fatality_ratio_by_band has {} entries for {} age bands",
                        inputs.fatality_ratio_by_band.size(), bands));
    for (double n : population_) require(n >= 0.0 && std::isfinite(n), "populations must be finite and >= 0");
    for (double t : transmission_) require(t >= 0.0 && std::isfinite(t), "transmission rates must be finite and >= 0");
    for (double f : inputs.fatality_ratio_by_band) require(f >= 0.0 && f <= 1.0, "fatality ratios must lie in [0, 1]");

    transmission_by_column_.resize(transmission_.size());
    for (std::size_t i = 0; i < bands; ++i)
        for (std::size_t j = 0; j < bands; ++j) transmission_by_column_[j * bands + i] = transmission_[i * bands + j];
    contact_weight_.assign(bands, 0.0);
    for (std::size_t i = 0; i < bands; ++i)
        for (std::size_t j = 0; j < bands; ++j) contact_weight_[i] += transmission_[i * bands + j];

    const int strata = structure.strata();
    const int variants = structure.variants();
    fatality_.resize(static_cast<std::size_t>(strata * variants) * bands);
    for (int s = 0; s < strata; ++s)
        for (int v = 0; v < variants; ++v)
            for (std::size_t b = 0; b < bands; ++b)
                fatality_[(s * variants + v) * bands + b] =
                    std::min(1.0, inputs.fatality_ratio_by_band[b] * structure.fatality_factor(s, v));

    state_.assign(structure.size(), 0.0);
    // Everybody starts susceptible and willing; callers set the willing share and seed infections.
    for (std::size_t b = 0; b < bands; ++b) state_[structure.s_index(ModelStructure::willing, static_cast<int>(b))] = population_[b];
    for (int s = 0; s < strata; ++s) all_strata_.strata.push_back(s);
    all_strata_.variant.assign(static_cast<std::size_t>(variants), 1);
    all_strata_.ranges = {{0, structure.size()}};
    all_strata_.segments = {{0, structure.block_size()}};
    alive_scratch_.resize(bands);
    pressure_scratch_.resize(static_cast<std::size_t>(variants) * bands);
    lambda_scratch_.resize(static_cast<std::size_t>(variants) * bands);
}

double CountryEpidemic::population() const { return std::accumulate(population_.begin(), population_.end(), 0.0); }

// ------------------------------------------------------------------------------------------------------ dynamics
CountryEpidemic::Activity CountryEpidemic::activity_of(const double* x) const {
    const ModelStructure& m = *structure_;
    Activity activity;
    const std::size_t block = m.block_size();
    std::vector<char> active(static_cast<std::size_t>(m.strata()), 0);
    for (int s = 0; s < m.strata(); ++s) {
        const double* begin = x + m.block_offset(s);
        if (std::any_of(begin, begin + block, [](double value) { return value != 0.0; })) active[s] = 1;
        if (active[s] && m.vaccine_waning_rate_per_day(s) > 0.0) active[s + 1] = 1;  // wanes into the next stratum
    }
    for (int s = 0; s < m.strata(); ++s)
        if (active[s]) activity.strata.push_back(s);
    activity.variant.assign(static_cast<std::size_t>(m.variants()), 0);
    for (int s : activity.strata)
        for (int v = 0; v < m.variants(); ++v) {
            const double* exposed = x + m.e_index(s, v, 0);
            const double* infectious = x + m.i_index(s, v, 0);
            for (int b = 0; b < m.bands() && !activity.variant[v]; ++b)
                if (exposed[b] != 0.0 || infectious[b] != 0.0) activity.variant[v] = 1;
        }
    // The parts of a block that can change: S, the E and I of the variants present, R (merged where adjacent).
    auto add = [](IndexRanges& ranges, std::size_t begin, std::size_t end) {
        if (!ranges.empty() && ranges.back().second == begin)
            ranges.back().second = end;
        else
            ranges.emplace_back(begin, end);
    };
    const auto bands = static_cast<std::size_t>(m.bands());
    add(activity.segments, 0, bands);
    for (int v = 0; v < m.variants(); ++v)
        if (activity.variant[v]) add(activity.segments, m.e_index(0, v, 0), m.e_index(0, v, 0) + bands);
    for (int v = 0; v < m.variants(); ++v)
        if (activity.variant[v]) add(activity.segments, m.i_index(0, v, 0), m.i_index(0, v, 0) + bands);
    add(activity.segments, m.r_index(0, 0), m.r_index(0, 0) + bands);
    for (int s : activity.strata)
        for (const auto& [begin, end] : activity.segments)
            add(activity.ranges, m.block_offset(s) + begin, m.block_offset(s) + end);
    add(activity.ranges, m.d_offset(), m.size());  // D and C
    return activity;
}

void CountryEpidemic::enter_stratum(int stratum) {
    // A stratum already active stays so (activity may over-cover: an emptied stratum only costs zero arithmetic).
    if (activity_valid_ && !std::binary_search(activity_.strata.begin(), activity_.strata.end(), stratum))
        activity_valid_ = false;
}

const CountryEpidemic::Activity& CountryEpidemic::current_activity() const {
    if (!activity_valid_) {
        activity_ = activity_of(state_.data());
        activity_valid_ = true;
    }
    return activity_;
}

void CountryEpidemic::force_of_infection(const double* x, double* lambda) const {
    force_of_infection_active(x, lambda, all_strata_);
}

void CountryEpidemic::force_of_infection_active(const double* x, double* lambda, const Activity& activity) const {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    const int variants = m.variants();
    double* alive = alive_scratch_.data();
    double* pressure = pressure_scratch_.data();
    const double* dead = x + m.d_offset();
    for (int b = 0; b < bands; ++b) alive[b] = population_[b] - dead[b];
    std::fill(pressure, pressure + variants * bands, 0.0);
    for (int s : activity.strata) {
        for (int v = 0; v < variants; ++v) {
            const double weight = m.infectiousness(s, v);
            if (weight == 0.0 || !activity.variant[v]) continue;
            const double* infectious = x + m.i_index(s, v, 0);
            double* p = pressure + v * bands;
            for (int b = 0; b < bands; ++b) p[b] += weight * infectious[b];
        }
    }
    // The denominator is the living population of the contact's band (Bubar et al. 2021, SPEC.md section 4.1).
    for (int v = 0; v < variants; ++v)
        for (int b = 0; b < bands; ++b) pressure[v * bands + b] = alive[b] > 0.0 ? pressure[v * bands + b] / alive[b] : 0.0;
    for (int v = 0; v < variants; ++v) {
        if (!activity.variant[v]) {
            std::fill(lambda + v * bands, lambda + (v + 1) * bands, 0.0);
            continue;
        }
        const double factor = transmission_factor_ * m.spec().variants[v].transmissibility;
        const double* p = pressure + v * bands;
        double* lam = lambda + v * bands;
        std::fill(lam, lam + bands, 0.0);
        for (int j = 0; j < bands; ++j)
            add_scaled(lam, transmission_by_column_.data() + j * bands, factor * p[j], bands);
    }
}

void CountryEpidemic::derivative(const State& state, State& dxdt) const {
    std::fill(dxdt.begin(), dxdt.end(), 0.0);
    derivative_active(state.data(), dxdt.data(), activity_of(state.data()));
}

void CountryEpidemic::derivative_active(const double* x, double* dx, const Activity& activity) const {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    const int variants = m.variants();
    const double latent_rate = m.latent_rate_per_day();
    const double recovery_rate = m.recovery_rate_per_day();
    const double immunity_waning = m.infection_waning_rate_per_day();
    const bool reinfection = m.any_reinfection();
    double* lambda = lambda_scratch_.data();
    force_of_infection_active(x, lambda, activity);
    for (const auto& [begin, end] : activity.ranges) std::fill(dx + begin, dx + end, 0.0);
    double* d_dead = dx + m.d_offset();
    for (int s : activity.strata) {
        const double* susceptible = x + m.s_index(s, 0);
        const double* recovered = x + m.r_index(s, 0);
        double* d_susceptible = dx + m.s_index(s, 0);
        double* d_recovered = dx + m.r_index(s, 0);
        for (int v = 0; v < variants; ++v) {
            if (!activity.variant[v]) continue;  // E and I of v are zero and stay so
            const double sigma = m.susceptibility(s, v);
            const double sigma_reinfection = sigma * m.reinfection(v);
            const double* lam = lambda + v * bands;
            const double* exposed = x + m.e_index(s, v, 0);
            const double* infectious = x + m.i_index(s, v, 0);
            const double* fatality = fatality_.data() + (s * variants + v) * bands;
            double* d_exposed = dx + m.e_index(s, v, 0);
            double* d_infectious = dx + m.i_index(s, v, 0);
            double* d_cumulative = dx + m.c_index(v, 0);
            infection_flows(bands, sigma, latent_rate, recovery_rate, lam, susceptible, exposed, infectious, fatality,
                            d_susceptible, d_exposed, d_infectious, d_recovered, d_dead, d_cumulative);
            if (reinfection && sigma_reinfection > 0.0) {
                for (int b = 0; b < bands; ++b) {
                    const double infection = sigma_reinfection * lam[b] * recovered[b];
                    d_recovered[b] -= infection;
                    d_exposed[b] += infection;
                    d_cumulative[b] += infection;
                }
            }
        }
        const double vaccine_waning = m.vaccine_waning_rate_per_day(s);
        if (vaccine_waning > 0.0) {  // protected -> unprotected of the same dose (the next stratum, kept active)
            double* next_susceptible = dx + m.s_index(s + 1, 0);
            double* next_recovered = dx + m.r_index(s + 1, 0);
            for (int b = 0; b < bands; ++b) {
                d_susceptible[b] -= vaccine_waning * susceptible[b];
                next_susceptible[b] += vaccine_waning * susceptible[b];
                d_recovered[b] -= vaccine_waning * recovered[b];
                next_recovered[b] += vaccine_waning * recovered[b];
            }
        }
        if (immunity_waning > 0.0) {
            for (int b = 0; b < bands; ++b) {
                d_recovered[b] -= immunity_waning * recovered[b];
                d_susceptible[b] += immunity_waning * recovered[b];
            }
        }
    }
}

namespace {

// How far inside its real stability limit a step is kept: the limit is for a pure decay, and the force of
// infection may grow within the step (it is doubled in the bound as well).
constexpr double stability_margin = 0.7;
// Accuracy: a step covers at most half an e-folding of progression or removal (RK4's relative error on such a
// decay is then below z^5/120 = 3e-4 a step); the default periods (3 and 5 days) take one step a day.
constexpr double accurate_rate_step = 0.5;
// A step whose result has a count below zero is halved up to this many times (2^12 pieces) before the run stops.
constexpr int max_halvings = 12;
// At most this many steps a day from the rate bound: 1e5 covers every rate the parameter ranges allow.
constexpr double max_steps_per_day = 1e5;

const ButcherTableau& tableau_of(Integrator method) {
    return method == Integrator::rk4      ? classical_rk4_tableau()
           : method == Integrator::dopri5 ? dormand_prince5_tableau()
                                          : fehlberg78_tableau();
}

void resize_if(std::vector<double>& v, std::size_t size) {
    if (v.size() < size) v.resize(size);
}

}  // namespace

void CountryEpidemic::advance_deterministic(double days, IntegratorSettings settings) {
    if (!own_workspace_) own_workspace_ = std::make_unique<IntegratorWorkspace>();
    advance_deterministic(days, settings, *own_workspace_);
}

void CountryEpidemic::advance_deterministic(double days, IntegratorSettings settings, IntegratorWorkspace& w) {
    if (settings.steps_per_day < 1) throw std::invalid_argument("advance_deterministic: steps_per_day must be >= 1");
    if (!(days > 0.0)) return;
    const ModelStructure& m = *structure_;
    const ButcherTableau& tableau = tableau_of(settings.method);
    const std::size_t size = m.size();
    if (w.stage_inputs.size() < static_cast<std::size_t>(tableau.stages)) w.stage_inputs.resize(tableau.stages);
    for (auto& input : w.stage_inputs) resize_if(input, size);
    resize_if(w.start, size);
    resize_if(w.next, size);
    resize_if(w.block, m.block_size());
    resize_if(w.tail, size - m.d_offset());
    resize_if(w.carry, 2 * static_cast<std::size_t>(m.bands()));
    resize_if(w.lambda, static_cast<std::size_t>(m.variants() * m.bands()));
    resize_if(w.pressure, static_cast<std::size_t>(m.variants() * m.bands()));
    resize_if(w.inverse_alive, static_cast<std::size_t>(m.bands()));

    // Nobody enters an unused stratum or catches an absent variant during the advance: the activity holds.
    const Activity& activity = current_activity();
    // The step is bounded for accuracy by progression and removal, and for stability by the fastest rate at which
    // people leave a compartment through the derivative: those two and infection (doubled: the force of
    // infection may grow within the day).
    stage_force_of_infection(state_.data(), w, activity);
    const double progression_or_removal = std::max(m.latent_rate_per_day(), m.recovery_rate_per_day());
    double fastest = progression_or_removal;
    for (int v = 0; v < m.variants(); ++v) {
        if (!activity.variant[v]) continue;
        double susceptibility = 0.0;
        for (int s : activity.strata)
            susceptibility = std::max(susceptibility, m.susceptibility(s, v) * std::max(1.0, m.reinfection(v)));
        const double* lambda = w.lambda.data() + v * m.bands();
        for (int b = 0; b < m.bands(); ++b) fastest = std::max(fastest, 2.0 * susceptibility * lambda[b]);
    }
    const double stable_rate_step = stability_margin * tableau.real_stability_limit;
    const double requested = std::max(1.0, std::round(days * settings.steps_per_day));
    const double needed = std::max(std::ceil(days * fastest / stable_rate_step),
                                   std::ceil(days * progression_or_removal / accurate_rate_step));
    if (!(needed <= max_steps_per_day * std::max(1.0, days)))
        throw ImpossibleState(fmt::format("a rate of {:.6g} per day needs more than {:.0f} integration steps a day",
                                          fastest, max_steps_per_day));
    const int steps = static_cast<int>(std::max(requested, needed));
    const double h = days / steps;
    for (int k = 0; k < steps; ++k) step_or_halve(h, tableau, w, activity, 0);
}

void CountryEpidemic::step_or_halve(double h, const ButcherTableau& tableau, IntegratorWorkspace& w,
                                    const Activity& activity, int depth) {
    if (try_step(h, tableau, w, activity)) return;
    if (depth >= max_halvings) {
        // Report the worst count of the rejected step.
        const double* x = w.next.data();
        std::size_t worst = 0;
        double worst_value = 0.0;
        for (std::size_t k = 0; k < structure_->size(); ++k)
            if (!std::isfinite(x[k]) || x[k] < worst_value) {
                worst = k;
                worst_value = x[k];
                if (!std::isfinite(x[k])) break;
            }
        throw ImpossibleState(fmt::format("{} = {:.6g} after halving the integration step {} times",
                                          describe_index(worst), worst_value, max_halvings));
    }
    step_or_halve(h / 2, tableau, w, activity, depth + 1);
    step_or_halve(h / 2, tableau, w, activity, depth + 1);
}

DOSEFLOW_AVX2_CLONES void CountryEpidemic::stage_force_of_infection(const double* x, IntegratorWorkspace& w,
                                               const Activity& activity) const {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    const int variants = m.variants();
    double* pressure = w.pressure.data();
    double* lambda = w.lambda.data();
    const double* dead = x + m.d_offset();
    // The denominator is the living population of the contact's band (Bubar et al. 2021).
    double* inverse_alive = w.inverse_alive.data();
    for (int b = 0; b < bands; ++b) {
        const double alive = population_[b] - dead[b];
        inverse_alive[b] = alive > 0.0 ? 1.0 / alive : 0.0;
    }
    for (int v = 0; v < variants; ++v) {
        double* p = pressure + v * bands;
        std::fill(p, p + bands, 0.0);
        if (!activity.variant[v]) {
            std::fill(lambda + v * bands, lambda + (v + 1) * bands, 0.0);
            continue;
        }
        for (int s : activity.strata) {
            const double weight = m.infectiousness(s, v);
            if (weight == 0.0) continue;
            const double* infectious = x + m.i_index(s, v, 0);
            for (int b = 0; b < bands; ++b) p[b] += weight * infectious[b];
        }
        for (int b = 0; b < bands; ++b) p[b] *= inverse_alive[b];
        // Column by column, so that the sum over contacts runs across bands in vector lanes.
        const double factor = transmission_factor_ * m.spec().variants[v].transmissibility;
        double* lam = lambda + v * bands;
        std::fill(lam, lam + bands, 0.0);
        for (int j = 0; j < bands; ++j)
            add_scaled(lam, transmission_by_column_.data() + j * bands, factor * p[j], bands);
    }
}

void CountryEpidemic::apply_fast_waning(double* x, double days, const Activity& activity, double slowest_split) const {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    // Vaccine waning (protected -> unprotected of the same dose, S and R alike) and infection-immunity waning
    // (R -> S within a stratum) act on different indices of the same people and commute, so applying one exactly
    // after the other is the exact solution of both together.
    for (int s : activity.strata) {
        const double rate = m.vaccine_waning_rate_per_day(s);
        if (rate <= 0.0 || rate < slowest_split) continue;
        const double kept = std::exp(-rate * days);
        for (std::size_t from : {m.s_index(s, 0), m.r_index(s, 0)}) {
            const std::size_t to = from + m.block_size();  // the same compartment of the next stratum
            for (int b = 0; b < bands; ++b) {
                const double moved = x[from + b] * (1.0 - kept);
                x[from + b] -= moved;
                x[to + b] += moved;
            }
        }
    }
    const double immunity = m.infection_waning_rate_per_day();
    if (immunity > 0.0 && immunity >= slowest_split) {
        const double kept = std::exp(-immunity * days);
        for (int s : activity.strata) {
            double* susceptible = x + m.s_index(s, 0);
            double* recovered = x + m.r_index(s, 0);
            for (int b = 0; b < bands; ++b) {
                const double moved = recovered[b] * (1.0 - kept);
                recovered[b] -= moved;
                susceptible[b] += moved;
            }
        }
    }
}

// Built for AVX2 as well as the baseline, chosen when the program loads: four doubles a vector instead of two.
// Without fused multiply-add (not enabled, and ISO C++ mode does not contract), both give the same bytes.
DOSEFLOW_AVX2_CLONES bool CountryEpidemic::try_step(double h, const ButcherTableau& tableau, IntegratorWorkspace& w,
                               const Activity& activity) {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    const int variants = m.variants();
    const std::size_t tail_begin = m.d_offset();
    const std::size_t tail_size = m.size() - tail_begin;
    const double latent_rate = m.latent_rate_per_day();
    const double recovery_rate = m.recovery_rate_per_day();
    const bool reinfection = m.any_reinfection();
    // Waning faster than the step can take is moved exactly, half before and half after the step.
    const double slowest_split = stability_margin * tableau.real_stability_limit / h;
    const double immunity_waning = m.infection_waning_rate_per_day();
    bool any_split = immunity_waning >= slowest_split && immunity_waning > 0.0;
    for (int s : activity.strata)
        any_split = any_split || m.vaccine_waning_rate_per_day(s) >= slowest_split;
    const double immunity_in_step = immunity_waning < slowest_split ? immunity_waning : 0.0;

    const double* x0 = state_.data();
    if (any_split) {
        for (const auto& [begin, end] : activity.ranges) std::copy(x0 + begin, x0 + end, w.start.data() + begin);
        apply_fast_waning(w.start.data(), h / 2, activity, slowest_split);
        x0 = w.start.data();
    }

    double* next = w.next.data();
    const int stages = tableau.stages;
    for (int i = 0; i < stages; ++i) {
        const double* y = i == 0 ? x0 : w.stage_inputs[i].data();
        stage_force_of_infection(y, w, activity);
        // Where stage i's derivative goes: the inputs of the later stages and the solution. The first stage to
        // write a target starts it from x0, so that nothing needs clearing.
        struct Target {
            double* to;
            double coefficient;
            bool first;
        };
        Target targets[32];
        int target_count = 0;
        for (int later = i + 1; later < stages; ++later) {
            const double a = tableau.a[later][i];
            if (a == 0.0) continue;
            bool first = true;
            for (int j = 0; j < i; ++j) first = first && tableau.a[later][j] == 0.0;
            targets[target_count++] = {w.stage_inputs[later].data(), h * a, first};
        }
        if (tableau.b[i] != 0.0) {
            bool first = true;
            for (int j = 0; j < i; ++j) first = first && tableau.b[j] == 0.0;
            targets[target_count++] = {next, h * tableau.b[i], first};
        }
        auto fold = [&](const double* k, std::size_t begin, std::size_t count) {
            for (int t = 0; t < target_count; ++t) {
                if (targets[t].first)
                    scaled_sum(targets[t].to + begin, x0 + begin, k, targets[t].coefficient, count);
                else
                    add_scaled(targets[t].to + begin, k, targets[t].coefficient, count);
            }
        };

        double* tail = w.tail.data();
        std::fill(tail, tail + tail_size, 0.0);
        double* d_dead = tail;
        double* carry_susceptible = w.carry.data();
        double* carry_recovered = carry_susceptible + bands;
        int carry_to = -1;
        const double* lambda_all = w.lambda.data();
        for (int s : activity.strata) {
            double* k = w.block.data();
            const double* susceptible = y + m.s_index(s, 0);
            const double* recovered = y + m.r_index(s, 0);
            double* d_susceptible = k;
            double* d_recovered = k + (1 + 2 * variants) * bands;
            if (carry_to == s) {
                std::copy(carry_susceptible, carry_susceptible + bands, d_susceptible);
                std::copy(carry_recovered, carry_recovered + bands, d_recovered);
            } else {
                std::fill(d_susceptible, d_susceptible + bands, 0.0);
                std::fill(d_recovered, d_recovered + bands, 0.0);
            }
            carry_to = -1;
            for (int v = 0; v < variants; ++v) {
                double* d_exposed = k + (1 + v) * bands;
                double* d_infectious = k + (1 + variants + v) * bands;
                if (!activity.variant[v]) continue;  // E and I of v are zero and stay so (outside the segments)
                const double sigma = m.susceptibility(s, v);
                const double sigma_reinfection = sigma * m.reinfection(v);
                const double* lambda = lambda_all + v * bands;
                const double* exposed = y + m.e_index(s, v, 0);
                const double* infectious = y + m.i_index(s, v, 0);
                const double* fatality = fatality_.data() + (s * variants + v) * bands;
                double* d_cumulative = tail + (1 + v) * bands;
                infection_flows(bands, sigma, latent_rate, recovery_rate, lambda, susceptible, exposed, infectious,
                                fatality, d_susceptible, d_exposed, d_infectious, d_recovered, d_dead, d_cumulative);
                if (reinfection && sigma_reinfection > 0.0) {
                    for (int b = 0; b < bands; ++b) {
                        const double infection = sigma_reinfection * lambda[b] * recovered[b];
                        d_recovered[b] -= infection;
                        d_exposed[b] += infection;
                        d_cumulative[b] += infection;
                    }
                }
            }
            const double vaccine_waning = m.vaccine_waning_rate_per_day(s);
            if (vaccine_waning > 0.0 && vaccine_waning < slowest_split) {  // into the next stratum, processed next
                for (int b = 0; b < bands; ++b) {
                    carry_susceptible[b] = vaccine_waning * susceptible[b];
                    carry_recovered[b] = vaccine_waning * recovered[b];
                    d_susceptible[b] -= carry_susceptible[b];
                    d_recovered[b] -= carry_recovered[b];
                }
                carry_to = s + 1;
            }
            if (immunity_in_step > 0.0) {
                for (int b = 0; b < bands; ++b) {
                    d_recovered[b] -= immunity_in_step * recovered[b];
                    d_susceptible[b] += immunity_in_step * recovered[b];
                }
            }
            for (const auto& [begin, end] : activity.segments) fold(k + begin, m.block_offset(s) + begin, end - begin);
        }
        fold(tail, tail_begin, tail_size);
    }
    if (any_split) apply_fast_waning(next, h / 2, activity, slowest_split);

    // Accept only a state that can happen; differences of rounding size below zero are rounding, set to zero.
    const double rounding = 1e-12 * std::max(1.0, population());
    int impossible = 0;
    for (const auto& [begin, end] : activity.ranges)
        for (std::size_t k = begin; k < end; ++k) impossible |= !(next[k] >= -rounding);  // NaN fails too
    if (impossible) return false;
    for (const auto& [begin, end] : activity.ranges)
        for (std::size_t k = begin; k < end; ++k) state_[k] = std::max(0.0, next[k]);
    return true;
}

std::string CountryEpidemic::describe_index(std::size_t index) const {
    const ModelStructure& m = *structure_;
    if (index >= m.c_offset()) {
        const auto at = index - m.c_offset();
        return fmt::format("cumulative infections (variant '{}', age band {})",
                           m.spec().variants[at / m.bands()].id, at % m.bands() + 1);
    }
    if (index >= m.d_offset()) return fmt::format("deaths (age band {})", index - m.d_offset() + 1);
    const auto stratum = static_cast<int>(index / m.block_size());
    const auto within = index % m.block_size();
    const auto row = within / m.bands();
    const auto band = within % m.bands() + 1;
    const auto variants = static_cast<std::size_t>(m.variants());
    const Stratum& st = m.stratum(stratum);
    std::string where = st.kind == StratumKind::willing     ? "unvaccinated willing"
                        : st.kind == StratumKind::unwilling ? "unvaccinated unwilling"
                                                            : fmt::format("vaccine group '{}' dose {} {}",
                                                                          m.spec().groups[st.group].name, st.dose,
                                                                          st.kind == StratumKind::protected_
                                                                              ? "protected"
                                                                              : "unprotected");
    std::string compartment = row == 0             ? "susceptible"
                              : row <= variants     ? fmt::format("exposed to '{}'", m.spec().variants[row - 1].id)
                              : row <= 2 * variants ? fmt::format("infectious with '{}'",
                                                                  m.spec().variants[row - 1 - variants].id)
                                                    : "recovered";
    return fmt::format("{} people ({}, age band {})", compartment, where, band);
}

void CountryEpidemic::advance_stochastic(double days, int steps, RandomEngine& rng) {
    if (steps < 1) throw std::invalid_argument("advance_stochastic: steps must be >= 1");
    const double dt = days / steps;
    for (int k = 0; k < steps; ++k) stochastic_substep(dt, rng);
    activity_valid_ = false;  // waning may have reached a stratum that was empty
}

void CountryEpidemic::stochastic_substep(double dt, RandomEngine& rng) {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    const int variants = m.variants();
    const int strata = m.strata();
    const double latent_rate = m.latent_rate_per_day();
    const double recovery_rate = m.recovery_rate_per_day();
    const double immunity_waning = m.infection_waning_rate_per_day();
    double* lambda = lambda_scratch_.data();
    force_of_infection(state_.data(), lambda);  // every stratum: the chain is not the performance path
    delta_scratch_.assign(state_.size(), 0.0);
    double* delta = delta_scratch_.data();
    const double* x = state_.data();
    // Exits of S and R: one per variant (infection), then vaccine waning, then (R only) immunity waning.
    std::vector<double> rates(static_cast<std::size_t>(variants) + 2);
    std::vector<Draw> outs(rates.size());
    for (int s = 0; s < strata; ++s) {
        const double vaccine_waning = m.vaccine_waning_rate_per_day(s);
        for (int b = 0; b < bands; ++b) {
            for (int compartment = 0; compartment < 2; ++compartment) {  // 0: S, 1: R
                const bool is_r = compartment == 1;
                const std::size_t from = is_r ? m.r_index(s, b) : m.s_index(s, b);
                double rate_total = 0.0;
                for (int v = 0; v < variants; ++v) {
                    const double reinfection = is_r ? m.reinfection(v) : 1.0;
                    rates[v] = m.susceptibility(s, v) * reinfection * lambda[v * bands + b];
                    rate_total += rates[v];
                }
                rates[variants] = vaccine_waning;
                rates[variants + 1] = is_r ? immunity_waning : 0.0;
                rate_total += rates[variants] + rates[variants + 1];
                if (rate_total <= 0.0 || x[from] <= 0.0) continue;
                const Draw leaving = draw_leaving(x[from], -std::expm1(-rate_total * dt), rng);
                split_exits(leaving, rates.data(), variants + 2, rate_total, outs.data(), rng);
                delta[from] -= leaving.total();
                for (int v = 0; v < variants; ++v) {
                    delta[m.e_index(s, v, b)] += outs[v].total();
                    delta[m.c_index(v, b)] += outs[v].total();
                }
                if (outs[variants].total() > 0.0)
                    delta[is_r ? m.r_index(s + 1, b) : m.s_index(s + 1, b)] += outs[variants].total();
                if (outs[variants + 1].total() > 0.0) delta[m.s_index(s, b)] += outs[variants + 1].total();
            }
            for (int v = 0; v < variants; ++v) {
                const std::size_t e = m.e_index(s, v, b);
                const Draw progressing = draw_leaving(x[e], sojourn_probability(latent_rate, dt), rng);
                delta[e] -= progressing.total();
                delta[m.i_index(s, v, b)] += progressing.total();
                const std::size_t i = m.i_index(s, v, b);
                const Draw removed = draw_leaving(x[i], sojourn_probability(recovery_rate, dt), rng);
                const double f = fatality_[(s * variants + v) * bands + b];
                const Draw died{binomial(removed.whole, f, rng), removed.fraction * f};
                delta[i] -= removed.total();
                delta[m.d_index(b)] += died.total();
                delta[m.r_index(s, b)] += removed.total() - died.total();
            }
        }
    }
    for (std::size_t k = 0; k < state_.size(); ++k) state_[k] = std::max(0.0, state_[k] + delta[k]);
}

// --------------------------------------------------------------------------------------------------- vaccination
namespace {

struct Transfer {
    int from = 0;
    int to_protected = 0;
    int to_unprotected = 0;
    double protected_share = 1.0;
};

// Where dose `dose` of `group` takes people from and to. All-or-nothing: the efficacy share of the newly
// vaccinated is protected; after a further dose, those already protected stay so and the unprotected are
// protected with the probability that raises the protected share to the new efficacy. Leaky: all are protected.
std::vector<Transfer> transfers(const ModelStructure& m, int group, int dose) {
    const auto& spec = m.spec().groups.at(static_cast<std::size_t>(group));
    const double efficacy = spec.efficacy_infection_by_dose.at(static_cast<std::size_t>(dose - 1));
    const bool leaky = m.spec().leaky;
    const int to_protected = m.protected_stratum(group, dose);
    const int to_unprotected = m.unprotected_stratum(group, dose);
    if (dose == 1) return {{ModelStructure::willing, to_protected, to_unprotected, leaky ? 1.0 : efficacy}};
    const double previous = spec.efficacy_infection_by_dose[static_cast<std::size_t>(dose - 2)];
    const double raised = previous < 1.0 ? std::clamp((efficacy - previous) / (1.0 - previous), 0.0, 1.0) : efficacy;
    return {{m.protected_stratum(group, dose - 1), to_protected, to_unprotected, 1.0},
            {m.unprotected_stratum(group, dose - 1), to_protected, to_unprotected, leaky ? 1.0 : raised}};
}

void check_dose(const ModelStructure& m, int group, int dose, int band) {
    if (group < 0 || group >= static_cast<int>(m.spec().groups.size()))
        throw std::invalid_argument(fmt::format("vaccination: no vaccine group {}", group));
    const int doses = m.spec().groups[static_cast<std::size_t>(group)].doses();
    if (dose < 1 || dose > doses)
        throw std::invalid_argument(fmt::format("vaccination: vaccine group '{}' has efficacies for doses 1..{}, not {}",
                                                m.spec().groups[static_cast<std::size_t>(group)].name, doses, dose));
    if (band < 0 || band >= m.bands()) throw std::invalid_argument(fmt::format("vaccination: no age band {}", band));
}

}  // namespace

double CountryEpidemic::eligible_in(int stratum, int band) const {
    const ModelStructure& m = *structure_;
    double total = state_[m.s_index(stratum, band)] + state_[m.r_index(stratum, band)];
    for (int v = 0; v < m.variants(); ++v) total += state_[m.e_index(stratum, v, band)];
    return total;
}

double CountryEpidemic::eligible(int group, int dose, int band) const {
    check_dose(*structure_, group, dose, band);
    double total = 0.0;
    for (const Transfer& t : transfers(*structure_, group, dose)) total += eligible_in(t.from, band);
    return total;
}

void CountryEpidemic::move_share(int from, int to, int band, double share) {
    if (share <= 0.0) return;
    enter_stratum(to);
    const ModelStructure& m = *structure_;
    auto move = [&](std::size_t a, std::size_t b) {
        const double amount = state_[a] * share;
        state_[a] -= amount;
        state_[b] += amount;
    };
    move(m.s_index(from, band), m.s_index(to, band));
    for (int v = 0; v < m.variants(); ++v) move(m.e_index(from, v, band), m.e_index(to, v, band));
    move(m.r_index(from, band), m.r_index(to, band));
}

void CountryEpidemic::move_share_all(int from, int to, int band, double share) {
    move_share(from, to, band, share);
    if (share <= 0.0) return;
    const ModelStructure& m = *structure_;
    for (int v = 0; v < m.variants(); ++v) {
        const double amount = state_[m.i_index(from, v, band)] * share;
        state_[m.i_index(from, v, band)] -= amount;
        state_[m.i_index(to, v, band)] += amount;
    }
}

void CountryEpidemic::vaccinate_fraction(int group, int dose, int band, double fraction) {
    check_dose(*structure_, group, dose, band);
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw std::invalid_argument(fmt::format("vaccinate_fraction: fraction {} outside [0, 1]", fraction));
    if (fraction <= 0.0) return;
    for (const Transfer& t : transfers(*structure_, group, dose)) {
        enter_stratum(t.to_protected);
        enter_stratum(t.to_unprotected);
        // Split the moved share between the protected and unprotected strata in one pass each, so that the
        // source keeps exactly (1 - fraction) of every compartment.
        const double to_protected = fraction * t.protected_share;
        const double to_unprotected = fraction * (1.0 - t.protected_share);
        const ModelStructure& m = *structure_;
        auto move = [&](std::size_t a, std::size_t p, std::size_t u) {
            const double amount = state_[a];
            state_[a] = amount * (1.0 - fraction);
            state_[p] += amount * to_protected;
            state_[u] += amount * to_unprotected;
        };
        move(m.s_index(t.from, band), m.s_index(t.to_protected, band), m.s_index(t.to_unprotected, band));
        for (int v = 0; v < m.variants(); ++v)
            move(m.e_index(t.from, v, band), m.e_index(t.to_protected, v, band), m.e_index(t.to_unprotected, v, band));
        move(m.r_index(t.from, band), m.r_index(t.to_protected, band), m.r_index(t.to_unprotected, band));
    }
}

double CountryEpidemic::vaccinate(int group, int dose, int band, double people) {
    if (people <= 0.0) return 0.0;
    const double available = eligible(group, dose, band);
    if (available <= 0.0) return 0.0;
    const double placed = std::min(people, available);
    vaccinate_fraction(group, dose, band, std::min(1.0, placed / available));
    return placed;
}

void CountryEpidemic::set_willing_share(int band, double share) {
    if (!(share >= 0.0 && share <= 1.0))
        throw std::invalid_argument(fmt::format("set_willing_share: share {} outside [0, 1]", share));
    const ModelStructure& m = *structure_;
    auto stratum_total = [&](int s) {
        double total = state_[m.s_index(s, band)] + state_[m.r_index(s, band)];
        for (int v = 0; v < m.variants(); ++v)
            total += state_[m.e_index(s, v, band)] + state_[m.i_index(s, v, band)];
        return total;
    };
    double vaccinated = 0.0;
    for (int s = 2; s < m.strata(); ++s) vaccinated += stratum_total(s);
    move_to_willing_share(band, share, stratum_total(ModelStructure::willing),
                          stratum_total(ModelStructure::unwilling), vaccinated);
}

void CountryEpidemic::set_willing_shares(const std::vector<double>& share_by_band) {
    const ModelStructure& m = *structure_;
    const int bands = m.bands();
    if (static_cast<int>(share_by_band.size()) != bands)
        throw std::invalid_argument(
            fmt::format("set_willing_shares: {} shares for {} age bands", share_by_band.size(), bands));
    for (double share : share_by_band)
        if (!(share >= 0.0 && share <= 1.0))
            throw std::invalid_argument(fmt::format("set_willing_shares: share {} outside [0, 1]", share));
    // The living people of each stream, all bands at once over the strata in use (the others hold nobody), in
    // the order set_willing_share adds them.
    band_totals_.assign(4 * static_cast<std::size_t>(bands), 0.0);
    double* willing = band_totals_.data();
    double* unwilling = willing + bands;
    double* vaccinated = unwilling + bands;
    double* total = vaccinated + bands;
    const Activity& activity = current_activity();
    for (int s : activity.strata) {
        double* into = s == ModelStructure::willing ? willing : s == ModelStructure::unwilling ? unwilling : vaccinated;
        const double* susceptible = state_.data() + m.s_index(s, 0);
        const double* recovered = state_.data() + m.r_index(s, 0);
        for (int b = 0; b < bands; ++b) total[b] = susceptible[b] + recovered[b];
        for (int v = 0; v < m.variants(); ++v) {
            if (!activity.variant[v]) continue;  // E and I of v are zero
            const double* exposed = state_.data() + m.e_index(s, v, 0);
            const double* infectious = state_.data() + m.i_index(s, v, 0);
            for (int b = 0; b < bands; ++b) total[b] += exposed[b] + infectious[b];
        }
        for (int b = 0; b < bands; ++b) into[b] += total[b];
    }
    for (int b = 0; b < bands; ++b) move_to_willing_share(b, share_by_band[b], willing[b], unwilling[b], vaccinated[b]);
}

void CountryEpidemic::move_to_willing_share(int band, double share, double willing, double unwilling,
                                            double vaccinated) {
    const double target = std::clamp(share * alive(band) - vaccinated, 0.0, willing + unwilling);
    if (target > willing && unwilling > 0.0)
        move_share_all(ModelStructure::unwilling, ModelStructure::willing, band, (target - willing) / unwilling);
    else if (target < willing && willing > 0.0)
        move_share_all(ModelStructure::willing, ModelStructure::unwilling, band, (willing - target) / willing);
}

double CountryEpidemic::seed_infections(int variant, double people) {
    const ModelStructure& m = *structure_;
    if (variant < 0 || variant >= m.variants())
        throw std::invalid_argument(fmt::format("seed_infections: no variant {}", variant));
    if (people <= 0.0) return 0.0;
    const std::vector<int>& strata = current_activity().strata;  // the others hold nobody
    const int bands = m.bands();
    double susceptible_total = 0.0;
    double weight_total = 0.0;
    for (int s : strata) {
        const double sigma = m.susceptibility(s, variant);
        const double* susceptible = state_.data() + m.s_index(s, 0);
        for (int b = 0; b < bands; ++b) {
            susceptible_total += sigma > 0.0 ? susceptible[b] : 0.0;
            weight_total += sigma * contact_weight_[b] * susceptible[b];
        }
    }
    if (weight_total <= 0.0) return 0.0;
    const double placed = std::min(people, susceptible_total);
    // Proportional shares, each capped by its compartment; a cap (possible only when nearly everybody is infected)
    // leaves part unplaced rather than emptying a compartment below zero. The amounts are formed first (in vector
    // lanes) and added up after, in the same order as they are placed.
    import_scratch_.resize(strata.size() * static_cast<std::size_t>(bands));
    double* cumulative = state_.data() + m.c_index(variant, 0);
    for (std::size_t k = 0; k < strata.size(); ++k) {
        const int s = strata[k];
        const double sigma = m.susceptibility(s, variant);
        seed_flows(bands, sigma, placed, weight_total, contact_weight_.data(), state_.data() + m.s_index(s, 0),
                   state_.data() + m.e_index(s, variant, 0), cumulative, import_scratch_.data() + k * bands);
    }
    double done = 0.0;
    for (std::size_t k = 0; k < strata.size() * static_cast<std::size_t>(bands); ++k) done += import_scratch_[k];
    // Seeding moves people within active strata; a variant new here widens the ranges the integrator works on.
    if (activity_valid_ && done > 0.0 && !activity_.variant[static_cast<std::size_t>(variant)]) activity_valid_ = false;
    return done;
}

// ----------------------------------------------------------------------------------------------------- summaries
double CountryEpidemic::alive(int band) const { return population_[band] - deaths(band); }

double CountryEpidemic::deaths_total() const {
    const auto* d = state_.data() + structure_->d_offset();
    return std::accumulate(d, d + structure_->bands(), 0.0);
}

double CountryEpidemic::infectious_total() const {
    double total = 0.0;
    for (int v = 0; v < structure_->variants(); ++v) total += infectious_total(v);
    return total;
}

double CountryEpidemic::infectious_total(int variant) const {
    const ModelStructure& m = *structure_;
    double total = 0.0;
    for (int s : current_activity().strata)
        for (int b = 0; b < m.bands(); ++b) total += state_[m.i_index(s, variant, b)];
    return total;
}

double CountryEpidemic::cumulative_infections_total() const {
    const auto* c = state_.data() + structure_->c_offset();
    return std::accumulate(c, state_.data() + state_.size(), 0.0);
}

double CountryEpidemic::cumulative_infections(int variant) const {
    const auto* c = state_.data() + structure_->c_index(variant, 0);
    return std::accumulate(c, c + structure_->bands(), 0.0);
}

double CountryEpidemic::recovered_or_dead_total() const {
    const ModelStructure& m = *structure_;
    double total = deaths_total();
    for (int s : current_activity().strata)
        for (int b = 0; b < m.bands(); ++b) total += state_[m.r_index(s, b)];
    return total;
}

double CountryEpidemic::new_infection_rate_per_day() const {
    const ModelStructure& m = *structure_;
    std::vector<double> lambda(static_cast<std::size_t>(m.variants() * m.bands()));
    force_of_infection(state_.data(), lambda.data());
    double total = 0.0;
    for (int s : current_activity().strata)
        for (int v = 0; v < m.variants(); ++v)
            for (int b = 0; b < m.bands(); ++b) {
                const double at_risk = state_[m.s_index(s, b)] + m.reinfection(v) * state_[m.r_index(s, b)];
                total += m.susceptibility(s, v) * lambda[static_cast<std::size_t>(v * m.bands() + b)] * at_risk;
            }
    return total;
}

double CountryEpidemic::weighted_infectious() const {
    const ModelStructure& m = *structure_;
    double total = 0.0;
    for (int s : current_activity().strata)
        for (int v = 0; v < m.variants(); ++v)
            for (int b = 0; b < m.bands(); ++b) total += m.infectiousness(s, v) * state_[m.i_index(s, v, b)];
    return total;
}

CountryEpidemic::Summary CountryEpidemic::summarise() const {
    Summary summary;
    summarise(summary);
    return summary;
}

void CountryEpidemic::summarise(Summary& summary) const {
    const ModelStructure& m = *structure_;
    const Activity& activity = current_activity();
    const int bands = m.bands();
    const int variants = m.variants();
    summary.infectious_by_variant.assign(static_cast<std::size_t>(variants), 0.0);
    summary.cumulative_infections_by_variant.assign(static_cast<std::size_t>(variants), 0.0);
    summary.weighted_infectious = 0.0;
    summary.new_infection_rate_per_day = 0.0;
    double* lambda = lambda_scratch_.data();
    force_of_infection_active(state_.data(), lambda, activity);
    for (int s : activity.strata) {
        for (int v = 0; v < variants; ++v) {
            if (!activity.variant[v]) continue;
            const double* infectious = state_.data() + m.i_index(s, v, 0);
            const double* susceptible = state_.data() + m.s_index(s, 0);
            const double* recovered = state_.data() + m.r_index(s, 0);
            const double* lam = lambda + v * bands;
            const double reinfection = m.reinfection(v);
            double infectious_sum = 0.0, rate = 0.0;
            for (int b = 0; b < bands; ++b) {
                infectious_sum += infectious[b];
                rate += lam[b] * (susceptible[b] + reinfection * recovered[b]);
            }
            summary.infectious_by_variant[v] += infectious_sum;
            summary.weighted_infectious += m.infectiousness(s, v) * infectious_sum;
            summary.new_infection_rate_per_day += m.susceptibility(s, v) * rate;
        }
    }
    for (int v = 0; v < variants; ++v) summary.cumulative_infections_by_variant[v] = cumulative_infections(v);
    summary.deaths = deaths_total();
}

}  // namespace doseflow::epidemic
