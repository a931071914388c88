#pragma once
// Small hand-built worlds and a stand-in for the supply stage, for the diplomacy tests.
#include <algorithm>
#include <string>
#include <vector>

#include "diplomacy/diplomacy.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"
#include "scenario/build.hpp"
#include "scenario/registry.hpp"

namespace doseflow::diplomacy::fixtures {

inline Date day(int year, int month, int d) { return Date::from_ymd(year, month, d); }

inline Country make_country(std::string code, double population) {
    Country c;
    c.code = code;
    c.name = std::move(code);
    c.population_by_age = {population};
    c.cold_chain_doses = {1e6, 1e6, 1e7};
    c.target_coverage = 0.7;
    return c;
}

inline Product make_product(std::string id, std::string origin, std::vector<int> course, TemperatureClass storage,
                            double price_usd, std::vector<std::string> approvals) {
    Product p;
    p.id = id;
    p.name = std::move(id);
    p.origin = std::move(origin);
    int components = 0;
    for (int c : course) components = std::max(components, c + 1);
    for (int c = 0; c < components; ++c) p.components.push_back("component" + std::to_string(c));
    p.course = std::move(course);
    p.storage = storage;
    p.shelf_life_days[static_cast<std::size_t>(storage)] = 180;
    p.shelf_life_days[static_cast<std::size_t>(TemperatureClass::fridge)] =
        storage == TemperatureClass::fridge ? 365 : 30;
    p.price_usd_per_dose = price_usd;
    p.approvals = std::move(approvals);
    return p;
}

inline Site make_site(std::string id, CountryId country, ProductId product, int components,
                      double doses_per_day, std::vector<double> yields) {
    Site s;
    s.id = std::move(id);
    s.country = country;
    s.product = product;
    for (int c = 0; c < components; ++c) s.components.push_back(c);
    s.component_yield = std::move(yields);
    s.capacity_doses_per_day = Ramp(doses_per_day);
    return s;
}

// Countries: 0 RUS, 1 GTM, 2 USA, 3 CHN, 4 ARG, 5 KGZ. Products: 0 sputnik_v (RUS, frozen), 1 pfizer (USA,
// ultra-cold), 2 sinopharm (CHN, fridge). One site each in the developer's country.
struct SmallWorld {
    static constexpr CountryId rus{0}, gtm{1}, usa{2}, chn{3}, arg{4}, kgz{5};
    static constexpr ProductId sputnik{0}, pfizer{1}, sinopharm{2};
};

inline World small_world() {
    World w = scenario::world_with_declared_defaults();
    w.name = "small";
    w.simulation.start = day(2021, 4, 1);
    w.simulation.end = day(2022, 3, 31);
    w.age_band_lower = {0};
    w.countries = {make_country("RUS", 146e6), make_country("GTM", 17e6), make_country("USA", 331e6),
                   make_country("CHN", 1400e6), make_country("ARG", 45e6), make_country("KGZ", 6.5e6)};
    w.countries[1].alignment_west = 0.5;    // Guatemala: a close US partner
    w.countries[1].alignment_russia = -0.3;
    w.countries[1].trade_blocs = {"SICA"};
    w.countries[4].alignment_russia = 0.5;  // Argentina's government, 2021
    w.countries[5].alignment_russia = 0.8;  // Kyrgyzstan: EAEU member
    w.countries[5].trade_blocs = {"EAEU"};
    w.countries[0].trade_blocs = {"EAEU"};
    w.countries[5].cold_chain_doses = {0.0, 2e5, 2e6};  // no ultra-cold stores
    w.products = {make_product("sputnik_v", "RUS", {0, 1}, TemperatureClass::frozen, 9.95, {"national"}),
                  make_product("pfizer", "USA", {0, 0}, TemperatureClass::ultra_cold, 19.5, {"who_eul", "ema"}),
                  make_product("sinopharm", "CHN", {0, 0}, TemperatureClass::fridge, 15.0, {"who_eul"})};
    w.sites = {make_site("ru_generium", SmallWorld::rus, SmallWorld::sputnik, 2, 3e5, {1.0, 0.5}),
               make_site("us_pfizer", SmallWorld::usa, SmallWorld::pfizer, 1, 3e6, {1.0}),
               make_site("cn_sinopharm", SmallWorld::chn, SmallWorld::sinopharm, 1, 3e6, {1.0})};
    SupplierPolicy russia = scenario::declared_defaults<SupplierPolicy>("suppliers[]");
    russia.country = SmallWorld::rus;
    russia.surge_response = 0.5;
    w.suppliers = {russia};
    return w;
}

// Guatemala's 2021 Sputnik V contract: 8 M two-dose courses (16 M doses) at USD 9.95, half prepaid (USD 79.6 M).
inline Contract guatemala_contract(std::vector<Tranche> schedule) {
    Contract c;
    c.id = "gtm_sputnik";
    c.kind = ContractKind::sale;
    c.supplier = SmallWorld::rus;
    c.recipient = SmallWorld::gtm;
    c.product = SmallWorld::sputnik;
    c.doses = 16e6;
    c.price_usd_per_dose = 9.95;
    c.prepaid_usd = 79.6e6;
    c.signed_on = day(2021, 4, 7);
    c.schedule = std::move(schedule);
    c.source = "Reuters/AFP 2021-06-29";
    return c;
}

inline std::vector<Tranche> monthly_tranches(Date first_due, int months, double doses) {
    std::vector<Tranche> tranches;
    for (int m = 1; m <= months; ++m)
        tranches.push_back({first_due + 30 * (m - 1), doses * m / months});
    return tranches;
}

inline ContractBook book_of(const World& world) {
    ContractBook book;
    for (const Contract& c : world.contracts) book.add(c, world.product(c.product).component_count(), world.simulation.start);
    return book;
}

inline DayExchange exchange_for(const World& world) {
    DayExchange exchange;
    exchange.uptake.resize(world.countries.size());
    exchange.epidemic.resize(world.countries.size());
    return exchange;
}

// The supply stage's part of the book in these tests: doses due by the tranche plan.
inline void set_due(ContractBook& book, Date today) {
    for (auto& record : book.records) {
        double due = 0.0;
        for (const Tranche& t : record.terms.schedule)
            if (t.due <= today) due = t.cumulative_doses;
        if (record.active()) record.due_doses = due;
    }
}

// A full run's outputs, for determinism checks.
struct RunOutput {
    std::vector<LoggedEvent> events;
    ContractBook book;
    std::vector<DiplomacyRow> rows;
    Recorder recorder;
};

}  // namespace doseflow::diplomacy::fixtures
