#pragma once
// Addresses one value of a merged scenario document by path, for the values an ensemble varies. A path is dotted
// like --set: tables by key, entries of an array of tables by their key ("contracts.gtm_sputnik.doses"), and any
// array element by index ("sites.ru_generium.component_yield[1]", "export_controls[0].cap_doses_per_day").
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace doseflow::ensemble {

struct PathTarget {
    toml::table* table = nullptr;  // the value sits in this table under `key`...
    std::string key;
    toml::array* array = nullptr;  // ...or in this array at `index`
    std::size_t index = 0;
    std::string registry_path;  // the parameter's declaration: "sites[].component_yield"
    const toml::node* node() const;  // the value there now; nullptr when the table has no such key yet
};

// Finds where `path` points. The last key may be absent from its table (the registry default applies there);
// everything above it must exist. On failure returns nullopt and says why in `error`.
std::optional<PathTarget> resolve_path(toml::table& document, std::string_view path, std::string& error);

// Puts `value` at the target (inserting the key when absent).
void assign(const PathTarget& target, toml::node&& value);

// Parses a --set value as TOML ("3", "2021-05-01", "[1, 2]"); a bare word is taken as a string.
toml::table parse_value(std::string_view text);

}  // namespace doseflow::ensemble
