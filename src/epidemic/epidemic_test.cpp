// Tests of the SEIR-V core: final sizes against theory, the spectral radius against Eigen, conservation and
// nonnegativity, stochastic against deterministic, and the fast integrator against the plain reference model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include <boost/math/special_functions/lambert_w.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <fmt/format.h>

#include "core/random.hpp"
#include "epidemic/country_epidemic.hpp"
#include "epidemic/epidemic_model.hpp"
#include "epidemic/reference_model.hpp"
#include "epidemic/spectral_radius.hpp"
#include "epidemic/structure.hpp"

using namespace doseflow;
using namespace doseflow::epidemic;

namespace {

StructureSpec one_band_spec() {
    StructureSpec spec;
    spec.bands = 1;
    spec.variants = {{"ancestral", 1.0, 1.0, {}, 0.0, {}}};
    return spec;
}

double uniform(RandomEngine& rng, double lo, double hi) {
    return boost::random::uniform_real_distribution<double>(lo, hi)(rng);
}

int uniform_int(RandomEngine& rng, int lo, int hi) { return boost::random::uniform_int_distribution<int>(lo, hi)(rng); }


// Total of S, E, I, R and D (the living plus the dead), which must equal the population.
double people(const CountryEpidemic& e) {
    const ModelStructure& m = e.structure();
    return std::accumulate(e.state().begin(), e.state().begin() + static_cast<std::ptrdiff_t>(m.c_offset()), 0.0);
}

// A random structure with vaccine groups, doses, variants and waning, and random inputs for it.
struct RandomScenario {
    StructureSpec spec;
    CountryInputs inputs;
};

RandomScenario random_scenario(RandomEngine& rng) {
    RandomScenario r;
    StructureSpec& spec = r.spec;
    spec.bands = uniform_int(rng, 1, 6);
    spec.leaky = uniform(rng, 0, 1) < 0.5;
    spec.latent_days = uniform(rng, 2, 5);
    spec.infectious_days = uniform(rng, 3, 8);
    spec.infection_immunity_days = uniform(rng, 0, 1) < 0.5 ? 0.0 : uniform(rng, 90, 400);
    const int groups = uniform_int(rng, 0, 2);
    for (int g = 0; g < groups; ++g) {
        VaccineGroupSpec group;
        group.name = "g" + std::to_string(g);
        const int doses = uniform_int(rng, 1, 2);
        for (int k = 0; k < doses; ++k) {
            const double ve = uniform(rng, 0.3, 0.95);
            group.efficacy_infection_by_dose.push_back(ve);
            group.efficacy_death_by_dose.push_back(uniform(rng, ve, 1.0));
            group.efficacy_transmission_by_dose.push_back(uniform(rng, 0.0, 0.6));
        }
        group.waning_days = uniform(rng, 0, 1) < 0.5 ? 0.0 : uniform(rng, 60, 300);
        spec.groups.push_back(group);
    }
    const int variants = uniform_int(rng, 1, 3);
    for (int v = 0; v < variants; ++v) {
        VariantSpec variant{"v" + std::to_string(v), v == 0 ? 1.0 : uniform(rng, 1.0, 2.0),
                            v == 0 ? 1.0 : uniform(rng, 0.8, 1.6), {}, 0.0, {}};
        for (int g = 0; g < groups; ++g) variant.escape_by_group.push_back(v == 0 ? 0.0 : uniform(rng, 0.0, 0.5));
        variant.escape_infection = v == 0 ? 0.0 : uniform(rng, 0.0, 0.4);
        if (v % 2 == 1)  // a smaller escape from protection against death (no extra draw: the stream is kept)
            for (double e : variant.escape_by_group) variant.escape_death_by_group.push_back(0.5 * e);
        spec.variants.push_back(variant);
    }
    const auto b = static_cast<std::size_t>(spec.bands);
    for (std::size_t i = 0; i < b; ++i) {
        r.inputs.population_by_band.push_back(uniform(rng, 1e3, 1e7));
        r.inputs.fatality_ratio_by_band.push_back(uniform(rng, 1e-5, 0.1));
    }
    for (std::size_t i = 0; i < b * b; ++i) r.inputs.transmission.push_back(uniform(rng, 0.0, 0.6 / spec.bands));
    return r;
}

// Fills a random state: some vaccinated, some infected with each variant, some recovered and dead.
void randomise_state(CountryEpidemic& e, RandomEngine& rng) {
    const ModelStructure& m = e.structure();
    for (int b = 0; b < m.bands(); ++b) e.set_willing_share(b, uniform(rng, 0.4, 1.0));
    for (int g = 0; g < static_cast<int>(m.spec().groups.size()); ++g)
        for (int k = 1; k <= m.spec().groups[g].doses(); ++k)
            for (int b = 0; b < m.bands(); ++b) e.vaccinate_fraction(g, k, b, uniform(rng, 0.0, 0.5));
    for (int v = 0; v < m.variants(); ++v) e.seed_infections(v, uniform(rng, 0.0, 0.01) * e.population());
    e.advance_deterministic(3.0, {Integrator::rk4, 8});  // spread into E, I, R and D
}

}  // namespace

