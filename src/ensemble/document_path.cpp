#include "ensemble/document_path.hpp"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "scenario/document.hpp"
#include "scenario/validate.hpp"

namespace doseflow::ensemble {
namespace {

struct PathPart {
    std::string name;                 // may be empty after an index: "a[0].b" has parts {a,[0]} {b}
    std::vector<std::size_t> indices;  // [i][j]...
};

std::optional<std::vector<PathPart>> split(std::string_view path, std::string& error) {
    std::vector<PathPart> parts;
    std::size_t begin = 0;
    while (true) {
        const auto end = path.find('.', begin);
        std::string_view text = path.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        PathPart part;
        const auto bracket = text.find('[');
        part.name = std::string(text.substr(0, bracket));
        std::string_view rest = bracket == std::string_view::npos ? std::string_view{} : text.substr(bracket);
        while (!rest.empty()) {
            const auto close = rest.find(']');
            std::size_t index = 0;
            const auto digits = rest.substr(1, close == std::string_view::npos ? 0 : close - 1);
            const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
            if (rest[0] != '[' || close == std::string_view::npos || digits.empty() || ec != std::errc() ||
                ptr != digits.data() + digits.size()) {
                error = fmt::format("'{}' is not a valid index; write name[0], name[1], ...", text);
                return std::nullopt;
            }
            part.indices.push_back(index);
            rest = rest.substr(close + 1);
        }
        if (part.name.empty()) {
            error = "the path has an empty part; write it as section.key, e.g. epidemic.r0";
            return std::nullopt;
        }
        parts.push_back(std::move(part));
        if (end == std::string_view::npos) break;
        begin = end + 1;
    }
    return parts;
}

std::string key_text(const toml::node& entry, std::string_view array_name) {
    const auto* table = entry.as_table();
    if (!table) return {};
    const auto* key = table->get(scenario::entry_key(array_name));
    return key && key->is_string() ? std::string(*key->value<std::string>()) : std::string();
}

}  // namespace

const toml::node* PathTarget::node() const {
    if (array) return array->get(index);
    return table ? table->get(key) : nullptr;
}

std::optional<PathTarget> resolve_path(toml::table& document, std::string_view path, std::string& error) {
    const auto parts = split(path, error);
    if (!parts) return std::nullopt;
    toml::table* table = &document;
    std::string walked, registry;
    for (std::size_t i = 0; i < parts->size(); ++i) {
        const PathPart& part = (*parts)[i];
        const bool last = i + 1 == parts->size();
        walked += (walked.empty() ? "" : ".") + part.name;
        registry += (registry.empty() ? "" : ".") + part.name;
        toml::node* node = table->get(part.name);
        if (!node) {
            if (last && part.indices.empty()) {
                PathTarget target;
                target.table = table;
                target.key = part.name;
                target.registry_path = scenario::registry_path(registry);
                return target;
            }
            error = fmt::format("the scenario has no '{}'", walked);
            return std::nullopt;
        }
        // Indices step into arrays: of tables (registry "name[]") or of values (the list's own declaration).
        toml::array* array = nullptr;
        std::size_t index = 0;
        bool first_index = true;
        for (const std::size_t at : part.indices) {
            auto* as_array = node->as_array();
            if (!as_array) {
                error = fmt::format("'{}' is not an array; it cannot take an index", walked);
                return std::nullopt;
            }
            if (at >= as_array->size()) {
                error = fmt::format("'{}' has {} entries; index {} is past the end (indices start at 0)", walked,
                                    as_array->size(), at);
                return std::nullopt;
            }
            if (as_array->is_array_of_tables() && first_index) registry += "[]";
            first_index = false;
            walked += fmt::format("[{}]", at);
            array = as_array;
            index = at;
            node = as_array->get(at);
        }
        if (last) {
            PathTarget target;
            if (array) {
                target.array = array;
                target.index = index;
            } else {
                target.table = table;
                target.key = part.name;
            }
            target.registry_path = scenario::registry_path(registry);
            return target;
        }
        if (auto* child = node->as_table()) {
            table = child;
            continue;
        }
        if (auto* entries = node->as_array(); entries && entries->is_array_of_tables() && part.indices.empty()) {
            const std::string& key = (*parts)[++i].name;
            if (!(*parts)[i].indices.empty() || i + 1 == parts->size()) {
                error = fmt::format("after '{}' give the {} of an entry and then a key, e.g. {}.<{}>.<key>", walked,
                                    scenario::entry_key(part.name), walked, scenario::entry_key(part.name));
                return std::nullopt;
            }
            toml::table* found = nullptr;
            for (auto& entry : *entries)
                if (key_text(entry, part.name) == key) found = entry.as_table();
            if (!found) {
                error = fmt::format("'{}' has no entry with {} = \"{}\"", walked, scenario::entry_key(part.name), key);
                return std::nullopt;
            }
            walked += "." + key;
            registry += "[]";
            table = found;
            continue;
        }
        error = fmt::format("'{}' is a value, not a table; cannot go further into '{}'", walked, path);
        return std::nullopt;
    }
    error = "empty path";
    return std::nullopt;
}

void assign(const PathTarget& target, toml::node&& value) {
    auto replace = [](auto& container, auto where, toml::node&& v) {
        v.visit([&](auto&& concrete) { container.insert_or_assign(where, std::move(concrete)); });
    };
    if (target.array) {
        auto& array = *target.array;
        value.visit([&](auto&& concrete) {
            array.replace(array.cbegin() + static_cast<std::ptrdiff_t>(target.index), std::move(concrete));
        });
        return;
    }
    replace(*target.table, target.key, std::move(value));
}

toml::table parse_value(std::string_view text) {
    try {
        return toml::parse("value = " + std::string(text), std::string("--set"));
    } catch (const toml::parse_error&) {
        return toml::table{{"value", std::string(text)}};
    }
}

}  // namespace doseflow::ensemble
