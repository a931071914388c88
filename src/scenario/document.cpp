#include "scenario/document.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/embedded.hpp"
#include "scenario/registry.hpp"
#include "scenario/validate.hpp"

namespace doseflow::scenario {
namespace {

constexpr std::string_view embedded_prefix = "scenarios/";
constexpr std::string_view embedded_suffix = ".toml";

}  // namespace

ScenarioSource ScenarioSource::file(std::filesystem::path path) {
    ScenarioSource source;
    source.kind = Kind::file;
    source.name_or_path = path.string();
    return source;
}

ScenarioSource ScenarioSource::embedded(std::string name) {
    ScenarioSource source;
    source.kind = Kind::embedded;
    source.name_or_path = std::move(name);
    return source;
}

ScenarioSource ScenarioSource::named(const std::string& name_or_path) {
    if (name_or_path.empty()) return embedded("default-2021");
    std::error_code error;
    if (std::filesystem::exists(name_or_path, error)) return file(name_or_path);
    const auto names = embedded_scenario_names();
    if (std::find(names.begin(), names.end(), name_or_path) != names.end()) return embedded(name_or_path);
    return file(name_or_path);
}

ScenarioSource ScenarioSource::from_text(std::string text, std::string name) {
    ScenarioSource source;
    source.kind = Kind::text;
    source.name_or_path = std::move(name);
    source.text = std::move(text);
    return source;
}

std::vector<std::string> embedded_scenario_names() {
    std::vector<std::string> names;
    for (const auto& file : embedded_files()) {
        if (file.name.starts_with(embedded_prefix) && file.name.ends_with(embedded_suffix))
            names.emplace_back(file.name.substr(embedded_prefix.size(),
                                                file.name.size() - embedded_prefix.size() - embedded_suffix.size()));
    }
    return names;
}

SourcePosition position_of(const toml::node& node) {
    const auto& region = node.source();
    SourcePosition position;
    position.file = region.path ? *region.path : std::string("<scenario>");
    position.line = static_cast<int>(region.begin.line);
    position.column = static_cast<int>(region.begin.column);
    return position;
}

SourcePosition position_of(const toml::node* node, const SourcePosition& fallback) {
    return node ? position_of(*node) : fallback;
}

const char* entry_key(std::string_view array_name) {
    if (array_name == "countries") return "code";
    if (array_name == "suppliers") return "country";
    if (array_name == "vaccine_groups") return "group";
    if (array_name == "featured_products") return "product";
    return "id";
}

namespace {

// Reads a file or an embedded scenario as text; reports and returns nullopt when it cannot.
std::optional<std::string> read_source(const ScenarioSource& source, Diagnostics& diagnostics) {
    const SourcePosition where{source.name_or_path, 0, 0};
    switch (source.kind) {
        case ScenarioSource::Kind::text: return source.text;
        case ScenarioSource::Kind::embedded: {
            const auto text = embedded_file(std::string(embedded_prefix) + source.name_or_path + ".toml");
            if (!text) {
                std::string names;
                for (const auto& name : embedded_scenario_names()) names += (names.empty() ? "" : ", ") + name;
                diagnostics.error(where, fmt::format("no embedded scenario named '{}'; embedded scenarios: {}",
                                                     source.name_or_path, names.empty() ? "(none)" : names));
                return std::nullopt;
            }
            return std::string(*text);
        }
        case ScenarioSource::Kind::file: {
            std::error_code error;
            const auto path = std::filesystem::path(source.name_or_path);
            const auto status = std::filesystem::status(path, error);
            if (!std::filesystem::is_regular_file(status)) {
                const char* what = !std::filesystem::exists(status)       ? "no such file"
                                   : std::filesystem::is_directory(status) ? "it is a directory"
                                   : std::filesystem::is_fifo(status)      ? "it is a pipe (FIFO), not a file"
                                                                           : "it is not a regular file";
                diagnostics.error(where, fmt::format("cannot read the scenario: {} (give a path to a .toml file or "
                                                     "an embedded name such as default-2021)", what));
                return std::nullopt;
            }
            const auto size = std::filesystem::file_size(path, error);
            if (error || size > max_scenario_bytes) {
                diagnostics.error(where, fmt::format("the scenario file is {} bytes; scenario files may be at most "
                                                     "{} bytes", size, max_scenario_bytes));
                return std::nullopt;
            }
            std::ifstream in(path, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            if (!in && !in.eof()) {
                diagnostics.error(where, "cannot read the scenario file");
                return std::nullopt;
            }
            return text.str();
        }
    }
    return std::nullopt;
}

std::optional<toml::table> parse_text(const std::string& text, const std::string& name, Diagnostics& diagnostics) {
    if (text.size() > max_scenario_bytes) {
        diagnostics.error({name, 0, 0}, fmt::format("the scenario is {} bytes; scenarios may be at most {} bytes",
                                                    text.size(), max_scenario_bytes));
        return std::nullopt;
    }
    try {
        return toml::parse(text, name);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        diagnostics.error({name, static_cast<int>(begin.line), static_cast<int>(begin.column)},
                          fmt::format("not valid TOML: {}", error.description()));
        return std::nullopt;
    }
}

// The key text of an entry of an array of tables, or "" when it has none.
std::string key_of(const toml::node& entry, std::string_view array_name) {
    const auto* table = entry.as_table();
    if (!table) return {};
    if (const auto* key = table->get(entry_key(array_name)); key && key->is_string())
        return std::string(*key->value<std::string>());
    return {};
}

bool is_table_array(const toml::node& node) {
    const auto* array = node.as_array();
    return array && !array->empty() && array->is_array_of_tables();
}

// Nodes are moved, not copied, so that they keep the file, line and column they came from. `pattern` is the
// registry path of `base` ("", "epidemic", "countries[]"), which says whether entries of an array may be removed.
void merge_into(toml::table& base, toml::table& overlay, const std::string& pattern, Diagnostics& diagnostics);

// Arrays of tables merge by entry key: same key overrides the named fields; a new key is appended;
// `remove = true` drops the entry (an error where the base has none to drop, and in an array whose entries have no
// `remove` key). A key given twice in the overlay is an error, as it is in a standalone file. Entries are found by a
// hash of their key and dropped in one pass at the end, so merging n entries takes O(n) time.
void merge_table_array(toml::array& base, toml::array& overlay, std::string_view array_name,
                       const std::string& entry_pattern, Diagnostics& diagnostics) {
    const bool removable = parameter_registry().find(registry_path(entry_pattern + ".remove")) != nullptr;
    std::unordered_map<std::string, std::size_t> index;  // key -> position in base
    for (std::size_t i = 0; i < base.size(); ++i)
        if (auto key = key_of(base[i], array_name); !key.empty()) index.emplace(std::move(key), i);
    std::unordered_set<std::string> seen;
    std::vector<bool> dropped(base.size(), false);
    for (auto& entry : overlay) {
        const std::string key = key_of(entry, array_name);
        auto* entry_table = entry.as_table();
        const toml::node* remove_node = entry_table ? entry_table->get("remove") : nullptr;
        if (remove_node && !remove_node->is_boolean()) {
            diagnostics.error(position_of(*remove_node), "'remove' must be true or false");
            continue;
        }
        const bool remove = remove_node && remove_node->value_or(false);
        if (remove && !removable) {
            diagnostics.error(position_of(*remove_node),
                              fmt::format("[[{}]] entries cannot be removed; remove = true is accepted in [[countries]], "
                                          "[[products]], [[sites]], [[contracts]], [[suppliers]] and "
                                          "[[export_controls]]", array_name));
            continue;
        }
        if (!key.empty() && !seen.insert(key).second) {
            diagnostics.error(position_of(entry), fmt::format("[[{}]] {} = \"{}\" is given twice in this file; "
                                                              "write each entry once", array_name,
                                                              entry_key(array_name), key));
            continue;
        }
        const auto match = key.empty() ? index.end() : index.find(key);
        if (match == index.end()) {
            // A country of world.countries = "all" may have no entry in the base: the entry carries the removal.
            if (remove && array_name != "countries")
                diagnostics.error(position_of(*remove_node),
                                  fmt::format("remove = true, but the scenario this file extends has no [[{}]] entry "
                                              "with {} = \"{}\" to remove", array_name, entry_key(array_name), key));
            else
                base.push_back(std::move(entry));
            continue;
        }
        auto& target = base[match->second];
        const auto* target_table = target.as_table();
        const toml::node* target_remove = target_table ? target_table->get("remove") : nullptr;
        if (!remove && !remove_node && target_remove && target_remove->value_or(false)) {
            diagnostics.error(position_of(entry),
                              fmt::format("[[{}]] {} = \"{}\" is removed by the scenario this file extends (at {}:{}); "
                                          "write remove = false to bring it back", array_name, entry_key(array_name),
                                          key, position_of(*target_remove).file, position_of(*target_remove).line));
            continue;
        }
        if (remove && array_name != "countries") {
            // Dropped from the document, so that nothing is checked or built from it and a reference to it is named
            // as a reference to an entry the scenario does not define.
            dropped[match->second] = true;
            index.erase(match);
            continue;
        }
        // A removed country stays as the overlay wrote it (its code and remove = true), so that the builder drops it
        // also where world.countries = "all" would otherwise bring it back.
        const auto at = base.cbegin() + static_cast<std::ptrdiff_t>(match->second);
        if (!remove && entry_table && target.is_table())
            merge_into(*target.as_table(), *entry_table, entry_pattern, diagnostics);
        else
            base.replace(at, std::move(entry));
    }
    if (std::find(dropped.begin(), dropped.end(), true) == dropped.end()) return;
    toml::array kept;
    for (std::size_t i = 0; i < base.size(); ++i)
        if (i >= dropped.size() || !dropped[i]) kept.push_back(std::move(base[i]));
    base = std::move(kept);
}

void merge_into(toml::table& base, toml::table& overlay, const std::string& pattern, Diagnostics& diagnostics) {
    for (auto&& [key, value] : overlay) {
        const std::string path = pattern.empty() ? std::string(key.str()) : pattern + "." + std::string(key.str());
        auto* existing = base.get(key);
        if (existing && existing->is_table() && value.is_table()) {
            merge_into(*existing->as_table(), *value.as_table(), path, diagnostics);
        } else if (is_table_array(value) && (!existing || is_table_array(*existing))) {
            // Where the base has no entries yet, the overlay's still follow the rules of merging (a removal names
            // an entry to drop, a key is given once).
            if (!existing) existing = &base.insert_or_assign(key, toml::array{}).first->second;
            merge_table_array(*existing->as_array(), *value.as_array(), key.str(), path + "[]", diagnostics);
        } else {
            base.insert_or_assign(key, std::move(value));
        }
    }
}

std::optional<toml::table> load_recursive(const ScenarioSource& source, Diagnostics& diagnostics, int depth,
                                          std::vector<std::string>& chain) {
    if (depth > max_extends_depth) {
        diagnostics.error({source.name_or_path, 0, 0},
                          fmt::format("'extends' goes deeper than {} levels; is there a cycle?", max_extends_depth));
        return std::nullopt;
    }
    const std::string identity = (source.kind == ScenarioSource::Kind::file ? "file:" : "name:") + source.name_or_path;
    for (const auto& seen : chain)
        if (seen == identity) {
            diagnostics.error({source.name_or_path, 0, 0}, "'extends' forms a cycle: " + source.name_or_path +
                                                                " extends itself through its bases");
            return std::nullopt;
        }
    chain.push_back(identity);
    const auto text = read_source(source, diagnostics);
    if (!text) return std::nullopt;
    auto document = parse_text(*text, source.name_or_path, diagnostics);
    if (!document) return std::nullopt;
    const auto* extends = document->get("extends");
    if (!extends) return document;
    const auto base_name = extends->value<std::string>();
    if (!base_name) {
        diagnostics.error(position_of(*extends), "'extends' must be a string: an embedded scenario name or a path");
        return std::nullopt;
    }
    ScenarioSource base_source;
    const auto embedded_names = embedded_scenario_names();
    const bool embedded = std::find(embedded_names.begin(), embedded_names.end(), *base_name) != embedded_names.end();
    if (embedded) {
        base_source = ScenarioSource::embedded(*base_name);
    } else {
        std::filesystem::path path(*base_name);
        if (path.is_relative() && source.kind == ScenarioSource::Kind::file)
            path = std::filesystem::path(source.name_or_path).parent_path() / path;
        base_source = ScenarioSource::file(path);
    }
    Diagnostics base_diagnostics;
    auto base = load_recursive(base_source, base_diagnostics, depth + 1, chain);
    if (!base) {
        diagnostics.error(position_of(*extends), fmt::format("cannot load the scenario it extends, '{}'", *base_name));
        diagnostics.append(base_diagnostics);
        return std::nullopt;
    }
    diagnostics.append(base_diagnostics);
    document->erase("extends");
    merge_into(*base, *document, "", diagnostics);
    base->erase("extends");
    return base;
}

// Splits "a.b.c" on dots.
std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (begin <= path.size()) {
        const auto end = path.find('.', begin);
        parts.emplace_back(path.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos) break;
        begin = end + 1;
    }
    return parts;
}

std::string toml_quoted(const std::string& text) {
    std::ostringstream out;
    out << toml::toml_formatter(toml::value<std::string>(text));
    return out.str();
}

// Moves `value` into `table` under `key`: a move keeps the node's source position (a copy would drop it), so
// that problems with the value are reported at "--set PATH=VALUE".
void set_value(toml::table& table, const std::string& key, toml::node&& value) {
    value.visit([&](auto&& node) { table.insert_or_assign(key, std::move(node)); });
}

void apply_override(toml::table& document, const Override& item, Diagnostics& diagnostics) {
    const std::string origin = "--set " + item.path + "=" + item.value;
    const SourcePosition where{origin, 1, 1};
    const auto parts = split_path(item.path);
    if (parts.front() == "extends") {
        diagnostics.error(where, "'extends' cannot be set with --set (the bases are read before any --set applies); "
                                 "write extends = \"...\" in the scenario file");
        return;
    }
    for (const auto& part : parts)
        if (part.empty()) {
            diagnostics.error(where, "the path has an empty part; write it as section.key, e.g. epidemic.r0");
            return;
        }
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + item.value, origin);
    } catch (const toml::parse_error&) {
        try {
            parsed = toml::parse("value = " + toml_quoted(item.value), origin);  // a bare word: take it as a string
        } catch (const toml::parse_error&) {
            parsed = toml::table{{"value", item.value}};
        }
    }
    toml::table* table = &document;
    std::string walked;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const auto& part = parts[i];
        walked += (walked.empty() ? "" : ".") + part;
        auto* node = table->get(part);
        if (!node) {
            node = &table->insert_or_assign(part, toml::table{}).first->second;
        }
        if (auto* child = node->as_table()) {
            table = child;
            continue;
        }
        if (auto* array = node->as_array(); array && array->is_array_of_tables() && i + 2 < parts.size()) {
            const auto& key = parts[++i];
            toml::table* found = nullptr;
            for (auto& entry : *array)
                if (key_of(entry, part) == key) found = entry.as_table();
            if (!found) {
                diagnostics.error(where, fmt::format("'{}' has no entry with {} = \"{}\"", walked, entry_key(part), key));
                return;
            }
            walked += "." + key;
            table = found;
            continue;
        }
        diagnostics.error(where, fmt::format("'{}' is a value, not a table; cannot set '{}' inside it", walked,
                                             item.path));
        return;
    }
    set_value(*table, parts.back(), std::move(*parsed.get("value")));
}

}  // namespace

