// The engine's daily loop: supply's compact copy of what it shipped under each contract agrees with the contract
// book every day of the default run.
#include <cstddef>
#include <string>

#include <gtest/gtest.h>

#include "doseflow/scenario.hpp"
#include "engine/day_loop.hpp"
#include "world/world.hpp"

namespace doseflow {
namespace {

TEST(SupplyLedger, AgreesWithTheContractBookEveryDayOfTheDefaultRun) {
    const Scenario scenario = Scenario::load(ScenarioSource::embedded("default-2021"));
    int days = 0;
    std::size_t contracts = 0;
    DayChecks checks;
    checks.after_supply = [&](Date today, const supply::SupplyModel& supply, const ContractBook& book) {
        ++days;
        contracts = book.size();
        const auto differences = supply.shipped_ledger_differences(book);
        ASSERT_TRUE(differences.empty()) << today.iso() << ": " << differences.front() << " (" << differences.size()
                                         << " differences)";
    };
    RunOptions options;
    options.record_series = false;
    run_days(scenario, options, checks);
    EXPECT_EQ(days, scenario.world().simulation.days());
    EXPECT_GT(contracts, 400u);  // the default scenario's contracts and those signed during the run
}

TEST(SupplyLedger, ADifferenceFromTheBookIsNamed) {
    const Scenario scenario =
        Scenario::load(ScenarioSource::file(std::string(DOSEFLOW_SOURCE_DIR) + "/tests/scenarios/two-countries.toml"))
            .with_days(60);
    int checked = 0;
    DayChecks checks;
    checks.after_supply = [&](Date, const supply::SupplyModel& supply, const ContractBook& book) {
        if (book.size() == 0 || book.records[0].shipped_by_component.empty()) return;
        EXPECT_TRUE(supply.shipped_ledger_differences(book).empty());
        ContractBook changed = book;
        changed.records[0].shipped_by_component[0] += 1.0;
        const auto differences = supply.shipped_ledger_differences(changed);
        ASSERT_EQ(differences.size(), 1u);
        EXPECT_NE(differences[0].find("contract " + book.records[0].terms.id + " component 1"), std::string::npos)
            << differences[0];
        ++checked;
    };
    run_days(scenario, {}, checks);
    EXPECT_EQ(checked, 60);
}

}  // namespace
}  // namespace doseflow
