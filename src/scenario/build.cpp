#include "scenario/build.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "doseflow/scenario.hpp"
#include "scenario/choices.hpp"
#include "scenario/document.hpp"
#include "scenario/reader.hpp"
#include "scenario/registry.hpp"

namespace doseflow::scenario {
namespace {

class Builder {
public:
    Builder(const toml::table& document, const std::vector<WorldTableRow>& table, Diagnostics& diagnostics)
        : document_(document), table_(table), diagnostics_(diagnostics), registry_(parameter_registry()),
          root_(&document, "", registry_) {}

    std::optional<World> build() {
        simulation();
        countries();
        products();
        epidemic();  // before sites and events: variants are referenced by events
        sites();
        contracts();
        suppliers();
        export_controls();
        shipping();
        events();
        uptake();
        diplomacy();
        if (diagnostics_.has_errors()) return std::nullopt;
        return std::move(world_);
    }

private:
    void error(const SourcePosition& where, std::string message) { diagnostics_.error(where, std::move(message)); }

    CountryId country(const std::string& code) const { return world_.find_country(code).value_or(CountryId{}); }
    ProductId product(const std::string& id) const { return world_.find_product(id).value_or(ProductId{}); }

    std::vector<CountryId> country_list(const std::vector<std::string>& codes) const {
        std::vector<CountryId> ids;
        for (const auto& code : codes)
            if (auto id = world_.find_country(code)) ids.push_back(*id);
        return ids;
    }

    void simulation() {
        assign_declared(registry_, root_, world_);
        const Reader sim = root_.child("simulation");
        assign_declared(registry_, sim, world_.simulation);
        if (world_.simulation.end < world_.simulation.start)
            error(sim.where("end"), fmt::format("simulation.end ({}) is before simulation.start ({}); the end must be "
                                                "on or after the start", world_.simulation.end.iso(),
                                                world_.simulation.start.iso()));
        if (world_.simulation.end - world_.simulation.start > max_simulated_span_days)
            error(sim.where("end"), "the simulated span is longer than 30 years; valid spans are up to 30 years");
        const Reader w = root_.child("world");
        for (double lower : w.numbers("age_bands")) world_.age_band_lower.push_back(static_cast<int>(lower));
        bool ascending = !world_.age_band_lower.empty() && world_.age_band_lower.front() == 0;
        for (std::size_t i = 1; i < world_.age_band_lower.size(); ++i)
            ascending = ascending && world_.age_band_lower[i] > world_.age_band_lower[i - 1];
        if (!ascending) error(w.where("age_bands"), "world.age_bands must start at 0 and increase");
    }

    std::size_t bands() const { return world_.age_band_lower.size(); }

    void countries() {
        const Reader w = root_.child("world");
        const bool all = w.text("countries") == "all";
        const toml::table* defaults = document_.get("country_defaults") ? document_.get("country_defaults")->as_table()
                                                                         : nullptr;
        std::map<std::string, const toml::table*> listed;
        std::vector<std::string> order;
        for (const auto* entry : root_.tables("countries")) {
            const auto code = entry->get("code") ? entry->get("code")->value_or(std::string()) : std::string();
            if (!listed.count(code)) order.push_back(code);
            listed[code] = entry;
        }
        if (all && world_.age_band_lower != world_table_age_bands)
            error(w.where("age_bands"), "world.countries = \"all\" takes the embedded table, which has sixteen 5-year "
                                        "bands [0, 5, ..., 75]; use those bands or list countries with their own "
                                        "population_by_age and contacts");
        std::map<std::string, const WorldTableRow*> embedded;
        for (const auto& row : table_) embedded[row.code] = &row;
        std::vector<std::string> codes;
        if (all)
            for (const auto& row : table_) codes.push_back(row.code);
        for (const auto& code : order)
            if (!all || !embedded.count(code)) codes.push_back(code);
        for (const auto& code : codes) {
            const auto found = listed.find(code);
            const toml::table* entry = found == listed.end() ? nullptr : found->second;
            const Reader r(entry, "countries[]", registry_, defaults);
            if (entry && r.boolean("remove")) continue;
            const auto row = embedded.find(code);
            country(r, code, row == embedded.end() ? nullptr : row->second);
        }
        if (world_.countries.empty())
            error(w.has("countries") ? w.where("countries") : root_.where(),
                  "the scenario has no countries; set world.countries = \"all\" or add [[countries]] entries");
    }

