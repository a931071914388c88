#pragma once
// Checks of a built scenario that need the stage models: warnings `doseflow validate` prints.
#include "core/error.hpp"
#include "world/world.hpp"

namespace doseflow {

Diagnostics check_scenario(const World& world);

}  // namespace doseflow
