#include "world/world.hpp"

#include <algorithm>
#include <numeric>

namespace doseflow {

const char* to_string(TemperatureClass value) {
    switch (value) {
        case TemperatureClass::ultra_cold: return "ultra_cold";
        case TemperatureClass::frozen: return "frozen";
        case TemperatureClass::fridge: return "fridge";
    }
    return "?";
}

const char* to_string(ContractKind value) {
    switch (value) {
        case ContractKind::sale: return "sale";
        case ContractKind::donation: return "donation";
        case ContractKind::covax: return "covax";
        case ContractKind::licence: return "licence";
    }
    return "?";
}

const char* to_string(AllocationPolicy value) {
    switch (value) {
        case AllocationPolicy::domestic_first: return "domestic_first";
        case AllocationPolicy::pro_rata: return "pro_rata";
        case AllocationPolicy::fifo: return "fifo";
        case AllocationPolicy::priority: return "priority";
        case AllocationPolicy::need_based: return "need_based";
    }
    return "?";
}

const char* to_string(EventKind value) {
    switch (value) {
        case EventKind::policy_change: return "policy_change";
        case EventKind::capacity_shock: return "capacity_shock";
        case EventKind::variant_arrival: return "variant_arrival";
        case EventKind::price_change: return "price_change";
        case EventKind::domestic_share: return "domestic_share";
    }
    return "?";
}

bool Product::has_approval(std::string_view approval) const {
    return std::find(approvals.begin(), approvals.end(), approval) != approvals.end();
}

bool Product::has_stringent_approval(Date date) const {
    return (has_approval("ema") && (!ema_date || date >= *ema_date)) ||
           (has_approval("who_eul") && (!who_eul_date || date >= *who_eul_date));
}

double Country::population() const {
    return std::accumulate(population_by_age.begin(), population_by_age.end(), 0.0);
}

namespace {
template <class Id, class Items, class Key>
std::optional<Id> find_by(const Items& items, std::string_view key, Key key_of) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (key_of(items[i]) == key) return Id(i);
    return std::nullopt;
}
}  // namespace

std::optional<CountryId> World::find_country(std::string_view code) const {
    return find_by<CountryId>(countries, code, [](const Country& c) -> const std::string& { return c.code; });
}
std::optional<ProductId> World::find_product(std::string_view id) const {
    return find_by<ProductId>(products, id, [](const Product& p) -> const std::string& { return p.id; });
}
std::optional<SiteId> World::find_site(std::string_view id) const {
    return find_by<SiteId>(sites, id, [](const Site& s) -> const std::string& { return s.id; });
}
std::optional<ContractId> World::find_contract(std::string_view id) const {
    return find_by<ContractId>(contracts, id, [](const Contract& c) -> const std::string& { return c.id; });
}

const SupplierPolicy* World::supplier_policy(CountryId country) const {
    for (const auto& policy : suppliers)
        if (policy.country == country) return &policy;
    return nullptr;
}

}  // namespace doseflow
