#include "epidemic/epidemic_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include <boost/random/poisson_distribution.hpp>
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "epidemic/spectral_radius.hpp"

namespace doseflow {
namespace {

using epidemic::CountryEpidemic;
using epidemic::CountryInputs;
using epidemic::ModelStructure;
using epidemic::StructureSpec;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument("epidemic: " + message); }

int band_count(const World& world) {
    if (!world.age_band_lower.empty()) return world.age_band_count();
    return static_cast<int>(world.epidemic.age_band_lower.size());
}

StructureSpec make_structure_spec(const World& world) {
    const EpidemicParameters& p = world.epidemic;
    StructureSpec spec;
    spec.bands = band_count(world);
    if (spec.bands <= 0) fail("no age bands (World::age_band_lower is empty)");
    if (static_cast<int>(p.susceptibility.size()) != spec.bands)
        fail(fmt::format("EpidemicParameters::susceptibility has {} values for {} age bands", p.susceptibility.size(),
                         spec.bands));
    if (static_cast<int>(p.infection_fatality_ratio.size()) != spec.bands)
        fail(fmt::format("EpidemicParameters::infection_fatality_ratio has {} values for {} age bands",
                         p.infection_fatality_ratio.size(), spec.bands));
    spec.leaky = p.leaky;
    spec.latent_days = p.latent_days;
    spec.infectious_days = p.infectious_days;
    spec.infection_immunity_days = p.infection_immunity_days;
    for (const VaccineGroupParameters& g : p.vaccine_groups)
        spec.groups.push_back({g.group, g.efficacy_infection_by_dose, g.efficacy_death_by_dose,
                               g.efficacy_transmission_by_dose, g.waning_days});
    spec.variants.push_back({"ancestral", 1.0, 1.0, std::vector<double>(spec.groups.size(), 0.0), 0.0, {}});
    auto group_index = [&](const Variant& v, const std::string& key) {
        const auto it = std::find_if(spec.groups.begin(), spec.groups.end(),
                                     [&](const auto& g) { return g.name == key; });
        if (it == spec.groups.end())
            fail(fmt::format("variant '{}': escape names '{}', which is not a vaccine group", v.id, key));
        return static_cast<std::size_t>(it - spec.groups.begin());
    };
    for (const Variant& v : p.variants) {
        epidemic::VariantSpec variant{v.id, v.transmissibility, v.severity,
                                      std::vector<double>(spec.groups.size(), 0.0), v.escape_infection, {}};
        for (const auto& [key, share] : v.escape) variant.escape_by_group[group_index(v, key)] = share;
        variant.escape_death_by_group = variant.escape_by_group;
        for (const auto& [key, share] : v.escape_death) variant.escape_death_by_group[group_index(v, key)] = share;
        spec.variants.push_back(std::move(variant));
    }
    return spec;
}

// Transmission matrix scaled so that the spectral radius of the next-generation matrix
// diag(u) C * infectious_days equals the target R0 (SPEC.md section 4.2 with the exact scale factor).
std::vector<double> scaled_transmission(const Country& country, const EpidemicParameters& p, int bands) {
    const double r0 = country.r0.value_or(p.r0);
    const auto ngm = epidemic::next_generation_matrix(country.contacts, p.susceptibility, p.infectious_days);
    const double radius = epidemic::spectral_radius(ngm, bands);
    if (!(radius > 0.0))
        fail(fmt::format("country {}: the next-generation matrix has spectral radius 0 (no contacts or zero "
                         "susceptibility), so R0 = {} cannot be reached", country.code, r0));
    const double scale = r0 / radius;
    std::vector<double> t(country.contacts.size());
    const auto n = static_cast<std::size_t>(bands);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) t[i * n + j] = scale * p.susceptibility[i] * country.contacts[i * n + j];
    return t;
}