    void country(const Reader& r, const std::string& code, const WorldTableRow* row) {
        Country c;
        c.code = code;
        c.name = r.has("name") ? r.text("name") : (row ? row->name : code);
        c.region = r.has("region") ? r.text("region") : (row ? row->region : "");
        c.subregion = r.has("subregion") ? r.text("subregion") : (row ? row->subregion : "");
        c.income_group = r.has("income_group") ? r.text("income_group") : (row ? row->income_group : "");
        assign_declared(registry_, r, c);
        if (r.has("population_by_age")) c.population_by_age = r.numbers("population_by_age");
        else if (row) c.population_by_age = row->population_by_age;
        if (c.population_by_age.size() != bands())
            error(r.where("population_by_age"),
                  fmt::format("country {}: population_by_age has {} values; give one per age band ({})", code,
                              c.population_by_age.size(), bands()));
        const double people = c.population();
        if (!(people <= max_country_population))
            error(r.has("population_by_age") ? r.where("population_by_age") : r.where(),
                  fmt::format("country {}: population_by_age sums to {:.3g} persons; valid: at most {:.0e} persons in "
                              "all (the world had 7.8e9 people in 2021, UN WPP 2019)", code, people,
                              max_country_population));
        contacts(r, c, row);
        const Reader chain = r.child("cold_chain");
        c.cold_chain_doses[0] = chain.number("ultra_cold_doses");
        c.cold_chain_doses[1] = chain.number("frozen_doses");
        c.cold_chain_doses[2] = chain.number("fridge_doses");
        for (const auto* step : r.tables("cold_chain_growth")) {
            const Reader s(step, "countries[].cold_chain_growth[]", registry_);
            c.cold_chain_growth.push_back({s.date("date"), *temperature_from(s.text("class")), s.number("doses")});
        }
        std::sort(c.cold_chain_growth.begin(), c.cold_chain_growth.end(),
                  [](const ColdChainStep& a, const ColdChainStep& b) { return a.date < b.date; });
        const double population = c.population();
        if (r.has("admin_capacity_doses_per_day")) {
            c.admin_capacity_doses_per_day = Ramp(r.schedule("admin_capacity_doses_per_day"));
        } else {
            auto points = r.schedule("admin_capacity_share_per_day");
            for (auto& point : points) point.value *= population;
            c.admin_capacity_doses_per_day = Ramp(std::move(points));
        }
        c.willing_share_by_age = r.numbers("willing_share_by_age");
        if (c.willing_share_by_age.size() == 1) c.willing_share_by_age.assign(bands(), c.willing_share_by_age[0]);
        if (c.willing_share_by_age.size() != bands())
            error(r.where("willing_share_by_age"), fmt::format("country {}: willing_share_by_age has {} values; give "
                                                               "one number or one per age band ({})", code,
                                                               c.willing_share_by_age.size(), bands()));
        if (r.has("transmission_path")) {
            auto knots = r.schedule("transmission_path");
            for (auto& knot : knots) knot.value = std::log(knot.value);  // the range keeps them positive
            c.log_transmission_path = Ramp(std::move(knots));
        }
        if (c.initial_infections > population && population > 0)
            error(r.where("initial_infections"), fmt::format("country {}: initial_infections ({}) exceeds the "
                                                             "population ({})", code, c.initial_infections, population));
        else if (population > 0 && c.initial_immune_share + c.initial_infections / population > 1.0)
            error(r.where("initial_immune_share"),
                  fmt::format("country {}: initial_immune_share ({}) and initial_infections ({}, a share {:.6g} of "
                              "the population) together exceed the population; their shares may sum to at most 1",
                              code, c.initial_immune_share, c.initial_infections, c.initial_infections / population));
        world_.countries.push_back(std::move(c));
    }

    void contacts(const Reader& r, Country& c, const WorldTableRow* row) {
        const std::size_t n = bands();
        const auto* node = r.node("contacts");
        const auto text = node ? node->value<std::string>() : std::nullopt;
        if (text && *text == "uniform") {
            // Ten contacts a day, spread over bands in proportion to their population.
            const double population = c.population();
            c.contacts.assign(n * n, 0.0);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n && population > 0; ++j)
                    c.contacts[i * n + j] = 10.0 * c.population_by_age[j] / population;
            return;
        }
        if (text) {  // "embedded"
            if (row) c.contacts = row->contacts;
            else error(r.where("contacts"), fmt::format("country {} is not in the embedded table; give its contacts "
                                                        "as a {}x{} matrix or \"uniform\"", c.code, n, n));
            return;
        }
        const auto* rows = node ? node->as_array() : nullptr;
        if (!rows || rows->size() != n) {
            error(r.where("contacts"), fmt::format("country {}: contacts must be a {}x{} matrix (one row per age band)",
                                                   c.code, n, n));
            return;
        }
        for (const auto& row_node : *rows)
            if (const auto* cells = row_node.as_array())
                for (const auto& cell : *cells) c.contacts.push_back(cell.value<double>().value_or(0.0));
    }

