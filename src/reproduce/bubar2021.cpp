#include "reproduce/bubar2021.hpp"

#include "core/csv.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/embedded.hpp"
#include "doseflow/reproduce.hpp"
#include "epidemic/spectral_radius.hpp"
#include "epidemic/structure.hpp"

namespace doseflow::bubar2021 {
namespace {

using epidemic::CountryEpidemic;
using epidemic::ModelStructure;

// ------------------------------------------------------------------------------------------------------- CSV
// Rows of a CSV text keyed by the header's column names.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::string name;

    std::size_t column(std::string_view key) const {
        const auto it = std::find(header.begin(), header.end(), key);
        if (it == header.end()) throw std::runtime_error(fmt::format("bubar2021 {}: no column '{}'", name, key));
        return static_cast<std::size_t>(it - header.begin());
    }
    double number(std::size_t row, std::string_view key) const {
        const std::string& text = rows[row][column(key)];
        std::size_t used = 0;
        double value = 0.0;
        try {
            value = std::stod(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != text.size() || text.empty())
            throw std::runtime_error(fmt::format("bubar2021 {} row {}: '{}' in column '{}' is not a number", name,
                                                 row + 2, text, key));
        return value;
    }
    const std::string& text(std::size_t row, std::string_view key) const { return rows[row][column(key)]; }
};

Table parse_table(std::string_view text, std::string name) {
    Table table;
    table.name = std::move(name);
    auto records = csv::RecordReader::from_text(text);
    std::vector<std::string> fields;
    while (true) {
        try {
            if (!records.next(fields)) break;
        } catch (const csv::ParseError& error) {
            throw std::runtime_error(fmt::format("bubar2021 {} line {}: {}", table.name, error.line(), error.what()));
        }
        if (table.header.empty()) {
            table.header = std::move(fields);
            continue;
        }
        if (fields.size() != table.header.size())
            throw std::runtime_error(fmt::format("bubar2021 {}: a row has {} fields, the header {}", table.name,
                                                 fields.size(), table.header.size()));
        table.rows.push_back(std::move(fields));
    }
    if (table.header.empty()) throw std::runtime_error(fmt::format("bubar2021 {}: empty table", table.name));
    return table;
}

// ---------------------------------------------------------------------------------------------- the model
constexpr double gamma_per_day = 1.0 / 5.0;  // helper_functions.R compute_R0 (hard-coded recovery rate)
constexpr double refusal_share = 0.3;        // run_sim.R refuse_vax
constexpr double seed_share = 0.0025;        // run_sim.R: 0.25 % of each group in I and in E (rollout runs)
constexpr int horizon_days = 365;

ModelStructure make_structure(const Inputs& inputs) {
    const double efficacy = inputs.efficacy[0];
    for (double e : inputs.efficacy)
        if (e != efficacy)
            throw std::invalid_argument("bubar2021: age-dependent efficacy is not supported by this reproduction");
    epidemic::StructureSpec spec;
    spec.bands = groups;
    // Efficacy against death equal to that against infection: no extra protection given infection, and
    // all-or-nothing means the protected are never infected; nothing against onward transmission.
    spec.groups = {{"bubar2021", {efficacy}, {efficacy}, {0.0}, 0.0}};
    spec.variants = {{"ancestral", 1.0, 1.0, {0.0}, 0.0, {}}};
    spec.leaky = false;
    spec.latent_days = 3.0;      // setup.R, d_E = 1/3 (Davies et al. 2020)
    spec.infectious_days = 5.0;  // setup.R, d_I = 1/5
    return ModelStructure(spec);
}

void set_initial_state(CountryEpidemic& e, const ByGroup& n, bool day0) {
    const ModelStructure& m = e.structure();
    auto& x = e.state();
    std::fill(x.begin(), x.end(), 0.0);
    const double willing = 1.0 - refusal_share;
    for (int i = 0; i < groups; ++i) {
        if (day0) {  // run_sim.R: one infectious person in I and one in Ix per group
            x[m.i_index(ModelStructure::willing, 0, i)] = 1.0;
            x[m.i_index(ModelStructure::unwilling, 0, i)] = 1.0;
            x[m.s_index(ModelStructure::willing, i)] = willing * (n[i] - 2.0);
            x[m.s_index(ModelStructure::unwilling, i)] = refusal_share * (n[i] - 2.0);
        } else {
            x[m.i_index(ModelStructure::willing, 0, i)] = willing * seed_share * n[i];
            x[m.i_index(ModelStructure::unwilling, 0, i)] = refusal_share * seed_share * n[i];
            x[m.e_index(ModelStructure::willing, 0, i)] = willing * seed_share * n[i];
            x[m.e_index(ModelStructure::unwilling, 0, i)] = refusal_share * seed_share * n[i];
            x[m.s_index(ModelStructure::willing, i)] = willing * (n[i] - 2.0 * seed_share * n[i]);
            x[m.s_index(ModelStructure::unwilling, i)] = refusal_share * (n[i] - 2.0 * seed_share * n[i]);
        }
    }
}

void vaccinate_event(CountryEpidemic& e, double doses, const ByGroup& shares, const std::array<bool, groups>& in_strategy,
                     bool rollout) {
    ByGroup eligible{};
    for (int i = 0; i < groups; ++i) eligible[i] = e.eligible_unvaccinated(i);
    const ByGroup fraction = allocate(doses, shares, in_strategy, eligible, rollout);
    for (int i = 0; i < groups; ++i)
        if (fraction[i] > 0.0) e.vaccinate_fraction(0, 1, i, fraction[i]);
}

double sum(const ByGroup& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

}  // namespace

// --------------------------------------------------------------------------------------------------- inputs
ByGroup CountryData::population() const {
    ByGroup n{};
    for (int i = 0; i < groups; ++i) n[i] = population_share[i] * total_population;
    return n;
}

const CountryData& Inputs::country(std::string_view code) const {
    for (const auto& c : countries)
        if (c.code == code) return c;
    throw std::invalid_argument(fmt::format("bubar2021: no country '{}'", code));
}

Inputs parse_inputs(std::string_view countries_csv, std::string_view contacts_csv, std::string_view age_groups_csv) {
    Inputs inputs;
    const Table countries = parse_table(countries_csv, "countries.csv");
    for (std::size_t r = 0; r < countries.rows.size(); ++r) {
        CountryData c;
        c.code = countries.text(r, "country");
        c.name = countries.text(r, "name");
        c.total_population = countries.number(r, "total_population");
        for (int i = 0; i < groups; ++i) {
            c.population_share[i] = countries.number(r, fmt::format("population_share_{}", i + 1));
            c.life_expectancy_years[i] = countries.number(r, fmt::format("life_expectancy_{}", i + 1));
        }
        c.contacts.assign(groups * groups, -1.0);
        inputs.countries.push_back(std::move(c));
    }
    const Table contacts = parse_table(contacts_csv, "contacts.csv");
    for (std::size_t r = 0; r < contacts.rows.size(); ++r) {
        const std::string& code = contacts.text(r, "country");
        const auto it = std::find_if(inputs.countries.begin(), inputs.countries.end(),
                                     [&](const CountryData& c) { return c.code == code; });
        if (it == inputs.countries.end())
            throw std::runtime_error(fmt::format("bubar2021 contacts.csv row {}: unknown country '{}'", r + 2, code));
        CountryData& c = *it;
        const double participant = contacts.number(r, "participant");
        const int i = static_cast<int>(participant) - 1;
        if (i < 0 || i >= groups || participant != i + 1)
            throw std::runtime_error(fmt::format("bubar2021 contacts.csv row {}: participant must be 1..9", r + 2));
        for (int j = 0; j < groups; ++j) c.contacts[i * groups + j] = contacts.number(r, fmt::format("contacts_{}", j + 1));
    }
    for (const CountryData& c : inputs.countries)
        for (double value : c.contacts)
            if (value < 0.0) throw std::runtime_error(fmt::format("bubar2021: incomplete contact matrix for {}", c.code));
    const Table ages = parse_table(age_groups_csv, "age_groups.csv");
    if (ages.rows.size() != groups) throw std::runtime_error("bubar2021 age_groups.csv: 9 age groups expected");
    for (std::size_t r = 0; r < ages.rows.size(); ++r) {
        inputs.infection_fatality_ratio[r] = ages.number(r, "ifr");
        inputs.susceptibility[r] = ages.number(r, "susceptibility");
        inputs.efficacy[r] = ages.number(r, "ve_default");
    }
    return inputs;
}

Inputs embedded_inputs() {
    auto file = [](std::string_view name) {
        const auto contents = embedded_file(fmt::format("bubar2021/{}", name));
        if (!contents)
            throw std::runtime_error(fmt::format("bubar2021: the table data/bubar2021/{} is not compiled into this "
                                                 "binary (data/CMakeLists.txt embeds data/bubar2021/*.csv)",
                                                 name));
        return *contents;
    };
    return parse_inputs(file("countries.csv"), file("contacts.csv"), file("age_groups.csv"));
}

// ------------------------------------------------------------------------------------------------ R0 scaling
double r0_for_scale(const std::vector<double>& contacts, const ByGroup& susceptibility, double scale) {
    std::vector<double> k(groups * groups);
    for (int i = 0; i < groups; ++i)
        for (int j = 0; j < groups; ++j)
            k[i * groups + j] = susceptibility[i] / scale * contacts[i * groups + j] / gamma_per_day;
    return epidemic::spectral_radius(k, groups);
}

double bisection_scale(const std::vector<double>& contacts, const ByGroup& susceptibility, double r0_target) {
    // helper_functions.R scale_u_for_R0: `hi` is the divisor giving the higher R0.
    double hi = 10.0;
    double lo = 100.0;
    if (r0_for_scale(contacts, susceptibility, hi) < r0_target || r0_for_scale(contacts, susceptibility, lo) > r0_target)
        throw std::invalid_argument(fmt::format("bubar2021: R0 {} lies outside the bisection bracket", r0_target));
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double scale = (hi + lo) / 2.0;
        const double r = r0_for_scale(contacts, susceptibility, scale);
        if (r > r0_target)
            hi = scale;
        else
            lo = scale;
        if (std::abs(r - r0_target) < 1e-4) return scale;
    }
    throw std::runtime_error("bubar2021: the R0 bisection did not converge");
}

// ------------------------------------------------------------------------------------------------ strategies
const char* to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::kids: return "kids";
        case Strategy::adults: return "adults";
        case Strategy::twentyplus: return "twentyplus";
        case Strategy::elderly: return "elderly";
        case Strategy::all: return "all";
    }
    return "?";
}