// ---------------------------------------------------------------------------------------------- final sizes
TEST(FinalSize, HomogeneousSirMatchesLambertW) {
    for (double r0 : {1.2, 1.5, 2.0, 2.6, 4.0}) {
        const ModelStructure m(one_band_spec());
        const double n = 1e8;
        // One band: R0 = transmission x infectious period (5 days).
        CountryEpidemic e(m, {{n}, {r0 / 5.0}, {0.0}});
        const double seed = 1e-6 * n;
        e.seed_infections(0, seed);
        e.advance_deterministic(2500.0, {Integrator::rk4, 2});
        // z = 1 - exp(-R0 z) with z > 0: z = 1 + W0(-R0 exp(-R0)) / R0.
        const double z = 1.0 + boost::math::lambert_w0(-r0 * std::exp(-r0)) / r0;
        EXPECT_NEAR(e.recovered_or_dead_total() / n, z, 1e-5) << "R0 " << r0;
    }
}

TEST(FinalSize, AgeStructuredMatchesFinalSizeEquation) {
    // A 16-band contact matrix (Prem-like: assortative with a diagonal band and cross-generation contacts) and
    // age-varying susceptibility; without deaths the final attack rates z_i solve z_i = 1 - exp(-D sum_j T_ij z_j).
    const int bands = 16;
    std::vector<double> contacts(bands * bands), susceptibility(bands), population(bands);
    for (int i = 0; i < bands; ++i) {
        susceptibility[i] = 0.4 + 0.5 * (i > 3) - 0.1 * (i > 12);
        population[i] = 1e6 * (1.0 + 0.3 * std::sin(i));
        for (int j = 0; j < bands; ++j)
            contacts[i * bands + j] = 0.3 + 3.0 * std::exp(-std::abs(i - j)) + 0.8 * std::exp(-std::abs(std::abs(i - j) - 6));
    }
    const double r0 = 1.8;
    const double infectious_days = 5.0;
    const double radius = spectral_radius(next_generation_matrix(contacts, susceptibility, infectious_days), bands);
    std::vector<double> t(bands * bands);
    for (int i = 0; i < bands; ++i)
        for (int j = 0; j < bands; ++j) t[i * bands + j] = r0 / radius * susceptibility[i] * contacts[i * bands + j];
    StructureSpec spec = one_band_spec();
    spec.bands = bands;
    const ModelStructure m(spec);
    CountryEpidemic e(m, {population, t, std::vector<double>(bands, 0.0)});
    e.seed_infections(0, 10.0);
    e.advance_deterministic(3000.0, {Integrator::rk4, 1});

    std::vector<double> z(bands, 0.5);
    for (int iteration = 0; iteration < 2000; ++iteration)
        for (int i = 0; i < bands; ++i) {
            double pressure = 0.0;
            for (int j = 0; j < bands; ++j) pressure += infectious_days * t[i * bands + j] * z[j];
            z[i] = 1.0 - std::exp(-pressure);
        }
    for (int b = 0; b < bands; ++b) {
        const double recovered = e.state()[m.r_index(ModelStructure::willing, b)];
        EXPECT_NEAR(recovered / population[b], z[b], 2e-5) << "band " << b;
    }
}

// ------------------------------------------------------------------------------------------- spectral radius
TEST(SpectralRadius, MatchesEigenOnRandomNonnegativeMatrices) {
    RandomEngine rng = make_stream(7, 0, StreamPurpose::test);
    for (int trial = 0; trial < 300; ++trial) {
        const int n = uniform_int(rng, 1, 16);
        std::vector<double> m(static_cast<std::size_t>(n * n));
        const bool sparse = trial % 3 == 0;
        for (double& x : m) x = sparse && uniform(rng, 0, 1) < 0.6 ? 0.0 : uniform(rng, 0.0, 10.0);
        const double expected = spectral_radius_eigen(m, n);
        EXPECT_NEAR(spectral_radius(m, n), expected, 1e-12 * std::max(1.0, expected)) << "trial " << trial;
    }
}

