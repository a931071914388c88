// `doseflow validate`'s view of a loaded scenario (doseflow/scenario.hpp): its warnings with the plausibility
// checks of its world.
#include "doseflow/scenario.hpp"
#include "engine/checks.hpp"
#include "world/world.hpp"

namespace doseflow {

ScenarioCheck check_scenario(const Scenario& scenario) {
    const World& world = scenario.world();
    ScenarioCheck check;
    check.warnings = scenario.warnings();
    check.warnings.append(check_scenario(world));
    check.countries = world.countries.size();
    check.products = world.products.size();
    check.sites = world.sites.size();
    check.contracts = world.contracts.size();
    return check;
}

}  // namespace doseflow