    void products() {
        for (const auto* entry : root_.tables("products")) {
            const Reader r(entry, "products[]", registry_);
            if (r.boolean("remove")) continue;
            Product p;
            assign_declared(registry_, r, p);
            p.name = r.has("name") ? r.text("name") : p.id;
            for (double dose : r.numbers("course")) {
                const int index = static_cast<int>(dose) - 1;
                if (index < 0 || index >= p.component_count())
                    error(r.where("course"), fmt::format("product {}: course names component {}, but it has {} "
                                                         "components", p.id, dose, p.component_count()));
                p.course.push_back(index);
            }
            if (p.components.empty()) error(r.where("components"), fmt::format("product {}: list at least one component", p.id));
            if (p.course.empty()) error(r.where("course"), fmt::format("product {}: the course needs at least one dose", p.id));
            const Reader shelf = r.child("shelf_life_days");
            for (int k = 0; k < temperature_class_count; ++k) {
                const char* name = to_string(static_cast<TemperatureClass>(k));
                if (shelf.has(name)) p.shelf_life_days[static_cast<std::size_t>(k)] = static_cast<int>(shelf.integer(name));
            }
            if (!p.shelf_life_days[static_cast<std::size_t>(p.storage)])
                error(r.where("shelf_life_days"), fmt::format("product {}: shelf_life_days must give its storage class "
                                                              "'{}'", p.id, to_string(p.storage)));
            if (p.recommended_interval_days < p.min_interval_days)
                error(r.where("recommended_interval_days"),
                      fmt::format("product {}: recommended_interval_days ({}) is below min_interval_days ({})", p.id,
                                  p.recommended_interval_days, p.min_interval_days));
            if (p.who_eul_date && !p.has_approval("who_eul"))
                error(r.where("who_eul_date"), fmt::format("product {}: who_eul_date is given but approvals does not "
                                                           "list \"who_eul\"; add it, or remove the date", p.id));
            if (p.ema_date && !p.has_approval("ema"))
                error(r.where("ema_date"), fmt::format("product {}: ema_date is given but approvals does not list "
                                                       "\"ema\"; add it, or remove the date", p.id));
            world_.products.push_back(std::move(p));
        }
    }

    void sites() {
        for (const auto* entry : root_.tables("sites")) {
            const Reader r(entry, "sites[]", registry_);
            if (r.boolean("remove")) continue;
            Site s;
            assign_declared(registry_, r, s);
            s.country = country(r.text("country"));
            s.product = product(r.text("product"));
            if (!s.product.valid()) continue;  // reported by validation
            const Product& p = world_.product(s.product);
            if (r.has("components")) {
                for (const auto& name : r.texts("components")) {
                    const auto it = std::find(p.components.begin(), p.components.end(), name);
                    const auto index = static_cast<int>(it - p.components.begin());
                    if (it == p.components.end())
                        error(r.where("components"), fmt::format("site {}: product {} has no component '{}'; its "
                                                                 "components are {}", s.id, p.id, name,
                                                                 fmt::join(p.components, ", ")));
                    else if (std::find(s.components.begin(), s.components.end(), index) != s.components.end())
                        error(r.where("components"), fmt::format("site {}: component '{}' is listed twice; list each "
                                                                 "component the site makes once", s.id, name));
                    else s.components.push_back(index);
                }
                if (r.texts("components").empty())
                    error(r.where("components"), fmt::format("site {}: components is empty; list at least one of "
                                                             "{}, or leave it out to make them all", s.id,
                                                             fmt::join(p.components, ", ")));
            } else {
                for (int k = 0; k < p.component_count(); ++k) s.components.push_back(k);
            }
            s.component_yield = r.has("component_yield") ? r.numbers("component_yield")
                                                         : std::vector<double>(s.components.size(), 1.0);
            if (s.component_yield.size() != s.components.size())
                error(r.where("component_yield"), fmt::format("site {}: component_yield has {} values for {} "
                                                              "components", s.id, s.component_yield.size(),
                                                              s.components.size()));
            if (r.has("capacity_doses_per_day")) s.capacity_doses_per_day = Ramp(r.schedule("capacity_doses_per_day"));
            if (r.has("share")) s.share = StepSchedule(r.schedule("share"), 1.0);
            for (const auto* d : r.tables("disruptions")) {
                const Reader dr(d, "sites[].disruptions[]", registry_);
                Disruption disruption;
                assign_declared(registry_, dr, disruption);
                if (disruption.end < disruption.start)
                    error(dr.where("end"), fmt::format("site {}: disruption ends ({}) before it starts ({})", s.id,
                                                       disruption.end.iso(), disruption.start.iso()));
                s.disruptions.push_back(disruption);
            }
            assign_declared(registry_, r.child("random_disruption"), s.random_disruption);
            if (const auto* licence = r.table("licence")) site_licence(Reader(licence, "sites[].licence", registry_), s);
            else if (!r.has("capacity_doses_per_day"))
                error(r.where(), fmt::format("site {}: give capacity_doses_per_day, or a [sites.licence] table", s.id));
            world_.sites.push_back(std::move(s));
        }
    }