TEST(SpectralRadius, KnownValuesAndBadInput) {
    EXPECT_NEAR(spectral_radius({2.0, 1.0, 1.0, 2.0}, 2), 3.0, 1e-14);
    EXPECT_NEAR(spectral_radius({0.0, 4.0, 1.0, 0.0}, 2), 2.0, 1e-13);  // periodic: eigenvalues +-2
    EXPECT_NEAR(spectral_radius({0.0, 0.0, 0.0, 0.0}, 2), 0.0, 1e-14);
    EXPECT_THROW(spectral_radius({1.0, -1.0, 0.0, 1.0}, 2), std::invalid_argument);
    EXPECT_THROW(spectral_radius({1.0, 1.0, 1.0}, 2), std::invalid_argument);
}

// ------------------------------------------------------------------------------------ invariants, both modes
TEST(Invariants, PopulationConservedAndNoNegativeCompartment) {
    RandomEngine rng = make_stream(11, 0, StreamPurpose::test);
    for (int trial = 0; trial < 40; ++trial) {
        const RandomScenario scenario = random_scenario(rng);
        const ModelStructure m(scenario.spec);
        for (bool stochastic : {false, true}) {
            CountryEpidemic e(m, scenario.inputs);
            const double population = e.population();
            randomise_state(e, rng);
            for (int day = 0; day < 60; ++day) {
                if (day % 10 == 0) {
                    for (int b = 0; b < m.bands(); ++b) e.set_willing_share(b, uniform(rng, 0.0, 1.0));
                    if (!m.spec().groups.empty()) e.vaccinate(0, 1, 0, uniform(rng, 0.0, 1e5));
                }
                if (stochastic)
                    e.advance_stochastic(1.0, 4, rng);
                else
                    e.advance_deterministic(1.0, {Integrator::rk4, 2});
                ASSERT_NEAR(people(e), population, 1e-9 * population) << "trial " << trial << " day " << day;
                for (std::size_t k = 0; k < m.size(); ++k)
                    ASSERT_GE(e.state()[k], -1e-9 * population) << "trial " << trial << " index " << k;
            }
        }
    }
}

TEST(Vaccination, MovesEligibleShareAndKeepsTheRest) {
    StructureSpec spec = one_band_spec();
    spec.bands = 2;
    spec.groups = {{"mrna", {0.6, 0.9}, {0.8, 0.95}, {0.3, 0.5}, 0.0}};
    const ModelStructure m(spec);
    CountryEpidemic e(m, {{1000.0, 2000.0}, {0.1, 0.1, 0.1, 0.1}, {0.01, 0.02}});
    e.set_willing_share(1, 0.5);
    EXPECT_NEAR(e.eligible_unvaccinated(1), 1000.0, 1e-9);
    EXPECT_NEAR(e.state()[m.s_index(ModelStructure::unwilling, 1)], 1000.0, 1e-9);
    EXPECT_NEAR(e.vaccinate(0, 1, 1, 400.0), 400.0, 1e-9);
    // All-or-nothing: 60 % of the vaccinated are protected after dose 1.
    EXPECT_NEAR(e.state()[m.s_index(m.protected_stratum(0, 1), 1)], 240.0, 1e-9);
    EXPECT_NEAR(e.state()[m.s_index(m.unprotected_stratum(0, 1), 1)], 160.0, 1e-9);
    EXPECT_NEAR(e.eligible(0, 2, 1), 400.0, 1e-9);
    EXPECT_NEAR(e.vaccinate(0, 2, 1, 1000.0), 400.0, 1e-9);  // only 400 have had dose 1
    // After dose 2, 90 % are protected: the 240 already protected plus 150 of the 160 unprotected.
    EXPECT_NEAR(e.state()[m.s_index(m.protected_stratum(0, 2), 1)], 360.0, 1e-9);
    EXPECT_NEAR(e.state()[m.s_index(m.unprotected_stratum(0, 2), 1)], 40.0, 1e-9);
    // The willing share counts the vaccinated as willing: 60 % willing means 200 more unvaccinated willing.
    e.set_willing_share(1, 0.6);
    EXPECT_NEAR(e.eligible_unvaccinated(1), 800.0, 1e-9);
    EXPECT_THROW(e.vaccinate(0, 3, 1, 1.0), std::invalid_argument);
    EXPECT_THROW(e.vaccinate(1, 1, 1, 1.0), std::invalid_argument);
}

