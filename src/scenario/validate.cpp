#include "scenario/validate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <fmt/format.h>

#include "scenario/document.hpp"
#include "scenario/reader.hpp"

namespace doseflow::scenario {

const std::set<std::string>* KnownIds::of(std::string_view entity) const {
    if (entity == "country") return &countries;
    if (entity == "product") return &products;
    if (entity == "site") return &sites;
    if (entity == "contract") return &contracts;
    if (entity == "variant") return &variants;
    return nullptr;
}

std::string registry_path(std::string_view pattern) {
    constexpr std::string_view defaults = "country_defaults";
    if (pattern.starts_with(defaults) && (pattern.size() == defaults.size() || pattern[defaults.size()] == '.'))
        return pattern.size() == defaults.size() ? std::string(defaults)
                                                 : "countries[]" + std::string(pattern.substr(defaults.size()));
    return std::string(pattern);
}

namespace {

struct Reference {
    std::string entity;
    std::string value;
    SourcePosition where;
    std::string path;
};

class Validator {
public:
    Validator(const Registry& registry, Diagnostics& diagnostics) : registry_(registry), diagnostics_(diagnostics) {}

    void table(const toml::table& table, const std::string& pattern, bool check_required) {
        for (const auto& [key, node] : table) {
            const std::string path = pattern.empty() ? std::string(key.str()) : pattern + "." + std::string(key.str());
            const ParamSpec* spec = registry_.find(registry_path(path));
            if (!spec) {
                unknown_key(key, node, pattern);
                continue;
            }
            value(node, *spec, path);
        }
        if (!check_required) return;
        for (const ParamSpec* child : registry_.children(registry_path(pattern))) {
            if (!child->required) continue;
            const auto name = child->path.substr(child->path.rfind('.') + 1);
            if (!table.get(name))
                diagnostics_.error(position_of(table),
                                   fmt::format("missing required key '{}' ({}{}); {}", name, to_string(child->type),
                                               child->unit.empty() ? "" : ", " + child->unit, child->help));
        }
    }

    std::vector<Reference> references;
    std::vector<std::pair<std::string, std::pair<std::string, SourcePosition>>> ids;  // entity -> (id, where)

private:
    void unknown_key(const toml::key& key, const toml::node& node, const std::string& pattern) {
        std::vector<std::string> names;
        for (const ParamSpec* child : registry_.children(registry_path(pattern)))
            names.push_back(child->path.substr(child->path.rfind('.') + 1));
        std::string where = pattern.empty() ? "at the top level" : "in [" + pattern + "]";
        std::string message = fmt::format("unknown key '{}' {}", key.str(), where);
        if (auto suggestion = did_you_mean(key.str(), names)) message += fmt::format("; did you mean '{}'?", *suggestion);
        else if (!names.empty()) {
            std::string list;
            for (std::size_t i = 0; i < names.size() && i < 12; ++i) list += (i ? ", " : "") + names[i];
            message += fmt::format("; valid keys: {}{}", list, names.size() > 12 ? ", ..." : "");
        }
        SourcePosition at = position_of(node);
        if (key.source().begin.line > 0) {
            at.line = static_cast<int>(key.source().begin.line);
            at.column = static_cast<int>(key.source().begin.column);
        }
        diagnostics_.error(at, message);
    }

    void type_error(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        diagnostics_.error(position_of(node), fmt::format("'{}' must be a {}{}", path, to_string(spec.type),
                                                          spec.unit.empty() ? "" : " (" + spec.unit + ")"));
    }

    void check_number(const toml::node& node, double value, const ParamSpec& spec, const std::string& path) {
        if (!std::isfinite(value)) {
            diagnostics_.error(position_of(node), fmt::format("'{}' must be a finite number", path));
            return;
        }
        if ((spec.min && value < *spec.min) || (spec.max && value > *spec.max))
            diagnostics_.error(position_of(node), fmt::format("'{}' is {}; valid: {}{}", path, value, spec.value_range_text(),
                                                              (spec.unit.empty() || spec.unit == "1") ? "" : " " + spec.unit));
    }

    bool number_node(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        if (auto v = node.value<double>(); v && (node.is_integer() || node.is_floating_point())) {
            check_number(node, *v, spec, path);
            return true;
        }
        return false;
    }