    void site_licence(const Reader& r, Site& s) {
        Licence l;
        assign_declared(registry_, r, l);
        l.licensor = country(r.text("licensor"));
        if (r.has("realised_share") == r.has("realised_share_range")) {
            error(r.where(), fmt::format("site {}: the licence needs exactly one of realised_share or "
                                         "realised_share_range", s.id));
        } else if (r.has("realised_share")) {
            l.realised_share_min = l.realised_share_max = r.number("realised_share");
        } else {
            const auto range = r.numbers("realised_share_range");
            if (range.size() != 2 || range[0] > range[1])
                error(r.where("realised_share_range"), fmt::format("site {}: realised_share_range must be [min, max] "
                                                                   "with min <= max", s.id));
            else { l.realised_share_min = range[0]; l.realised_share_max = range[1]; }
        }
        if (r.has("export_to")) l.export_to = country_list(r.texts("export_to"));
        if (r.has("export_bloc")) {
            const auto bloc = r.text("export_bloc");
            for (std::size_t i = 0; i < world_.countries.size(); ++i) {
                const auto& blocs = world_.countries[i].trade_blocs;
                if (std::find(blocs.begin(), blocs.end(), bloc) != blocs.end()) l.export_to.push_back(CountryId(i));
            }
            if (l.export_to.empty())
                error(r.where("export_bloc"), fmt::format("site {}: no country lists trade bloc '{}' in its trade_blocs",
                                                          s.id, bloc));
        }
        s.licence = std::move(l);
    }

    void contracts() {
        double world_population = 0.0;
        for (const auto& country : world_.countries) world_population += country.population();
        std::vector<std::pair<std::size_t, SourcePosition>> donor_positions;  // contracts with donors
        for (const auto* entry : root_.tables("contracts")) {
            const Reader r(entry, "contracts[]", registry_);
            if (r.boolean("remove")) continue;
            Contract c;
            assign_declared(registry_, r, c);
            c.supplier = country(r.text("supplier"));
            if (r.has("recipient")) c.recipient = country(r.text("recipient"));
            c.product = product(r.text("product"));
            if (!c.product.valid()) continue;
            if (c.doses > contract_doses_warning_per_person * world_population)
                diagnostics_.warning(r.where("doses"),
                                     fmt::format("contract {}: {:.3g} doses is more than {:g} times the {:.3g} people of "
                                                 "the scenario's countries; it is used as given, but check the figure",
                                                 c.id, c.doses, contract_doses_warning_per_person, world_population));
            c.price_usd_per_dose = r.has("price_usd_per_dose") ? r.number("price_usd_per_dose")
                                                               : world_.product(c.product).price_usd_per_dose;
            if (c.kind == ContractKind::covax && r.has("recipient"))
                error(r.where("recipient"), fmt::format("contract {}: a covax pledge has no recipient; the facility "
                                                        "allocates to participants", c.id));
            if (c.through_covax && c.kind != ContractKind::donation)
                error(r.where("through_covax"), fmt::format("contract {}: through_covax is for a donation (a gift the "
                                                            "Facility shipped); this contract is a {}",
                                                            c.id, to_string(c.kind)));
            if (c.kind != ContractKind::covax && c.kind != ContractKind::licence && !r.has("recipient"))
                error(r.where(), fmt::format("contract {}: a {} needs a recipient", c.id, to_string(c.kind)));
            for (const auto& point : r.schedule("schedule")) c.schedule.push_back({point.date, point.value});
            if (c.as_available == r.has("schedule") && c.kind != ContractKind::licence)
                error(r.where(), fmt::format("contract {}: give a schedule of tranches or as_available = true (one of "
                                             "the two)", c.id));
            for (std::size_t i = 1; i < c.schedule.size(); ++i)
                if (c.schedule[i].cumulative_doses < c.schedule[i - 1].cumulative_doses)
                    error(r.where("schedule"), fmt::format("contract {}: schedule amounts are cumulative doses due by "
                                                           "each date and must not decrease", c.id));
            if (!c.schedule.empty() && c.schedule.back().cumulative_doses > c.doses * (1 + 1e-9))
                error(r.where("schedule"), fmt::format("contract {}: the schedule reaches {} doses, more than the {} "
                                                       "ordered", c.id, c.schedule.back().cumulative_doses, c.doses));
            if (c.prepaid_usd > c.doses * c.price_usd_per_dose * (1 + 1e-9))
                error(r.where("prepaid_usd"), fmt::format("contract {}: prepaid {} USD exceeds the contract's value "
                                                          "({} doses x {} USD)", c.id, c.prepaid_usd, c.doses,
                                                          c.price_usd_per_dose));
            if (r.has("donors")) {
                c.donors = country_list(r.texts("donors"));
                if (c.kind != ContractKind::covax && c.kind != ContractKind::donation)
                    error(r.where("donors"), fmt::format("contract {}: donors apply to a covax or donation contract, "
                                                         "not a {}", c.id, to_string(c.kind)));
                for (std::size_t i = 0; i < c.donors.size(); ++i)
                    for (std::size_t j = 0; j < i; ++j)
                        if (c.donors[i] == c.donors[j])
                            error(r.where("donors"), fmt::format("contract {}: donor {} is listed twice", c.id,
                                                                 world_.country(c.donors[i]).code));
                donor_positions.emplace_back(world_.contracts.size(), r.where("donors"));
            }
            world_.contracts.push_back(std::move(c));
        }
        check_donors(donor_positions);
    }

