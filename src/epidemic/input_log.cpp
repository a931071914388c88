#include "epidemic/input_log.hpp"

#include <cmath>

#include "epidemic/epidemic_model.hpp"

namespace doseflow {

std::size_t replay_epidemic_inputs(epidemic::CountryEpidemic& epidemic, const std::vector<EpidemicInputAction>& actions,
                                   std::size_t from, Date last_day, const Ramp& log_path,
                                   const EpidemicParameters& parameters, epidemic::IntegratorSettings settings,
                                   epidemic::IntegratorWorkspace& workspace, std::vector<double>* daily_deaths) {
    std::vector<double> shares;
    std::size_t i = from;
    while (i < actions.size()) {
        const EpidemicInputAction& a = actions[i];
        switch (a.kind) {
        case EpidemicInputAction::Kind::seed:
            epidemic.seed_infections(a.variant_or_group, a.value);
            ++i;
            break;
        case EpidemicInputAction::Kind::willing:
            // The daily loop sets every band at once; so does the replay.
            shares.clear();
            for (; i < actions.size() && actions[i].kind == EpidemicInputAction::Kind::willing; ++i)
                shares.push_back(actions[i].value);
            epidemic.set_willing_shares(shares);
            break;
        case EpidemicInputAction::Kind::vaccinate:
            epidemic.vaccinate(a.variant_or_group, a.dose, a.band, a.value);
            ++i;
            break;
        case EpidemicInputAction::Kind::advance: {
            const Date day = Date::from_days(static_cast<std::int32_t>(a.value));
            if (day > last_day) return i;
            const double before = daily_deaths ? epidemic.deaths_total() : 0.0;
            const double multiplier = log_path.empty() ? 1.0 : std::exp(log_path.at(day));
            epidemic.set_transmission_factor(seasonal_factor(parameters, day) * multiplier);
            epidemic.advance_deterministic(1.0, settings, workspace);
            if (daily_deaths) daily_deaths->push_back(epidemic.deaths_total() - before);
            ++i;
            break;
        }
        }
    }
    return i;
}

}  // namespace doseflow
