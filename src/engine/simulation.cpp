#include "doseflow/simulation.hpp"

#include <chrono>
#include <stdexcept>

#include "diplomacy/diplomacy.hpp"
#include "engine/day_loop.hpp"
#include "engine/run_record.hpp"
#include "epidemic/epidemic_model.hpp"
#include "supply/supply_model.hpp"
#include "uptake/uptake_model.hpp"

namespace doseflow {
namespace {

LoggedEvent describe(const World& world, const ScenarioEvent& event) {
    LoggedEvent logged;
    logged.date = event.date;
    logged.kind = to_string(event.kind);
    if (event.country.valid()) logged.supplier = world.country(event.country).code;
    if (event.product) logged.product = world.product(*event.product).id;
    logged.value = event.value;
    logged.detail = event.note;
    if (event.policy) logged.detail += std::string(logged.detail.empty() ? "" : "; ") + "policy " + to_string(*event.policy);
    if (event.site) logged.detail += std::string(logged.detail.empty() ? "" : "; ") + "site " + world.site(*event.site).id;
    if (event.variant)
        logged.detail += std::string(logged.detail.empty() ? "" : "; ") + "variant " +
                         world.epidemic.variants[event.variant->value()].id;
    return logged;
}

// Adds the time since the last call to the stage named by the argument (nothing unless profiling).
class StageClock {
public:
    explicit StageClock(bool on) : on_(on), last_(on ? std::chrono::steady_clock::now() : Clock::time_point{}) {}
    void charge(double& seconds) {
        if (!on_) return;
        const auto now = Clock::now();
        seconds += std::chrono::duration<double>(now - last_).count();
        last_ = now;
    }

private:
    using Clock = std::chrono::steady_clock;
    bool on_;
    Clock::time_point last_;
};

// A run of `scenario`. With `history`: an empty one is filled with the epidemic's history, a filled one (from a run
// of the same scenario, vaccination aside) is started from instead of simulating the history again, and emptied.
// With `checks`, its callbacks are called between the stages of each day (tests; src/engine/day_loop.hpp).
Results run_scenario(const Scenario& scenario, const RunOptions& options, EpidemicModel::History* history,
                     const DayChecks* checks);

}  // namespace

Simulation::Simulation(Scenario scenario) : scenario_(std::move(scenario)) {}

Results Simulation::run(const RunOptions& options) const { return run_scenario(scenario_, options, nullptr, nullptr); }

namespace {

Results run_scenario(const Scenario& scenario_, const RunOptions& options, EpidemicModel::History* history,
                     const DayChecks* checks) {
    const World& world = scenario_.world();
    const std::uint64_t seed = world.simulation.seed;
    Results results;
    RunRecord recorded;
    recorded.world = scenario_.world_ptr();
    for (const auto& contract : world.contracts)
        recorded.contracts.add(contract, world.product(contract.product).component_count(), world.simulation.start);

    supply::SupplyModel supply(world, seed);
    uptake::UptakeModel uptake(world);
    EpidemicModel epidemic(world, seed);
    diplomacy::DiplomacyModel diplomacy(world, seed);

    DayExchange exchange;
    exchange.uptake.assign(world.countries.size(), UptakeSignal{});
    exchange.epidemic.assign(world.countries.size(), EpidemicSignal{});
    const int days = world.simulation.days();
    recorded.series = options.record_series
                         ? Recorder(world.simulation.start, world.simulation.weekly_output ? 7 : 1)
                         : Recorder::disabled();
    if (options.epidemic_inputs) epidemic.record_inputs(options.epidemic_inputs);
    if (history == nullptr || options.epidemic_inputs != nullptr)  // a replay log needs the history's inputs
        epidemic.run_history();
    else if (history->filled) {
        epidemic.start_from(*history);
        *history = {};  // used once: its states (about 8 MB for the default world) are not kept through the run
    } else
        epidemic.run_history(*history);
    auto next_event = world.events.begin();
    // Variant arrivals before the start were seeded by the history, when there was one.
    const bool had_history = world.epidemic.history_start.has_value();
    StageSeconds& spent = results.stage_seconds;
    StageClock clock(options.profile);
    if (const auto* without = options.deaths_without_vaccination) {
        if (static_cast<int>(without->size()) < days)
            throw std::invalid_argument("RunOptions::deaths_without_vaccination covers fewer days than the run");
        for (const auto& day : *without)
            if (day.size() != world.countries.size())
                throw std::invalid_argument("RunOptions::deaths_without_vaccination: one value per country needed");
    }
    results.daily_deaths.reserve(static_cast<std::size_t>(days));
    // Today's deaths per country and, when given, the counterfactual's beside them.
    auto record_deaths = [&](int day, Date today) {
        auto& deaths = results.daily_deaths.emplace_back(world.countries.size(), 0.0);
        for (std::size_t c = 0; c < world.countries.size(); ++c) deaths[c] = exchange.epidemic[c].deaths_today;
        if (options.deaths_without_vaccination == nullptr) return;
        const auto& without = (*options.deaths_without_vaccination)[static_cast<std::size_t>(day)];
        for (std::size_t c = 0; c < world.countries.size(); ++c)
            if (epidemic.population(CountryId(c)) > 0.0)
                recorded.series.flow(today, {static_cast<std::int32_t>(c), -1, -1, "deaths_without_vaccination", {}},
                                    without[c]);
    };
    for (int day = 0; day < days; ++day) {
        const Date today = world.simulation.start + day;
        exchange.date = today;
        // 1. events
        for (; next_event != world.events.end() && next_event->date <= today; ++next_event) {
            supply.apply_event(*next_event);
            if (next_event->kind == EventKind::variant_arrival && next_event->variant &&
                !(had_history && next_event->date < world.simulation.start)) {
                const auto& variant = world.epidemic.variants[next_event->variant->value()];
                const double people = next_event->value > 0 ? next_event->value : variant.seed_infections;
                epidemic.seed_variant(next_event->country, *next_event->variant, people);
            }
            recorded.events.add(describe(world, *next_event));
        }
        clock.charge(spent.events);
        if (options.epidemic_only) {
            epidemic.step(today, exchange, recorded.series);
            record_deaths(day, today);
            clock.charge(spent.epidemic);
            if (options.on_day) options.on_day(day + 1, days);
            continue;
        }
        // 2-4. production, allocation, shipping
        supply.produce(today, recorded.series);
        supply.allocate(today, exchange, recorded.contracts, recorded.events, recorded.series);
        supply.ship(today, exchange, recorded.contracts, recorded.series, recorded.deliveries);
        clock.charge(spent.supply);
        if (checks != nullptr && checks->after_supply) checks->after_supply(today, supply, recorded.contracts);
        // 5. cold chain and administration
        uptake.receive(today, exchange.arrivals, recorded.contracts, recorded.series);
        uptake.update_hesitancy(today, exchange);
        uptake.administer(today, exchange, recorded.series);
        clock.charge(spent.uptake);
        // 6. epidemic
        epidemic.take_uptake(exchange);
        epidemic.step(today, exchange, recorded.series);
        record_deaths(day, today);
        clock.charge(spent.epidemic);
        // 7. diplomacy
        diplomacy.step(today, exchange, recorded.contracts, recorded.events, recorded.series, recorded.diplomacy);
        clock.charge(spent.diplomacy);
        if (options.on_day) options.on_day(day + 1, days);
    }
    results.deaths_by_country = epidemic.cumulative_deaths_by_country();
    for (std::size_t c = 0; c < world.countries.size(); ++c) {
        results.people_full_by_country.push_back(exchange.uptake[c].people_full);
        results.people_dose1_by_country.push_back(exchange.uptake[c].people_dose1);
    }
    results.recorded = std::make_shared<const RunRecord>(std::move(recorded));
    return results;
}

}  // namespace

Results run_days(const Scenario& scenario, const RunOptions& options, const DayChecks& checks) {
    return run_scenario(scenario, options, nullptr, &checks);
}

RunWithCounterfactual run_with_counterfactual(const Scenario& scenario, RunOptions options, bool counterfactual) {
    RunWithCounterfactual run;
    if (counterfactual) {
        const auto started = std::chrono::steady_clock::now();
        RunOptions without;
        without.on_day = options.on_day;
        without.record_series = false;
        without.epidemic_only = true;
        // The history (before the run's first day) has no vaccination in either run: simulated once.
        EpidemicModel::History history;
        run.counterfactual = run_scenario(scenario.without_vaccination(), without, &history, nullptr);
        run.counterfactual_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        options.deaths_without_vaccination = &run.counterfactual->daily_deaths;
        run.results = run_scenario(scenario, options, &history, nullptr);
        return run;
    }
    run.results = Simulation(scenario).run(options);
    return run;
}

}  // namespace doseflow