    // Each donor of a donation must hold a contract (kind sale) with the donation's supplier for its product: the
    // donation's doses come out of it.
    void check_donors(const std::vector<std::pair<std::size_t, SourcePosition>>& donor_positions) {
        for (const auto& [index, where] : donor_positions) {
            const Contract& gift = world_.contracts[index];
            for (CountryId donor : gift.donors) {
                const bool holds = std::any_of(world_.contracts.begin(), world_.contracts.end(), [&](const Contract& c) {
                    return c.kind == ContractKind::sale && c.supplier == gift.supplier && c.product == gift.product &&
                           c.recipient == donor;
                });
                if (!holds)
                    error(where, fmt::format("contract {}: donor {} has no sale contract with {} for {}; a donor gives "
                                             "out of its own order, so add it or drop the donor",
                                             gift.id, world_.country(donor).code, world_.country(gift.supplier).code,
                                             world_.product(gift.product).id));
            }
        }
    }

    void suppliers() {
        world_.default_supplier_policy = declared_defaults<SupplierPolicy>("suppliers[]");
        for (const auto* entry : root_.tables("suppliers")) {
            const Reader r(entry, "suppliers[]", registry_);
            if (r.boolean("remove")) continue;
            SupplierPolicy s;
            assign_declared(registry_, r, s);
            s.country = country(r.text("country"));
            s.priority_order = country_list(r.texts("priority_order"));
            if (!s.priority_weights.empty() && s.priority_weights.size() != s.priority_order.size())
                error(r.where("priority_weights"), "priority_weights must have one weight per priority_order entry");
            if (s.policy == AllocationPolicy::priority && s.priority_order.empty())
                error(r.where("policy"), "policy \"priority\" needs a priority_order list");
            if (s.covax_share + s.donation_share > 1 + 1e-12)
                error(r.where("covax_share"), "covax_share + donation_share must not exceed 1");
            world_.suppliers.push_back(std::move(s));
        }
    }

    void export_controls() {
        std::vector<SourcePosition> where;
        for (const auto* entry : root_.tables("export_controls")) {
            const Reader r(entry, "export_controls[]", registry_);
            if (r.boolean("remove")) continue;
            ExportControl e;
            assign_declared(registry_, r, e);
            e.exporter = country(r.text("exporter"));
            if (r.has("product")) e.product = product(r.text("product"));
            if (e.end < e.start)
                error(r.where("end"), fmt::format("export control ends ({}) before it starts ({})", e.end.iso(),
                                                  e.start.iso()));
            e.exempt = country_list(r.texts("exempt"));
            where.push_back(r.where("start"));
            world_.export_controls.push_back(std::move(e));
        }
        export_controls_at_once(where);
    }

