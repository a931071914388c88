#include "diplomacy/escalation.hpp"

#include <algorithm>
#include <cmath>

namespace doseflow::diplomacy {

double escalation_hazard_per_day(const DiplomacyParameters& p, const EscalationInputs& in) {
    const double exponent = p.escalation_shortfall_weight * in.shortfall_share +
                            p.escalation_lateness_weight * std::log1p(in.days_late / 30.0) +
                            p.escalation_prepaid_weight * in.prepaid_share -
                            p.escalation_alignment_weight * in.alignment -
                            p.escalation_alternatives_weight * (1.0 - in.alternatives);
    return p.escalation_base_hazard * std::exp(exponent);
}

double daily_step_probability(double hazard_per_day) { return -std::expm1(-hazard_per_day); }

std::optional<ContractStatus> next_escalation(ContractStatus status) {
    switch (status) {
        case ContractStatus::late: return ContractStatus::public_complaint;
        case ContractStatus::public_complaint: return ContractStatus::refund_demand;
        default: return std::nullopt;
    }
}

bool is_escalated(ContractStatus status) {
    return status == ContractStatus::late || status == ContractStatus::public_complaint ||
           status == ContractStatus::refund_demand;
}

double prepaid_share(const Contract& terms) {
    const double value_usd = terms.doses * terms.price_usd_per_dose;
    if (value_usd <= 0.0) return 0.0;
    return std::clamp(terms.prepaid_usd / value_usd, 0.0, 1.0);
}

double refundable_usd(const ContractRecord& record) {
    const Contract& terms = record.terms;
    const double covered_usd = record.delivered_doses * terms.price_usd_per_dose;
    const double uncovered_usd = std::max(0.0, terms.prepaid_usd - covered_usd);
    return std::max(0.0, std::min(uncovered_usd, terms.prepaid_usd) - record.refunded_usd);
}

}  // namespace doseflow::diplomacy
