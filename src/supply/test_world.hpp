#pragma once
// Hand-built small worlds for the supply stage's tests and benchmark, and a driver that runs the supply stages
// day by day with a minimal stand-in for the home programmes (each country gives what arrived, up to its
// administration capacity). Not part of the simulator: the engine runs the real stages.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "supply/supply_model.hpp"
#include "world/cold_chain_fit.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"
#include "scenario/build.hpp"
#include "scenario/registry.hpp"

namespace doseflow::supply::testing {

inline Date day(int offset) { return Date::from_ymd(2021, 1, 1) + offset; }

class WorldBuilder {
public:
    explicit WorldBuilder(int days, Date start = day(0)) {
        world_.name = "supply test";
        world_.simulation.start = start;
        world_.simulation.end = start + (days - 1);
        world_.age_band_lower = {0};
    }

    CountryId country(const std::string& code, double population, const std::string& region = "Region",
                      const std::string& subregion = "Subregion", double admin_doses_per_day = 0.0,
                      bool covax_participant = false) {
        Country country;
        country.code = code;
        country.name = code;
        country.region = region;
        country.subregion = subregion;
        country.population_by_age = {population};
        country.contacts = {10.0};
        country.covax_participant = covax_participant;
        country.admin_capacity_doses_per_day = Ramp(admin_doses_per_day);
        country.cold_chain_doses = {0.0, 1e12, 1e12};  // the registry's defaults: frozen and fridge unlimited
        country.campaign_start = world_.simulation.start;
        world_.countries.push_back(std::move(country));
        return CountryId(world_.countries.size() - 1);
    }

    // components: how many distinct components; course: component given at each dose.
    ProductId product(const std::string& id, int components, std::vector<int> course, int shelf_life_days = 180,
                      TemperatureClass storage = TemperatureClass::fridge) {
        Product product;
        product.id = id;
        product.name = id;
        for (int k = 0; k < components; ++k) product.components.push_back(id + "_c" + std::to_string(k + 1));
        product.course = std::move(course);
        product.group = "test";
        product.storage = storage;
        product.shelf_life_days[static_cast<std::size_t>(storage)] = shelf_life_days;
        product.price_usd_per_dose = 10.0;
        world_.products.push_back(std::move(product));
        return ProductId(world_.products.size() - 1);
    }

    // A line making `components` of `product` with `capacity_doses_per_day` (before yields).
    SiteId site(const std::string& id, CountryId country, ProductId product, double capacity_doses_per_day,
                std::vector<int> components = {0}, std::vector<double> yields = {1.0}, int release_delay_days = 0) {
        Site site;
        site.id = id;
        site.country = country;
        site.product = product;
        site.components = std::move(components);
        site.component_yield = std::move(yields);
        site.capacity_doses_per_day = Ramp(capacity_doses_per_day);
        site.release_delay_days = release_delay_days;
        world_.sites.push_back(std::move(site));
        return SiteId(world_.sites.size() - 1);
    }

    Site& site_at(SiteId id) { return world_.sites[id.value()]; }

    // A contract due in full on `due` (or as_available when `due` is empty).
    ContractId contract(const std::string& id, CountryId supplier, CountryId recipient, ProductId product,
                        double doses, std::optional<Date> due = std::nullopt,
                        ContractKind kind = ContractKind::sale, Date signed_on = day(0)) {
        Contract contract;
        contract.id = id;
        contract.kind = kind;
        contract.supplier = supplier;
        contract.recipient = kind == ContractKind::covax ? CountryId{} : recipient;
        contract.product = product;
        contract.doses = doses;
        contract.price_usd_per_dose = 10.0;
        contract.signed_on = signed_on;
        if (due) contract.schedule = {Tranche{*due, doses}};
        contract.as_available = !due.has_value();
        contract.source = "test";
        world_.contracts.push_back(std::move(contract));
        return ContractId(world_.contracts.size() - 1);
    }

    Contract& contract_at(ContractId id) { return world_.contracts[id.value()]; }

    SupplierPolicy& supplier(CountryId country, AllocationPolicy policy) {
        SupplierPolicy entry = scenario::declared_defaults<SupplierPolicy>("suppliers[]");
        entry.country = country;
        entry.policy = policy;
        world_.suppliers.push_back(std::move(entry));
        return world_.suppliers.back();
    }