    void text(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        const auto v = node.value<std::string>();
        if (!node.is_string() || !v) return type_error(node, spec, path);
        if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), *v) == spec.choices.end()) {
            std::string message = fmt::format("'{}' is \"{}\"; valid: {}", path, *v, spec.value_range_text());
            if (auto suggestion = did_you_mean(*v, spec.choices)) message += fmt::format(" (did you mean \"{}\"?)", *suggestion);
            diagnostics_.error(position_of(node), message);
            return;
        }
        if (!spec.reference.empty()) references.push_back({spec.reference, *v, position_of(node), path});
        const auto dot = spec.path.rfind('.');
        const auto array_end = spec.path.rfind("[]");
        if (array_end != std::string::npos && dot == array_end + 2) {
            const auto array_start = spec.path.rfind('.', array_end);
            const auto array = spec.path.substr(array_start == std::string::npos ? 0 : array_start + 1,
                                                array_end - (array_start == std::string::npos ? 0 : array_start + 1));
            if (spec.path.substr(dot + 1) == entry_key(array)) record_id(array, *v, node);
        }
    }

    void record_id(const std::string& array, const std::string& id, const toml::node& node) {
        std::string entity;
        if (array == "countries") entity = "country";
        else if (array == "products") entity = "product";
        else if (array == "sites") entity = "site";
        else if (array == "contracts") entity = "contract";
        else if (array == "variants") entity = "variant";
        else entity = array;
        ids.push_back({entity, {id, position_of(node)}});
    }

    void value(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        if (const auto* array = node.as_array(); array && spec.max_entries && array->size() > *spec.max_entries) {
            // An array of tables is told at its first entry past the limit: the base of an extending file holds
            // the array's first entries, the file that goes past the limit its last.
            const toml::node& at = spec.type == ValueType::table_array ? *array->get(*spec.max_entries) : node;
            diagnostics_.error(position_of(at), fmt::format("'{}' has {} entries; valid: at most {} ({})", path,
                                                            array->size(), *spec.max_entries, spec.help));
            return;  // nothing is checked or built from it
        }
        switch (spec.type) {
            case ValueType::boolean:
                if (!node.is_boolean()) type_error(node, spec, path);
                return;
            case ValueType::integer:
                if (!node.is_integer()) return type_error(node, spec, path);
                check_number(node, static_cast<double>(*node.value<std::int64_t>()), spec, path);
                return;
            case ValueType::number:
                if (!number_node(node, spec, path)) type_error(node, spec, path);
                return;
            case ValueType::text: return text(node, spec, path);
            case ValueType::date:
                if (!node.is_date()) type_error(node, spec, path);
                return;
            case ValueType::number_or_list:
                if (number_node(node, spec, path)) return;
                [[fallthrough]];
            case ValueType::number_list: {
                const auto* array = node.as_array();
                if (!array) return type_error(node, spec, path);
                for (const auto& item : *array)
                    if (!number_node(item, spec, path)) return type_error(item, spec, path);
                return;
            }
            case ValueType::text_list: {
                const auto* array = node.as_array();
                if (!array) return type_error(node, spec, path);
                for (const auto& item : *array) text(item, spec, path);
                return;
            }
            case ValueType::schedule: return schedule(node, spec, path);
            case ValueType::matrix: return matrix(node, spec, path);
            case ValueType::table: {
                const auto* child = node.as_table();
                if (!child) return type_error(node, spec, path);
                if (spec.path.ends_with(".escape") || spec.path.ends_with(".escape_death"))
                    return escape_table(*child, path);
                table(*child, path, !path.starts_with("country_defaults"));
                return;
            }
            case ValueType::table_array: {
                const auto* array = node.as_array();
                if (!array) return type_error(node, spec, path);
                for (const auto& item : *array) {
                    const auto* entry = item.as_table();
                    if (!entry) {
                        type_error(item, spec, path);
                        continue;
                    }
                    // A removed entry (remove = true) is never built: it needs only its key.
                    const auto* remove = entry->get("remove");
                    table(*entry, path + "[]", !(remove && remove->value_or(false)));
                }
                return;
            }
        }
    }

    // Keys of an escape table are product groups; values are shares.
    void escape_table(const toml::table& table, const std::string& path) {
        for (const auto& [key, node] : table) {
            const auto v = node.value<double>();
            if (!v || !(node.is_integer() || node.is_floating_point()) || *v < 0 || *v > 1)
                diagnostics_.error(position_of(node), fmt::format("'{}.{}' must be a share from 0 to 1", path, key.str()));
        }
    }

    void schedule(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        const auto* array = node.as_array();
        const std::string shape = fmt::format("'{}' must be a list of [date, number] pairs in date order, e.g. "
                                              "[[2021-01-01, 0], [2021-06-01, 100]]", path);
        if (!array || array->empty()) return diagnostics_.error(position_of(node), shape);
        std::optional<toml::date> previous;
        for (const auto& item : *array) {
            const auto* pair = item.as_array();
            if (!pair || pair->size() != 2 || !pair->get(0)->is_date() || !number_node(*pair->get(1), spec, path)) {
                diagnostics_.error(position_of(item), shape);
                continue;
            }
            const auto date = *pair->get(0)->value<toml::date>();
            if (previous && !(*previous < date))
                diagnostics_.error(position_of(item), fmt::format("'{}': dates must increase; {} comes after an "
                                                                  "equal or later date", path, to_date(date).iso()));
            previous = date;
        }
    }

    void matrix(const toml::node& node, const ParamSpec& spec, const std::string& path) {
        if (node.is_string()) return text(node, spec, path);
        const auto* rows = node.as_array();
        if (!rows || rows->empty()) return type_error(node, spec, path);
        for (const auto& row : *rows) {
            const auto* cells = row.as_array();
            if (!cells || cells->size() != rows->size()) {
                diagnostics_.error(position_of(row), fmt::format("'{}' must be a square matrix: {} rows of {} numbers",
                                                                 path, rows->size(), rows->size()));
                continue;
            }
            for (const auto& cell : *cells)
                if (!number_node(cell, spec, path)) type_error(cell, spec, path);
        }
    }

    const Registry& registry_;
    Diagnostics& diagnostics_;
};

}  // namespace

