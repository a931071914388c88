#include "engine/checks.hpp"

#include <fmt/format.h>

#include "uptake/cold_chain.hpp"

namespace doseflow {

Diagnostics check_scenario(const World& world) {
    Diagnostics warnings;
    for (const auto& item : uptake::unreceivable_contracts(world)) {
        const auto& contract = world.contracts[item.contract_index];
        warnings.warning({world.name, 0, 0}, fmt::format("contract {} can never be received: {}", contract.id,
                                                         item.reason));
    }
    return warnings;
}

}  // namespace doseflow
