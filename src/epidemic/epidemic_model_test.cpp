// Tests of the epidemic stage on hand-built Worlds.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <unordered_map>

#include <boost/math/special_functions/lambert_w.hpp>
#include <tbb/task_arena.h>

#include "epidemic/epidemic_model.hpp"
#include "scenario/build.hpp"

using namespace doseflow;

namespace {

constexpr int bands = 16;

// A 16-band contact matrix with assortative mixing and parent-child contacts (shape as in Prem et al. 2017).
std::vector<double> contacts_16() {
    std::vector<double> c(bands * bands);
    for (int i = 0; i < bands; ++i)
        for (int j = 0; j < bands; ++j)
            c[i * bands + j] = 0.2 + 2.5 * std::exp(-std::abs(i - j)) + 0.6 * std::exp(-std::abs(std::abs(i - j) - 6));
    return c;
}

Country make_country(std::string code, double population, double infections) {
    Country c;
    c.code = std::move(code);
    c.name = c.code;
    for (int b = 0; b < bands; ++b) c.population_by_age.push_back(population / bands * (1.0 - 0.02 * b));
    c.contacts = contacts_16();
    c.initial_infections = infections;
    c.willing_share_by_age.assign(bands, 0.8);
    return c;
}

World make_world() {
    World w = scenario::world_with_declared_defaults();
    w.name = "test";
    w.simulation.start = Date::from_ymd(2021, 1, 1);
    w.simulation.end = Date::from_ymd(2021, 12, 31);
    for (int b = 0; b < bands; ++b) w.age_band_lower.push_back(5 * b);
    w.epidemic.age_band_lower = w.age_band_lower;
    w.epidemic.r0 = 1.8;
    w.epidemic.leaky = false;  // all-or-nothing vaccine protection in this world
    w.epidemic.susceptibility.clear();
    w.epidemic.infection_fatality_ratio.clear();
    for (int b = 0; b < bands; ++b) {
        w.epidemic.susceptibility.push_back(b < 4 ? 0.4 : 0.8);
        // Levin et al. 2020: log10 IFR% = -3.27 + 0.0524 age, at the band's midpoint.
        w.epidemic.infection_fatality_ratio.push_back(std::pow(10.0, -3.27 + 0.0524 * (5 * b + 2.5)) / 100.0);
    }
    w.epidemic.vaccine_groups = {{"mrna", {0.5, 0.9}, {0.8, 0.95}, {0.3, 0.5}, 0.0},
                                 {"adenovirus", {0.6}, {0.85}, {0.2}, 180.0}};
    w.epidemic.importation_rate = 0.0;
    Product pfizer;
    pfizer.id = "pfizer";
    pfizer.group = "mrna";
    pfizer.course = {0, 0};
    Product janssen;
    janssen.id = "janssen";
    janssen.group = "adenovirus";
    janssen.course = {0};
    w.products = {pfizer, janssen};
    w.countries = {make_country("AAA", 5e7, 5e4), make_country("BBB", 2e7, 2e3), make_country("CCC", 1e6, 0.0)};
    return w;
}

struct RunResult {
    std::vector<double> deaths;
    Recorder recorder;
};

RunResult run_days(const World& world, int days, const std::vector<Vaccination>& daily = {}) {
    EpidemicModel model(world, world.simulation.seed);
    RunResult result;
    DayExchange exchange;
    for (int d = 0; d < days; ++d) {
        const Date today = world.simulation.start + d;
        model.apply_vaccinations(daily);
        model.step(today, exchange, result.recorder);
    }
    result.deaths = model.cumulative_deaths_by_country();
    return result;
}

double total_of(const Recorder& recorder, std::string_view metric, int country) {
    double total = 0.0;
    for (const auto& p : recorder.points())
        if (p.key.metric == metric && p.key.country == country) total += p.value;
    return total;
}

}  // namespace