TEST(Structure, RejectsInconsistentInput) {
    StructureSpec spec = one_band_spec();
    spec.groups = {{"bad", {1.2}, {}, {}, 0.0}};
    EXPECT_THROW(ModelStructure{spec}, std::invalid_argument);
    spec.groups = {{"ok", {0.5}, {0.4, 0.5}, {}, 0.0}};
    EXPECT_THROW(ModelStructure{spec}, std::invalid_argument);
    spec = one_band_spec();
    spec.variants.clear();
    EXPECT_THROW(ModelStructure{spec}, std::invalid_argument);
    const ModelStructure m(one_band_spec());
    EXPECT_THROW(CountryEpidemic(m, {{1.0, 2.0}, {0.1}, {0.0}}), std::invalid_argument);
    EXPECT_THROW(CountryEpidemic(m, {{1.0}, {-0.1}, {0.0}}), std::invalid_argument);
}

// ------------------------------------------------------------------------------ stochastic vs deterministic
TEST(Stochastic, EnsembleMeanMatchesDeterministic) {
    StructureSpec spec = one_band_spec();
    spec.bands = 3;
    spec.groups = {{"vector", {0.7}, {0.9}, {0.2}, 0.0}};
    const ModelStructure m(spec);
    const CountryInputs inputs{{3e5, 5e5, 2e5}, {0.25, 0.08, 0.04, 0.08, 0.2, 0.06, 0.04, 0.06, 0.15},
                               {1e-4, 2e-3, 3e-2}};
    auto make = [&] {
        CountryEpidemic e(m, inputs);
        for (int b = 0; b < 3; ++b) e.set_willing_share(b, 0.7);
        e.vaccinate(0, 1, 2, 0.3 * 2e5);
        e.seed_infections(0, 200.0);
        return e;
    };
    CountryEpidemic deterministic = make();
    deterministic.advance_deterministic(300.0, {Integrator::rk4, 4});
    const int runs = 16;
    double infections = 0.0, deaths = 0.0;
    for (int run = 0; run < runs; ++run) {
        RandomEngine rng = make_stream(3, static_cast<std::uint64_t>(run), StreamPurpose::test);
        CountryEpidemic e = make();
        for (int day = 0; day < 300; ++day) e.advance_stochastic(1.0, 4, rng);
        infections += e.cumulative_infections_total() / runs;
        deaths += e.deaths_total() / runs;
    }
    EXPECT_NEAR(infections / deterministic.cumulative_infections_total(), 1.0, 0.02);
    EXPECT_NEAR(deaths / deterministic.deaths_total(), 1.0, 0.03);
}

// ------------------------------------------------------------------------------------- fast vs reference
namespace {

struct Comparison {
    double worst_compartment = 0.0;  // relative to |expected| + 1e-9 N
    double worst_outcome = 0.0;      // cumulative deaths and infections, relative
};

// Runs the fast model with `settings` and the reference with fine RK4 from the same random states for 40 days.
Comparison compare_with_reference(IntegratorSettings settings, int reference_steps_per_day, std::uint64_t seed) {
    RandomEngine rng = make_stream(seed, 0, StreamPurpose::test);
    Comparison worst;
    for (int trial = 0; trial < 6; ++trial) {
        const RandomScenario scenario = random_scenario(rng);
        const ModelStructure m(scenario.spec);
        CountryEpidemic fast(m, scenario.inputs);
        randomise_state(fast, rng);
        ReferenceModel reference(scenario.spec, scenario.inputs);
        reference.set_from_flat(m, fast.state());
        const double factor = uniform(rng, 0.8, 1.2);
        fast.set_transmission_factor(factor);
        reference.set_transmission_factor(factor);
        for (int day = 0; day < 40; ++day) {
            fast.advance_deterministic(1.0, settings);
            reference.advance(1.0, reference_steps_per_day);
        }
        const auto expected = reference.to_flat(m);
        const double population = fast.population();
        for (std::size_t k = 0; k < m.size(); ++k)
            worst.worst_compartment = std::max(worst.worst_compartment, std::abs(fast.state()[k] - expected[k]) /
                                                                            (std::abs(expected[k]) + 1e-9 * population));
        double deaths = 0.0, infections = 0.0;
        for (int b = 0; b < m.bands(); ++b) deaths += expected[m.d_index(b)];
        for (int v = 0; v < m.variants(); ++v)
            for (int b = 0; b < m.bands(); ++b) infections += expected[m.c_index(v, b)];
        worst.worst_outcome = std::max({worst.worst_outcome, std::abs(fast.deaths_total() / deaths - 1.0),
                                        std::abs(fast.cumulative_infections_total() / infections - 1.0)});
    }
    return worst;
}

}  // namespace