// Initial state: the willing share of each band in the willing stream, initial immunity in R, and the initial
// infections spread over bands by population and split between E and I by the time spent in each.
void set_initial_state(CountryEpidemic& epidemic, const Country& country, const EpidemicParameters& p) {
    const ModelStructure& m = epidemic.structure();
    auto& x = epidemic.state();
    const double population = epidemic.population();
    const double infected_share = std::min(1.0, country.initial_infections / population);
    const double exposed_fraction = p.latent_days / (p.latent_days + p.infectious_days);
    if (country.initial_immune_share < 0.0 || country.initial_immune_share + infected_share > 1.0)
        fail(fmt::format("country {}: initial_immune_share {} with {} initial infections exceeds the population",
                         country.code, country.initial_immune_share, country.initial_infections));
    for (int b = 0; b < m.bands(); ++b) {
        const double n = epidemic.population_by_band()[b];
        double willing = 1.0;
        if (!country.willing_share_by_age.empty()) {
            if (static_cast<int>(country.willing_share_by_age.size()) != m.bands())
                fail(fmt::format("country {}: willing_share_by_age has {} values for {} age bands", country.code,
                                 country.willing_share_by_age.size(), m.bands()));
            willing = std::clamp(country.willing_share_by_age[b], 0.0, 1.0);
        }
        const double infected = infected_share * n;
        const double immune = country.initial_immune_share * n;
        const double susceptible = n - infected - immune;
        const double shares[2] = {willing, 1.0 - willing};
        const int strata[2] = {ModelStructure::willing, ModelStructure::unwilling};
        for (int k = 0; k < 2; ++k) {
            x[m.s_index(strata[k], b)] = shares[k] * susceptible;
            x[m.r_index(strata[k], b)] = shares[k] * immune;
            x[m.e_index(strata[k], 0, b)] = shares[k] * infected * exposed_fraction;
            x[m.i_index(strata[k], 0, b)] = shares[k] * infected * (1.0 - exposed_fraction);
        }
        // Initial immunity and infections count as past infections of the ancestral strain.
        x[m.c_index(0, b)] = infected + immune;
    }
}

}  // namespace

EpidemicModel::EpidemicModel(const World& world, std::uint64_t seed)
    : world_(&world),
      structure_(std::make_unique<ModelStructure>(make_structure_spec(world))),
      stochastic_(world.simulation.stochastic_epidemic),
      stochastic_steps_(std::max(1, static_cast<int>(std::lround(world.epidemic.stochastic_steps_per_day)))) {
    const EpidemicParameters& p = world.epidemic;
    const int bands = structure_->bands();
    const auto& groups = structure_->spec().groups;
    for (const Product& product : world.products) {
        const auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == product.group; });
        if (it == groups.end())
            fail(fmt::format("product '{}' belongs to group '{}', which EpidemicParameters::vaccine_groups lacks",
                             product.id, product.group));
        if (product.doses_per_course() > it->doses())
            fail(fmt::format("product '{}' has a {}-dose course but group '{}' gives efficacies for {} doses",
                             product.id, product.doses_per_course(), it->name, it->doses()));
        product_group_.push_back(static_cast<int>(it - groups.begin()));
    }
    variant_tags_.push_back("ancestral");
    for (const Variant& v : p.variants) variant_tags_.push_back(v.id);
    variant_seeded_.assign(variant_tags_.size(), true);
    for (std::size_t v = 1; v < variant_seeded_.size(); ++v) variant_seeded_[v] = false;

    for (std::size_t c = 0; c < world.countries.size(); ++c) {
        const Country& country = world.countries[c];
        streams_.push_back(make_stream(seed, c, StreamPurpose::epidemic));
        records_.emplace_back();
        if (static_cast<int>(country.population_by_age.size()) != bands)
            fail(fmt::format("country {}: population_by_age has {} values for {} age bands", country.code,
                             country.population_by_age.size(), bands));
        if (country.population() <= 0.0) {
            countries_.push_back(nullptr);  // nobody to simulate
            continue;
        }
        if (country.contacts.size() != static_cast<std::size_t>(bands * bands))
            fail(fmt::format("country {}: contacts has {} values; {} x {} (row = participant) needed", country.code,
                             country.contacts.size(), bands, bands));
        countries_.push_back(initial_country_epidemic(CountryId(c)));
    }
}