    ExportControl& export_control(CountryId exporter, Date start, Date end, double cap_doses_per_day = 0.0) {
        ExportControl control;
        control.exporter = exporter;
        control.start = start;
        control.end = end;
        control.cap_doses_per_day = cap_doses_per_day;
        control.source = "test";
        world_.export_controls.push_back(std::move(control));
        return world_.export_controls.back();
    }

    World& world() { return world_; }
    World build() const { return world_; }

private:
    World world_ = scenario::world_with_declared_defaults();
};

// Runs the supply stages over a world, day by day, with each country's programme giving what arrived up to its
// administration capacity and asking for doses up to two per person.
class SupplyRun {
public:
    SupplyRun(const World& world, std::uint64_t seed) : world_(world), model_(world, seed), today_(world.simulation.start) {
        for (const Contract& contract : world.contracts)
            book_.add(contract, world.product(contract.product).component_count(), today_);
        const std::size_t countries = world.countries.size();
        exchange_.uptake.assign(countries, UptakeSignal{});
        exchange_.diplomacy.domestic_share_boost.assign(countries, 0.0);
        held_doses_.assign(countries, 0.0);
        received_doses_.assign(countries, 0.0);
        refresh_signals();
    }

    bool done() const { return today_ > world_.simulation.end; }
    Date today() const { return today_; }

    // Streams the day's records and delivery rows away instead of keeping them (as an output writer would).
    void keep_outputs(bool keep) { keep_outputs_ = keep; }

    void step() {
        if (!keep_outputs_) {
            recorder_.clear();
            deliveries_.clear();
        }
        for (const ScenarioEvent& event : world_.events)
            if (event.date == today_) model_.apply_event(event);
        model_.produce(today_, recorder_);
        model_.allocate(today_, exchange_, book_, log_, recorder_);
        model_.ship(today_, exchange_, book_, recorder_, deliveries_);
        for (const Arrival& arrival : exchange_.arrivals) {
            held_doses_[arrival.recipient.value()] += arrival.doses;
            received_doses_[arrival.recipient.value()] += arrival.doses;
        }
        for (std::size_t c = 0; c < held_doses_.size(); ++c)
            held_doses_[c] -= std::min(held_doses_[c], world_.countries[c].admin_capacity_doses_per_day.at(today_));
        ++today_;
        refresh_signals();
    }

    void run_to_end() {
        while (!done()) step();
    }

    SupplyModel& model() { return model_; }
    ContractBook& book() { return book_; }
    DayExchange& exchange() { return exchange_; }
    Recorder& recorder() { return recorder_; }
    EventLog& log() { return log_; }
    std::vector<DeliveryRow>& deliveries() { return deliveries_; }

private:
    void refresh_signals() {
        for (std::size_t c = 0; c < held_doses_.size(); ++c) {
            UptakeSignal& signal = exchange_.uptake[c];
            signal.admin_capacity_doses_per_day = world_.countries[c].admin_capacity_doses_per_day.at(today_);
            signal.capacity_ahead_doses = world_.countries[c].admin_capacity_doses_per_day.sum_over_days(
                today_, world_.shipping.recipient_stock_days, world_.countries[c].campaign_start);
            signal.stock_doses = held_doses_[c];
            double capacity = 0.0;  // the stores at the start (dated growth is not used by these tests)
            for (const double doses : world_.countries[c].cold_chain_doses) capacity += doses;
            signal.cold_chain_free_doses = std::max(0.0, capacity - held_doses_[c]);
            // Per product: the classes that keep it, less all that is held (these tests do not place lots by class).
            signal.cold_chain_free_by_product.assign(world_.products.size(), 0.0);
            for (std::size_t p = 0; p < world_.products.size(); ++p) {
                double room = 0.0;
                for (const TemperatureClass temperature : storage_classes(world_.products[p]))
                    room += world_.countries[c].cold_chain_doses[static_cast<std::size_t>(temperature)];
                signal.cold_chain_free_by_product[p] = std::max(0.0, room - held_doses_[c]);
            }
            signal.doses_needed = std::max(0.0, 2.0 * world_.countries[c].population() - received_doses_[c]);
            signal.doses_wanted = signal.doses_needed;
        }
    }

    const World& world_;
    SupplyModel model_;
    ContractBook book_;
    DayExchange exchange_;
    Recorder recorder_;
    EventLog log_;
    std::vector<DeliveryRow> deliveries_;
    std::vector<double> held_doses_;
    std::vector<double> received_doses_;
    Date today_;
    bool keep_outputs_ = true;
};

}  // namespace doseflow::supply::testing
