#pragma once
// The escalation ladder of a late contract: on_track -> late -> public_complaint -> refund_demand -> cancelled
// or switched (docs/model/diplomacy.md, "Escalation").
#include <optional>

#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::diplomacy {

struct EscalationInputs {
    double shortfall_share = 0.0;  // share of the doses due (after the grace period) not delivered, [0, 1]
    double days_late = 0.0;        // days since the contract fell behind
    double prepaid_share = 0.0;    // prepaid amount over the contract's value, [0, 1]
    double alignment = 0.0;        // the buyer's alignment with the supplier's bloc, [-1, 1]
    double alternatives = 0.0;     // how far other suppliers could replace the missing doses, [0, 1]
};

// h = base * exp(w_s*shortfall + w_l*ln(1 + days_late/30) + w_p*prepaid - w_a*alignment - w_alt*(1 - alternatives)):
// the hazard grows as a power (1 + months late)^w_l of the time late, not exponentially, so that a small shortfall
// held for long does not by itself end a contract.
double escalation_hazard_per_day(const DiplomacyParameters& parameters, const EscalationInputs& inputs);

// The probability that a step is taken on one day at a constant hazard.
double daily_step_probability(double hazard_per_day);

// The status a buyer's next escalation step leads to from `status`: late -> public_complaint -> refund_demand.
// nullopt from refund_demand (the buyer then leaves the contract: cancelled or switched) and from statuses that
// do not escalate.
std::optional<ContractStatus> next_escalation(ContractStatus status);

bool is_escalated(ContractStatus status);  // late, public_complaint or refund_demand

// Prepaid amount over the contract's value (doses x price), in [0, 1]; 0 for a contract of no value.
double prepaid_share(const Contract& terms);

// What a successful refund returns now: the prepaid amount not covered by the doses delivered at the contract
// price, less what was already refunded. Never negative, and refunded + this never exceeds the prepaid amount.
double refundable_usd(const ContractRecord& record);

}  // namespace doseflow::diplomacy
