#include "ensemble/ensemble.hpp"
#include "engine/run_record.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include "core/csv.hpp"
#include "core/random.hpp"
#include "ensemble/document_path.hpp"
#include "ensemble/quantile_sketch.hpp"
#include "output/run_writer.hpp"
#include "output/summary.hpp"
#include "scenario/document.hpp"

namespace doseflow::ensemble {

// Stream purposes of ensembles, apart from the model's (core/random.hpp numbers those from 1).
constexpr auto design_stream = static_cast<StreamPurpose>(1001);  // the stratum order of each uncertain value
constexpr auto member_stream = static_cast<StreamPurpose>(1002);  // a member's position within its strata

// ------------------------------------------------------------------------------------------------ the plan

EnsemblePlan EnsemblePlan::load(const ScenarioSource& source, const std::vector<std::string>& overrides,
                                std::optional<int> days) {
    // The registry checks every key first, with the file's own positions (the [[uncertainty]] tables included).
    auto checked = load_scenario(source);
    if (!checked.scenario) throw ScenarioError(std::move(checked.diagnostics));
    Diagnostics diagnostics;
    auto document = scenario::load_document(source, {}, diagnostics);
    if (!document || diagnostics.has_errors()) throw ScenarioError(std::move(diagnostics));
    for (const auto& item : overrides) {
        const SourcePosition where{"--set " + item, 1, 1};
        const auto equals = item.find('=');
        if (equals == std::string::npos || equals == 0) {
            diagnostics.error(where, "write --set PATH=VALUE, e.g. --set epidemic.r0=3");
            continue;
        }
        std::string why;
        const auto target = resolve_path(*document, item.substr(0, equals), why);
        if (!target) {
            diagnostics.error(where, why);
            continue;
        }
        auto parsed = parse_value(item.substr(equals + 1));
        assign(*target, std::move(*parsed.get("value")));
    }
    EnsemblePlan plan;
    plan.uncertainties_ = read_uncertainties(*document, diagnostics);
    if (diagnostics.has_errors()) throw ScenarioError(std::move(diagnostics));
    plan.document_ = std::move(*document);
    plan.days_ = days;
    plan.name_ = checked.scenario->name();
    // The scenario as overridden, at its own values: --set problems surface here, before any member runs.
    std::vector<double> nominal;
    for (const auto& u : plan.uncertainties_) nominal.push_back(u.nominal);
    const Scenario base = plan.member_scenario(nominal, checked.scenario->world().simulation.seed);
    plan.scenario_seed_ = base.world().simulation.seed;
    return plan;
}

Scenario EnsemblePlan::member_scenario(const std::vector<double>& values, std::uint64_t seed) const {
    toml::table document = document_;
    for (std::size_t i = 0; i < uncertainties_.size() && i < values.size(); ++i) {
        std::string why;
        const auto target = resolve_path(document, uncertainties_[i].path, why);
        if (!target) throw std::logic_error("uncertainty path vanished: " + why);  // checked by read_uncertainties
        auto parsed = parse_value(uncertainties_[i].toml_text(values[i]));
        assign(*target, std::move(*parsed.get("value")));
    }
    if (auto* simulation = document.get("simulation"); simulation && simulation->is_table())
        simulation->as_table()->insert_or_assign("seed", static_cast<std::int64_t>(seed));
    else document.insert_or_assign("simulation", toml::table{{"seed", static_cast<std::int64_t>(seed)}});
    std::ostringstream text;
    text << document;
    Scenario scenario = Scenario::load(ScenarioSource::from_text(text.str(), name_ + " (ensemble member)"));
    return days_ ? scenario.with_days(*days_) : scenario;
}

// ------------------------------------------------------------------------------------------------ design

std::vector<std::vector<double>> latin_hypercube(int members, std::size_t dimensions, std::uint64_t seed) {
    const auto n = static_cast<std::size_t>(std::max(members, 0));
    std::vector<std::vector<double>> design(n, std::vector<double>(dimensions, 0.0));
    for (std::size_t j = 0; j < dimensions; ++j) {
        std::vector<std::size_t> strata(n);
        std::iota(strata.begin(), strata.end(), std::size_t{0});
        auto stream = make_stream(seed, j, design_stream);
        for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates with Boost.Random (the same on every library)
            boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
            std::swap(strata[i - 1], strata[pick(stream)]);
        }
        for (std::size_t m = 0; m < n; ++m) design[m][j] = static_cast<double>(strata[m]);
    }
    for (std::size_t m = 0; m < n; ++m) {
        auto stream = make_stream(seed, m, member_stream);
        boost::random::uniform_01<double> jitter;
        for (std::size_t j = 0; j < dimensions; ++j)
            design[m][j] = std::min((design[m][j] + jitter(stream)) / static_cast<double>(n), std::nextafter(1.0, 0.0));
    }
    return design;
}

