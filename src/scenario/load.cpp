#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "doseflow/scenario.hpp"
#include "core/sha256.hpp"
#include "scenario/document.hpp"
#include "scenario/build.hpp"
#include "scenario/registry.hpp"
#include "scenario/validate.hpp"
#include "scenario/world_table.hpp"

namespace doseflow {

std::vector<ParameterInfo> parameters() {
    std::vector<ParameterInfo> list;
    for (const auto& spec : scenario::parameter_registry().all())
        list.push_back({spec.path, scenario::to_string(spec.type), spec.unit, spec.default_toml, spec.required,
                        spec.min, spec.max, spec.choices, spec.range_text(), spec.help, spec.source});
    return list;
}

std::string parameters_markdown() { return scenario::parameter_registry().markdown(); }

std::string parameters_json() { return scenario::parameter_registry().json(); }

std::vector<std::string> embedded_scenario_names() { return scenario::embedded_scenario_names(); }

struct ScenarioLoader {
    static LoadResult load(const ScenarioSource& source, const std::vector<Override>& overrides) {
        LoadResult result;
        auto document = scenario::load_document(source, overrides, result.diagnostics);
        if (!document || result.diagnostics.has_errors()) return result;
        return from_document(std::move(*document), std::move(result));
    }

    static LoadResult from_document(toml::table document_value, LoadResult result) {
        auto document = std::make_shared<toml::table>(std::move(document_value));
        scenario::KnownIds known;
        std::vector<scenario::WorldTableRow> table;
        const auto* countries = document->get("world") && document->get("world")->as_table()
                                    ? document->get("world")->as_table()->get("countries") : nullptr;
        if (countries && countries->value_or(std::string()) == "all") {
            table = scenario::load_world_table(result.diagnostics);
            for (const auto& row : table) known.countries.insert(row.code);
        }
        if (const auto* variants = document->at_path("epidemic.variants").as_array())
            for (const auto& v : *variants)
                if (const auto* t = v.as_table(); t && t->get("id")) known.variants.insert(t->get("id")->value_or(std::string()));
        scenario::validate_document(*document, scenario::parameter_registry(), known, result.diagnostics);
        result.diagnostics.sort_by_position();
        if (result.diagnostics.has_errors()) return result;
        auto world = scenario::build_world(*document, table, result.diagnostics);
        if (!world) return result;
        Scenario built;
        std::ostringstream canonical;
        canonical << *document;
        built.canonical_ = canonical.str();
        built.sha256_ = sha256_hex(built.canonical_);
        built.world_ = std::make_shared<const World>(std::move(*world));
        built.document_ = std::make_shared<const scenario::ScenarioDocument>(std::move(*document));
        built.warnings_ = result.diagnostics;
        result.scenario = std::move(built);
        return result;
    }
};

LoadResult load_scenario(const ScenarioSource& source, const std::vector<Override>& overrides) {
    return ScenarioLoader::load(source, overrides);
}

Scenario Scenario::load(const ScenarioSource& source, const std::vector<Override>& overrides) {
    auto result = load_scenario(source, overrides);
    if (!result.scenario) throw ScenarioError(std::move(result.diagnostics));
    return std::move(*result.scenario);
}

const World& Scenario::world() const { return *world_; }

const std::string& Scenario::name() const { return world_->name; }

std::optional<std::string> Scenario::get(std::string_view path) const { return scenario::value_at(*document_, path); }

LoadResult Scenario::try_with(const std::vector<Override>& values) const {
    LoadResult result;
    toml::table document = *document_;
    scenario::apply_overrides(document, values, result.diagnostics);
    if (result.diagnostics.has_errors()) return result;
    return ScenarioLoader::from_document(std::move(document), std::move(result));
}

Scenario Scenario::with(const std::vector<Override>& values) const {
    auto result = try_with(values);
    if (!result.scenario) throw ScenarioError(std::move(result.diagnostics));
    return std::move(*result.scenario);
}

Scenario Scenario::with_days(int days) const {
    if (days < 1 || days > max_simulated_span_days + 1)
        throw std::invalid_argument(fmt::format("{} days: expected 1 to {} (the 30-year span limit)", days,
                                                max_simulated_span_days + 1));
    Scenario copy = *this;
    auto world = std::make_shared<World>(*world_);
    world->simulation.end = world->simulation.start + (days - 1);
    // The document gets the horizon too, so that scenario.toml of a run directory repeats the run. The builder reads
    // simulation.end only to check the span, which the range above keeps valid: the world needs no rebuilding.
    auto document = std::make_shared<toml::table>(*document_);
    Diagnostics diagnostics;
    scenario::apply_overrides(*document, {{"simulation.end", world->simulation.end.iso()}}, diagnostics);
    if (diagnostics.has_errors()) throw std::logic_error("with_days: " + diagnostics.format());
    std::ostringstream canonical;
    canonical << *document;
    copy.canonical_ = canonical.str();
    copy.sha256_ = sha256_hex(copy.canonical_);
    copy.document_ = std::make_shared<const scenario::ScenarioDocument>(std::move(*document));
    copy.world_ = std::move(world);
    return copy;
}

Scenario Scenario::without_vaccination() const {
    Scenario copy = *this;
    auto world = std::make_shared<World>(*world_);
    for (auto& country : world->countries) country.admin_capacity_doses_per_day = Ramp(0.0);
    copy.world_ = std::move(world);
    return copy;
}

}  // namespace doseflow
