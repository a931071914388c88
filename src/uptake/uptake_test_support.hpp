#pragma once
// Small hand-built Worlds and a day driver for the uptake tests.
#include <string>
#include <utility>
#include <vector>

#include "uptake/uptake_model.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"
#include "scenario/build.hpp"

namespace doseflow::uptake::testing {

inline Date day0() { return Date::from_ymd(2021, 1, 4); }

struct ProductSpec {
    std::string id = "vaccine";
    std::vector<std::string> components{"c1"};
    std::vector<int> course{0, 0};
    TemperatureClass storage = TemperatureClass::fridge;
    std::array<std::optional<int>, temperature_class_count> shelf_life_days{std::nullopt, std::nullopt, 180};
    int min_interval_days = 21;
    int recommended_interval_days = 21;
    double open_vial_wastage = 0.0;
};

inline Product make_product(const ProductSpec& spec) {
    Product product;
    product.id = spec.id;
    product.name = spec.id;
    product.components = spec.components;
    product.course = spec.course;
    product.storage = spec.storage;
    product.shelf_life_days = spec.shelf_life_days;
    product.min_interval_days = spec.min_interval_days;
    product.recommended_interval_days = spec.recommended_interval_days;
    product.open_vial_wastage = spec.open_vial_wastage;
    return product;
}

struct CountrySpec {
    std::string code = "AAA";
    std::vector<double> population_by_age{1000.0};
    std::array<double, temperature_class_count> cold_chain_doses{0.0, 1e9, 1e9};
    std::vector<ColdChainStep> cold_chain_growth;
    double admin_capacity_doses_per_day = 100.0;
    PriorityRule priority = PriorityRule::oldest_first;
    double health_worker_share = 0.0;
    int min_age_years = 0;
    SecondDosePolicy second_dose_policy = SecondDosePolicy::first_doses_first;
    std::vector<double> willing_share_by_age{1.0};
    double certificate_fraud_share = 0.0;
    int campaign_start_day = 0;  // days after day0()
};

inline Country make_country(const CountrySpec& spec) {
    Country country;
    country.code = spec.code;
    country.name = spec.code;
    country.population_by_age = spec.population_by_age;
    country.cold_chain_doses = spec.cold_chain_doses;
    country.cold_chain_growth = spec.cold_chain_growth;
    country.admin_capacity_doses_per_day = Ramp(spec.admin_capacity_doses_per_day);
    country.priority = spec.priority;
    country.health_worker_share = spec.health_worker_share;
    country.min_age_years = spec.min_age_years;
    country.second_dose_policy = spec.second_dose_policy;
    country.willing_share_by_age = spec.willing_share_by_age;
    country.certificate_fraud_share = spec.certificate_fraud_share;
    country.campaign_start = day0() + spec.campaign_start_day;
    return country;
}

inline World make_world(std::vector<int> age_band_lower, std::vector<Country> countries, std::vector<Product> products) {
    World world = scenario::world_with_declared_defaults();
    world.name = "uptake test";
    world.simulation.start = day0();
    world.simulation.end = day0() + 365;
    world.age_band_lower = std::move(age_band_lower);
    world.epidemic.age_band_lower = world.age_band_lower;
    world.countries = std::move(countries);
    world.products = std::move(products);
    return world;
}

// A sale of `doses` of `product` to `recipient` (the supplier is the recipient: tests need no supplier).
inline Contract make_contract(std::string id, CountryId recipient, ProductId product, double doses) {
    Contract contract;
    contract.id = std::move(id);
    contract.recipient = recipient;
    contract.supplier = recipient;
    contract.product = product;
    contract.doses = doses;
    return contract;
}

inline Arrival make_arrival(ContractId contract, CountryId recipient, ProductId product, int component, double doses,
                            Date expiry) {
    return Arrival{contract, recipient, recipient, product, component, doses, expiry};
}

// Drives the model through days in the engine's order: intake, administration, then hesitancy.
class Harness {
public:
    explicit Harness(World world) : world_(std::move(world)), model_(world_) {
        for (const Contract& contract : world_.contracts) {
            const int components = world_.product(contract.product).component_count();
            book_.add(contract, components, world_.simulation.start);
        }
        exchange_.epidemic.assign(world_.countries.size(), EpidemicSignal{});
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    void run_day(Date today, const std::vector<Arrival>& arrivals = {}) {
        exchange_.date = today;
        exchange_.arrivals = arrivals;
        model_.receive(today, arrivals, book_, recorder_);
        model_.administer(today, exchange_, recorder_);
        model_.update_hesitancy(today, exchange_);
    }

    // Sum of a metric's points on one day (every product, component and tag unless given).
    double value(std::string_view metric, Date date, int country = 0, int product = -1,
                 std::string_view tag = {}) const {
        double total = 0.0;
        for (const auto& point : recorder_.points()) {
            if (point.date != date || point.key.metric != metric || point.key.country != country) continue;
            if (product >= 0 && point.key.product != product) continue;
            if (!tag.empty() && point.key.tag != tag) continue;
            total += point.value;
        }
        return total;
    }

    // People vaccinated today with dose `dose_number` of `product` (by the course's product), every band or one.
    double vaccinated_today(int product, int dose_number, int band = -1) const {
        double people = 0.0;
        for (const auto& vaccination : exchange_.vaccinations) {
            if (static_cast<int>(vaccination.product.value()) != product || vaccination.dose_number != dose_number)
                continue;
            if (band >= 0 && vaccination.age_band != band) continue;
            people += vaccination.people;
        }
        return people;
    }

    const World& world() const { return world_; }
    UptakeModel& model() { return model_; }
    ContractBook& book() { return book_; }
    Recorder& recorder() { return recorder_; }
    DayExchange& exchange() { return exchange_; }

private:
    World world_;
    UptakeModel model_;
    ContractBook book_;
    Recorder recorder_;
    DayExchange exchange_;
};

}  // namespace doseflow::uptake::testing