std::uint64_t member_seed(std::uint64_t seed, int member) {
    // Below 2^52, inside simulation.seed's valid range.
    return mix64(mix64(seed) ^ static_cast<std::uint64_t>(member)) >> 12;
}

// ------------------------------------------------------------------------------------------------ one member

namespace {

std::string snake(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

constexpr Date end_of_2021 = Date::from_days(18992);  // 2021-12-31

}  // namespace

std::vector<std::pair<std::string, double>> flat_key_figures(const Results& results, const Results* counterfactual) {
    const auto f = output::key_figures(results, counterfactual);
    std::vector<std::pair<std::string, double>> figures;
    figures.emplace_back("deaths", f["deaths"].get<double>());
    if (f.contains("deaths_averted")) figures.emplace_back("deaths_averted", f["deaths_averted"].get<double>());
    for (const char* name : {"produced", "delivered", "administered", "wasted"})
        figures.emplace_back(std::string("doses_") + name, f["world_doses"][name].get<double>());
    figures.emplace_back("covax_delivered", f["covax_delivered"].get<double>());
    double covax_2021 = 0.0;
    for (const auto& row : results.recorded->deliveries)
        if (row.date <= end_of_2021 && row.contract.valid() &&
            results.recorded->contracts[row.contract].terms.channel() == ContractKind::covax)
            covax_2021 += row.doses;
    figures.emplace_back("covax_delivered_by_2021_12_31", covax_2021);
    // Every product in the world's order, so that the columns are the same in every member.
    std::map<std::string, double> shortfall;
    for (const auto& p : f["products"])
        shortfall[p["product"].get<std::string>()] = p["contracted"].get<double>() - p["delivered"].get<double>();
    for (const auto& product : results.recorded->world->products)
        figures.emplace_back("shortfall_" + product.id, shortfall.count(product.id) ? shortfall[product.id] : 0.0);
    for (const auto& g : f["people_full_by_income_group"])
        figures.emplace_back("full_share_" + snake(g["income_group"].get<std::string>()), g["share"].get<double>());
    return figures;
}

const std::vector<std::string>& default_series_metrics() {
    static const std::vector<std::string> metrics = {"deaths", "cumulative_deaths", "infections", "people_dose1",
                                                     "people_full", "administered_dose1", "administered_dose2",
                                                     "produced_doses", "wasted_doses"};
    return metrics;
}

namespace {

// Keeps the points of `metrics`, and adds world totals (country -1) of those recorded only per country.
std::vector<SeriesPoint> kept_points(const Recorder& series, const std::vector<std::string>& metrics) {
    std::vector<SeriesPoint> kept;
    if (metrics.empty()) return kept;
    auto wanted = [&](std::string_view metric) {
        return std::find(metrics.begin(), metrics.end(), metric) != metrics.end();
    };
    std::vector<SeriesPoint> world;
    std::unordered_map<std::string, std::size_t> world_index;
    std::unordered_map<std::string, bool> recorded_for_world;  // by metric
    for (const auto& point : series.points()) {
        if (!wanted(point.key.metric)) continue;
        kept.push_back(point);
        if (point.key.country < 0) {
            recorded_for_world[std::string(point.key.metric)] = true;
            continue;
        }
        SeriesPoint total = point;
        total.key.country = -1;
        const auto id = fmt::format("{}|{}|{}|{}|{}", point.date.days_since_1970(), point.key.product,
                                    point.key.component, point.key.metric, point.key.tag);
        const auto [at, inserted] = world_index.emplace(id, world.size());
        if (inserted) world.push_back(total);
        else world[at->second].value += point.value;
    }
    for (const auto& point : world)
        if (!recorded_for_world.count(std::string(point.key.metric))) kept.push_back(point);
    return kept;
}

}  // namespace

MemberOutcome run_member(const EnsemblePlan& plan, int member, const std::vector<double>& probabilities,
                         std::uint64_t ensemble_seed, const MemberOptions& options) {
    MemberOutcome outcome;
    outcome.member = member;
    outcome.seed = options.simulation_seed.value_or(member_seed(ensemble_seed, member));
    for (std::size_t j = 0; j < plan.uncertainties().size(); ++j)
        outcome.drawn.push_back(plan.uncertainties()[j].value_at(probabilities.at(j)));
    try {
        const Scenario scenario = plan.member_scenario(outcome.drawn, outcome.seed);
        const auto [results, counterfactual, seconds] = run_with_counterfactual(scenario, {}, options.counterfactual);
        for (auto& [name, value] : flat_key_figures(results, counterfactual ? &*counterfactual : nullptr)) {
            outcome.figure_names.push_back(name);
            outcome.figures.push_back(value);
        }
        outcome.points = kept_points(results.recorded->series, options.metrics);
    } catch (const ScenarioError& e) {
        outcome.error = e.diagnostics().format();
    } catch (const std::exception& e) {
        outcome.error = e.what();
    }
    return outcome;
}

// ------------------------------------------------------------------------------------------------ running members

void run_members(int count, int threads, MemberTransport& transport, const std::function<MemberOutcome(int)>& compute,
                 const std::function<void(MemberOutcome&&)>& fold) {
    const int rank = transport.rank(), size = transport.size();
    const bool root = transport.root();
    // Rank 0 walks every member (folding them in order); another rank walks only its own.
    int next = root ? 0 : rank;
    const int step = root ? 1 : size;
    struct Token {
        int member = 0;
        bool local = false;
        MemberOutcome outcome;
    };
    tbb::task_arena arena(std::max(threads, 1));
    arena.execute([&] {
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * std::max(threads, 1)),
            tbb::make_filter<void, int>(tbb::filter_mode::serial_in_order,
                                        [&](tbb::flow_control& control) {
                                            if (next >= count) {
                                                control.stop();
                                                return 0;
                                            }
                                            const int member = next;
                                            next += step;
                                            return member;
                                        }) &
                tbb::make_filter<int, Token>(tbb::filter_mode::parallel,
                                             [&](int member) {
                                                 Token token;
                                                 token.member = member;
                                                 token.local = member % size == rank;
                                                 if (token.local) token.outcome = compute(member);
                                                 return token;
                                             }) &
                tbb::make_filter<Token, void>(tbb::filter_mode::serial_in_order, [&](Token token) {
                    if (!root) {
                        transport.send(token.outcome);
                        return;
                    }
                    fold(token.local ? std::move(token.outcome) : transport.receive(token.member));
                }));
    });
}

