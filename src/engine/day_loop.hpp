#pragma once
// The daily loop behind Simulation::run (docs/architecture.md, "One simulated day"), with a seam for tests that
// look at a stage's state between the stages of a day.
#include <functional>

#include "doseflow/simulation.hpp"
#include "supply/supply_model.hpp"
#include "world/exchange.hpp"

namespace doseflow {

struct DayChecks {
    // Called each day after the supply stages (production, allocation, shipping) with supply's state and the book.
    std::function<void(Date, const supply::SupplyModel&, const ContractBook&)> after_supply;
};

Results run_days(const Scenario& scenario, const RunOptions& options, const DayChecks& checks);

}  // namespace doseflow