std::array<bool, groups> prioritised(Strategy strategy) {
    std::array<bool, groups> in{};
    for (int i = 0; i < groups; ++i) {
        switch (strategy) {
            case Strategy::kids: in[i] = i <= 1; break;                  // 0-19
            case Strategy::adults: in[i] = i >= 2 && i <= 4; break;      // 20-49
            case Strategy::twentyplus: in[i] = i >= 2; break;            // 20+
            case Strategy::elderly: in[i] = i >= 6; break;               // 60+
            case Strategy::all: in[i] = true; break;
        }
    }
    return in;
}

std::string Vaccination::label() const {
    if (day0) return "day0";
    return fmt::format("rollout_{}", rollout_share_per_day * 100.0);
}

ByGroup strategy_shares(Strategy strategy, const ByGroup& willing_at_start) {
    const auto in = prioritised(strategy);
    double total = 0.0;
    for (int i = 0; i < groups; ++i)
        if (in[i]) total += willing_at_start[i];
    ByGroup shares{};
    for (int i = 0; i < groups; ++i) shares[i] = in[i] && total > 0.0 ? willing_at_start[i] / total : 0.0;
    return shares;
}

ByGroup allocate(double doses, const ByGroup& shares, const std::array<bool, groups>& in_strategy,
                 const ByGroup& eligible, bool rollout) {
    ByGroup dist{};
    for (int i = 0; i < groups; ++i) dist[i] = doses * shares[i];
    auto over = [&](int i) { return dist[i] > eligible[i]; };
    auto any_over = [&] {
        for (int i = 0; i < groups; ++i)
            if (over(i)) return true;
        return false;
    };
    // Caps the over-allocated groups and gives the excess to the recipients, in proportion to their eligible.
    auto redistribute = [&](const std::array<bool, groups>& recipient) {
        double pool = 0.0;
        for (int i = 0; i < groups; ++i)
            if (over(i)) {
                pool += dist[i] - eligible[i];
                dist[i] = eligible[i];
            }
        double recipient_eligible = 0.0;
        for (int i = 0; i < groups; ++i)
            if (recipient[i]) recipient_eligible += eligible[i];
        if (recipient_eligible <= 0.0) return;  // nobody to take the excess: it is lost
        for (int i = 0; i < groups; ++i)
            if (recipient[i]) dist[i] += pool * eligible[i] / recipient_eligible;
    };
    if (any_over()) {
        // Step 2: the prioritised groups that still have room take the excess of those that ran out.
        std::array<bool, groups> room{};
        bool some_room = false;
        for (int i = 0; i < groups; ++i) {
            room[i] = in_strategy[i] && !over(i);
            some_room = some_room || room[i];
        }
        if (some_room) redistribute(room);
        // Step 3: what is still over-allocated goes to the groups outside the strategy.
        if (any_over()) {
            std::array<bool, groups> outside{};
            for (int i = 0; i < groups; ++i) outside[i] = !in_strategy[i];
            redistribute(outside);
        }
    }
    // Step 4 (rollout): anything still over-allocated is capped; the excess is lost.
    if (rollout)
        for (int i = 0; i < groups; ++i) dist[i] = std::min(dist[i], eligible[i]);
    ByGroup fraction{};
    for (int i = 0; i < groups; ++i) {
        fraction[i] = eligible[i] > 0.0 ? dist[i] / eligible[i] : 0.0;
        if (fraction[i] > 1.0 || fraction[i] < 0.0) fraction[i] = 0.0;  // the code's guard (never triggered)
    }
    return fraction;
}

