#pragma once
// A Simulation runs a Scenario day by day through the stages of docs/architecture.md; Results hold what came out.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "doseflow/scenario.hpp"

namespace doseflow {

struct EpidemicInputLog;  // epidemic/input_log.hpp
struct RunRecord;         // engine/run_record.hpp

struct RunOptions {
    // Called after each simulated day with (days done, days in all); used for progress bars.
    std::function<void(int, int)> on_day;
    // Keep the time series (timeseries.csv). Off for runs read only for their end state, such as counterfactuals.
    bool record_series = true;
    // Run only the events and the epidemic: nobody is vaccinated and no dose is made or shipped. The
    // no-vaccination counterfactual, at a fraction of the cost of a full run.
    bool epidemic_only = false;
    // Measure the time spent in each stage (Results::stage_seconds).
    bool profile = false;
    // Deaths per day and country of the no-vaccination counterfactual (its Results::daily_deaths), recorded as the
    // flow "deaths_without_vaccination" beside "deaths" so that any window can be summed (docs/model.md, deaths
    // averted). Must cover every day of the run and every country; null: not recorded.
    const std::vector<std::vector<double>>* deaths_without_vaccination = nullptr;
    // Records what each country's epidemic is fed, history included, for replays by `doseflow calibrate`
    // (deterministic mode only); null: nothing recorded.
    EpidemicInputLog* epidemic_inputs = nullptr;
};

// Seconds spent in each stage of the daily loop over a whole run (when RunOptions::profile).
struct StageSeconds {
    double events = 0.0;
    double supply = 0.0;     // production, allocation, shipping
    double uptake = 0.0;     // cold chain, hesitancy, administration
    double epidemic = 0.0;   // willingness, vaccinations, the epidemic step
    double diplomacy = 0.0;
};

// Everything a run produced, in memory. Output writers (CSV, JSON, SQLite) read only this. The recorded series,
// deliveries, contracts, events and diplomacy are read as tables through doseflow/tables.hpp.
struct Results {
    std::shared_ptr<const RunRecord> recorded;
    std::vector<double> deaths_by_country;  // cumulative at the end
    std::vector<std::vector<double>> daily_deaths;  // [day][country]: deaths of each simulated day
    std::vector<double> people_full_by_country;
    std::vector<double> people_dose1_by_country;
    StageSeconds stage_seconds;  // zero unless RunOptions::profile
};

class Simulation {
public:
    explicit Simulation(Scenario scenario);
    Results run(const RunOptions& options = {}) const;
    const Scenario& scenario() const { return scenario_; }

private:
    Scenario scenario_;
};

// A run and the same scenario without vaccination, the counterfactual of deaths averted (docs/model.md).
struct RunWithCounterfactual {
    Results results;
    std::optional<Results> counterfactual;  // absent when not asked for
    double counterfactual_seconds = 0.0;    // wall time of the counterfactual run
};

// Runs `scenario` with `options`; when `counterfactual`, first runs it without vaccination (epidemic only, no
// series, the same on_day callback) and records that run's daily deaths beside the run's own as
// "deaths_without_vaccination". Every front end (command line, ensembles, Python, the what-if server) runs through
// here, so that they produce the same tables.
RunWithCounterfactual run_with_counterfactual(const Scenario& scenario, RunOptions options, bool counterfactual);

}  // namespace doseflow