std::unique_ptr<CountryEpidemic> EpidemicModel::initial_country_epidemic(CountryId id) const {
    return initial_country_epidemic(id, world_->countries.at(id.value()).fatality_multiplier);
}

std::unique_ptr<CountryEpidemic> EpidemicModel::initial_country_epidemic(CountryId id,
                                                                         double fatality_multiplier) const {
    const EpidemicParameters& p = world_->epidemic;
    const Country& country = world_->countries.at(id.value());
    // A ratio of deaths to infections is at most one in any band (docs/model.md, fatality by country).
    std::vector<double> fatality = p.infection_fatality_ratio;
    for (double& f : fatality) f = std::min(1.0, f * fatality_multiplier);
    CountryInputs inputs{country.population_by_age, scaled_transmission(country, p, structure_->bands()),
                         std::move(fatality)};
    auto epidemic = std::make_unique<CountryEpidemic>(*structure_, std::move(inputs));
    set_initial_state(*epidemic, country, p);
    return epidemic;
}

void EpidemicModel::record_inputs(EpidemicInputLog* log) {
    if (log && stochastic_)
        throw std::invalid_argument("epidemic inputs can be recorded only in deterministic mode (a replay of a "
                                    "stochastic run would draw other numbers)");
    input_log_ = log;
    if (log) log->countries.resize(countries_.size());
}

void EpidemicModel::apply_vaccinations(const std::vector<Vaccination>& given) {
    for (const Vaccination& v : given) {
        CountryEpidemic* country = countries_.at(v.country.value()).get();
        if (country == nullptr) {
            records_[v.country.value()].unplaced_vaccinations += v.people;
            continue;
        }
        const int group = product_group_.at(v.product.value());
        log(v.country.value(), {EpidemicInputAction::Kind::vaccinate, static_cast<std::int16_t>(group),
                                static_cast<std::int16_t>(v.dose_number), static_cast<std::int16_t>(v.age_band), v.people});
        const double placed = country->vaccinate(group, v.dose_number, v.age_band, v.people);
        records_[v.country.value()].unplaced_vaccinations += v.people - placed;
    }
}

void EpidemicModel::set_willing_share(CountryId country, const std::vector<double>& willing_share_by_band) {
    CountryEpidemic* epidemic = countries_.at(country.value()).get();
    if (epidemic == nullptr) return;
    if (static_cast<int>(willing_share_by_band.size()) != structure_->bands())
        throw std::invalid_argument(fmt::format("set_willing_share: {} shares for {} age bands",
                                                willing_share_by_band.size(), structure_->bands()));
    for (std::size_t b = 0; b < willing_share_by_band.size(); ++b)
        log(country.value(), {EpidemicInputAction::Kind::willing, 0, 0, static_cast<std::int16_t>(b),
                              willing_share_by_band[b]});
    epidemic->set_willing_shares(willing_share_by_band);
}

void EpidemicModel::take_uptake(const DayExchange& exchange) {
    if (exchange.uptake.size() != countries_.size())
        throw std::invalid_argument(fmt::format("take_uptake: uptake signals for {} countries, {} in the world",
                                                exchange.uptake.size(), countries_.size()));
    for (std::size_t c = 0; c < countries_.size(); ++c)
        set_willing_share(CountryId(c), exchange.uptake[c].willing_share_by_band);
    apply_vaccinations(exchange.vaccinations);
}