// ------------------------------------------------------------------------------------------------ simulation
double Outcome::yll(const ByGroup& life_expectancy_years) const {
    double total = 0.0;
    for (int i = 0; i < groups; ++i) total += deaths[i] * life_expectancy_years[i];
    return total;
}

Outcome simulate(const Inputs& inputs, const CountryData& country, const RunSettings& run,
                 epidemic::IntegratorSettings integrator) {
    const ModelStructure structure = make_structure(inputs);
    const ByGroup n = country.population();
    const double population = sum(n);
    const double scale = bisection_scale(country.contacts, inputs.susceptibility, run.r0);
    epidemic::CountryInputs country_inputs;
    country_inputs.population_by_band.assign(n.begin(), n.end());
    country_inputs.fatality_ratio_by_band.assign(inputs.infection_fatality_ratio.begin(),
                                                 inputs.infection_fatality_ratio.end());
    country_inputs.transmission.resize(groups * groups);
    for (int i = 0; i < groups; ++i)
        for (int j = 0; j < groups; ++j)
            country_inputs.transmission[i * groups + j] = inputs.susceptibility[i] * (country.contacts[i * groups + j] / scale);
    CountryEpidemic e(structure, std::move(country_inputs));
    set_initial_state(e, n, run.vaccination.day0);
    const double recovered_at_start = e.recovered_or_dead_total();

    const bool vaccinate = run.strategy.has_value() && run.supply_pct > 0.0;
    ByGroup shares{};
    std::array<bool, groups> in_strategy{};
    if (run.strategy) {
        ByGroup willing{};
        for (int i = 0; i < groups; ++i) willing[i] = e.eligible_unvaccinated(i);
        shares = strategy_shares(*run.strategy, willing);
        in_strategy = prioritised(*run.strategy);
    }
    const double supply = run.supply_pct / 100.0 * population;
    int end_day = horizon_days;
    int last_event = -1;
    double per_day = 0.0;
    if (vaccinate && run.vaccination.day0) {
        vaccinate_event(e, supply, shares, in_strategy, false);
    } else if (vaccinate) {
        per_day = run.vaccination.rollout_share_per_day * population;
        // run_sim.R event_times; deSolve extends the run to the last event when it lies beyond the horizon.
        last_event = static_cast<int>(std::floor(supply / per_day));
        end_day = std::max(end_day, last_event);
    }
    double remaining = supply;
    for (int day = 0; day < end_day; ++day) {
        if (day <= last_event) {
            const double doses = remaining >= per_day ? per_day : std::max(remaining, 0.0);
            remaining -= doses;
            vaccinate_event(e, doses, shares, in_strategy, true);
        }
        e.advance_deterministic(1.0, integrator);
    }
    Outcome outcome;
    outcome.end_day = end_day;
    outcome.infections_pct = 100.0 * (e.recovered_or_dead_total() - recovered_at_start) / population;
    outcome.deaths_pct = 100.0 * e.deaths_total() / population;
    for (int i = 0; i < groups; ++i) outcome.deaths[i] = e.deaths(i);
    return outcome;
}

}  // namespace doseflow::bubar2021

