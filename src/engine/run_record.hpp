#pragma once
// What a run recorded beyond the figures of Results (doseflow/simulation.hpp): the world it ran, its series,
// events, deliveries, contracts and diplomacy. Output writers and the tables of doseflow/tables.hpp read it.
#include <memory>
#include <vector>

#include "doseflow/simulation.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow {

struct RunRecord {
    std::shared_ptr<const World> world;
    Recorder series;   // points from every stage, per day or per week (simulation.output_resolution)
    EventLog events;
    std::vector<DeliveryRow> deliveries;
    ContractBook contracts;  // final state: scenario contracts, then those signed during the run
    std::vector<DiplomacyRow> diplomacy;
};

}  // namespace doseflow
