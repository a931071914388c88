// Tests of the Bubar et al. 2021 reproduction (SPEC.md in ../shared/data/bubar2021).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "doseflow/reproduce.hpp"
#include "reproduce/bubar2021.hpp"

using namespace doseflow;
using namespace doseflow::bubar2021;

namespace {

const Inputs& inputs() {
    static const Inputs parsed = embedded_inputs();
    return parsed;
}

Outcome run(const char* country, double r0, Vaccination vaccination, std::optional<Strategy> strategy, double supply) {
    return simulate(inputs(), inputs().country(country), {r0, vaccination, strategy, supply});
}

constexpr Vaccination rollout_02{false, 0.002};
constexpr Vaccination rollout_01{false, 0.001};
constexpr Vaccination day0{true, 0.0};

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string field;
        while (std::getline(ss, field, ',')) fields.push_back(field);
        rows.push_back(fields);
    }
    return rows;
}

}  // namespace

TEST(Bubar2021Inputs, EmbeddedTablesHoldNineCountries) {
    ASSERT_EQ(inputs().countries.size(), 9u);
    for (const CountryData& c : inputs().countries) {
        double share = 0.0;
        for (double s : c.population_share) share += s;
        EXPECT_NEAR(share, 1.0, 1e-12) << c.code;
        EXPECT_EQ(c.contacts.size(), 81u);
    }
    EXPECT_DOUBLE_EQ(inputs().country("USA").total_population, 331002647.0);
    EXPECT_DOUBLE_EQ(inputs().susceptibility[0], 0.40);  // Davies et al. 2020 via setup.R
    EXPECT_DOUBLE_EQ(inputs().infection_fatality_ratio[0], 9.807703e-06);
    EXPECT_THROW(inputs().country("FRA"), std::invalid_argument);
}

TEST(Bubar2021Inputs, EmbeddedTablesEqualTheSharedSource) {
    const std::filesystem::path source = std::filesystem::path(DOSEFLOW_SHARED_DATA_DIR) / "bubar2021";
    if (!std::filesystem::exists(source / "contact_matrices.csv"))
        GTEST_SKIP() << "the shared inputs are not at " << source << " (only present on the development machine)";
    const auto contacts = read_csv(source / "contact_matrices.csv");
    const char* groups_text[] = {"0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+"};
    auto group = [&](const std::string& text) {
        for (int i = 0; i < 9; ++i)
            if (text == groups_text[i]) return i;
        return -1;
    };
    int checked = 0;
    for (std::size_t r = 1; r < contacts.size(); ++r) {
        const auto& row = contacts[r];
        const int i = group(row[1]);
        const int j = group(row[2]);
        ASSERT_GE(i, 0);
        ASSERT_GE(j, 0);
        EXPECT_EQ(inputs().country(row[0]).contacts[i * 9 + j], std::stod(row[3])) << row[0] << " " << i << " " << j;
        ++checked;
    }
    EXPECT_EQ(checked, 729);
    const auto population = read_csv(source / "population.csv");
    for (std::size_t r = 1; r < population.size(); ++r)
        EXPECT_EQ(inputs().country(population[r][0]).population_share[group(population[r][1])],
                  std::stod(population[r][2]));
}

// SPEC.md section 4.2 gives the R0 the authors' bisection actually reaches for the USA.
TEST(Bubar2021, BisectionReachesTheRZeroOfTheAuthorsCode) {
    const CountryData& usa = inputs().country("USA");
    const std::map<double, double> reached{{1.15, 1.1499727}, {1.5, 1.4999953}, {2.6, 2.6000776}};
    for (const auto& [target, expected] : reached) {
        const double scale = bisection_scale(usa.contacts, inputs().susceptibility, target);
        EXPECT_NEAR(r0_for_scale(usa.contacts, inputs().susceptibility, scale), expected, 6e-8) << target;
    }
    EXPECT_THROW(bisection_scale(usa.contacts, inputs().susceptibility, 50.0), std::invalid_argument);
}