// -------------------------------------------------------------------------------------------- the whole grid
namespace doseflow {
namespace {

using bubar2021::Outcome;
using bubar2021::Strategy;

struct ScenarioSet {
    std::string country;
    double r0;
    bubar2021::Vaccination vaccination;
    bool heatmap;
};

// The main results (USA) and heat-map scenarios 1-4 for every country (SPEC.md section 9), each once.
std::vector<ScenarioSet> scenario_sets(const bubar2021::Inputs& inputs, const std::vector<std::string>& only) {
    auto wanted = [&](const std::string& code) {
        return only.empty() || std::find(only.begin(), only.end(), code) != only.end();
    };
    for (const std::string& code : only) (void)inputs.country(code);  // throws for an unknown code
    std::vector<ScenarioSet> sets;
    // Main results (main.R): USA, rollout 0.2 %/day, R0 1.15 here and R0 1.5 as heat-map scenario 2 below.
    if (wanted("USA")) sets.push_back({"USA", 1.15, {false, 0.002}, false});
    const std::vector<std::pair<double, bubar2021::Vaccination>> heatmaps{
        {1.15, {false, 0.001}}, {1.5, {false, 0.002}}, {1.5, {true, 0.0}}, {2.6, {true, 0.0}}};
    for (const auto& [r0, vaccination] : heatmaps)
        for (const auto& country : inputs.countries)
            if (wanted(country.code)) sets.push_back({country.code, r0, vaccination, true});
    return sets;
}

void write_atomically(const std::filesystem::path& path, const std::string& contents) {
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
        out << contents;
        out.close();
        if (!out) throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace

void reproduce_bubar2021(const std::filesystem::path& out_dir, const ReproduceOptions& options) {
    const bubar2021::Inputs inputs = bubar2021::embedded_inputs();
    std::vector<int> supplies = options.supply_pct;
    if (supplies.empty())
        for (int s = 0; s <= 50; ++s) supplies.push_back(s);
    const auto sets = scenario_sets(inputs, options.countries);

    struct Job {
        std::size_t set;
        std::optional<Strategy> strategy;
        int supply_pct;
    };
    std::vector<Job> jobs;
    for (std::size_t s = 0; s < sets.size(); ++s) {
        jobs.push_back({s, std::nullopt, 0});
        for (Strategy strategy : bubar2021::strategies)
            for (int supply : supplies)
                if (supply > 0) jobs.push_back({s, strategy, supply});
    }
    std::vector<Outcome> outcomes(jobs.size());
    std::atomic<int> done{0};
    std::mutex progress_mutex;
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, jobs.size()), [&](const tbb::blocked_range<std::size_t>& range) {
            for (std::size_t k = range.begin(); k != range.end(); ++k) {
                const Job& job = jobs[k];
                const ScenarioSet& set = sets[job.set];
                outcomes[k] = bubar2021::simulate(inputs, inputs.country(set.country),
                                                  {set.r0, set.vaccination, job.strategy, static_cast<double>(job.supply_pct)});
                const int finished = ++done;
                if (options.on_progress) {
                    const std::lock_guard lock(progress_mutex);
                    options.on_progress(finished, static_cast<int>(jobs.size()));
                }
            }
        });
    });

    std::string csv = "country,r0,vaccination,supply_pct,strategy,metric,value\n";
    auto row = [&](const ScenarioSet& set, int supply, std::string_view strategy, std::string_view metric, double value) {
        csv += fmt::format("{},{},{},{},{},{},{:.17g}\n", set.country, set.r0, set.vaccination.label(), supply, strategy,
                           metric, value);
    };
    const auto& usa_life = inputs.country("USA").life_expectancy_years;
    std::size_t k = 0;
    for (std::size_t s = 0; s < sets.size(); ++s) {
        const ScenarioSet& set = sets[s];
        const auto& life = set.heatmap && options.heatmap_yll_with_usa_life_expectancy
                               ? usa_life
                               : inputs.country(set.country).life_expectancy_years;
        const Outcome baseline = outcomes[k++];
        const double baseline_yll = baseline.yll(life);
        row(set, 0, "baseline", "infections_pct", baseline.infections_pct);
        row(set, 0, "baseline", "deaths_pct", baseline.deaths_pct);
        row(set, 0, "baseline", "yll", baseline_yll);
        for (Strategy strategy : bubar2021::strategies) {
            for (int supply : supplies) {
                const Outcome outcome = supply > 0 ? outcomes[k++] : baseline;
                const double yll = outcome.yll(life);
                const char* name = bubar2021::to_string(strategy);
                row(set, supply, name, "infections_pct", outcome.infections_pct);
                row(set, supply, name, "deaths_pct", outcome.deaths_pct);
                row(set, supply, name, "yll", yll);
                row(set, supply, name, "infections_averted_pct", 100.0 * (1.0 - outcome.infections_pct / baseline.infections_pct));
                row(set, supply, name, "deaths_averted_pct", 100.0 * (1.0 - outcome.deaths_pct / baseline.deaths_pct));
                row(set, supply, name, "yll_averted_pct", 100.0 * (1.0 - yll / baseline_yll));
            }
        }
    }
    std::filesystem::create_directories(out_dir);
    write_atomically(out_dir / "bubar2021.csv", csv);
}

}  // namespace doseflow
