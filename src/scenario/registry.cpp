#include "scenario/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace doseflow::scenario {

const char* to_string(ValueType type) {
    switch (type) {
        case ValueType::boolean: return "boolean";
        case ValueType::integer: return "integer";
        case ValueType::number: return "number";
        case ValueType::text: return "string";
        case ValueType::date: return "date";
        case ValueType::number_list: return "number list";
        case ValueType::text_list: return "string list";
        case ValueType::number_or_list: return "number or number list";
        case ValueType::schedule: return "schedule [[date, number], ...]";
        case ValueType::matrix: return "matrix";
        case ValueType::table: return "table";
        case ValueType::table_array: return "array of tables";
    }
    return "?";
}

namespace {
std::string format_bound(double value) { return fmt::format("{}", value); }
}  // namespace

std::string ParamSpec::range_text() const {
    std::string bounds = value_range_text();
    if (!max_entries) return bounds;
    return (bounds.empty() ? "" : bounds + "; ") + fmt::format("at most {} entries", *max_entries);
}

std::string ParamSpec::value_range_text() const {
    if (!choices.empty()) {
        std::string text = "one of ";
        for (std::size_t i = 0; i < choices.size(); ++i) text += (i ? ", \"" : "\"") + choices[i] + "\"";
        return text;
    }
    if (min && max) return format_bound(*min) + " to " + format_bound(*max);
    if (min) return ">= " + format_bound(*min);
    if (max) return "<= " + format_bound(*max);
    return "";
}

std::string ParamSpec::key() const {
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

ParamBuilder& ParamBuilder::bind(std::type_index owner,
                                 std::function<void(void*, const Reader&, std::string_view)> assign) {
    spec().owner = owner;
    spec().assign = std::move(assign);
    return *this;
}

ParamSpec& ParamBuilder::spec() { return registry_.at(index_); }
ParamBuilder& ParamBuilder::unit(std::string text) { spec().unit = std::move(text); return *this; }
ParamBuilder& ParamBuilder::required() { spec().required = true; return *this; }
ParamBuilder& ParamBuilder::range(double min, double max) { spec().min = min; spec().max = max; return *this; }
ParamBuilder& ParamBuilder::at_least(double min) { spec().min = min; return *this; }
ParamBuilder& ParamBuilder::at_most_entries(std::size_t count) { spec().max_entries = count; return *this; }
ParamBuilder& ParamBuilder::choices(std::vector<std::string> values) { spec().choices = std::move(values); return *this; }
ParamBuilder& ParamBuilder::refers_to(std::string entity) { spec().reference = std::move(entity); return *this; }
ParamBuilder& ParamBuilder::help(std::string text) { spec().help = std::move(text); return *this; }
ParamBuilder& ParamBuilder::source(std::string text) { spec().source = std::move(text); return *this; }

ParamBuilder& ParamBuilder::def(std::string toml_text) {
    auto& s = spec();
    s.default_toml = std::move(toml_text);
    // A declaration error is a programming error: fail loudly at start-up (the registry test covers it).
    try {
        auto parsed = toml::parse("v = " + s.default_toml);
        std::shared_ptr<toml::node> copy;
        parsed.get("v")->visit([&](auto&& v) { copy = std::make_shared<std::remove_cvref_t<decltype(v)>>(v); });
        s.default_value = copy;
    } catch (const toml::parse_error& error) {
        throw std::logic_error(fmt::format("parameter {}: default '{}' is not TOML: {}", s.path, s.default_toml,
                                           error.description()));
    }
    return *this;
}

ParamBuilder Registry::add(std::string path, ValueType type) {
    ParamSpec spec;
    spec.path = std::move(path);
    spec.type = type;
    specs_.push_back(std::move(spec));
    return ParamBuilder(*this, specs_.size() - 1);
}

const ParamSpec* Registry::find(std::string_view path) const {
    for (const auto& spec : specs_)
        if (spec.path == path) return &spec;
    return nullptr;
}

std::vector<const ParamSpec*> Registry::children(std::string_view parent) const {
    std::vector<const ParamSpec*> result;
    for (const auto& spec : specs_) {
        std::string_view path = spec.path;
        if (parent.empty()) {
            if (path.find('.') == std::string_view::npos) result.push_back(&spec);
            continue;
        }
        if (path.size() > parent.size() + 1 && path.substr(0, parent.size()) == parent && path[parent.size()] == '.' &&
            path.substr(parent.size() + 1).find('.') == std::string_view::npos)
            result.push_back(&spec);
    }
    return result;
}

namespace {
std::string escape_markdown(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}
}  // namespace

std::string Registry::markdown() const {
    std::string text =
        "# Scenario parameters\n\n"
        "Generated from the parameter registry (`doseflow params`); do not edit by hand. "
        "Paths are dotted; `[]` marks each entry of an array of tables. See docs/scenario-format.md for the shape "
        "of a scenario file.\n\n"
        "| parameter | type | unit | default | valid | help | source |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& spec : specs_) {
        std::string def = spec.required ? "required" : spec.default_toml;
        if (def.size() > 60) def = def.substr(0, 57) + "...";
        text += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", spec.path, to_string(spec.type),
                            escape_markdown(spec.unit), def.empty() ? std::string() : fmt::format("`{}`", escape_markdown(def)),
                            escape_markdown(spec.range_text()), escape_markdown(spec.help),
                            escape_markdown(spec.source));
    }
    return text;
}

std::string Registry::json() const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& spec : specs_) {
        nlohmann::ordered_json item;
        item["path"] = spec.path;
        item["type"] = to_string(spec.type);
        item["unit"] = spec.unit;
        item["default"] = spec.default_toml;
        item["required"] = spec.required;
        if (spec.min) item["min"] = *spec.min;
        if (spec.max) item["max"] = *spec.max;
        if (!spec.choices.empty()) item["choices"] = spec.choices;
        if (!spec.reference.empty()) item["refers_to"] = spec.reference;
        item["help"] = spec.help;
        item["source"] = spec.source;
        list.push_back(std::move(item));
    }
    return list.dump(2) + "\n";
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}
}  // namespace

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    // The distance is at least the difference in length: most candidates are ruled out without the quadratic
    // comparison, which keeps suggestions cheap for long or numerous unknown names.
    for (const auto& candidate : candidates) {
        const std::size_t length_difference =
            word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
        if (length_difference >= best_distance) continue;
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

}  // namespace doseflow::scenario