std::optional<toml::table> load_document(const ScenarioSource& source, const std::vector<Override>& overrides,
                                         Diagnostics& diagnostics) {
    std::vector<std::string> chain;
    auto document = load_recursive(source, diagnostics, 0, chain);
    if (!document) return std::nullopt;
    apply_overrides(*document, overrides, diagnostics);
    return document;
}

void apply_overrides(toml::table& document, const std::vector<Override>& overrides, Diagnostics& diagnostics) {
    for (const auto& item : overrides) apply_override(document, item, diagnostics);
}

std::optional<std::string> value_at(const toml::table& document, std::string_view path) {
    const auto parts = split_path(path);
    const toml::table* table = &document;
    std::string pattern;
    const toml::node* found = nullptr;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& part = parts[i];
        pattern += (pattern.empty() ? "" : ".") + part;
        const toml::node* node = table ? table->get(part) : nullptr;
        const auto* spec = parameter_registry().find(pattern);
        if (spec && spec->type == ValueType::table_array) {
            if (i + 1 >= parts.size()) return std::nullopt;  // an entry is addressed by its key
            const auto& key = parts[++i];
            pattern += "[]";
            const toml::table* entry = nullptr;
            if (const auto* array = node ? node->as_array() : nullptr)
                for (const auto& item : *array)
                    if (key_of(item, part) == key) entry = item.as_table();
            if (!entry) return std::nullopt;
            table = entry;
            continue;
        }
        if (i + 1 == parts.size()) {
            found = node;
            break;
        }
        table = node ? node->as_table() : nullptr;
    }
    const auto* spec = parameter_registry().find(pattern);
    if (!spec || spec->type == ValueType::table || spec->type == ValueType::table_array) return std::nullopt;
    if (!found && pattern.rfind("countries[].", 0) == 0)  // country_defaults applies before the declared default
        if (const auto* defaults = document.get("country_defaults"); defaults && defaults->as_table())
            found = defaults->as_table()->at_path(pattern.substr(std::string("countries[].").size())).node();
    if (!found) return spec->default_toml.empty() ? std::nullopt : std::optional<std::string>(spec->default_toml);
    std::ostringstream text;
    found->visit([&](const auto& value) { text << toml::toml_formatter(value, toml::format_flags::none); });
    return text.str();
}

}  // namespace doseflow::scenario
