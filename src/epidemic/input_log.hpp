#pragma once
// What the daily loop feeds each country's epidemic, in the order it does so: variant seeds and imported
// infections, willing shares, doses, and each day's advance. A world run can record it (RunOptions::epidemic_inputs)
// so that one country's epidemic can be replayed alone with another transmission path, the others' prevalence (the
// source of imports) and the doses it was given held as they were: how `doseflow calibrate` fits each country's
// path in parallel (docs/calibration.md).
#include <cstdint>
#include <vector>

#include "core/schedule.hpp"
#include "epidemic/country_epidemic.hpp"

namespace doseflow {

struct EpidemicParameters;

struct EpidemicInputAction {
    enum class Kind : std::uint8_t { seed, willing, vaccinate, advance };
    Kind kind = Kind::advance;
    std::int16_t variant_or_group = 0;  // seed: model variant (0 = ancestral); vaccinate: vaccine group
    std::int16_t dose = 0;              // vaccinate: dose number (1-based)
    std::int16_t band = 0;              // willing, vaccinate
    double value = 0.0;  // seed, vaccinate: people; willing: share; advance: the day (Date::days_since_1970)
};

// One list of actions per country of the World; empty for countries not asked for.
struct EpidemicInputLog {
    std::vector<char> wanted;  // per country: record it (empty: every country)
    std::vector<std::vector<EpidemicInputAction>> countries;

    bool records(std::size_t country) const { return wanted.empty() || (country < wanted.size() && wanted[country]); }
};

// Replays `actions[from, ...)` on `epidemic` up to and including the advance of `last_day`, with the transmission
// multiplier exp(log_path(day)) times the seasonal factor of `parameters`; the deaths of each replayed day are
// appended to `daily_deaths` when given. Returns the index of the first action not replayed. The same inputs and
// path reproduce the world run's deaths of that country exactly (input_log_test in tests/).
std::size_t replay_epidemic_inputs(epidemic::CountryEpidemic& epidemic, const std::vector<EpidemicInputAction>& actions,
                                   std::size_t from, Date last_day, const Ramp& log_path,
                                   const EpidemicParameters& parameters, epidemic::IntegratorSettings settings,
                                   epidemic::IntegratorWorkspace& workspace, std::vector<double>* daily_deaths);

}  // namespace doseflow
