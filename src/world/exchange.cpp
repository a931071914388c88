#include "world/exchange.hpp"

namespace doseflow {

const char* to_string(ContractStatus value) {
    switch (value) {
        case ContractStatus::on_track: return "on_track";
        case ContractStatus::late: return "late";
        case ContractStatus::public_complaint: return "public_complaint";
        case ContractStatus::refund_demand: return "refund_demand";
        case ContractStatus::cancelled: return "cancelled";
        case ContractStatus::switched: return "switched";
        case ContractStatus::completed: return "completed";
    }
    return "?";
}

ContractId ContractBook::add(Contract terms, int component_count, Date today) {
    ContractRecord record;
    record.terms = std::move(terms);
    record.delivered_by_component.assign(static_cast<std::size_t>(component_count), 0.0);
    record.shipped_by_component.assign(static_cast<std::size_t>(component_count), 0.0);
    record.status_since = today;
    records.push_back(std::move(record));
    return ContractId(records.size() - 1);
}

}  // namespace doseflow
