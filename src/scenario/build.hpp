#pragma once
// Step 4 of loading: build the immutable World from a validated document, with the checks that need more than
// one value (dates in order, lengths that must match, references between components).
#include <optional>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "scenario/world_table.hpp"
#include "world/world.hpp"

namespace doseflow::scenario {

std::optional<World> build_world(const toml::table& document, const std::vector<WorldTableRow>& world_table,
                                 Diagnostics& diagnostics);

// A world with no entities whose settings and stage parameters hold the registry's declared defaults: the
// starting point of worlds built in code (tests, benchmarks).
World world_with_declared_defaults();

}  // namespace doseflow::scenario