// SPEC.md section 6.3 on hand-worked numbers.
TEST(Bubar2021, AllocationSpillsOverAsSpecified) {
    const std::array<bool, groups> kids = prioritised(Strategy::kids);
    ByGroup shares{};
    shares[0] = 0.5;
    shares[1] = 0.5;
    ByGroup eligible{};
    eligible.fill(100.0);
    // Enough room: fractions are doses x share / eligible.
    auto f = allocate(60.0, shares, kids, eligible, true);
    EXPECT_DOUBLE_EQ(f[0], 0.3);
    EXPECT_DOUBLE_EQ(f[1], 0.3);
    EXPECT_DOUBLE_EQ(f[2], 0.0);
    // Step 2: group 0 has 10 eligible; its excess of 40 goes to group 1 (the prioritised group with room).
    eligible[0] = 10.0;
    f = allocate(100.0, shares, kids, eligible, true);
    EXPECT_DOUBLE_EQ(f[0], 1.0);
    EXPECT_DOUBLE_EQ(f[1], 0.9);
    // Step 3: both prioritised groups run out; the excess goes to the other seven groups by their eligible.
    eligible[1] = 20.0;
    eligible[2] = 300.0;
    f = allocate(100.0, shares, kids, eligible, true);
    EXPECT_DOUBLE_EQ(f[0], 1.0);
    EXPECT_DOUBLE_EQ(f[1], 1.0);
    EXPECT_NEAR(f[2] * 300.0, 70.0 * 300.0 / 900.0, 1e-12);
    EXPECT_NEAR(f[3] * 100.0, 70.0 * 100.0 / 900.0, 1e-12);
    // The "all" strategy has nobody outside it: the excess is lost.
    const ByGroup even = strategy_shares(Strategy::all, ByGroup{1, 1, 1, 1, 1, 1, 1, 1, 1});
    ByGroup small{};
    small.fill(1.0);
    f = allocate(90.0, even, prioritised(Strategy::all), small, true);
    for (double x : f) EXPECT_DOUBLE_EQ(x, 1.0);
}

// Expected values from an independent pure-Python implementation of SPEC.md (the 13 named compartments per
// group, numpy-free, classical RK4 at 1/20 day, the same bisection and allocation rules).
TEST(Bubar2021, MatchesAnIndependentImplementationOfTheSpecification) {
    struct Case {
        const char* country;
        double r0;
        Vaccination vaccination;
        std::optional<Strategy> strategy;
        double supply;
        double infections_pct, deaths_pct;
        int end_day;
    };
    const Case cases[] = {
        {"USA", 1.15, rollout_02, std::nullopt, 0, 23.8587394562, 0.223909405391, 365},
        {"USA", 1.15, rollout_02, Strategy::elderly, 20, 16.0515080248, 0.0887998250671, 365},
        {"BRA", 1.15, rollout_01, Strategy::kids, 45, 17.6789613302, 0.0739099096847, 449},
        {"ZAF", 2.6, day0, Strategy::twentyplus, 40, 33.8267905998, 0.0442248740576, 365},
    };
    for (const Case& c : cases) {
        const Outcome o = run(c.country, c.r0, c.vaccination, c.strategy, c.supply);
        EXPECT_NEAR(o.infections_pct, c.infections_pct, 1e-8 * c.infections_pct) << c.country;
        EXPECT_NEAR(o.deaths_pct, c.deaths_pct, 1e-8 * c.deaths_pct) << c.country;
        EXPECT_EQ(o.end_day, c.end_day) << c.country;
    }
}

// The integrator (one Dormand-Prince 5 step a day) against classical RK4 at 1/40 day, which SPEC.md section 5 says
// matched the authors' lsoda results to better than 1e-7.
TEST(Bubar2021, IntegratorAgreesWithFineRk4) {
    const CountryData& country = inputs().country("IND");
    const RunSettings r{1.15, rollout_02, Strategy::adults, 30};
    const Outcome fast = simulate(inputs(), country, r);
    const Outcome fine = simulate(inputs(), country, r, {epidemic::Integrator::rk4, 40});
    EXPECT_NEAR(fast.infections_pct, fine.infections_pct, 1e-8 * fine.infections_pct);
    EXPECT_NEAR(fast.deaths_pct, fine.deaths_pct, 1e-8 * fine.deaths_pct);
}

