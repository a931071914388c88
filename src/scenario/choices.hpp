#pragma once
// The texts of the scenario's choice parameters and the enumerations of the built world they become; the registry
// declares the allowed texts, so a text reaching these has been validated.
#include <optional>
#include <string_view>

#include "world/world.hpp"

namespace doseflow::scenario {

inline std::optional<TemperatureClass> temperature_from(std::string_view text) {
    if (text == "ultra_cold") return TemperatureClass::ultra_cold;
    if (text == "frozen") return TemperatureClass::frozen;
    if (text == "fridge") return TemperatureClass::fridge;
    return std::nullopt;
}

inline std::optional<AllocationPolicy> policy_from(std::string_view text) {
    if (text == "domestic_first") return AllocationPolicy::domestic_first;
    if (text == "pro_rata") return AllocationPolicy::pro_rata;
    if (text == "fifo") return AllocationPolicy::fifo;
    if (text == "priority") return AllocationPolicy::priority;
    if (text == "need_based") return AllocationPolicy::need_based;
    return std::nullopt;
}

inline std::optional<ContractKind> kind_from(std::string_view text) {
    if (text == "sale") return ContractKind::sale;
    if (text == "donation") return ContractKind::donation;
    if (text == "covax") return ContractKind::covax;
    if (text == "licence") return ContractKind::licence;
    return std::nullopt;
}

inline std::optional<EventKind> event_kind_from(std::string_view text) {
    if (text == "policy_change") return EventKind::policy_change;
    if (text == "capacity_shock") return EventKind::capacity_shock;
    if (text == "variant_arrival") return EventKind::variant_arrival;
    if (text == "price_change") return EventKind::price_change;
    if (text == "domestic_share") return EventKind::domestic_share;
    return std::nullopt;
}

inline PriorityRule priority_from(std::string_view text) {
    if (text == "uniform") return PriorityRule::uniform;
    if (text == "health_workers_then_oldest") return PriorityRule::health_workers_then_oldest;
    return PriorityRule::oldest_first;
}

inline SecondDosePolicy second_dose_policy_from(std::string_view text) {
    return text == "hold_back_second" ? SecondDosePolicy::hold_back_second : SecondDosePolicy::first_doses_first;
}

}  // namespace doseflow::scenario