// ------------------------------------------------------------------------------------------------ folding

namespace {

struct PointKey {
    std::int32_t date = 0, country = -1, product = -1, component = -1;
    std::string_view metric, tag;  // interned by the accumulator
    bool operator==(const PointKey&) const = default;
};

struct PointKeyHash {
    std::size_t operator()(const PointKey& k) const noexcept {
        std::uint64_t h = mix64(static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.date)) << 32 |
                                static_cast<std::uint32_t>(k.country));
        h = mix64(h ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.product)) << 32 |
                       static_cast<std::uint32_t>(k.component)));
        h = mix64(h ^ std::hash<std::string_view>{}(k.metric));
        return static_cast<std::size_t>(mix64(h ^ std::hash<std::string_view>{}(k.tag)));
    }
};

struct SeriesStatistics {
    PointKey key;
    QuantileSketch sketch;
    OrderFreeSum sum;
};

constexpr std::array<double, 5> quantile_levels = {0.05, 0.25, 0.50, 0.75, 0.95};

}  // namespace

class EnsembleAccumulator {
public:
    EnsembleAccumulator(const EnsemblePlan& plan, std::shared_ptr<const World> world, std::uint64_t seed, int members)
        : plan_(plan), world_(std::move(world)), seed_(seed), members_(members) {}