// SPEC.md section 6.2: the last rollout day is floor((supply/100 N) / (r N)) in IEEE double, so 37 % at
// 0.1 %/day ends on day 370 for the USA but 369 for Brazil and Poland.
TEST(Bubar2021, LongRolloutsExtendTheRunToTheLastVaccinationDay) {
    EXPECT_EQ(run("USA", 1.15, rollout_01, Strategy::all, 37).end_day, 370);
    EXPECT_EQ(run("BRA", 1.15, rollout_01, Strategy::all, 37).end_day, 369);
    EXPECT_EQ(run("POL", 1.15, rollout_01, Strategy::all, 37).end_day, 369);
    EXPECT_EQ(run("USA", 1.15, rollout_01, Strategy::all, 36).end_day, 365);
}

// The paper's main USA results (rollout 0.2 %/day): prioritising adults 60+ averts most deaths and years of life
// lost at R0 = 1.5, while prioritising adults 20-49, who drive transmission, averts most infections at both R0
// values (Bubar et al. 2021, Fig. 2 and its discussion).
TEST(Bubar2021, MainUsaResultsFavourTheStrategiesThePaperReports) {
    const auto& life = inputs().country("USA").life_expectancy_years;
    for (double r0 : {1.15, 1.5}) {
        const Outcome baseline = run("USA", r0, rollout_02, std::nullopt, 0);
        for (double supply : {5.0, 20.0, 50.0}) {
            std::map<Strategy, Outcome> outcomes;
            for (Strategy s : strategies) outcomes[s] = run("USA", r0, rollout_02, s, supply);
            for (Strategy s : strategies) {
                const Outcome& o = outcomes[s];
                EXPECT_LT(o.infections_pct, baseline.infections_pct);
                EXPECT_LT(o.deaths_pct, baseline.deaths_pct);
                if (s != Strategy::adults) {
                    EXPECT_LT(outcomes[Strategy::adults].infections_pct, o.infections_pct)
                        << "R0 " << r0 << " supply " << supply << " vs " << to_string(s);
                }
                if (r0 == 1.5 && s != Strategy::elderly) {
                    EXPECT_LT(outcomes[Strategy::elderly].deaths_pct, o.deaths_pct)
                        << "supply " << supply << " vs " << to_string(s);
                    EXPECT_LT(outcomes[Strategy::elderly].yll(life), o.yll(life))
                        << "supply " << supply << " vs " << to_string(s);
                }
            }
        }
    }
}

TEST(Bubar2021, ReproduceWritesTheTable) {
    const auto out = std::filesystem::temp_directory_path() / "doseflow_bubar2021_test";
    std::filesystem::remove_all(out);
    ReproduceOptions options;
    options.countries = {"ZWE"};
    options.supply_pct = {0, 30};
    options.threads = 2;
    reproduce_bubar2021(out, options);
    const auto rows = read_csv(out / "bubar2021.csv");
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"country", "r0", "vaccination", "supply_pct", "strategy", "metric", "value"}));
    // Four heat-map scenarios x (3 baseline rows + 5 strategies x 2 supplies x 6 metrics).
    EXPECT_EQ(rows.size(), 1u + 4u * (3u + 5u * 2u * 6u));
    EXPECT_FALSE(std::filesystem::exists(out / "bubar2021.csv.tmp"));
    std::map<std::string, int> vaccination_rows;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        ASSERT_EQ(rows[r].size(), 7u);
        EXPECT_EQ(rows[r][0], "ZWE");
        ++vaccination_rows[rows[r][1] + "/" + rows[r][2]];
        const double value = std::stod(rows[r][6]);
        if (rows[r][3] == "0" && rows[r][5].find("averted") != std::string::npos) {
            EXPECT_EQ(value, 0.0);
        }
    }
    EXPECT_EQ(vaccination_rows.size(), 4u);
    EXPECT_EQ(vaccination_rows.count("1.15/rollout_0.1"), 1u);
    EXPECT_EQ(vaccination_rows.count("2.6/day0"), 1u);
    std::filesystem::remove_all(out);
    options.countries = {"XXX"};
    EXPECT_THROW(reproduce_bubar2021(out, options), std::invalid_argument);
}