void validate_document(const toml::table& document, const Registry& registry, KnownIds known,
                       Diagnostics& diagnostics) {
    Validator validator(registry, diagnostics);
    validator.table(document, "", true);
    std::map<std::string, std::map<std::string, SourcePosition>> seen;
    for (const auto& [entity, item] : validator.ids) {
        auto& of_entity = seen[entity];
        const auto [it, inserted] = of_entity.emplace(item.first, item.second);
        if (!inserted && entity != "country")
            diagnostics.error(item.second, fmt::format("duplicate {} id '{}' (first defined at {}:{})", entity,
                                                       item.first, it->second.file, it->second.line));
        if (auto* set = known.mutable_of(entity)) set->insert(item.first);
    }
    // A product, site or contract with remove = true defines nothing: a reference to it names an entry the scenario
    // does not define. A removed country takes with it the events, routes and list places that name it; a field that
    // needs it (a contract's supplier, a site's country, ...) is an error.
    std::map<std::string, SourcePosition> removed_countries;
    if (const auto* entries = document.get("countries") ? document.get("countries")->as_array() : nullptr)
        for (const auto& item : *entries) {
            const auto* entry = item.as_table();
            const auto* remove = entry ? entry->get("remove") : nullptr;
            const auto* code = entry ? entry->get("code") : nullptr;
            if (remove && remove->value_or(false) && code && code->is_string())
                removed_countries.emplace(code->value_or(std::string()), position_of(*remove));
        }
    for (const auto& [array, entity] : {std::pair{"products", "product"}, std::pair{"sites", "site"},
                                        std::pair{"contracts", "contract"}}) {
        const auto* entries = document.get(array) ? document.get(array)->as_array() : nullptr;
        auto* set = known.mutable_of(entity);
        if (!entries || !set) continue;
        for (const auto& item : *entries) {
            const auto* entry = item.as_table();
            const auto* remove = entry ? entry->get("remove") : nullptr;
            const auto* key = entry ? entry->get(entry_key(array)) : nullptr;
            if (remove && remove->value_or(false) && key && key->is_string()) set->erase(key->value_or(std::string()));
        }
    }
    for (const auto& reference : validator.references) {
        if (const auto removal = removed_countries.find(reference.value);
            reference.entity == "country" && removal != removed_countries.end()) {
            const auto* spec = registry.find(registry_path(reference.path));
            const bool goes_with_it = (spec && spec->type == ValueType::text_list) ||
                                      reference.path.starts_with("events[].") ||
                                      reference.path.starts_with("shipping.routes[].");
            if (!goes_with_it)
                diagnostics.error(reference.where,
                                  fmt::format("'{}' names country '{}', which this scenario removes (remove = true at "
                                              "{}:{}); remove or change this entry too", reference.path,
                                              reference.value, removal->second.file, removal->second.line));
            continue;
        }
        const auto* set = known.of(reference.entity);
        if (!set || set->count(reference.value)) continue;
        std::vector<std::string> candidates(set->begin(), set->end());
        std::string message = fmt::format("'{}' names {} '{}', which the scenario does not define", reference.path,
                                          reference.entity, reference.value);
        if (auto suggestion = did_you_mean(reference.value, candidates))
            message += fmt::format("; did you mean '{}'?", *suggestion);
        diagnostics.error(reference.where, message);
    }
}

}  // namespace doseflow::scenario