TEST(EpidemicModel, FillsSignalsRecordsMetricsAndConservesPeople) {
    World world = make_world();
    world.countries[0].death_reporting_ratio = 0.25;  // a quarter of the deaths reported
    EpidemicModel model(world, 1);
    DayExchange exchange;
    Recorder recorder;
    double previous_deaths = 0.0;
    for (int d = 0; d < 120; ++d) {
        model.step(world.simulation.start + d, exchange, recorder);
        ASSERT_EQ(exchange.epidemic.size(), 3u);
        EXPECT_GE(model.deaths_total(), previous_deaths);
        previous_deaths = model.deaths_total();
    }
    const auto deaths = model.cumulative_deaths_by_country();
    EXPECT_NEAR(std::accumulate(deaths.begin(), deaths.end(), 0.0), model.deaths_total(), 1e-6);
    EXPECT_GT(exchange.epidemic[0].cumulative_deaths, 0.0);
    EXPECT_NEAR(exchange.epidemic[0].cumulative_deaths, deaths[0], 1e-9);
    EXPECT_GT(exchange.epidemic[0].prevalence, 0.0);
    EXPECT_EQ(exchange.epidemic[2].infections_today, 0.0);  // no infections and no importation
    EXPECT_EQ(exchange.world_prevalence_by_variant.size(), 1u);
    // Daily death flows add up to the cumulative level.
    EXPECT_NEAR(total_of(recorder, "deaths", 0), deaths[0], 1e-6 * deaths[0]);
    // What is reported: the ratio's share of the deaths, in the series and in the signal fear and surge answer.
    EXPECT_NEAR(total_of(recorder, "deaths_reported", 0), 0.25 * deaths[0], 1e-6 * deaths[0]);
    EXPECT_NEAR(total_of(recorder, "deaths_reported", 1), total_of(recorder, "deaths", 1), 1e-9);
    EXPECT_GT(exchange.epidemic[0].deaths_per_million_7d, 0.0);
    EXPECT_DOUBLE_EQ(exchange.epidemic[0].reported_deaths_per_million_7d,
                     0.25 * exchange.epidemic[0].deaths_per_million_7d);
    for (std::string_view metric : {"infections", "cumulative_deaths", "prevalence", "rt"})
        EXPECT_GT(total_of(recorder, metric, 0), 0.0) << metric;
    for (CountryId c{0}; c.value() < 3; c = CountryId(c.value() + 1)) {
        const auto* e = model.country_epidemic(c);
        const auto& s = e->state();
        const double people = std::accumulate(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(e->structure().c_offset()), 0.0);
        EXPECT_NEAR(people, model.population(c), 1e-9 * model.population(c));
    }
}

TEST(EpidemicModel, RZeroOverrideSetsTheFinalSize) {
    World world = make_world();
    world.age_band_lower = {0};
    world.epidemic.age_band_lower = {0};
    world.epidemic.susceptibility = {1.0};
    world.epidemic.infection_fatality_ratio = {0.0};
    world.products.clear();
    Country c;
    c.code = "ONE";
    c.population_by_age = {1e7};
    c.contacts = {12.0};
    c.r0 = 2.0;
    c.initial_infections = 10.0;
    world.countries = {c};
    EpidemicModel model(world, 1);
    DayExchange exchange;
    Recorder recorder;
    model.step(world.simulation.start, exchange, recorder);
    // One band: rt = R0 x S / N at the start.
    for (const auto& p : recorder.points())
        if (p.key.metric == "rt") {
            EXPECT_NEAR(p.value, 2.0, 1e-3);
        }
    for (int d = 1; d < 1500; ++d) model.step(world.simulation.start + d, exchange, recorder);
    const double z = 1.0 + boost::math::lambert_w0(-2.0 * std::exp(-2.0)) / 2.0;
    EXPECT_NEAR(model.country_epidemic(CountryId(0))->recovered_or_dead_total() / 1e7, z, 1e-4);
}

TEST(EpidemicModel, VaccinationAvertsDeathsAndUnplacedDosesAreRecorded) {
    const World world = make_world();
    std::vector<Vaccination> daily;
    for (int b = 12; b < bands; ++b) daily.push_back({CountryId(0), ProductId(1), 1, b, 2e4});
    const RunResult vaccinated = run_days(world, 150, daily);
    const RunResult baseline = run_days(world, 150);
    EXPECT_LT(vaccinated.deaths[0], 0.95 * baseline.deaths[0]);
    EXPECT_DOUBLE_EQ(vaccinated.deaths[1], baseline.deaths[1]);  // no importation: BBB is unaffected
    // Dose 2 of pfizer to people who never had dose 1 cannot be placed.
    const RunResult unplaced = run_days(world, 2, {{CountryId(1), ProductId(0), 2, 5, 100.0}});
    EXPECT_NEAR(total_of(unplaced.recorder, "vaccinations_unplaced", 1), 200.0, 1e-9);
}