void EpidemicModel::seed_variant(CountryId country, VariantId variant, double people) {
    CountryEpidemic* epidemic = countries_.at(country.value()).get();
    if (epidemic == nullptr) return;
    const int model_variant = static_cast<int>(variant.value()) + 1;
    log(country.value(), {EpidemicInputAction::Kind::seed, static_cast<std::int16_t>(model_variant), 0, 0, people});
    records_[country.value()].imported_today += epidemic->seed_infections(model_variant, people);
    variant_seeded_.at(static_cast<std::size_t>(model_variant)) = true;
}

double transmission_multiplier(const Country& country, Date date) {
    if (country.log_transmission_path.empty()) return 1.0;
    return std::exp(country.log_transmission_path.at(date));
}

void EpidemicModel::run_history() {
    const auto& start = world_->epidemic.history_start;
    deaths_before_start_.assign(countries_.size(), 0.0);
    if (!start) return;
    Recorder nothing = Recorder::disabled();
    DayExchange exchange;
    exchange.epidemic.assign(countries_.size(), EpidemicSignal{});
    for (Date day = *start; day < world_->simulation.start; day = day + 1) {
        exchange.date = day;
        for (const ScenarioEvent& event : world_->events)
            if (event.kind == EventKind::variant_arrival && event.variant && event.date == day) {
                const auto& variant = world_->epidemic.variants[event.variant->value()];
                seed_variant(event.country, *event.variant, event.value > 0 ? event.value : variant.seed_infections);
            }
        step(day, exchange, nothing);
    }
    deaths_before_start_ = cumulative_deaths_by_country();
}

void EpidemicModel::run_history(History& keep) {
    run_history();
    keep.states.clear();
    for (const auto& epidemic : countries_) keep.states.push_back(epidemic ? epidemic->state() : std::vector<double>{});
    keep.records = records_;
    keep.streams = streams_;
    keep.variant_seeded = variant_seeded_;
    keep.deaths_before_start = deaths_before_start_;
    keep.summarised = summarised_;
    keep.filled = true;
}

void EpidemicModel::start_from(const History& history) {
    if (!history.filled || history.states.size() != countries_.size() || history.records.size() != records_.size() ||
        history.variant_seeded.size() != variant_seeded_.size())
        throw std::invalid_argument("EpidemicModel::start_from: the history is of another world");
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        const auto& state = history.states[c];
        if (countries_[c] == nullptr ? !state.empty() : state.size() != countries_[c]->state().size())
            throw std::invalid_argument("EpidemicModel::start_from: the history is of another world");
    }
    for (std::size_t c = 0; c < countries_.size(); ++c)
        if (countries_[c]) countries_[c]->state() = history.states[c];
    records_ = history.records;
    streams_ = history.streams;
    variant_seeded_ = history.variant_seeded;
    deaths_before_start_ = history.deaths_before_start;
    summarised_ = history.summarised;
}

double seasonal_factor(const EpidemicParameters& parameters, Date today) {
    const double amplitude = parameters.seasonality_amplitude;
    if (amplitude == 0.0) return 1.0;
    // Peak in mid-January for every country (the World has no latitude to shift it for the south).
    const double day_of_year = static_cast<double>(today - Date::from_ymd(today.year(), 1, 1));
    return 1.0 + amplitude * std::cos(2.0 * std::numbers::pi * (day_of_year - 14.0) / 365.25);
}

