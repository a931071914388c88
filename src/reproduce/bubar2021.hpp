#pragma once
// Bubar et al. 2021 (Science 371:916) on doseflow's epidemic core: the paper's inputs, its R0 scaling by bisection,
// its daily dose allocation rules and its outcomes. The ODE, force of infection, vaccination transfer and
// integrator are those of CountryEpidemic, configured as the paper's model: nine 10-year age groups, one vaccine
// group with one all-or-nothing dose of efficacy 0.9, the 30 % refusers as the unwilling stream.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "epidemic/country_epidemic.hpp"

namespace doseflow::bubar2021 {

inline constexpr int groups = 9;  // 0-9, 10-19, ..., 70-79, 80+
using ByGroup = std::array<double, groups>;

struct CountryData {
    std::string code;
    std::string name;
    double total_population = 0.0;
    ByGroup population_share{};
    ByGroup life_expectancy_years{};
    std::vector<double> contacts;  // 9 x 9, row = participant
    ByGroup population() const;    // N_i = share_i x total
};

struct Inputs {
    std::vector<CountryData> countries;  // USA, IND, ESP, ZWE, BRA, BEL, CHN, POL, ZAF
    ByGroup infection_fatality_ratio{};
    ByGroup susceptibility{};
    ByGroup efficacy{};  // 0.9 everywhere (the default scenario)
    const CountryData& country(std::string_view code) const;
};

// Parses the three tables of data/bubar2021 (see its README.md). Throws std::runtime_error on malformed input.
Inputs parse_inputs(std::string_view countries_csv, std::string_view contacts_csv, std::string_view age_groups_csv);
// The tables compiled into the binary.
Inputs embedded_inputs();

// The code's R0: the spectral radius of diag(u / scale) C / gamma with gamma = 1/5 per day.
double r0_for_scale(const std::vector<double>& contacts, const ByGroup& susceptibility, double scale);
// The divisor of the contact matrix found by the authors' bisection (bracket [10, 100], stop within 1e-4).
double bisection_scale(const std::vector<double>& contacts, const ByGroup& susceptibility, double r0_target);

enum class Strategy { kids, adults, twentyplus, elderly, all };
inline constexpr std::array<Strategy, 5> strategies{Strategy::kids, Strategy::adults, Strategy::twentyplus,
                                                    Strategy::elderly, Strategy::all};
const char* to_string(Strategy strategy);
std::array<bool, groups> prioritised(Strategy strategy);

struct Vaccination {
    bool day0 = false;              // all doses at t = 0 ("anticipatory rollout")
    double rollout_share_per_day = 0.002;  // share of the whole population vaccinated per day (rollout)
    std::string label() const;      // rollout_0.2, rollout_0.1, day0
};

struct RunSettings {
    double r0 = 1.5;
    Vaccination vaccination;
    std::optional<Strategy> strategy;  // none: the no-vaccine baseline
    double supply_pct = 0.0;
};

struct Outcome {
    double infections_pct = 0.0;  // recovered or dead by the end, % of the population (seeds included)
    double deaths_pct = 0.0;
    ByGroup deaths{};              // per age group, persons
    int end_day = 365;
    double yll(const ByGroup& life_expectancy_years) const;
};

// One run of the paper's model for one country. `integrator` defaults to one Dormand-Prince 5 step a day, within
// about 1e-9 of a fine-step solution here (the world simulation uses RK4, accurate to its own needs; the
// reproduction is compared to 1e-8 with an independent implementation).
Outcome simulate(const Inputs& inputs, const CountryData& country, const RunSettings& run,
                 epidemic::IntegratorSettings integrator = {epidemic::Integrator::dopri5, 1});

// The shares of each day's doses given to each group under a strategy: proportional to the willing population
// of the prioritised groups at t = 0.
ByGroup strategy_shares(Strategy strategy, const ByGroup& willing_at_start);
// The allocation of one vaccination event (SPEC.md section 6.3, steps 1-5): doses per group, given the day's
// doses, the strategy's shares and the eligible people per group. Returns the fraction of each group's eligible
// people vaccinated.
ByGroup allocate(double doses, const ByGroup& shares, const std::array<bool, groups>& in_strategy,
                 const ByGroup& eligible, bool rollout);

}  // namespace doseflow::bubar2021
