#pragma once
// The epidemic stage of the daily loop: one age-structured SEIR-V epidemic per country (CountryEpidemic), with
// vaccinated strata per product group and dose, the unwilling as their own stream, variants seeded at their
// origin and spread by importation, deterministic or stochastic.
//
// Countries with zero population are skipped (no state, zero signals, nothing recorded); a populated country
// without a usable contact matrix is an error at construction.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "core/random.hpp"
#include "epidemic/country_epidemic.hpp"
#include "epidemic/input_log.hpp"
#include "epidemic/structure.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow {

// The deterministic integrator of the world simulation: classical RK4, one step a day where the rates allow (more
// where a rate is too fast for it, see CountryEpidemic::advance_deterministic). Cumulative deaths and infections
// stay within about 3e-6 relative of RK4 at 1/32 day (epidemic_test.cpp), far inside what the model's inputs
// are known to, at two thirds of the evaluations of a Dormand-Prince 5 step and a third of its arithmetic on the
// state.
inline constexpr epidemic::IntegratorSettings world_integrator{epidemic::Integrator::rk4, 1};

// Multiplier of a country's transmission on `date`: its transmission path, linear in log space between knots
// (docs/model.md, transmission path); 1 when the country has none.
double transmission_multiplier(const Country& country, Date date);
// Seasonal multiplier of transmission on `date` (epidemic.seasonality_amplitude; peak in mid-January).
double seasonal_factor(const EpidemicParameters& parameters, Date today);

class EpidemicModel {
public:
    // Throws std::invalid_argument with the country, product or parameter at fault when the World is inconsistent
    // (band counts, a product group without efficacies, a course longer than the group's efficacies by dose, a
    // populated country with no contacts, an unknown escape key).
    EpidemicModel(const World& world, std::uint64_t seed);

    // People moved from the eligible compartments (S, E, R of the willing stream for dose 1, of the group's
    // previous-dose strata for later doses) into the strata of that product group and dose. Doses that find
    // nobody eligible are counted and recorded as "vaccinations_unplaced" at the next step.
    void apply_vaccinations(const std::vector<Vaccination>& given);
    // Moves people between the willing and unwilling unvaccinated streams so that, per band, the willing plus
    // the vaccinated make up `willing_share_by_band` of the living population.
    void set_willing_share(CountryId country, const std::vector<double>& willing_share_by_band);
    // Today's uptake, as the exchange carries it: each country's willing share (exchange.uptake[c]
    // .willing_share_by_band, see set_willing_share), then the doses given (exchange.vaccinations).
    void take_uptake(const DayExchange& exchange);
    // Infects `people` with a variant now (ScenarioEvent variant_arrival); variant ids index
    // World::epidemic.variants.
    void seed_variant(CountryId country, VariantId variant, double people);

    // Runs the epidemic alone from World::epidemic.history_start to the day before simulation.start, seeding the
    // variant arrivals of World::events dated in that span, and records nothing; the run's deaths are counted
    // from the end of it. Nothing happens when history_start is unset. Call once, before the first step.
    void run_history();
    // The epidemic's state at the end of run_history: every country's compartments, its records and random
    // stream. The history depends only on the epidemic's inputs, not on vaccination (which starts with the run),
    // so the no-vaccination counterfactual and the run of the same scenario share it: a model built from a World
    // that differs only in vaccination may start from another's history instead of simulating it again.
    struct History;
    // run_history, keeping what it reached in `keep`.
    void run_history(History& keep);
    // Starts from `history` (filled by run_history(History&) of a model of the same scenario, vaccination aside)
    // instead of simulating the history. Throws std::invalid_argument when it does not fit this model.
    void start_from(const History& history);

    // Advances every country one day; fills exchange.epidemic and exchange.world_prevalence_by_variant (index 0:
    // the ancestral strain, i + 1: World::epidemic.variants[i]) and records the day's metrics.
    void step(Date today, DayExchange& exchange, Recorder& recorder);

    double population(CountryId country) const;
    double deaths_total() const;
    std::vector<double> cumulative_deaths_by_country() const;
    std::vector<double> eligible_unvaccinated(CountryId country) const;  // per band: willing S + E + R
    int variant_count() const { return structure_->variants(); }         // the ancestral strain included

    // Records every input of each country's epidemic into `log` from now on (null: stop); deterministic mode only.
    void record_inputs(EpidemicInputLog* log);
    // The initial state of a country's epidemic as this model builds it (before any history), for replays.
    std::unique_ptr<epidemic::CountryEpidemic> initial_country_epidemic(CountryId country) const;
    // The same with another multiplier of the infection fatality ratio than the country's (for calibration).
    std::unique_ptr<epidemic::CountryEpidemic> initial_country_epidemic(CountryId country,
                                                                        double fatality_multiplier) const;
    epidemic::IntegratorSettings integrator() const { return integrator_; }

    // Access for tests and benchmarks.
    void set_integrator(epidemic::IntegratorSettings settings) { integrator_ = settings; }
    const epidemic::CountryEpidemic* country_epidemic(CountryId country) const {
        return countries_[country.value()].get();
    }
    epidemic::CountryEpidemic* country_epidemic(CountryId country) { return countries_[country.value()].get(); }

private:
    struct CountryRecord {
        double deaths_last_7_days[7] = {};
        int day_count = 0;
        double unplaced_vaccinations = 0.0;
        double imported_today = 0.0;
        epidemic::CountryEpidemic::Summary summary;  // at the close of the last day simulated
        std::vector<double> new_by_variant;          // today's infections per variant
    };

public:
    struct History {
        std::vector<std::vector<double>> states;  // per country; empty for skipped countries
        std::vector<CountryRecord> records;
        std::vector<RandomEngine> streams;
        std::vector<bool> variant_seeded;
        std::vector<double> deaths_before_start;
        bool summarised = false;
        bool filled = false;
    };

private:
    void advance_country(std::size_t index, Date today, const std::vector<double>& import_pressure,
                         std::vector<EpidemicSignal>& signals);
    void log(std::size_t country, EpidemicInputAction action) {
        if (input_log_ && input_log_->records(country)) input_log_->countries[country].push_back(action);
    }
    std::vector<double> deaths_before_start_;  // per country: deaths of the history (run_history)

    const World* world_;
    std::unique_ptr<epidemic::ModelStructure> structure_;
    std::vector<std::unique_ptr<epidemic::CountryEpidemic>> countries_;  // null for skipped countries
    std::vector<RandomEngine> streams_;
    std::vector<CountryRecord> records_;
    std::vector<int> product_group_;           // per product: vaccine group index
    std::vector<std::string_view> variant_tags_;  // per model variant, for SeriesKey::tag
    std::vector<bool> variant_seeded_;
    tbb::enumerable_thread_specific<epidemic::IntegratorWorkspace> workspaces_;  // one per thread
    epidemic::IntegratorSettings integrator_ = world_integrator;
    EpidemicInputLog* input_log_ = nullptr;
    bool stochastic_ = false;
    bool summarised_ = false;  // records_[].summary filled
    int stochastic_steps_ = 4;
};

}  // namespace doseflow
