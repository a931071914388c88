#pragma once
// One country's age-structured SEIR-V epidemic: the single model definition (force of infection, transition
// rates, vaccination transfers) that both the world simulation (EpidemicModel) and the reproduction of Bubar et
// al. 2021 run, deterministically (an explicit Runge-Kutta integrator on the ODE) or stochastically (a binomial
// chain on the same per-capita rates).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "epidemic/integrator.hpp"
#include "epidemic/structure.hpp"

namespace doseflow::epidemic {

struct CountryInputs {
    std::vector<double> population_by_band;      // persons; constant (deaths are counted in D)
    std::vector<double> transmission;            // bands x bands, row-major: infections per day of one fully
                                                 // susceptible person in band i per unit infectious share of band j
    std::vector<double> fatality_ratio_by_band;  // infection fatality ratio (fraction), ancestral variant
};

enum class Integrator {
    rk4,    // classical fourth-order Runge-Kutta
    dopri5, // Dormand-Prince, fifth order, six evaluations a step
    rkf78,  // Runge-Kutta-Fehlberg 7(8), used here as a fixed-step eighth-order method
};

struct IntegratorSettings {
    Integrator method = Integrator::rk4;
    int steps_per_day = 1;  // at least this many steps a day; more where a rate is too fast for the step
};

// Scratch memory of the deterministic integrator: the stage inputs, the solution being formed and the per-stage
// force of infection. One per thread is enough; CountryEpidemic keeps its own for callers that pass none.
struct IntegratorWorkspace {
    std::vector<std::vector<double>> stage_inputs;  // [stage][state index], stages 2..s
    std::vector<double> start;                      // the step's start after the first half of fast waning
    std::vector<double> next;                       // the solution at the end of the step
    std::vector<double> block;                      // one stratum's derivative
    std::vector<double> tail;                       // derivative of D and C
    std::vector<double> carry;                      // waning flow into the next stratum (S then R)
    std::vector<double> lambda, pressure, inverse_alive;
};

// A state that cannot happen (a negative, infinite or undefined count) that halving the step did not avoid.
class ImpossibleState : public std::runtime_error {
public:
    explicit ImpossibleState(const std::string& what) : std::runtime_error(what) {}
};

class CountryEpidemic {
public:
    using State = std::vector<double>;

    // `structure` must outlive this object. Throws std::invalid_argument on sizes that do not match the structure,
    // negative populations or transmissions, or fatality ratios outside [0, 1].
    CountryEpidemic(const ModelStructure& structure, CountryInputs inputs);

    const ModelStructure& structure() const { return *structure_; }
    const State& state() const { return state_; }
    State& state() {  // direct access for setting initial conditions; the strata in use are found again
        activity_valid_ = false;
        return state_;
    }
    const std::vector<double>& population_by_band() const { return population_; }
    double population() const;

    // ------------------------------------------------------------------------------------------------ dynamics
    // Multiplier of the force of infection for the next advance (seasonality); 1 by default.
    void set_transmission_factor(double factor) { transmission_factor_ = factor; }
    // lambda[v * bands + b]: per-capita infection rate of a fully susceptible person in band b by variant v.
    void force_of_infection(const double* x, double* lambda) const;
    void derivative(const State& x, State& dxdt) const;
    // Explicit Runge-Kutta, stable and non-negative for any rates: the day is cut into as many steps as the
    // fastest of progression, removal and infection needs to stay inside the method's stability region; vaccine
    // and infection-immunity waning too fast for that step are moved exactly (exponential transfer, Strang
    // splitting); a step that still yields a negative or non-finite count is halved, up to 2^12 times, before
    // ImpossibleState is thrown.
    void advance_deterministic(double days, IntegratorSettings settings);
    void advance_deterministic(double days, IntegratorSettings settings, IntegratorWorkspace& workspace);
    // Binomial chain with `steps` equal sub-steps over `days`; fractional people (from vaccinations or seeding)
    // move by their expected share so that the population stays exactly conserved.
    void advance_stochastic(double days, int steps, RandomEngine& rng);

    // -------------------------------------------------------------------------------------------- vaccination
    // People who may receive dose `dose` (1-based) of vaccine group `group` in `band`: the S, E and R
    // compartments of the willing stratum for dose 1, of the dose-(k-1) strata of that group for dose k.
    double eligible(int group, int dose, int band) const;
    // Moves the share `fraction` of every eligible compartment of `band` into the strata of dose `dose`
    // (Bubar et al.'s transfer: doses given to exposed or recovered people are spent without effect on them).
    void vaccinate_fraction(int group, int dose, int band, double fraction);
    // Vaccinates `people` (at most the eligible count); returns the number placed.
    double vaccinate(int group, int dose, int band, double people);