    void fold(MemberOutcome&& outcome) {
        if (!outcome.error.empty()) {
            if (error_.empty()) {
                std::string values;
                for (std::size_t j = 0; j < outcome.drawn.size(); ++j)
                    values += fmt::format("{}{} = {}", j ? ", " : "", plan_.uncertainties()[j].path,
                                          output::format_number(outcome.drawn[j]));
                error_ = fmt::format("member {} (seed {}{}{}) failed: {}", outcome.member, outcome.seed,
                                     values.empty() ? "" : "; ", values, outcome.error);
            }
            return;
        }
        if (figure_names_.empty()) {
            figure_names_ = outcome.figure_names;
            figure_values_.assign(figure_names_.size(), {});
            members_csv_ = "member,seed";
            for (const auto& u : plan_.uncertainties()) members_csv_ += "," + csv::field(u.path);
            for (const auto& name : figure_names_) members_csv_ += "," + name;
            members_csv_ += "\n";
        }
        if (outcome.figure_names != figure_names_)
            throw std::logic_error("members report different key figures");  // same world structure in every member
        members_csv_ += fmt::format("{},{}", outcome.member, outcome.seed);
        for (double v : outcome.drawn) members_csv_ += "," + output::format_number(v);
        for (std::size_t i = 0; i < outcome.figures.size(); ++i) {
            members_csv_ += "," + output::format_number(outcome.figures[i]);
            figure_values_[i].push_back(outcome.figures[i]);
        }
        members_csv_ += "\n";
        for (const auto& point : outcome.points) {
            const PointKey key{point.date.days_since_1970(), point.key.country, point.key.product, point.key.component,
                               intern(point.key.metric), intern(point.key.tag)};
            const auto [at, inserted] = index_.emplace(key, statistics_.size());
            if (inserted) statistics_.push_back({key, {}, {}});
            auto& statistics = statistics_[at->second];
            statistics.sketch.add(point.value);
            statistics.sum.add(point.value);
        }
        ++folded_;
    }

    const std::string& error() const { return error_; }
    int folded() const { return folded_; }

    EnsembleSummary write(const std::filesystem::path& out) const {
        EnsembleSummary summary;
        summary.members = folded_;
        summary.series_keys = statistics_.size();
        for (const auto& s : statistics_) summary.sketch_buckets += s.sketch.buckets();
        write_file(out / "members.csv", members_csv_);
        write_file(out / "quantiles.csv", quantiles_csv());
        write_file(out / "summary.json", summary_json().dump(2) + "\n");
        return summary;
    }

private:
    std::string_view intern(std::string_view text) {
        if (text.empty()) return {};
        return *strings_.emplace(text).first;
    }

    std::string component_text(const PointKey& key) const {
        if (!key.tag.empty()) return std::string(key.tag);
        if (key.component >= 0 && key.product >= 0)
            return world_->products[static_cast<std::size_t>(key.product)].components[static_cast<std::size_t>(key.component)];
        if (key.component >= 0) return fmt::format("{}", key.component + 1);
        return {};
    }