    // The supply stage takes at most max_export_controls_at_once controls of one exporter and product on one day
    // (world/world.hpp); checked here, so that validate refuses what the run could not take. A sweep over the start
    // and end dates of each exporter's controls, per product: O(products x n log n).
    void export_controls_at_once(const std::vector<SourcePosition>& where) {
        const auto& controls = world_.export_controls;
        std::map<CountryId, std::vector<std::size_t>> by_exporter;
        for (std::size_t i = 0; i < controls.size(); ++i) by_exporter[controls[i].exporter].push_back(i);
        for (const auto& [exporter, indices] : by_exporter) {
            if (indices.size() <= max_export_controls_at_once) continue;
            for (std::size_t p = 0; p < world_.products.size(); ++p) {
                std::vector<std::tuple<Date, int, std::size_t>> changes;  // day, -1 (ends) before +1 (starts), control
                for (const std::size_t i : indices) {
                    if (controls[i].product && controls[i].product->value() != p) continue;
                    changes.emplace_back(controls[i].start, 1, i);
                    changes.emplace_back(controls[i].end + 1, -1, i);
                }
                std::sort(changes.begin(), changes.end());
                std::size_t active = 0;
                for (const auto& [day, change, i] : changes) {
                    if (change < 0) {
                        --active;
                        continue;
                    }
                    if (++active <= max_export_controls_at_once) continue;
                    error(where[i], fmt::format("with this control, {} export controls of {} apply to {} on {}; valid: "
                                                "at most {} at once for one exporter and product", active,
                                                world_.countries[exporter.value()].code, world_.products[p].id,
                                                day.iso(), max_export_controls_at_once));
                    break;
                }
            }
        }
    }

    void shipping() {
        const Reader r = root_.child("shipping");
        auto& s = world_.shipping;
        assign_declared(registry_, r, s);
        for (const auto* entry : r.tables("routes")) {
            const Reader route(entry, "shipping.routes[]", registry_);
            ShippingRoute rule;
            assign_declared(registry_, route, rule);
            rule.from = country(route.text("from"));
            rule.to = country(route.text("to"));
            if (!rule.from.valid() || !rule.to.valid()) continue;  // a route of a removed country goes with it
            s.routes.push_back(rule);
        }
        assign_declared(registry_, root_.child("covax"), world_.covax);
    }

    void events() {
        for (const auto* entry : root_.tables("events")) {
            const Reader r(entry, "events[]", registry_);
            ScenarioEvent e;
            assign_declared(registry_, r, e);
            const auto need = [&](const char* key) {
                if (!r.has(key))
                    error(r.where(), fmt::format("event of kind {} on {} needs '{}'", to_string(e.kind), e.date.iso(), key));
                return r.has(key);
            };
            switch (e.kind) {
                case EventKind::policy_change:
                    if (need("supplier")) e.country = country(r.text("supplier"));
                    if (need("policy")) e.policy = policy_from(r.text("policy"));
                    break;
                case EventKind::domestic_share:
                    if (need("supplier")) e.country = country(r.text("supplier"));
                    if (e.value < 0 || e.value > 1) error(r.where("value"), "a domestic_share event's value is a share from 0 to 1");
                    break;
                case EventKind::capacity_shock:
                    if (need("site")) e.site = world_.find_site(r.text("site"));
                    if (e.value < 0) error(r.where("value"), "a capacity_shock's value is a capacity factor >= 0");
                    break;
                case EventKind::price_change:
                    if (need("product")) e.product = world_.find_product(r.text("product"));
                    if (e.value < 0) error(r.where("value"), "a price_change's value is a price in USD per dose >= 0");
                    break;
                case EventKind::variant_arrival:
                    if (need("country")) e.country = country(r.text("country"));
                    if (need("variant")) {
                        for (std::size_t i = 0; i < world_.epidemic.variants.size(); ++i)
                            if (world_.epidemic.variants[i].id == r.text("variant")) e.variant = VariantId(i);
                    }
                    break;
            }
            // An event of a country removed with remove = true (its variant's arrival, its policy) goes with it.
            const bool names_country = e.kind == EventKind::policy_change || e.kind == EventKind::domestic_share ||
                                       e.kind == EventKind::variant_arrival;
            if (names_country && !e.country.valid() && !diagnostics_.has_errors()) continue;
            world_.events.push_back(std::move(e));
        }
        std::stable_sort(world_.events.begin(), world_.events.end(),
                         [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.date < b.date; });
    }

    void uptake() {
        const Reader r = root_.child("uptake");
        auto& u = world_.uptake;
        for (const auto* entry : r.tables("substitutions")) {
            const Reader s(entry, "uptake.substitutions[]", registry_);
            SubstitutionRule rule;
            assign_declared(registry_, s, rule);
            rule.product = product(s.text("product"));
            rule.substitute = product(s.text("substitute"));
            const auto named = applies_to(s);
            if (named.size() < world_.countries.size()) rule.countries = named;  // empty: every country
            if (rule.product.valid() && rule.dose > world_.product(rule.product).doses_per_course())
                error(s.where("dose"), fmt::format("substitution: product {} has only {} doses", s.text("product"),
                                                   world_.product(rule.product).doses_per_course()));
            if (rule.dose < 2) error(s.where("dose"), "substitution: dose must be 2 or later (dose 1 starts a course)");
            u.substitutions.push_back(rule);
        }
        assign_declared(registry_, r, u);
        uptake_programmes(r);
    }