    // Moves people between the willing and unwilling unvaccinated strata of `band` so that the willing make up
    // `share` of the band's living population, counting everybody vaccinated as willing.
    void set_willing_share(int band, double share);
    // The same for every band at once (one pass over the strata in use).
    void set_willing_shares(const std::vector<double>& share_by_band);
    // Unvaccinated willing people eligible for a first dose (S + E + R of the willing stratum).
    double eligible_unvaccinated(int band) const { return eligible_in(ModelStructure::willing, band); }

    // Infects `people` with variant `variant` now (moved from susceptibles to exposed), spread over bands and
    // strata by their susceptibility and contacts; returns the number placed (at most the susceptibles).
    double seed_infections(int variant, double people);

    // -------------------------------------------------------------------------------------------- summaries
    double alive(int band) const;
    double deaths(int band) const { return state_[structure_->d_index(band)]; }
    double deaths_total() const;
    double infectious_total() const;                      // all I compartments
    double infectious_total(int variant) const;
    double cumulative_infections_total() const;           // all C counters
    double cumulative_infections(int variant) const;
    double recovered_or_dead_total() const;               // all R + D
    double new_infection_rate_per_day() const;            // total rate of new infections now
    double weighted_infectious() const;                   // sum of infectiousness-weighted I

    // The day's figures in one pass over the strata in use.
    struct Summary {
        std::vector<double> infectious_by_variant;
        std::vector<double> cumulative_infections_by_variant;
        double weighted_infectious = 0.0;
        double new_infection_rate_per_day = 0.0;
        double deaths = 0.0;
    };
    Summary summarise() const;
    // The same into `summary`, reusing its storage (once a country-day in the world run).
    void summarise(Summary& summary) const;

private:
    // Which strata hold anybody (plus the strata their protection wanes into) and which variants infect anybody;
    // nobody can enter the others during an advance, so the integrator and the derivative skip them.
    struct Activity {
        std::vector<int> strata;
        std::vector<char> variant;
        IndexRanges ranges;    // of the state: the active strata without the E and I of absent variants; D and C
        IndexRanges segments;  // within one stratum's block: S, E and I of the variants present, R
    };
    Activity activity_of(const double* x) const;
    const Activity& current_activity() const;
    // People are about to enter `stratum`: recompute the activity if it was not active.
    void enter_stratum(int stratum);
    void derivative_active(const double* x, double* dxdt, const Activity& activity) const;
    // One step of `tableau` from state_ with step h; false when the result holds a count below zero (beyond
    // rounding) or not finite, with state_ untouched.
    bool try_step(double h, const ButcherTableau& tableau, IntegratorWorkspace& w, const Activity& activity);
    void step_or_halve(double h, const ButcherTableau& tableau, IntegratorWorkspace& w, const Activity& activity,
                       int depth);
    // Force of infection of state x into lambda, from the I of the active strata.
    void stage_force_of_infection(const double* x, IntegratorWorkspace& w, const Activity& activity) const;
    // Exact transfers over `days` of the waning that the step leaves out (rates faster than it can take).
    void apply_fast_waning(double* x, double days, const Activity& activity, double slowest_split) const;
    std::string describe_index(std::size_t index) const;
    void force_of_infection_active(const double* x, double* lambda, const Activity& activity) const;
    double eligible_in(int stratum, int band) const;
    void move_share(int from, int to, int band, double share);  // S, E, R of one stratum
    void move_share_all(int from, int to, int band, double share);  // S, E, I, R of one stratum
    void move_to_willing_share(int band, double share, double willing, double unwilling, double vaccinated);
    void stochastic_substep(double dt, RandomEngine& rng);

    const ModelStructure* structure_;
    std::vector<double> population_;
    std::vector<double> transmission_;
    std::vector<double> transmission_by_column_;  // transposed, for the force of infection
    std::vector<double> contact_weight_;  // row sums of the transmission matrix
    std::vector<double> fatality_;        // [(s * variants + v) * bands + b]
    double transmission_factor_ = 1.0;
    State state_;
    mutable std::vector<double> alive_scratch_, pressure_scratch_, lambda_scratch_;
    std::vector<double> delta_scratch_;
    std::vector<double> band_totals_;
    std::vector<double> import_scratch_;  // seed_infections: the amounts placed
    mutable Activity activity_;  // of the current state, while activity_valid_
    mutable bool activity_valid_ = false;
    Activity all_strata_;    // every stratum and variant
    std::unique_ptr<IntegratorWorkspace> own_workspace_;
};

}  // namespace doseflow::epidemic