void EpidemicModel::advance_country(std::size_t c, Date today, const std::vector<double>& import_pressure,
                                    std::vector<EpidemicSignal>& signals) {
    CountryEpidemic* epidemic = countries_[c].get();
    CountryRecord& record = records_[c];
    EpidemicSignal& signal = signals[c];
    signal = {};
    if (epidemic == nullptr) return;
    const Country& country = world_->countries[c];
    RandomEngine& rng = streams_[c];
    // Yesterday's counters: seeds placed since (variant arrivals, imports) count as today's infections. They wait
    // in new_by_variant until today's summary replaces them by the differences.
    record.new_by_variant = record.summary.cumulative_infections_by_variant;
    const double deaths_before = record.summary.deaths;

    // Imports: rate x travel weight x travel-weighted world prevalence, per variant.
    for (int v = 0; v < structure_->variants(); ++v) {
        double expected = world_->epidemic.importation_rate * country.travel_weight * import_pressure[v];
        if (expected <= 0.0) continue;
        if (stochastic_) {
            boost::random::poisson_distribution<long long, double> poisson(expected);
            expected = static_cast<double>(poisson(rng));
        }
        log(c, {EpidemicInputAction::Kind::seed, static_cast<std::int16_t>(v), 0, 0, expected});
        record.imported_today += epidemic->seed_infections(v, expected);
    }

    log(c, {EpidemicInputAction::Kind::advance, 0, 0, 0, static_cast<double>(today.days_since_1970())});
    epidemic->set_transmission_factor(seasonal_factor(world_->epidemic, today) * transmission_multiplier(country, today));
    if (stochastic_)
        epidemic->advance_stochastic(1.0, stochastic_steps_, rng);
    else
        try {
            epidemic->advance_deterministic(1.0, integrator_, workspaces_.local());
        } catch (const epidemic::ImpossibleState& e) {
            throw epidemic::ImpossibleState(
                fmt::format("epidemic of {} on {}: {}", country.code, today.iso(), e.what()));
        }
    epidemic->summarise(record.summary);
    const auto& summary = record.summary;

    double infections = 0.0;
    for (std::size_t v = 0; v < record.new_by_variant.size(); ++v) {
        record.new_by_variant[v] = summary.cumulative_infections_by_variant[v] - record.new_by_variant[v];
        infections += record.new_by_variant[v];
    }
    const double deaths = summary.deaths - deaths_before;
    record.deaths_last_7_days[record.day_count % 7] = deaths;
    ++record.day_count;
    const int window = std::min(record.day_count, 7);
    double deaths_window = 0.0;
    for (int k = 0; k < window; ++k) deaths_window += record.deaths_last_7_days[k];
    const double population = epidemic->population();
    double infectious = 0.0;
    for (double i : summary.infectious_by_variant) infectious += i;
    signal.infections_today = infections;
    signal.deaths_today = deaths;
    signal.deaths_per_million_7d = deaths_window / window / population * 1e6;
    signal.reported_deaths_per_million_7d = signal.deaths_per_million_7d * country.death_reporting_ratio;
    signal.prevalence = infectious / population;
    signal.cumulative_deaths =
        summary.deaths - (deaths_before_start_.empty() ? 0.0 : deaths_before_start_[c]);
}