    // The countries a dated uptake entry names, directly or by income group; every country when it names none.
    std::vector<CountryId> applies_to(const Reader& r) const {
        const auto codes = r.texts("countries");
        const auto groups = r.texts("income_groups");
        std::vector<CountryId> ids;
        for (std::size_t c = 0; c < world_.countries.size(); ++c) {
            const Country& country = world_.countries[c];
            const bool listed = std::find(codes.begin(), codes.end(), country.code) != codes.end() ||
                                std::find(groups.begin(), groups.end(), country.income_group) != groups.end();
            if (listed || (codes.empty() && groups.empty())) ids.push_back(CountryId(c));
        }
        return ids;
    }

    std::vector<ProductId> product_list(const std::vector<std::string>& ids) const {
        std::vector<ProductId> out;
        for (const auto& id : ids)
            if (auto p = world_.find_product(id)) out.push_back(*p);
        return out;
    }

    void uptake_programmes(const Reader& r) {
        auto& u = world_.uptake;
        for (const auto* entry : r.tables("eligibility")) {
            const Reader e(entry, "uptake.eligibility[]", registry_);
            EligibilityExpansion expansion;
            assign_declared(registry_, e, expansion);
            expansion.countries = applies_to(e);
            expansion.products = product_list(e.texts("products"));
            u.eligibility.push_back(std::move(expansion));
        }
        std::stable_sort(u.eligibility.begin(), u.eligibility.end(),
                         [](const auto& a, const auto& b) { return a.date < b.date; });
        for (const auto* entry : r.tables("boosters")) {
            const Reader b(entry, "uptake.boosters[]", registry_);
            BoosterProgramme programme;
            assign_declared(registry_, b, programme);
            programme.countries = applies_to(b);
            programme.products = product_list(b.texts("products"));
            programme.courses = product_list(b.texts("courses"));
            u.boosters.push_back(std::move(programme));
        }
        std::stable_sort(u.boosters.begin(), u.boosters.end(),
                         [](const auto& a, const auto& b) { return a.start < b.start; });
        for (const auto* entry : r.tables("mandates")) {
            const Reader m(entry, "uptake.mandates[]", registry_);
            Mandate mandate;
            assign_declared(registry_, m, mandate);
            mandate.countries = applies_to(m);
            if (mandate.end < mandate.start)
                error(m.where("end"), fmt::format("mandate ends ({}) before it starts ({}); give an end on or after "
                                                  "the start", mandate.end.iso(), mandate.start.iso()));
            u.mandates.push_back(std::move(mandate));
        }
        for (const auto* entry : r.tables("willingness")) {
            const Reader w(entry, "uptake.willingness[]", registry_);
            for (const CountryId id : applies_to(w))
                world_.countries[id.value()].willing_share_by_age.assign(bands(), w.number("willing_share"));
        }
        const Reader s = r.child("sharing");
        DoseSharing& sharing = u.sharing;
        assign_declared(registry_, s, sharing);
        sharing.donors = country_list(s.texts("donors"));
        if (sharing.min_shelf_life_days + sharing.lead_days >= sharing.offer_days_before_expiry)
            error(s.where("offer_days_before_expiry"),
                  fmt::format("uptake.sharing: offer_days_before_expiry ({}) must exceed lead_days + "
                              "min_shelf_life_days ({}), or no offered lot could ever be accepted",
                              sharing.offer_days_before_expiry, sharing.lead_days + sharing.min_shelf_life_days));
    }