TEST(EpidemicModel, WillingShareMovesPeopleBetweenStreams) {
    const World world = make_world();
    EpidemicModel model(world, 1);
    const auto before = model.eligible_unvaccinated(CountryId(2));
    model.set_willing_share(CountryId(2), std::vector<double>(bands, 0.4));
    const auto after = model.eligible_unvaccinated(CountryId(2));
    for (int b = 0; b < bands; ++b) EXPECT_NEAR(after[b], before[b] * 0.5, 1e-6 * before[b]);
    EXPECT_THROW(model.set_willing_share(CountryId(2), {0.5}), std::invalid_argument);
}

TEST(EpidemicModel, TakesTheWillingShareAndTheDosesFromTheExchange) {
    const World world = make_world();
    EpidemicModel direct(world, 1), exchanged(world, 1);
    const std::vector<Vaccination> doses{{CountryId(2), ProductId(1), 1, 12, 1e4}};
    direct.set_willing_share(CountryId(2), std::vector<double>(bands, 0.4));
    direct.apply_vaccinations(doses);
    DayExchange exchange;
    exchange.uptake.assign(world.countries.size(), UptakeSignal{});
    for (std::size_t c = 0; c < world.countries.size(); ++c)
        exchange.uptake[c].willing_share_by_band.assign(bands, c == 2 ? 0.4 : 0.8);
    exchange.vaccinations = doses;
    exchanged.take_uptake(exchange);
    EXPECT_EQ(exchanged.eligible_unvaccinated(CountryId(2)), direct.eligible_unvaccinated(CountryId(2)));
    EXPECT_NE(exchanged.eligible_unvaccinated(CountryId(0)), direct.eligible_unvaccinated(CountryId(0)));
    exchange.uptake.pop_back();
    EXPECT_THROW(exchanged.take_uptake(exchange), std::invalid_argument);
}

TEST(EpidemicModel, VariantSpreadsFromItsOriginThroughImportation) {
    World world = make_world();
    world.epidemic.importation_rate = 2e4;
    Variant delta;
    delta.id = "delta";
    delta.transmissibility = 1.6;
    delta.severity = 1.5;
    delta.escape = {{"mrna", 0.2}};
    delta.escape_infection = 0.3;
    delta.emergence = world.simulation.start + 20;
    delta.origin = CountryId(1);
    delta.seed_infections = 500.0;
    world.epidemic.variants = {delta};
    EpidemicModel model(world, 1);
    ASSERT_EQ(model.variant_count(), 2);
    DayExchange exchange;
    Recorder recorder;
    for (int d = 0; d < 100; ++d) model.step(world.simulation.start + d, exchange, recorder);
    ASSERT_EQ(exchange.world_prevalence_by_variant.size(), 2u);
    EXPECT_GT(exchange.world_prevalence_by_variant[1], 0.0);
    double last_share_ccc = 0.0, first_share_aaa = -1.0;
    for (const auto& p : recorder.points()) {
        if (p.key.metric != "variant_share" || p.key.tag != "delta") continue;
        if (p.key.country == 2) last_share_ccc = p.value;
        if (p.key.country == 0 && p.date == world.simulation.start + 10) first_share_aaa = p.value;
    }
    EXPECT_EQ(first_share_aaa, 0.0);   // before emergence
    EXPECT_GT(last_share_ccc, 0.5);    // imported into CCC, which had no epidemic, and took over there
    const auto* ccc = model.country_epidemic(CountryId(2));
    EXPECT_GT(ccc->cumulative_infections(1), 1e4);
}