void EpidemicModel::step(Date today, DayExchange& exchange, Recorder& recorder) {
    const std::size_t count = countries_.size();
    const int variants = structure_->variants();
    if (!summarised_) {
        for (std::size_t c = 0; c < count; ++c)
            if (countries_[c]) records_[c].summary = countries_[c]->summarise();
        summarised_ = true;
    }

    // Variants emerge at their origin on their emergence date (or on the first day simulated after it).
    for (std::size_t i = 0; i < world_->epidemic.variants.size(); ++i) {
        const Variant& v = world_->epidemic.variants[i];
        if (variant_seeded_[i + 1] || today < v.emergence || !v.origin.valid()) continue;
        seed_variant(v.origin, VariantId(i), v.seed_infections);
    }

    // Travel-weighted world prevalence at the start of the day (vaccinations and seeds do not change who is
    // infectious, so yesterday's closing figures hold), per variant.
    std::vector<double> import_pressure(static_cast<std::size_t>(variants), 0.0);
    double weighted_population = 0.0;
    for (std::size_t c = 0; c < count; ++c) {
        if (!countries_[c]) continue;
        const double weight = world_->countries[c].travel_weight;
        weighted_population += weight * countries_[c]->population();
        for (int v = 0; v < variants; ++v) import_pressure[v] += weight * records_[c].summary.infectious_by_variant[v];
    }
    for (double& value : import_pressure) value = weighted_population > 0.0 ? value / weighted_population : 0.0;

    exchange.epidemic.resize(count);
    // Each country has its own random stream, so the result does not depend on how TBB splits the range.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t c = range.begin(); c != range.end(); ++c) advance_country(c, today, import_pressure, exchange.epidemic);
    });

    exchange.world_prevalence_by_variant.assign(static_cast<std::size_t>(variants), 0.0);
    double world_population = 0.0;
    for (std::size_t c = 0; c < count; ++c) {
        if (!countries_[c]) continue;
        world_population += countries_[c]->population();
        for (int v = 0; v < variants; ++v)
            exchange.world_prevalence_by_variant[v] += records_[c].summary.infectious_by_variant[v];
    }
    for (double& value : exchange.world_prevalence_by_variant) value = world_population > 0 ? value / world_population : 0.0;

    for (std::size_t c = 0; c < count; ++c) {
        if (!countries_[c]) continue;
        CountryRecord& record = records_[c];
        const auto country = static_cast<std::int32_t>(c);
        const EpidemicSignal& signal = exchange.epidemic[c];
        recorder.flow(today, {country, -1, -1, "infections", {}}, signal.infections_today);
        recorder.flow(today, {country, -1, -1, "deaths", {}}, signal.deaths_today);
        recorder.flow(today, {country, -1, -1, "deaths_reported", {}},
                      signal.deaths_today * world_->countries[c].death_reporting_ratio);
        recorder.level(today, {country, -1, -1, "cumulative_deaths", {}}, signal.cumulative_deaths);
        recorder.level(today, {country, -1, -1, "prevalence", {}}, signal.prevalence);
        // Instantaneous reproduction number: new infections per unit of infectiousness-weighted prevalence times
        // the infectious period; 0 when nobody is infectious.
        const double infectious = record.summary.weighted_infectious;
        const double rt = infectious > 0.0 ? record.summary.new_infection_rate_per_day / infectious *
                                                 structure_->spec().infectious_days
                                           : 0.0;
        recorder.level(today, {country, -1, -1, "rt", {}}, rt);
        if (record.imported_today > 0.0)
            recorder.flow(today, {country, -1, -1, "imported_infections", {}}, record.imported_today);
        if (record.unplaced_vaccinations > 0.0)
            recorder.flow(today, {country, -1, -1, "vaccinations_unplaced", {}}, record.unplaced_vaccinations);
        record.imported_today = 0.0;
        record.unplaced_vaccinations = 0.0;
        if (variants > 1) {
            const double total = signal.infections_today;
            for (int v = 0; v < variants; ++v) {
                const double share = total > 0.0 ? record.new_by_variant[v] / total : 0.0;
                recorder.level(today, {country, -1, -1, "variant_share", variant_tags_[v]}, share);
            }
        }
    }
}

double EpidemicModel::population(CountryId country) const {
    const CountryEpidemic* epidemic = countries_.at(country.value()).get();
    return epidemic == nullptr ? 0.0 : epidemic->population();
}

double EpidemicModel::deaths_total() const {
    double total = 0.0;
    for (double deaths : cumulative_deaths_by_country()) total += deaths;
    return total;
}

std::vector<double> EpidemicModel::cumulative_deaths_by_country() const {
    std::vector<double> deaths;
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        const double before = deaths_before_start_.empty() ? 0.0 : deaths_before_start_[c];
        deaths.push_back(countries_[c] ? countries_[c]->deaths_total() - before : 0.0);
    }
    return deaths;
}

std::vector<double> EpidemicModel::eligible_unvaccinated(CountryId country) const {
    const CountryEpidemic* epidemic = countries_.at(country.value()).get();
    std::vector<double> eligible(static_cast<std::size_t>(structure_->bands()), 0.0);
    if (epidemic == nullptr) return eligible;
    for (int b = 0; b < structure_->bands(); ++b) eligible[b] = epidemic->eligible_unvaccinated(b);
    return eligible;
}

}  // namespace doseflow
