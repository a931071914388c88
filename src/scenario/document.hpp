#pragma once
// Step 1 of loading: parse TOML, resolve `extends`, apply --set overrides. The result is one merged document whose
// nodes keep the file, line and column they came from.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "doseflow/scenario.hpp"  // ScenarioSource, Override

namespace doseflow::scenario {

// The merged document a Scenario keeps (after extends and overrides).
struct ScenarioDocument : toml::table {
    explicit ScenarioDocument(toml::table merged) : toml::table(std::move(merged)) {}
};

inline constexpr std::size_t max_scenario_bytes = 16u << 20;
inline constexpr int max_extends_depth = 16;

// Parses and merges; problems go to `diagnostics` (nothing is thrown). nullopt when it cannot go on.
std::optional<toml::table> load_document(const ScenarioSource& source, const std::vector<Override>& overrides,
                                         Diagnostics& diagnostics);

// Applies --set style overrides to a merged document; problems are located at "--set PATH=VALUE".
void apply_overrides(toml::table& document, const std::vector<Override>& overrides, Diagnostics& diagnostics);

// The value at an override path (countries.RUS.r0, contracts.gtm_sputnik.doses) as TOML text: the document's,
// else country_defaults' for a country key, else the declared default; nullopt when the path names no value.
std::optional<std::string> value_at(const toml::table& document, std::string_view path);

// Names of the scenarios compiled into the binary ("default-2021", ...).
std::vector<std::string> embedded_scenario_names();

// Position of a node for messages.
SourcePosition position_of(const toml::node& node);
SourcePosition position_of(const toml::node* node, const SourcePosition& fallback);

// The key that identifies an entry of an array of tables ("id"; "code" for countries; "country" for suppliers).
const char* entry_key(std::string_view array_name);

}  // namespace doseflow::scenario