// The same scheme (RK4, 16 steps a day) in the fast and the plain implementation: equal up to rounding.
TEST(FastVsReference, SameSchemeAgreesToRounding) {
    const Comparison c = compare_with_reference({Integrator::rk4, 16}, 16, 5);
    EXPECT_LT(c.worst_compartment, 1e-9);
}

// The integrator of the world simulation (one RK4 step a day) against fine RK4 (32 steps a day): cumulative deaths
// and infections within 3e-6 relative, every compartment (small E and I ones included) within 3e-4.
TEST(FastVsReference, WorldIntegratorWithinAFewMillionths) {
    const Comparison c = compare_with_reference(doseflow::world_integrator, 32, 6);
    EXPECT_LT(c.worst_outcome, 3e-6);
    EXPECT_LT(c.worst_compartment, 3e-4);
}

// The integrator of the Bubar et al. reproduction (one Dormand-Prince step a day): within 1e-7 and 1e-5.
TEST(FastVsReference, DormandPrinceWithinOneTenMillionth) {
    const Comparison c = compare_with_reference({Integrator::dopri5, 1}, 32, 6);
    EXPECT_LT(c.worst_outcome, 1e-7);
    EXPECT_LT(c.worst_compartment, 1e-5);
}

// The eighth-order Runge-Kutta-Fehlberg 7(8) (one step a day) against the same reference.
TEST(FastVsReference, FehlbergWithinOneBillionth) {
    const Comparison c = compare_with_reference({Integrator::rkf78, 1}, 32, 7);
    EXPECT_LT(c.worst_compartment, 1e-9);
}

// ------------------------------------------------------------------------------------------ stiff rates
namespace {

// One band of 1e6 people with a third vaccinated by a two-dose group and an epidemic under way, with the given
// latent and infectious periods and waning of vaccine protection.
struct Stiff {
    StructureSpec spec;
    CountryInputs inputs;
};

Stiff stiff_case(double latent_days, double infectious_days, double waning_days, double immunity_days = 0.0) {
    Stiff c;
    c.spec.bands = 2;
    c.spec.latent_days = latent_days;
    c.spec.infectious_days = infectious_days;
    c.spec.infection_immunity_days = immunity_days;
    c.spec.groups = {{"g", {0.6, 0.9}, {0.8, 0.95}, {0.3, 0.4}, waning_days}};
    c.spec.variants = {{"ancestral", 1.0, 1.0, {}, 0.0, {}}, {"fast", 1.6, 1.5, {0.2}, 0.3, {}}};
    c.inputs.population_by_band = {6e5, 4e5};
    c.inputs.fatality_ratio_by_band = {1e-4, 2e-2};
    // R0 about 1.6 whatever the infectious period: transmission scaled by its inverse.
    c.inputs.transmission = {1.0 / infectious_days, 0.4 / infectious_days, 0.4 / infectious_days,
                             0.8 / infectious_days};
    return c;
}

void start_epidemic(CountryEpidemic& e) {
    for (int b = 0; b < 2; ++b) e.set_willing_share(b, 0.8);
    for (int b = 0; b < 2; ++b) e.vaccinate(0, 1, b, 2e5);
    for (int b = 0; b < 2; ++b) e.vaccinate(0, 2, b, 1e5);
    e.seed_infections(0, 500.0);
    e.seed_infections(1, 50.0);
}

// Every count finite and >= 0 and the population conserved, on every day of a 200-day run.
void expect_sound(const Stiff& c, IntegratorSettings settings, const std::string& label) {
    const ModelStructure m(c.spec);
    CountryEpidemic e(m, c.inputs);
    start_epidemic(e);
    const double population = e.population();
    for (int day = 0; day < 200; ++day) {
        ASSERT_NO_THROW(e.advance_deterministic(1.0, settings)) << label << " day " << day;
        for (std::size_t k = 0; k < m.size(); ++k) {
            ASSERT_TRUE(std::isfinite(e.state()[k])) << label << " day " << day << " index " << k;
            ASSERT_GE(e.state()[k], 0.0) << label << " day " << day << " index " << k;
        }
        ASSERT_NEAR(people(e), population, 1e-9 * population) << label << " day " << day;
    }
    EXPECT_GT(e.deaths_total(), 0.0) << label;
}

// Cumulative deaths and infections after 100 days, relative to the plain reference at 256 steps a day.
double error_against_reference(const Stiff& c, IntegratorSettings settings) {
    const ModelStructure m(c.spec);
    CountryEpidemic fast(m, c.inputs);
    start_epidemic(fast);
    ReferenceModel reference(c.spec, c.inputs);
    reference.set_from_flat(m, fast.state());
    for (int day = 0; day < 100; ++day) {
        fast.advance_deterministic(1.0, settings);
        reference.advance(1.0, 256);
    }
    const auto expected = reference.to_flat(m);
    double deaths = 0.0, infections = 0.0;
    for (int b = 0; b < m.bands(); ++b) deaths += expected[m.d_index(b)];
    for (int v = 0; v < m.variants(); ++v)
        for (int b = 0; b < m.bands(); ++b) infections += expected[m.c_index(v, b)];
    return std::max(std::abs(fast.deaths_total() / deaths - 1.0),
                    std::abs(fast.cumulative_infections_total() / infections - 1.0));
}

}  // namespace