    std::string quantiles_csv() const {
        std::vector<std::size_t> order(statistics_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return statistics_[a].key.date < statistics_[b].key.date;
        });
        std::string text = "date,country,product,component,metric,q05,q25,q50,q75,q95,mean,members\n";
        for (const std::size_t i : order) {
            const auto& s = statistics_[i];
            const auto& k = s.key;
            text += fmt::format("{},{},{},{},{}", Date::from_days(k.date).iso(),
                                k.country >= 0 ? world_->countries[static_cast<std::size_t>(k.country)].code : "",
                                k.product >= 0 ? world_->products[static_cast<std::size_t>(k.product)].id : "",
                                csv::field(component_text(k)), k.metric);
            for (double q : quantile_levels) text += fmt::format(",{:.6g}", s.sketch.quantile(q));
            text += fmt::format(",{:.9g},{}\n", s.sum.value() / static_cast<double>(s.sketch.count()), s.sketch.count());
        }
        return text;
    }

    nlohmann::ordered_json summary_json() const {
        nlohmann::ordered_json j;
        j["scenario"] = plan_.name();
        j["seed"] = seed_;
        j["members"] = folded_;
        j["design"] = "Latin hypercube, one stratum per member and uncertainty";
        j["quantiles"] = {
            {"key_figures", "exact: linear interpolation between order statistics (Hyndman and Fan type 7)"},
            {"series", fmt::format("DDSketch on a logarithmic grid: each quantile within {}% (relative) of the order "
                                   "statistic of rank floor(q (n - 1))", 100 * QuantileSketch::relative_accuracy)}};
        auto& uncertainties = j["uncertainties"];
        uncertainties = nlohmann::ordered_json::array();
        for (const auto& u : plan_.uncertainties()) {
            nlohmann::ordered_json item{{"path", u.path}, {"distribution", to_string(u.kind)}, {"nominal", u.nominal}};
            if (u.kind == DistributionKind::values) item["values"] = u.values;
            else {
                item["min"] = std::isfinite(u.min) ? nlohmann::ordered_json(u.min) : nlohmann::ordered_json(nullptr);
                item["max"] = std::isfinite(u.max) ? nlohmann::ordered_json(u.max) : nlohmann::ordered_json(nullptr);
            }
            if (!u.source.empty()) item["source"] = u.source;
            uncertainties.push_back(item);
        }
        auto& figures = j["figures"];
        figures = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < figure_names_.size(); ++i) {
            auto values = figure_values_[i];
            OrderFreeSum sum;
            for (double v : values) sum.add(v);
            auto& item = figures[figure_names_[i]];
            item["mean"] = values.empty() ? 0.0 : sum.value() / static_cast<double>(values.size());
            for (double q : quantile_levels) item[fmt::format("q{:02.0f}", 100 * q)] = exact_quantile(values, q);
        }
        return j;
    }

    static void write_file(const std::filesystem::path& path, const std::string& text) {
        // Written beside and renamed, so that a reader never sees half a file.
        const auto partial = std::filesystem::path(path.string() + ".partial");
        {
            std::ofstream out(partial, std::ios::binary | std::ios::trunc);
            out << text;
            if (!out) throw std::runtime_error("cannot write " + partial.string());
        }
        std::filesystem::rename(partial, path);
    }

    const EnsemblePlan& plan_;
    std::shared_ptr<const World> world_;
    std::uint64_t seed_;
    int members_;
    int folded_ = 0;
    std::string error_;
    std::vector<std::string> figure_names_;
    std::vector<std::vector<double>> figure_values_;  // exact intervals: one double per member and figure
    std::string members_csv_;
    std::set<std::string, std::less<>> strings_;
    std::unordered_map<PointKey, std::size_t, PointKeyHash> index_;
    std::vector<SeriesStatistics> statistics_;
};

EnsembleSummary run_ensemble(const EnsembleOptions& options, MemberTransport& transport) {
    if (options.members < 1) throw std::invalid_argument("--members must be at least 1");
    const EnsemblePlan plan = EnsemblePlan::load(options.source, options.overrides, options.days);
    const std::uint64_t seed = options.seed.value_or(plan.scenario_seed());
    std::string problem;
    std::optional<output::StagedRunDirectory> staged;  // root only: written whole, renamed into place at the end
    if (transport.root()) {
        try {
            staged.emplace(options.out, options.force);
        } catch (const std::exception& e) {
            problem = e.what();
        }
    }
    if (!transport.agree(problem.empty())) {
        if (!problem.empty()) throw std::invalid_argument(problem);
        return {};
    }
    const auto design = latin_hypercube(options.members, plan.uncertainties().size(), seed);
    std::vector<double> nominal;
    for (const auto& u : plan.uncertainties()) nominal.push_back(u.nominal);
    const auto world = plan.member_scenario(nominal, seed).world_ptr();
    EnsembleAccumulator accumulator(plan, world, seed, options.members);
    run_members(
        options.members, options.threads, transport,
        [&](int m) { return run_member(plan, m, design[static_cast<std::size_t>(m)], seed, options.member); },
        [&](MemberOutcome&& outcome) {
            accumulator.fold(std::move(outcome));
            if (options.on_member) options.on_member(accumulator.folded(), options.members);
        });
    if (!transport.root()) return {};
    if (!accumulator.error().empty()) throw std::runtime_error(accumulator.error());
    auto summary = accumulator.write(staged->path());
    staged->commit();
    return summary;
}

EnsembleSummary run_ensemble(const EnsembleOptions& options) {
    MemberTransport alone;
    return run_ensemble(options, alone);
}

}  // namespace doseflow::ensemble