    void epidemic() {
        const Reader r = root_.child("epidemic");
        auto& e = world_.epidemic;
        e.age_band_lower = world_.age_band_lower;
        assign_declared(registry_, r, e);
        if (e.history_start && *e.history_start >= world_.simulation.start)
            error(r.where("history_start"), fmt::format("epidemic.history_start ({}) must come before "
                                                        "simulation.start ({})", e.history_start->iso(),
                                                        world_.simulation.start.iso()));
        for (const char* key : {"susceptibility", "infection_fatality_ratio"}) {
            const auto size = r.numbers(key).size();
            if (size != bands())
                error(r.where(key), fmt::format("epidemic.{} has {} values; give one per age band ({})", key, size,
                                                bands()));
        }
        std::set<std::string> groups;
        for (const auto* entry : r.tables("vaccine_groups")) {
            const Reader g(entry, "epidemic.vaccine_groups[]", registry_);
            VaccineGroupParameters v;
            assign_declared(registry_, g, v);
            v.efficacy_transmission_by_dose = g.has("efficacy_transmission_by_dose")
                                                  ? g.numbers("efficacy_transmission_by_dose")
                                                  : std::vector<double>(v.efficacy_infection_by_dose.size(), 0.0);
            if (v.efficacy_death_by_dose.size() != v.efficacy_infection_by_dose.size() ||
                v.efficacy_transmission_by_dose.size() != v.efficacy_infection_by_dose.size())
                error(g.where(), fmt::format("vaccine group {}: the efficacy lists must have the same length (one value "
                                             "per dose)", v.group));
            for (std::size_t k = 0; k < v.efficacy_death_by_dose.size() && k < v.efficacy_infection_by_dose.size(); ++k)
                if (v.efficacy_death_by_dose[k] < v.efficacy_infection_by_dose[k])
                    error(g.where("efficacy_death_by_dose"), fmt::format("vaccine group {}: efficacy against death must "
                                                                         "be at least efficacy against infection", v.group));
            groups.insert(v.group);
            e.vaccine_groups.push_back(std::move(v));
        }
        for (const auto& p : world_.products)
            if (!groups.count(p.group))
                error(root_.where(), fmt::format("product {} is in group '{}', which has no [[epidemic.vaccine_groups]] "
                                                 "entry; add one with its efficacy", p.id, p.group));
        for (const auto& p : world_.products) {
            const auto it = std::find_if(e.vaccine_groups.begin(), e.vaccine_groups.end(),
                                         [&](const VaccineGroupParameters& v) { return v.group == p.group; });
            if (it != e.vaccine_groups.end() && static_cast<int>(it->efficacy_infection_by_dose.size()) < p.doses_per_course())
                error(root_.where(), fmt::format("product {} has {} doses but group '{}' gives efficacy for {}", p.id,
                                                 p.doses_per_course(), p.group, it->efficacy_infection_by_dose.size()));
        }
        for (const auto* entry : r.tables("variants")) {
            const Reader v(entry, "epidemic.variants[]", registry_);
            Variant variant;
            assign_declared(registry_, v, variant);
            auto escape_table = [&](const char* key, std::unordered_map<std::string, double>& escape) {
                if (const auto* table = v.table(key))
                    for (const auto& [group, value] : *table) {
                        if (!groups.count(std::string(group.str())))
                            error(position_of(value), fmt::format("variant {}: {} names group '{}', which no "
                                                                  "[[epidemic.vaccine_groups]] entry defines",
                                                                  variant.id, key, group.str()));
                        escape[std::string(group.str())] = value.value<double>().value_or(0.0);
                    }
            };
            escape_table("escape", variant.escape);
            escape_table("escape_death", variant.escape_death);
            variant.origin = country(v.text("origin"));
            e.variants.push_back(std::move(variant));
        }
    }

    void diplomacy() {
        const Reader r = root_.child("diplomacy");
        auto& d = world_.diplomacy;
        assign_declared(registry_, r, d);
        if (d.as_available_first_delivery_days > d.as_available_expected_days)
            error(r.where("as_available_first_delivery_days"),
                  fmt::format("diplomacy.as_available_first_delivery_days ({}) is after "
                              "diplomacy.as_available_expected_days ({}); the first delivery must be expected on or "
                              "before the whole order", d.as_available_first_delivery_days,
                              d.as_available_expected_days));
        for (const auto* entry : r.tables("campaigns")) {
            const Reader c(entry, "diplomacy.campaigns[]", registry_);
            DisinformationCampaign campaign;
            assign_declared(registry_, c, campaign);
            campaign.source = country(c.text("source"));
            campaign.targets = country_list(c.texts("targets"));
            for (const auto& id : c.texts("products"))
                if (auto p = world_.find_product(id)) campaign.products.push_back(*p);
            if (campaign.end < campaign.start) error(c.where("end"), "campaign ends before it starts");
            d.campaigns.push_back(std::move(campaign));
        }
    }

    const toml::table& document_;
    const std::vector<WorldTableRow>& table_;
    Diagnostics& diagnostics_;
    const Registry& registry_;
    Reader root_;
    World world_;
};

}  // namespace

std::optional<World> build_world(const toml::table& document, const std::vector<WorldTableRow>& world_table,
                                 Diagnostics& diagnostics) {
    return Builder(document, world_table, diagnostics).build();
}

World world_with_declared_defaults() {
    World world;
    world.simulation = declared_defaults<SimulationSettings>("simulation");
    world.shipping = declared_defaults<ShippingSettings>("shipping");
    world.covax = declared_defaults<CovaxSettings>("covax");
    world.uptake = declared_defaults<UptakeParameters>("uptake");
    world.epidemic = declared_defaults<EpidemicParameters>("epidemic");
    world.diplomacy = declared_defaults<DiplomacyParameters>("diplomacy");
    world.default_supplier_policy = declared_defaults<SupplierPolicy>("suppliers[]");
    return world;
}

}  // namespace doseflow::scenario
