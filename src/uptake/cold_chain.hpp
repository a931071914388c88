#pragma once
// One country's vaccine stores: a capacity per temperature class that grows by dated steps, and the stock held
// there as dated lots, taken first-expiring-first. A product goes into its required class, or into another class
// that keeps it (Product::shelf_life_days), where its expiry is that class's shorter shelf life.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "world/cold_chain_fit.hpp"  // storage_classes, can_ever_store: the rule shared with diplomacy
#include "world/world.hpp"

namespace doseflow::uptake {

enum class WastageReason { cold_chain = 0, expired = 1, open_vial = 2 };
inline constexpr int wastage_reason_count = 3;
// The text is a string literal with static storage, usable as SeriesKey::tag.
const char* to_string(WastageReason reason);

struct Lot {
    ProductId product;
    int component = 0;
    double doses = 0.0;
    Date expiry;  // usable on days before this date; wasted (expired) on it
};

class ColdChain {
public:
    ColdChain(const Country& country, const std::vector<Product>& products);

    double capacity_doses(TemperatureClass temperature, Date date) const;
    double stored_doses(TemperatureClass temperature) const;

    // Puts an arriving lot into the stores, up to their free capacity on `today`. Returns the doses that found no
    // room (or no class that keeps the product).
    double store(ProductId product, int component, double doses, Date expiry, Date today);

    // Removes every lot whose expiry is on or before `today` and returns them.
    std::vector<Lot> expire(Date today);

    double stock(ProductId product, int component) const { return stock_[product.value()][component]; }
    double total_stock() const;

    // Takes up to `doses` of one product component, earliest expiry first across all classes; returns the doses
    // taken (less than asked only when the stock is short).
    double take(ProductId product, int component, double doses);

    // Doses of one product component in lots expiring before `limit`.
    double stock_expiring_before(ProductId product, int component, Date limit) const;
    // Takes up to `doses` of one product component from lots expiring on or after `from` and before `limit`,
    // latest expiry first (the longest-lived doses, for dose sharing); returns what was taken, as lots.
    std::vector<Lot> take_latest(ProductId product, int component, Date from, Date limit, double doses);
    // Free capacity on `today` in the classes that keep the product.
    double room_for(ProductId product, Date today) const;
    // Free capacity on `today` in all classes together.
    double free_capacity(Date today) const;
    // room_for every product at once into `rooms` (indexed by product), each class's free capacity found once.
    void room_for_each_product(Date today, std::vector<double>& rooms) const;
    // Earliest expiry among the lots of one product component, if any are in stock.
    std::optional<Date> earliest_expiry(ProductId product, int component) const;

private:
    struct ClassStore {
        double start_capacity_doses = 0.0;
        std::vector<ColdChainStep> growth;  // this class only, by date
        std::vector<Lot> lots;              // by expiry
        double stored_doses = 0.0;
    };
    ClassStore& store_of(TemperatureClass temperature) { return classes_[static_cast<std::size_t>(temperature)]; }
    const ClassStore& store_of(TemperatureClass temperature) const {
        return classes_[static_cast<std::size_t>(temperature)];
    }
    void insert_lot(ClassStore& store, Lot lot);
    double free_in(TemperatureClass temperature, Date today) const {
        return std::max(0.0, capacity_doses(temperature, today) - stored_doses(temperature));
    }
    // Takes `doses` off the running stock of a product component (after its lots were reduced by as much).
    void remove_stock(ProductId product, int component, double doses);

    const std::vector<Product>* products_;
    std::vector<std::vector<TemperatureClass>> classes_by_product_;  // storage_classes of each product
    std::array<ClassStore, temperature_class_count> classes_;
    std::vector<std::vector<double>> stock_;  // [product][component], all classes together
};

// A contract whose product the recipient can never store: no class that keeps the product has capacity at any
// date of the scenario (for a COVAX contract: one entry naming the participants that cannot). `doseflow validate`
// warns about these.
struct UnreceivableContract {
    std::size_t contract_index = 0;  // into World::contracts
    std::string reason;
};
std::vector<UnreceivableContract> unreceivable_contracts(const World& world);

}  // namespace doseflow::uptake