// Rates inside the parameter ranges that one step a day cannot take (a one-step-a-day explicit integrator gives
// NaN or negative counts for all of them): the day is cut into stable steps and the fastest waning is moved
// exactly, for the world's RK4 and the reproduction's Dormand-Prince alike.
TEST(StiffRates, StaySoundAcrossTheParameterRanges) {
    const struct {
        double latent, infectious, waning, immunity;
    } cases[] = {{0.3, 5.0, 0.0, 0.0},  {0.2, 0.2, 0.0, 0.0},  {0.1, 0.1, 30.0, 0.0}, {3.0, 5.0, 0.1, 0.0},
                 {3.0, 5.0, 1e-6, 0.0}, {3.0, 5.0, 0.0, 1e-6}, {0.1, 60.0, 1e-6, 0.1}, {30.0, 0.1, 0.5, 2.0}};
    for (const auto& k : cases)
        for (IntegratorSettings settings : {doseflow::world_integrator, IntegratorSettings{Integrator::dopri5, 1}})
            expect_sound(stiff_case(k.latent, k.infectious, k.waning, k.immunity), settings,
                         fmt::format("latent {} infectious {} waning {} immunity {} method {}", k.latent,
                                     k.infectious, k.waning, k.immunity, static_cast<int>(settings.method)));
}

// Against the fine reference (RK4 at 256 steps a day, stable for every case here): fast latent and infectious
// periods, integrated in sub-steps, within 1e-4 relative in cumulative deaths and infections; waning of 2.4 hours,
// moved exactly and split from the rest of the step (Strang splitting, second order), within 2e-3. Where the
// one-step-a-day integrator is stable too (latent 0.5 days), the two agree as closely.
TEST(StiffRates, AgreeWithTheFineReferenceWhereItIsStable) {
    EXPECT_LT(error_against_reference(stiff_case(0.5, 5.0, 0.0), {Integrator::rk4, 1}), 1e-4);
    EXPECT_LT(error_against_reference(stiff_case(0.5, 5.0, 0.0), {Integrator::dopri5, 1}), 1e-4);
    EXPECT_LT(error_against_reference(stiff_case(0.3, 5.0, 0.0), doseflow::world_integrator), 1e-4);
    EXPECT_LT(error_against_reference(stiff_case(0.2, 0.2, 0.0), doseflow::world_integrator), 1e-4);
    EXPECT_LT(error_against_reference(stiff_case(3.0, 5.0, 0.1), doseflow::world_integrator), 2e-3);
    EXPECT_LT(error_against_reference(stiff_case(3.0, 5.0, 0.0, 0.1), doseflow::world_integrator), 2e-3);
}

// A state that cannot happen is reported, not integrated: a negative count placed by hand stops the advance
// with the compartment named.
TEST(StiffRates, ImpossibleStateNamesTheQuantity) {
    const Stiff c = stiff_case(3.0, 5.0, 0.0);
    const ModelStructure m(c.spec);
    CountryEpidemic e(m, c.inputs);
    start_epidemic(e);
    e.state()[m.i_index(ModelStructure::willing, 1, 1)] = -1e4;
    try {
        e.advance_deterministic(1.0, doseflow::world_integrator);
        FAIL() << "no ImpossibleState";
    } catch (const ImpossibleState& error) {
        EXPECT_THAT(std::string(error.what()), ::testing::HasSubstr("people (unvaccinated willing, age band"));
    }
}
