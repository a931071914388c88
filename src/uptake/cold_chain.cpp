#include "uptake/cold_chain.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>

#include <fmt/format.h>

namespace doseflow::uptake {

const char* to_string(WastageReason reason) {
    switch (reason) {
        case WastageReason::cold_chain: return "cold_chain";
        case WastageReason::expired: return "expired";
        case WastageReason::open_vial: return "open_vial";
    }
    return "?";
}

ColdChain::ColdChain(const Country& country, const std::vector<Product>& products) : products_(&products) {
    for (int i = 0; i < temperature_class_count; ++i) {
        auto& store = classes_[static_cast<std::size_t>(i)];
        store.start_capacity_doses = country.cold_chain_doses[static_cast<std::size_t>(i)];
        for (const auto& step : country.cold_chain_growth)
            if (static_cast<int>(step.temperature) == i) store.growth.push_back(step);
        std::stable_sort(store.growth.begin(), store.growth.end(),
                         [](const auto& a, const auto& b) { return a.date < b.date; });
    }
    stock_.reserve(products.size());
    classes_by_product_.reserve(products.size());
    for (const auto& product : products) {
        stock_.emplace_back(static_cast<std::size_t>(product.component_count()), 0.0);
        classes_by_product_.push_back(storage_classes(product));
    }
}

double ColdChain::capacity_doses(TemperatureClass temperature, Date date) const {
    const auto& store = store_of(temperature);
    double capacity = store.start_capacity_doses;
    for (const auto& step : store.growth) {
        if (step.date > date) break;
        capacity += step.doses;
    }
    return capacity;
}

double ColdChain::stored_doses(TemperatureClass temperature) const { return store_of(temperature).stored_doses; }

double ColdChain::total_stock() const {
    double total = 0.0;
    for (const auto& store : classes_) total += store.stored_doses;
    return total;
}

void ColdChain::insert_lot(ClassStore& store, Lot lot) {
    const auto same = std::find_if(store.lots.begin(), store.lots.end(), [&](const Lot& held) {
        return held.product == lot.product && held.component == lot.component && held.expiry == lot.expiry;
    });
    if (same != store.lots.end()) {
        same->doses += lot.doses;
        return;
    }
    const auto position = std::upper_bound(store.lots.begin(), store.lots.end(), lot.expiry,
                                           [](Date expiry, const Lot& held) { return expiry < held.expiry; });
    store.lots.insert(position, lot);
}

double ColdChain::store(ProductId product, int component, double doses, Date expiry, Date today) {
    assert(doses >= 0.0);
    const Product& spec = (*products_)[product.value()];
    double left = doses;
    for (const TemperatureClass temperature : classes_by_product_[product.value()]) {
        if (left <= 0.0) break;
        auto& store = store_of(temperature);
        const double room = capacity_doses(temperature, today) - store.stored_doses;
        if (room <= 0.0) continue;
        const auto& shelf_life = spec.shelf_life_days[static_cast<std::size_t>(temperature)];
        // Kept in this class, a lot lasts no longer than this class's shelf life from today.
        const Date lot_expiry = shelf_life ? std::min(expiry, today + *shelf_life) : expiry;
        const double placed = std::min(left, room);
        insert_lot(store, Lot{product, component, placed, lot_expiry});
        store.stored_doses += placed;
        stock_[product.value()][component] += placed;
        left -= placed;
    }
    return left;
}

void ColdChain::remove_stock(ProductId product, int component, double doses) {
    double& held = stock_[product.value()][component];
    held -= doses;
    if (held >= 0.0) return;
    held = 0.0;  // below zero only by rounding: no more is ever taken than the lots hold
}

std::vector<Lot> ColdChain::expire(Date today) {
    std::vector<Lot> expired;
    for (auto& store : classes_) {
        // Lots are ordered by expiry, so the expired ones are a prefix.
        const auto end = std::find_if(store.lots.begin(), store.lots.end(),
                                      [&](const Lot& lot) { return lot.expiry > today; });
        for (auto lot = store.lots.begin(); lot != end; ++lot) {
            store.stored_doses -= lot->doses;
            remove_stock(lot->product, lot->component, lot->doses);
            expired.push_back(*lot);
        }
        store.lots.erase(store.lots.begin(), end);
    }
    return expired;
}

double ColdChain::take(ProductId product, int component, double doses) {
    double taken = 0.0;
    while (taken < doses) {
        // The earliest-expiring lot of this product component across all classes.
        ClassStore* best_store = nullptr;
        Lot* best = nullptr;
        for (auto& store : classes_) {
            for (auto& lot : store.lots) {
                if (lot.product != product || lot.component != component || lot.doses <= 0.0) continue;
                if (best == nullptr || lot.expiry < best->expiry) {
                    best = &lot;
                    best_store = &store;
                }
                break;  // lots are by expiry: the first match is this class's earliest
            }
        }
        if (best == nullptr) break;
        const double amount = std::min(best->doses, doses - taken);
        best->doses -= amount;
        best_store->stored_doses -= amount;
        remove_stock(product, component, amount);
        taken += amount;
        if (best->doses <= 0.0)
            best_store->lots.erase(best_store->lots.begin() + (best - best_store->lots.data()));
    }
    return taken;
}

double ColdChain::stock_expiring_before(ProductId product, int component, Date limit) const {
    double doses = 0.0;
    for (const auto& store : classes_)
        for (const auto& lot : store.lots) {
            if (lot.expiry >= limit) break;  // lots are by expiry
            if (lot.product == product && lot.component == component) doses += lot.doses;
        }
    return doses;
}

std::vector<Lot> ColdChain::take_latest(ProductId product, int component, Date from, Date limit, double doses) {
    std::vector<Lot> taken;
    double left = doses;
    while (left > 0.0) {
        // The latest-expiring lot in [from, limit) of this product component across all classes.
        ClassStore* best_store = nullptr;
        std::size_t best = 0;
        for (auto& store : classes_)
            for (std::size_t i = 0; i < store.lots.size(); ++i) {
                const Lot& lot = store.lots[i];
                if (lot.expiry >= limit) break;
                if (lot.product != product || lot.component != component || lot.doses <= 0.0 || lot.expiry < from)
                    continue;
                if (best_store == nullptr || lot.expiry >= best_store->lots[best].expiry) {
                    best_store = &store;
                    best = i;
                }
            }
        if (best_store == nullptr) break;
        Lot& lot = best_store->lots[best];
        const double amount = std::min(lot.doses, left);
        lot.doses -= amount;
        best_store->stored_doses -= amount;
        remove_stock(product, component, amount);
        left -= amount;
        taken.push_back(Lot{product, component, amount, lot.expiry});
        if (lot.doses <= 0.0) best_store->lots.erase(best_store->lots.begin() + static_cast<std::ptrdiff_t>(best));
    }
    return taken;
}

double ColdChain::room_for(ProductId product, Date today) const {
    double room = 0.0;
    for (const auto temperature : classes_by_product_[product.value()]) room += free_in(temperature, today);
    return room;
}

double ColdChain::free_capacity(Date today) const {
    double room = 0.0;
    for (int k = 0; k < temperature_class_count; ++k) room += free_in(static_cast<TemperatureClass>(k), today);
    return room;
}

void ColdChain::room_for_each_product(Date today, std::vector<double>& rooms) const {
    std::array<double, temperature_class_count> free{};
    for (int k = 0; k < temperature_class_count; ++k)
        free[static_cast<std::size_t>(k)] = free_in(static_cast<TemperatureClass>(k), today);
    rooms.assign(classes_by_product_.size(), 0.0);
    for (std::size_t p = 0; p < classes_by_product_.size(); ++p)
        for (const auto temperature : classes_by_product_[p]) rooms[p] += free[static_cast<std::size_t>(temperature)];
}

std::optional<Date> ColdChain::earliest_expiry(ProductId product, int component) const {
    std::optional<Date> earliest;
    for (const auto& store : classes_) {
        for (const auto& lot : store.lots) {
            if (lot.product != product || lot.component != component || lot.doses <= 0.0) continue;
            if (!earliest || lot.expiry < *earliest) earliest = lot.expiry;
            break;
        }
    }
    return earliest;
}

namespace {

std::string class_list(const Product& product) {
    std::string text;
    for (const auto temperature : storage_classes(product))
        text += fmt::format("{}{}", text.empty() ? "" : ", ", to_string(temperature));
    return text;
}

}  // namespace

std::vector<UnreceivableContract> unreceivable_contracts(const World& world) {
    std::vector<UnreceivableContract> found;
    for (std::size_t i = 0; i < world.contracts.size(); ++i) {
        const Contract& contract = world.contracts[i];
        if (!contract.product.valid()) continue;
        const Product& product = world.product(contract.product);
        if (contract.recipient.valid()) {
            const Country& country = world.country(contract.recipient);
            if (can_ever_store(country, product)) continue;
            found.push_back({i, fmt::format("contract {}: {} has no storage at any date in a class that keeps {} ({}), "
                                            "which can be kept only in: {}; every dose delivered would be wasted",
                                            contract.id, country.code, product.name, product.id, class_list(product))});
            continue;
        }
        // COVAX names no recipient: warn about the participants that could never take the product.
        if (contract.kind != ContractKind::covax) continue;
        std::string participants;
        for (const Country& country : world.countries)
            if (country.covax_participant && !can_ever_store(country, product))
                participants += fmt::format("{}{}", participants.empty() ? "" : ", ", country.code);
        if (participants.empty()) continue;
        found.push_back({i, fmt::format("COVAX contract {}: participants {} have no storage at any date in a class "
                                        "that keeps {} ({}), which can be kept only in: {}; doses allocated to them "
                                        "would be wasted",
                                        contract.id, participants, product.name, product.id, class_list(product))});
    }
    return found;
}

}  // namespace doseflow::uptake