// A variant that escapes infection-acquired immunity infects the recovered; one that escapes vaccine protection
// against infection more than against death kills fewer of the vaccinated than one escaping both alike.
TEST(EpidemicModel, EscapeFromInfectionImmunityAndFromProtectionAgainstDeath) {
    World world = make_world();
    world.countries.resize(1);
    world.countries[0].initial_immune_share = 0.6;
    Variant omicron;
    omicron.id = "omicron";
    omicron.transmissibility = 1.5;
    omicron.escape = {{"mrna", 0.6}, {"adenovirus", 0.6}};
    omicron.emergence = world.simulation.start;
    omicron.origin = CountryId(0);
    omicron.seed_infections = 1e4;
    auto infections_and_deaths = [&](double escape_infection, std::unordered_map<std::string, double> escape_death) {
        World w = world;
        omicron.escape_infection = escape_infection;
        omicron.escape_death = std::move(escape_death);
        w.epidemic.variants = {omicron};
        std::vector<Vaccination> daily;
        for (int b = 10; b < bands; ++b) daily.push_back({CountryId(0), ProductId(0), 1, b, 5e4});
        EpidemicModel model(w, 1);
        DayExchange exchange;
        Recorder recorder;
        for (int d = 0; d < 200; ++d) {
            if (d < 30) model.apply_vaccinations(daily);
            model.step(w.simulation.start + d, exchange, recorder);
        }
        return std::pair{model.country_epidemic(CountryId(0))->cumulative_infections(1),
                         model.cumulative_deaths_by_country()[0]};
    };
    const auto none = infections_and_deaths(0.0, {});
    const auto reinfecting = infections_and_deaths(0.5, {});
    EXPECT_GT(reinfecting.first, 1.2 * none.first);  // the 60% who had been infected are reinfected
    EXPECT_GT(reinfecting.second, none.second);
    const auto death_kept = infections_and_deaths(0.5, {{"mrna", 0.0}});
    EXPECT_NEAR(death_kept.first, reinfecting.first, 1e-3 * reinfecting.first);  // infections barely change
    EXPECT_LT(death_kept.second, reinfecting.second);
    World bad = world;
    omicron.escape_death = {{"unknown_group", 0.1}};
    bad.epidemic.variants = {omicron};
    EXPECT_THROW(EpidemicModel(bad, 1), std::invalid_argument);
}

TEST(EpidemicModel, StochasticRunsRepeatAndDoNotDependOnThreads) {
    World world = make_world();
    world.simulation.stochastic_epidemic = true;
    world.epidemic.importation_rate = 100.0;
    auto deaths_with_threads = [&](int threads, std::uint64_t seed) {
        tbb::task_arena arena(threads);
        std::vector<double> deaths;
        arena.execute([&] {
            EpidemicModel model(world, seed);
            DayExchange exchange;
            Recorder recorder;
            for (int d = 0; d < 40; ++d) model.step(world.simulation.start + d, exchange, recorder);
            deaths = model.cumulative_deaths_by_country();
            deaths.push_back(exchange.epidemic[2].prevalence);
        });
        return deaths;
    };
    const auto one = deaths_with_threads(1, 7);
    EXPECT_EQ(one, deaths_with_threads(4, 7));
    EXPECT_NE(one, deaths_with_threads(1, 8));
    EXPECT_GT(one[0], 0.0);
}

TEST(EpidemicModel, RejectsInconsistentWorldsAndSkipsEmptyCountries) {
    {
        World world = make_world();
        world.products[0].group = "protein";
        EXPECT_THROW(EpidemicModel(world, 1), std::invalid_argument);
    }
    {
        World world = make_world();
        world.products[1].course = {0, 0};  // two doses, but adenovirus efficacies for one
        EXPECT_THROW(EpidemicModel(world, 1), std::invalid_argument);
    }
    {
        World world = make_world();
        world.countries[1].contacts.clear();
        EXPECT_THROW(EpidemicModel(world, 1), std::invalid_argument);
    }
    {
        World world = make_world();
        world.epidemic.variants = {Variant{"x", 1.0, 1.0, {{"unknown_group", 0.5}}, world.simulation.start, CountryId(0), 1.0, 0.0, {}}};
        EXPECT_THROW(EpidemicModel(world, 1), std::invalid_argument);
    }
    World world = make_world();
    world.countries[2].population_by_age.assign(bands, 0.0);
    world.countries[2].contacts.clear();
    EpidemicModel model(world, 1);
    EXPECT_EQ(model.population(CountryId(2)), 0.0);
    EXPECT_EQ(model.country_epidemic(CountryId(2)), nullptr);
    DayExchange exchange;
    Recorder recorder;
    model.apply_vaccinations({{CountryId(2), ProductId(0), 1, 3, 10.0}});
    model.step(world.simulation.start, exchange, recorder);
    EXPECT_EQ(exchange.epidemic[2].deaths_today, 0.0);
}
