#include "supply/supply_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace doseflow::supply {
namespace {

// Claims below this are rounding dust, not doses anyone waits for.
constexpr double minimum_claim_doses = 1e-6;
// Tier offset of as_available contracts in the order keys: served after every scheduled tranche.
constexpr double as_available_tier = 1e7;
constexpr std::size_t max_controls_per_pool = max_export_controls_at_once;  // the scenario checks keep to it

constexpr std::string_view produced_metric = "produced_doses";
constexpr std::string_view released_metric = "released_doses";
constexpr std::string_view exported_metric = "exported_doses";
constexpr std::string_view stock_metric = "stock_doses";
constexpr std::string_view wasted_metric = "wasted_doses";
constexpr std::string_view expired_in_stock_tag = "expired_in_stock";
constexpr std::string_view expired_in_transit_tag = "expired_in_transit";

std::size_t as_index(int value) { return static_cast<std::size_t>(value); }

void require(bool condition, const std::string& message) {
    if (!condition) throw std::invalid_argument(message);
}

bool valid_country(CountryId id, std::size_t count) { return id.valid() && id.value() < count; }

SeriesKey series_key(CountryId owner, ProductId product, int component, std::string_view metric,
                     std::string_view tag = {}) {
    return SeriesKey{static_cast<std::int32_t>(owner.value()), static_cast<std::int32_t>(product.value()),
                     component, metric, tag};
}

}  // namespace

// ------------------------------------------------------------------------------------------------ construction
SupplyModel::SupplyModel(const World& world, std::uint64_t seed)
    : world_(world), country_count_(world.countries.size()), leads_(world) {
    check_world();
    build_products();
    population_.reserve(country_count_);
    for (const Country& country : world.countries) population_.push_back(country.population());
    policies_.assign(country_count_, world.default_supplier_policy);
    for (std::size_t c = 0; c < country_count_; ++c) policies_[c].country = CountryId(c);
    for (const SupplierPolicy& policy : world.suppliers) policies_[policy.country.value()] = policy;
    for (const Product& product : world.products) prices_usd_per_dose_.push_back(product.price_usd_per_dose);
    build_pools_and_lines(seed);
    build_covax();

    const std::size_t controls = world.export_controls.size();
    control_active_.assign(controls, 0);
    control_left_doses_.assign(controls, 0.0);
    control_exempt_.assign(controls, std::vector<char>(country_count_, 0));
    for (std::size_t j = 0; j < controls; ++j)
        for (CountryId exempt : world.export_controls[j].exempt) control_exempt_[j][exempt.value()] = 1;

    home_need_doses_.assign(country_count_, 0.0);
    domestic_in_transit_.assign(country_count_, 0.0);
    contract_in_transit_.assign(country_count_, 0.0);
    recipient_room_.assign(country_count_, std::numeric_limits<double>::infinity());
    product_room_.assign(country_count_ * world_.products.size(), std::numeric_limits<double>::infinity());
    product_in_transit_.assign(country_count_ * world_.products.size(), 0.0);
    transit_.resize(static_cast<std::size_t>(leads_.longest_days()) + 1);
    std::size_t slots = 0;
    for (const ProductInfo& info : products_) slots += as_index(info.component_count);
    for (auto* totals : {&produced_, &unreleased_, &in_transit_, &delivered_, &wasted_}) totals->assign(slots, 0.0);
}

void SupplyModel::check_world() const {
    const std::size_t product_count = world_.products.size();
    for (const Product& product : world_.products) {
        const int components = product.component_count();
        require(components > 0 && components <= 255, "product " + product.id + " must have 1 to 255 components");
        require(!product.course.empty(), "product " + product.id + " has an empty course");
        for (int component : product.course)
            require(component >= 0 && component < components,
                    "product " + product.id + ": course names a component outside its components");
        const auto& shelf = product.shelf_life_days[static_cast<std::size_t>(product.storage)];
        require(shelf.has_value() && *shelf > 0, "product " + product.id + " has no positive shelf life in its " +
                                                     "required storage class " + to_string(product.storage));
    }
    for (const Site& site : world_.sites) {
        require(valid_country(site.country, country_count_), "site " + site.id + ": unknown country");
        require(site.product.valid() && site.product.value() < product_count, "site " + site.id + ": unknown product");
        const int components = world_.product(site.product).component_count();
        require(!site.components.empty(), "site " + site.id + " makes no component");
        require(site.components.size() == site.component_yield.size(),
                "site " + site.id + ": component_yield must have one value per component");
        for (std::size_t j = 0; j < site.components.size(); ++j) {
            require(site.components[j] >= 0 && site.components[j] < components,
                    "site " + site.id + ": component index outside the product's components");
            for (std::size_t i = 0; i < j; ++i)
                require(site.components[i] != site.components[j], "site " + site.id + " lists a component twice");
        }
        if (site.licence) {
            require(valid_country(site.licence->licensor, country_count_), "site " + site.id + ": unknown licensor");
            for (CountryId member : site.licence->export_to)
                require(valid_country(member, country_count_), "site " + site.id + ": unknown export_to country");
        }
    }
    for (const SupplierPolicy& policy : world_.suppliers) {
        require(valid_country(policy.country, country_count_), "supplier policy for an unknown country");
        const std::string who = "supplier " + world_.country(policy.country).code + ": ";
        require(policy.priority_weights.empty() || policy.priority_weights.size() == policy.priority_order.size(),
                who + "priority_weights must have one weight per country of priority_order");
    }
    for (const ExportControl& control : world_.export_controls) {
        require(valid_country(control.exporter, country_count_), "export control with an unknown exporter");
        require(!control.product || control.product->value() < product_count, "export control: unknown product");
        for (CountryId exempt : control.exempt)
            require(valid_country(exempt, country_count_), "export control: unknown exempt country");
    }
}

void SupplyModel::build_products() {
    for (const Product& product : world_.products) {
        ProductInfo info;
        info.component_count = product.component_count();
        info.course_doses = product.doses_per_course();
        info.count.assign(as_index(info.component_count), 0);
        info.predecessor.assign(as_index(info.component_count), -1);
        for (int component : product.course) {
            if (info.count[as_index(component)]++ == 0) {
                if (!info.order.empty()) info.predecessor[as_index(component)] = info.order.back();
                info.order.push_back(component);
            }
        }
        for (int k = 0; k < info.component_count; ++k) {
            const double count = info.count[as_index(k)];
            const int predecessor = info.predecessor[as_index(k)];
            info.per_dose.push_back(count / info.course_doses);
            info.ratio.push_back(predecessor < 0 ? 0.0 : count / info.count[as_index(predecessor)]);
        }
        info.first_slot = products_.empty() ? 0
                                            : products_.back().first_slot +
                                                  static_cast<std::uint32_t>(products_.back().component_count);
        info.shelf_life_days = *product.shelf_life_days[static_cast<std::size_t>(product.storage)];
        if (world_.covax.listed_only) {
            if (!product.has_approval("who_eul")) info.covax_from_day = std::numeric_limits<std::int32_t>::max();
            else if (product.who_eul_date) info.covax_from_day = product.who_eul_date->days_since_1970();
        }
        products_.push_back(std::move(info));
    }
}

void SupplyModel::build_pools_and_lines(std::uint64_t seed) {
    const std::size_t product_count = world_.products.size();
    std::vector<std::pair<std::size_t, std::size_t>> keys;  // (owner, product)
    for (const Site& site : world_.sites) keys.emplace_back(site.country.value(), site.product.value());
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

    require(keys.size() <= std::numeric_limits<std::uint16_t>::max(), "too many (owner, product) stock pools");
    pools_of_product_.resize(product_count);
    pools_of_owner_.resize(country_count_);
    for (const auto& [owner, product] : keys) {
        Pool pool;
        pool.owner = CountryId(owner);
        pool.product = ProductId(product);
        pool.components.resize(as_index(products_[product].component_count));
        pool.licensed = true;
        bool export_anywhere = false;
        for (const Site& site : world_.sites) {
            if (site.country.value() != owner || site.product.value() != product) continue;
            if (!site.licence) {
                pool.licensed = false;
                continue;
            }
            if (!pool.licensor.valid()) pool.licensor = site.licence->licensor;
            if (!site.licence->may_export) continue;
            pool.may_export = true;
            if (site.licence->export_to.empty()) export_anywhere = true;
            if (pool.export_allowed.empty()) pool.export_allowed.assign(country_count_, 0);
            for (CountryId member : site.licence->export_to) pool.export_allowed[member.value()] = 1;
        }
        if (export_anywhere || !pool.licensed) pool.export_allowed.clear();
        const auto id = static_cast<std::uint32_t>(pools_.size());
        pools_of_product_[product].push_back(id);
        pools_of_owner_[owner].push_back(id);
        pools_.push_back(std::move(pool));
    }
    lines_.reserve(world_.sites.size());
    for (const Site& site : world_.sites)
        lines_.push_back(Line{ProductionLine(site, seed), pool_index(site.country, site.product), {}, 0});
}

void SupplyModel::build_covax() {
    for (std::size_t c = 0; c < country_count_; ++c)
        if (world_.countries[c].covax_participant) covax_participants_.push_back(CountryId(c));
    covax_courses_.assign(covax_participants_.size(), 0.0);
}

std::uint32_t SupplyModel::pool_index(CountryId owner, ProductId product) const {
    for (std::uint32_t id : pools_of_owner_[owner.value()])
        if (pools_[id].product == product) return id;
    throw std::logic_error("no stock pool for this owner and product");
}

// ------------------------------------------------------------------------------------------------------ events
void SupplyModel::apply_event(const ScenarioEvent& event) {
    switch (event.kind) {
        case EventKind::policy_change: {
            require(valid_country(event.country, country_count_) && event.policy.has_value(),
                    "policy_change event needs a known supplier and a policy");
            policies_[event.country.value()].policy = *event.policy;
            for (std::uint32_t id : pools_of_owner_[event.country.value()]) pools_[id].order_stale = true;
            return;
        }
        case EventKind::domestic_share: {
            require(valid_country(event.country, country_count_), "domestic_share event needs a known supplier");
            policies_[event.country.value()].domestic_share = event.value;
            return;
        }
        case EventKind::capacity_shock: {
            require(event.site.has_value() && event.site->value() < world_.sites.size(),
                    "capacity_shock event needs a known site");
            require(event.value >= 0.0, "capacity_shock factor must be >= 0");
            require(event.duration_days >= 0, "capacity_shock duration must be >= 0 days");
            CapacityShock shock{*event.site, event.value, event.date, std::nullopt};
            if (event.duration_days > 0) shock.last_day = event.date + (event.duration_days - 1);
            shocks_.push_back(shock);
            return;
        }
        case EventKind::price_change: {
            require(event.product.has_value() && event.product->value() < prices_usd_per_dose_.size(),
                    "price_change event needs a known product");
            require(event.value >= 0.0, "price_change price must be >= 0");
            prices_usd_per_dose_[event.product->value()] = event.value;
            return;
        }
        default: return;  // variant arrivals and the like belong to other stages
    }
}

// -------------------------------------------------------------------------------------------------- production
void SupplyModel::produce(Date today, Recorder& recorder) {
    for (Pool& pool : pools_)
        for (PoolComponent& component : pool.components) component.produced_today = component.released_today = 0.0;

    for (std::size_t s = 0; s < lines_.size(); ++s) {
        Line& line = lines_[s];
        const Site& site = world_.sites[s];
        if (!stock_at_start_released_ && site.stock_at_start_doses > 0.0) {
            // Made before the run: released today, ahead of today's output in the line's FIFO.
            Pool& pool = pools_[line.pool];
            for (std::size_t j = 0; j < site.components.size(); ++j) {
                const double doses = site.stock_at_start_doses * site.component_yield[j];
                if (doses <= 0.0) continue;
                const int component = site.components[j];
                line.pending.push_back(Pending{today, today - site.release_delay_days, component, doses});
                produced_[total_slot(pool.product, component)] += doses;
                unreleased_[total_slot(pool.product, component)] += doses;
                pool.components[as_index(component)].produced_today += doses;
            }
        }
        double shock_factor = 1.0;
        for (const CapacityShock& shock : shocks_)
            if (shock.site.value() == s && shock.covers(today)) shock_factor *= shock.factor;
        const double capacity = line.line.capacity_doses_per_day(today, shock_factor);
        Pool& pool = pools_[line.pool];
        const std::size_t product = pool.product.value();
        for (std::size_t j = 0; j < site.components.size(); ++j) {
            const double doses = capacity * site.component_yield[j];
            if (doses <= 0.0) continue;
            const int component = site.components[j];
            line.pending.push_back(Pending{today + site.release_delay_days, today, component, doses});
            produced_[total_slot(pool.product, component)] += doses;
            unreleased_[total_slot(pool.product, component)] += doses;
            pool.components[as_index(component)].produced_today += doses;
        }
        const int shelf_life_days = products_[product].shelf_life_days;
        while (line.pending_head < line.pending.size() && line.pending[line.pending_head].release <= today) {
            const Pending& lot = line.pending[line.pending_head++];
            PoolComponent& held = pool.components[as_index(lot.component)];
            held.stock.push(Lot{lot.doses, lot.produced, lot.release + shelf_life_days});
            held.released_today += lot.doses;
            unreleased_[total_slot(pool.product, lot.component)] -= lot.doses;
        }
        if (line.pending_head == line.pending.size()) {
            line.pending.clear();
            line.pending_head = 0;
        }
    }

    stock_at_start_released_ = true;
    for (const Pool& pool : pools_)
        for (std::size_t k = 0; k < pool.components.size(); ++k) {
            const int component = static_cast<int>(k);
            recorder.flow(today, series_key(pool.owner, pool.product, component, produced_metric),
                          pool.components[k].produced_today);
            recorder.flow(today, series_key(pool.owner, pool.product, component, released_metric),
                          pool.components[k].released_today);
        }
}

// -------------------------------------------------------------------------------------------------- allocation
void SupplyModel::allocate(Date today, DayExchange& exchange, ContractBook& book, EventLog& log,
                           Recorder& recorder) {
    const auto ring = static_cast<std::int32_t>(transit_.size());
    today_ = today;
    today_ring_ = static_cast<std::size_t>(((today.days_since_1970() % ring) + ring) % ring);
    register_new_contracts(book);
    update_contracts(today, book);
    expire_stock(today);
    update_export_controls(today, log);
    compute_home_needs(today, exchange);
    compute_recipient_rooms(exchange);
    for (Pool& pool : pools_)
        for (PoolComponent& component : pool.components) component.exported_today = 0.0;
    for (std::uint32_t id = 0; id < pools_.size(); ++id) allocate_pool(pools_[id], id, today, exchange, book);

    for (const Pool& pool : pools_)
        for (std::size_t k = 0; k < pool.components.size(); ++k) {
            const int component = static_cast<int>(k);
            const PoolComponent& held = pool.components[k];
            recorder.flow(today, series_key(pool.owner, pool.product, component, exported_metric),
                          held.exported_today);
            recorder.level(today, series_key(pool.owner, pool.product, component, stock_metric),
                           held.stock.total_doses());
            recorder.flow(today,
                          series_key(pool.owner, pool.product, component, wasted_metric, expired_in_stock_tag),
                          held.expired_in_stock_today);
        }
}

void SupplyModel::register_new_contracts(const ContractBook& book) {
    for (std::size_t id = contracts_.size(); id < book.size(); ++id) register_contract(book, static_cast<std::uint32_t>(id));
}

bool SupplyModel::pool_may_serve(const Pool& pool, const Contract& terms) const {
    const bool covax = terms.kind == ContractKind::covax;
    const bool own = pool.owner == terms.supplier;
    if (!pool.licensed) return own;
    // Licensed stock: the home programme always; the partner's own contracts and, for a gateway partner, the
    // licensor's contracts only within the licence's export area (COVAX: the partner's own contracts).
    if (!own && !(pool.licensor == terms.supplier)) return false;
    if (covax) return own && pool.may_export;
    if (terms.recipient == pool.owner) return true;
    if (!pool.may_export) return false;
    return pool.export_allowed.empty() || pool.export_allowed[terms.recipient.value()] != 0;
}

void SupplyModel::register_contract(const ContractBook& book, std::uint32_t id) {
    const ContractRecord& record = book.records[id];
    const Contract& terms = record.terms;
    require(terms.product.valid() && terms.product.value() < products_.size(),
            "contract " + terms.id + ": unknown product");
    require(valid_country(terms.supplier, country_count_), "contract " + terms.id + ": unknown supplier");
    const bool covax = terms.kind == ContractKind::covax;
    require(covax || valid_country(terms.recipient, country_count_), "contract " + terms.id + ": unknown recipient");
    require(terms.doses >= 0.0, "contract " + terms.id + ": doses must be >= 0");
    for (std::size_t t = 1; t < terms.schedule.size(); ++t)
        require(terms.schedule[t - 1].due <= terms.schedule[t].due, "contract " + terms.id + ": tranches out of order");
    const ProductInfo& info = products_[terms.product.value()];
    require(record.shipped_by_component.size() == as_index(info.component_count) &&
                record.delivered_by_component.size() == as_index(info.component_count),
            "contract " + terms.id + ": ledger must have one entry per component of its product");

    ContractState state;
    state.first_slot = static_cast<std::uint32_t>(slots_.size());
    state.supplier = terms.supplier;
    state.recipient = covax ? CountryId{} : terms.recipient;
    state.product = terms.product;
    state.kind = terms.kind;
    state.as_available = terms.as_available;
    state.signed_on = terms.signed_on;
    state.next_tranche_day = terms.as_available || terms.schedule.empty()
                                 ? std::numeric_limits<std::int32_t>::max()
                                 : terms.schedule.front().due.days_since_1970();
    for (int k = 0; k < info.component_count; ++k) {
        const double shipped = record.shipped_by_component[as_index(k)];
        slots_.push_back(SlotLedger{terms.doses * info.per_dose[as_index(k)], shipped, shipped});
    }
    // A gift (a covax or donation contract with donors) and its donors' sale contracts with the same supplier and
    // product are linked whichever comes first in the book.
    auto donor_of = [&](const Contract& gift, const Contract& sale) {
        return sale.kind == ContractKind::sale && sale.supplier == gift.supplier && sale.product == gift.product &&
               std::find(gift.donors.begin(), gift.donors.end(), sale.recipient) != gift.donors.end();
    };
    if (!terms.donors.empty() && (terms.kind == ContractKind::covax || terms.kind == ContractKind::donation)) {
        state.gift = true;
        state.gift_slot = static_cast<std::int32_t>(gifts_.size());
        std::vector<std::uint32_t>& donors = gift_donors_.emplace_back();
        for (std::uint32_t other = 0; other < contracts_.size(); ++other)
            if (donor_of(terms, book.records[other].terms)) {
                contracts_[other].donor = true;
                donors.push_back(other);
            }
        gifts_.push_back(id);
    } else if (terms.kind == ContractKind::sale) {
        for (std::size_t g = 0; g < gifts_.size(); ++g)
            if (donor_of(book.records[gifts_[g]].terms, terms)) {
                state.donor = true;
                gift_donors_[g].push_back(id);  // ids come in ascending order
            }
    }
    int first_lead = -1;
    for (std::uint32_t pool_id : pools_of_product_[terms.product.value()]) {
        Pool& pool = pools_[pool_id];
        if (!pool_may_serve(pool, terms)) continue;
        const int lead = covax ? 0 : leads_.days(pool.owner, terms.recipient);
        pool.contracts.push_back(PoolContract{id, lead, 0.0, 0.0});
        pool.order_stale = true;
        if (state.gift) ++pool.gifts;
        if (covax) continue;
        if (first_lead >= 0 && lead != first_lead) state.multi_lead = true;
        if (first_lead < 0) first_lead = lead;
    }
    if (covax) {
        state.covax_slot = static_cast<int>(covax_good_.size());
        covax_good_.emplace_back(covax_participants_.size() * as_index(info.component_count), 0.0);
    }
    if (state.multi_lead) {
        state.in_flight_slot = static_cast<int>(in_flight_.size());
        in_flight_.emplace_back();
    }
    if (state.next_tranche_day != std::numeric_limits<std::int32_t>::max())
        tranche_queue_.emplace(state.next_tranche_day, id);
    if (state.as_available) as_available_.push_back(id);
    contracts_.push_back(state);
}

void SupplyModel::retire(std::uint32_t contract) {
    contracts_[contract].retired = true;
    retired_since_compaction_ = true;
}

std::vector<std::string> SupplyModel::shipped_ledger_differences(const ContractBook& book) const {
    std::vector<std::string> differences;
    if (contracts_.size() > book.size()) {
        differences.push_back(fmt::format("supply holds {} contracts, the book {}", contracts_.size(), book.size()));
        return differences;
    }
    for (std::size_t id = 0; id < contracts_.size(); ++id) {
        const ContractRecord& record = book.records[id];
        const int components = products_[contracts_[id].product.value()].component_count;
        for (int k = 0; k < components; ++k) {
            const double copy = slots_[contracts_[id].first_slot + as_index(k)].shipped;
            const double booked = record.shipped_by_component[as_index(k)];
            if (copy != booked)
                differences.push_back(fmt::format("contract {} component {}: supply counts {} doses shipped, the "
                                                  "book {}", record.terms.id, k + 1, copy, booked));
        }
    }
    return differences;
}

void SupplyModel::retire_if_fully_shipped(std::uint32_t contract) {
    const ContractState& state = contracts_[contract];
    const int components = products_[state.product.value()].component_count;
    for (int k = 0; k < components; ++k) {
        const std::size_t slot = state.first_slot + as_index(k);
        if (slots_[slot].shipped + slots_[slot].donated < slots_[slot].ordered - minimum_claim_doses) return;
    }
    retire(contract);
}

void SupplyModel::update_contracts(Date today, ContractBook& book) {
    // As-available contracts fall due at the pace their buyers expect (docs/model/supply.md); they are still
    // served after every scheduled tranche.
    const int expected_days = world_.diplomacy.as_available_expected_days;
    const int first_days = world_.diplomacy.as_available_first_delivery_days;
    for (const std::uint32_t id : as_available_) {
        ContractRecord& record = book.records[id];
        if (!record.active() || record.status == ContractStatus::completed) continue;
        record.due_doses = std::max(record.shipped_doses, expected_due_doses(record.terms, today, first_days, expected_days));
        contracts_[id].due_doses = record.due_doses;
    }
    // Only contracts with a tranche falling due are touched: the book's records are large.
    const std::int32_t day = today.days_since_1970();
    while (!tranche_queue_.empty() && tranche_queue_.top().first <= day) {
        const std::uint32_t id = tranche_queue_.top().second;
        tranche_queue_.pop();
        ContractState& state = contracts_[id];
        ContractRecord& record = book.records[id];
        const auto& schedule = record.terms.schedule;
        while (state.next_tranche < schedule.size() && schedule[state.next_tranche].due <= today)
            state.due_doses = schedule[state.next_tranche++].cumulative_doses;
        record.due_doses = state.due_doses;
        if (state.next_tranche < schedule.size()) {
            state.next_tranche_day = schedule[state.next_tranche].due.days_since_1970();
            tranche_queue_.emplace(state.next_tranche_day, id);
        }
    }
    if (!retired_since_compaction_) return;
    for (Pool& pool : pools_)
        std::erase_if(pool.contracts, [this](const PoolContract& entry) { return contracts_[entry.contract].retired; });
    retired_since_compaction_ = false;
}

void SupplyModel::expire_stock(Date today) {
    for (Pool& pool : pools_)
        for (std::size_t k = 0; k < pool.components.size(); ++k) {
            PoolComponent& held = pool.components[k];
            held.expired_in_stock_today = held.stock.expire(today);
            wasted_[total_slot(pool.product, static_cast<int>(k))] += held.expired_in_stock_today;
        }
}

void SupplyModel::update_export_controls(Date today, EventLog& log) {
    any_control_active_ = false;
    for (std::size_t j = 0; j < world_.export_controls.size(); ++j) {
        const ExportControl& control = world_.export_controls[j];
        const bool active = control.start <= today && today <= control.end;
        any_control_active_ = any_control_active_ || active;
        control_left_doses_[j] = control.cap_doses_per_day;
        if (active == (control_active_[j] != 0)) continue;
        control_active_[j] = active ? 1 : 0;
        LoggedEvent event;
        event.date = today;
        event.kind = active ? "export_ban" : "export_ban_lifted";
        event.supplier = world_.country(control.exporter).code;
        if (control.product) event.product = world_.product(*control.product).id;
        event.value = control.cap_doses_per_day;
        event.detail = control.cap_doses_per_day > 0.0
                           ? "cap of " + std::to_string(control.cap_doses_per_day) + " doses per day"
                           : "ban";
        if (!control.exempt.empty()) {
            event.detail += "; exempt:";
            for (CountryId exempt : control.exempt) event.detail += " " + world_.country(exempt).code;
        }
        if (!control.source.empty()) event.detail += "; source: " + control.source;
        log.add(std::move(event));
    }
}

void SupplyModel::compute_home_needs(Date today, const DayExchange& exchange) {
    const bool signalled = exchange.uptake.size() == country_count_;
    for (std::size_t owner = 0; owner < country_count_; ++owner) {
        if (pools_of_owner_[owner].empty()) continue;
        const SupplierPolicy& policy = policies_[owner];
        // The home programme keeps what it can give in the next reserve days, less what it holds or has coming.
        const double capacity = signalled ? exchange.uptake[owner].admin_capacity_doses_per_day
                                          : world_.countries[owner].admin_capacity_doses_per_day.at(today);
        const double held = (signalled ? exchange.uptake[owner].stock_doses : 0.0) + domestic_in_transit_[owner];
        home_need_doses_[owner] = std::max(0.0, capacity * policy.domestic_reserve_days - held);
    }
}

double SupplyModel::reserve_room(CountryId recipient, ProductId product, double doses) {
    double& room = recipient_room_[recipient.value()];
    if (!std::isfinite(room)) return 0.0;  // no limit: nothing to hold
    room -= doses;
    product_room_[product_slot(recipient, product)] -= doses;
    return doses;
}

void SupplyModel::release_room(CountryId recipient, ProductId product, double reserved, double taken) {
    if (reserved <= 0.0) return;
    recipient_room_[recipient.value()] += reserved - taken;
    product_room_[product_slot(recipient, product)] += reserved - taken;
}

void SupplyModel::compute_recipient_rooms(const DayExchange& exchange) {
    const int days = world_.shipping.recipient_stock_days;
    if (days <= 0 || exchange.uptake.size() != country_count_) return;  // no limit (the rooms stay infinite)
    // Recipients deferred deliveries they could not use (docs/model/supply.md, "Recipients' room").
    for (std::size_t c = 0; c < country_count_; ++c) {
        const UptakeSignal& signal = exchange.uptake[c];
        const double held = signal.stock_doses + contract_in_transit_[c] + domestic_in_transit_[c];
        recipient_room_[c] = std::max(0.0, signal.usable_doses() - held);
        // Per product, the free room of the classes that keep it, less the doses of it on their way.
        const std::size_t products = world_.products.size();
        if (signal.cold_chain_free_by_product.size() != products) continue;
        for (std::size_t p = 0; p < products; ++p)
            product_room_[c * products + p] =
                std::max(0.0, signal.cold_chain_free_by_product[p] - product_in_transit_[c * products + p]);
    }
}

double SupplyModel::order_key(const SupplierPolicy& policy, const ContractState& contract) const {
    switch (policy.policy) {
        case AllocationPolicy::domestic_first:
        case AllocationPolicy::pro_rata:
        case AllocationPolicy::need_based: return 1.0;
        case AllocationPolicy::fifo: return contract.signed_on.days_since_1970();
        case AllocationPolicy::priority: {
            const auto& order = policy.priority_order;
            const auto at = std::find(order.begin(), order.end(), contract.recipient);
            const bool weighted = !policy.priority_weights.empty();
            if (at == order.end() || contract.kind == ContractKind::covax)
                return weighted ? 1.0 : static_cast<double>(order.size());
            return weighted ? 0.0 : static_cast<double>(at - order.begin());
        }
    }
    return 0.0;
}

double SupplyModel::home_order_key(const SupplierPolicy& policy, CountryId owner) const {
    switch (policy.policy) {
        case AllocationPolicy::domestic_first: return 0.0;
        case AllocationPolicy::pro_rata:
        case AllocationPolicy::need_based: return 1.0;
        // The home programme's claim dates from its campaign start, like a contract from its signing.
        case AllocationPolicy::fifo: return world_.country(owner).campaign_start.days_since_1970();
        case AllocationPolicy::priority: {
            const auto& order = policy.priority_order;
            const auto at = std::find(order.begin(), order.end(), owner);
            if (at == order.end()) return -1.0;  // not ranked: the home programme comes first
            return policy.priority_weights.empty() ? static_cast<double>(at - order.begin()) : 0.0;
        }
    }
    return 0.0;
}

double SupplyModel::priority_weight(const SupplierPolicy& policy, CountryId recipient) const {
    if (policy.policy != AllocationPolicy::priority || policy.priority_weights.empty() || !recipient.valid()) return 0.0;
    const auto at = std::find(policy.priority_order.begin(), policy.priority_order.end(), recipient);
    if (at == policy.priority_order.end()) return 0.0;
    return policy.priority_weights[static_cast<std::size_t>(at - policy.priority_order.begin())];
}

void SupplyModel::order_pool_contracts(Pool& pool) {
    const SupplierPolicy& policy = policies_[pool.owner.value()];
    for (PoolContract& entry : pool.contracts) {
        const ContractState& state = contracts_[entry.contract];
        entry.order_key = order_key(policy, state);
        entry.priority_weight = state.kind == ContractKind::covax ? 0.0 : priority_weight(policy, state.recipient);
    }
    std::stable_sort(pool.contracts.begin(), pool.contracts.end(), [](const PoolContract& a, const PoolContract& b) {
        return a.order_key < b.order_key || (a.order_key == b.order_key && a.contract < b.contract);
    });
    pool.order_stale = false;
}

void SupplyModel::allocate_pool(Pool& pool, std::uint32_t pool_id, Date today, const DayExchange& exchange,
                                ContractBook& book) {
    if (pool.order_stale) order_pool_contracts(pool);
    const std::size_t owner = pool.owner.value();
    const double need = home_need_doses_[owner];
    double home_taken = 0.0;
    for (int component : products_[pool.product.value()].order)
        home_taken += allocate_component(pool, pool_id, component, need, today, exchange, book);
    home_need_doses_[owner] = std::max(0.0, need - home_taken);
}

double SupplyModel::need_per_person(CountryId country, const DayExchange& exchange) const {
    if (exchange.uptake.size() != country_count_) return 0.0;
    const double people = population_[country.value()];
    return people > 0.0 ? exchange.uptake[country.value()].doses_needed / people : 0.0;
}

double SupplyModel::covax_need_per_person(const DayExchange& exchange) const {
    double needed = 0.0, people = 0.0;
    for (CountryId participant : covax_participants_) {
        needed += need_per_person(participant, exchange) * population_[participant.value()];
        people += population_[participant.value()];
    }
    return people > 0.0 ? needed / people : 0.0;
}

double SupplyModel::known_predecessor(const ContractState& state, int predecessor, Date arrival) const {
    double known = slots_[state.first_slot + as_index(predecessor)].good;
    for (const InFlight& flight : in_flight_[as_index(state.in_flight_slot)])
        if (flight.component == predecessor && flight.arrival > arrival) known -= flight.doses;
    return known;
}

double SupplyModel::covax_capacity(const ContractState& state, const ProductInfo& info, int component) const {
    const std::vector<double>& good = covax_good_[as_index(state.covax_slot)];
    const auto components = as_index(info.component_count);
    const int predecessor = info.predecessor[as_index(component)];
    const double ratio = info.ratio[as_index(component)];
    double capacity = 0.0;
    for (std::size_t i = 0; i < covax_participants_.size(); ++i) {
        double owed = 0.0;
        if (predecessor < 0) {
            const double cap_courses = world_.covax.coverage_cap * population_[covax_participants_[i].value()];
            owed = std::max(0.0, cap_courses - covax_courses_[i]) * info.count[as_index(component)];
        } else {
            owed = std::max(0.0, ratio * good[i * components + as_index(predecessor)] -
                                     good[i * components + as_index(component)]);
        }
        capacity += std::min(owed, recipient_room_[covax_participants_[i].value()]);
    }
    return capacity;
}

double SupplyModel::contract_claim(const PoolContract& entry, int component, Date today) const {
    const ContractState& state = contracts_[entry.contract];
    const ProductInfo& info = products_[state.product.value()];
    const auto k = as_index(component);
    const double per_dose = info.per_dose[k];
    if (per_dose == 0.0) return 0.0;
    // With covax.listed_only, COVAX ships a product only once WHO has listed it (docs/model/supply.md, "COVAX").
    if (state.kind == ContractKind::covax && today.days_since_1970() < info.covax_from_day) return 0.0;
    const std::size_t slot = state.first_slot + k;
    // Doses donated out of the order count as served (docs/model/supply.md, "Donations out of donors' contracts").
    const double shipped = slots_[slot].shipped + slots_[slot].donated;
    double claim = slots_[slot].ordered - shipped;
    if (!state.as_available) claim = std::min(claim, state.due_doses * per_dose - shipped);
    const int predecessor = info.predecessor[k];
    if (predecessor >= 0 && claim > 0.0) {
        // Never more of a later component than the earlier one that arrives with or before it.
        const double known = state.multi_lead ? known_predecessor(state, predecessor, today + entry.lead_days)
                                              : slots_[state.first_slot + as_index(predecessor)].good;
        claim = std::min(claim, info.ratio[k] * known - slots_[slot].good);
    }
    if (state.kind == ContractKind::covax && claim > 0.0) claim = std::min(claim, covax_capacity(state, info, component));
    return claim;
}

double SupplyModel::home_claim(const Pool& pool, int component, double available, double home_need_doses,
                               const DayExchange& exchange) const {
    const std::size_t owner = pool.owner.value();
    const SupplierPolicy& policy = policies_[owner];
    const ProductInfo& info = products_[pool.product.value()];
    const auto k = as_index(component);
    if (info.per_dose[k] == 0.0 || available <= 0.0) return 0.0;
    const double base = policy.domestic_share ? *policy.domestic_share * available : home_need_doses * info.per_dose[k];
    const auto& boosts = exchange.diplomacy.domestic_share_boost;
    const double boost = boosts.size() == country_count_ ? boosts[owner] : 0.0;
    // A share of today's stock: a boost beyond what is left means all of it, a cut below nothing means none.
    const double share = std::clamp(base / available + boost, 0.0, 1.0);
    double claim = share * available;
    const int predecessor = info.predecessor[k];
    if (predecessor >= 0)
        claim = std::min(claim, info.ratio[k] * pool.components[as_index(predecessor)].home_good_shipped -
                                    pool.components[k].home_good_shipped);
    return claim;
}

double SupplyModel::allocate_component(Pool& pool, std::uint32_t pool_id, int component, double home_need_doses,
                                       Date today, const DayExchange& exchange, ContractBook& book) {
    PoolComponent& held = pool.components[as_index(component)];
    const bool covax_ships_today = (today - world_.simulation.start) % world_.covax.shipment_interval_days == 0;
    // What COVAX was granted since its last shipment day leaves on this one, before today's division; on other
    // days it stays set aside in the stock. Expired lots may have taken set-aside doses with them.
    double set_aside = 0.0;
    if (!held.covax_set_aside.empty()) {
        for (const auto& entry : held.covax_set_aside) set_aside += entry.second;
        const double stock = held.stock.total_doses();
        if (set_aside > stock) {
            const double fraction = stock > 0.0 ? stock / set_aside : 0.0;
            for (auto& entry : held.covax_set_aside) entry.second *= fraction;
            set_aside = stock;
        }
        if (covax_ships_today) {
            for (const auto& [contract, doses] : held.covax_set_aside)
                if (doses >= minimum_claim_doses) dispatch_covax(pool_id, component, contract, doses, today, book);
            held.covax_set_aside.clear();
            set_aside = 0.0;
        }
    }
    const double available = held.stock.total_doses() - set_aside;
    if (available <= 0.0) return 0.0;
    const SupplierPolicy& policy = policies_[pool.owner.value()];

    relevant_controls_.clear();
    for (std::size_t j = 0; any_control_active_ && j < world_.export_controls.size(); ++j) {
        const ExportControl& control = world_.export_controls[j];
        if (control_active_[j] && control.exporter == pool.owner && (!control.product || *control.product == pool.product))
            relevant_controls_.push_back(j);
    }
    if (relevant_controls_.size() > max_controls_per_pool)
        throw std::logic_error("more than 64 export controls apply to one exporter and product at once; the "
                               "scenario checks refuse such a scenario");

    claims_.clear();
    refs_.clear();
    later_claims_.clear();
    later_refs_.clear();
    const bool by_need = policy.policy == AllocationPolicy::need_based;
    double covax_need = -1.0;  // computed once, when a COVAX contract claims
    int covax_claims = 0, donation_claims = 0;
    for (const PoolContract& entry : pool.contracts) {
        const ContractState& state = contracts_[entry.contract];
        if (state.retired || state.signed_on > today) continue;
        double amount = contract_claim(entry, component, today);
        if (state.kind == ContractKind::covax && set_aside > 0.0)
            for (const auto& [contract, doses] : held.covax_set_aside)
                if (contract == entry.contract) amount -= doses;
        const bool covax = state.kind == ContractKind::covax;
        // Never more than the recipient can take. A donor's contract also carries its gifts, which go to others: it
        // is not limited; COVAX is limited per participant when it dispatches.
        const bool limited = !covax && !state.gift && !state.donor;
        if (limited) amount = std::min(amount, room_for(state.recipient, pool.product));
        if (amount < minimum_claim_doses) continue;
        const double reserved = limited ? reserve_room(state.recipient, pool.product, amount) : 0.0;
        double weight = entry.priority_weight;
        if (by_need) {
            if (covax && covax_need < 0.0) covax_need = covax_need_per_person(exchange);
            weight = covax ? covax_need : need_per_person(state.recipient, exchange);
        }
        std::uint64_t mask = 0;
        for (std::size_t j = 0; j < relevant_controls_.size(); ++j)
            if (covax || (state.recipient != pool.owner && !control_exempt_[relevant_controls_[j]][state.recipient.value()]))
                mask |= std::uint64_t{1} << j;
        if (covax) ++covax_claims;
        if (state.kind == ContractKind::donation) ++donation_claims;
        // Fields are written in place: a temporary copied in would stall on store forwarding in this hot loop.
        Claim& claim = state.as_available ? later_claims_.emplace_back() : claims_.emplace_back();
        claim.amount = amount;
        claim.weight = weight;
        claim.group = state.as_available ? as_available_tier + entry.order_key : entry.order_key;
        ClaimRef& ref = state.as_available ? later_refs_.emplace_back() : refs_.emplace_back();
        ref.kind = state.kind;
        ref.contract = entry.contract;
        ref.lead_days = entry.lead_days;
        ref.control_mask = mask;
        ref.room_reserved = reserved;
    }
    // The home programme, too, takes no more than it can use (a share of output included).
    const double home_amount = std::min(home_claim(pool, component, available, home_need_doses, exchange),
                                        room_for(pool.owner, pool.product));
    if (home_amount >= minimum_claim_doses) {
        const double key = home_order_key(policy, pool.owner);
        const double weight =
            by_need ? need_per_person(pool.owner, exchange) : priority_weight(policy, pool.owner);
        const auto at = std::lower_bound(claims_.begin(), claims_.end(), key,
                                         [](const Claim& c, double k) { return c.group < k; });
        const auto offset = at - claims_.begin();
        claims_.insert(at, Claim{home_amount, weight, key, 0.0});
        refs_.insert(refs_.begin() + offset,
                     ClaimRef{Claimant::home, ContractKind::sale, 0, leads_.days(pool.owner, pool.owner), 0,
                              reserve_room(pool.owner, pool.product, home_amount)});
    }
    claims_.insert(claims_.end(), later_claims_.begin(), later_claims_.end());
    refs_.insert(refs_.end(), later_refs_.begin(), later_refs_.end());
    if (claims_.empty()) return 0.0;

    // A gift's claim is held out of the division: it is served out of its donors' share (serve_gifts_from_donors).
    gift_claims_.clear();
    donor_takes_.clear();
    if (pool.gifts > 0)
        for (std::size_t i = 0; i < claims_.size(); ++i)
            if (refs_[i].who == Claimant::contract && contracts_[refs_[i].contract].gift) {
                gift_claims_.push_back(GiftClaim{i, claims_[i].amount, 0.0});
                claims_[i].amount = 0.0;
            }
    if (covax_claims > 0) carve_out(ContractKind::covax, policy.covax_share, available);
    if (donation_claims > 0) carve_out(ContractKind::donation, policy.donation_share, available);
    double granted = 0.0;
    for (const Claim& claim : claims_) granted += claim.granted;
    divide(available - granted, claims_);
    if (!gift_claims_.empty()) serve_gifts_from_donors();
    if (!relevant_controls_.empty()) apply_export_caps(available);

    double home_taken = 0.0;
    constexpr std::size_t prefetch_distance = 4;  // the book's records are large: fetch them ahead
    for (std::size_t i = 0; i < claims_.size(); ++i) {
        if (i + prefetch_distance < claims_.size() && refs_[i + prefetch_distance].who == Claimant::contract)
            __builtin_prefetch(&book.records[refs_[i + prefetch_distance].contract].shipped_doses, 1);
        const double doses = claims_[i].granted;
        const ClaimRef& ref = refs_[i];
        const CountryId room_owner = ref.who == Claimant::home ? pool.owner : contracts_[ref.contract].recipient;
        if (doses < minimum_claim_doses) {
            release_room(room_owner, pool.product, ref.room_reserved, 0.0);
            continue;
        }
        if (ref.who == Claimant::home) {
            double usable = 0.0;
            const double taken = send(pool_id, component, ContractId{}, pool.owner, pool.owner, false, doses,
                                      today + ref.lead_days, usable);
            home_taken += taken;
            held.home_good_shipped += usable;
            release_room(room_owner, pool.product, ref.room_reserved, taken);
        } else {
            double taken = 0.0;
            if (ref.kind == ContractKind::covax && !covax_ships_today) {
                set_aside_for_covax(held, ref.contract, doses);
                taken = doses;
            } else {
                taken = ref.kind == ContractKind::covax
                            ? dispatch_covax(pool_id, component, ref.contract, doses, today, book)
                            : dispatch_contract(pool_id, component, ref, doses, today, book);
            }
            if (ref.kind == ContractKind::covax) spend_export_caps(ref.control_mask, doses);
            release_room(room_owner, pool.product, ref.room_reserved, taken);
            if (!gift_claims_.empty() && contracts_[ref.contract].gift)
                for (std::size_t g = 0; g < gift_claims_.size(); ++g)
                    if (gift_claims_[g].index == i) credit_donors(g, taken, component, book);
        }
    }
    return home_taken;
}

void SupplyModel::set_aside_for_covax(PoolComponent& held, std::uint32_t contract, double doses) {
    for (auto& entry : held.covax_set_aside)
        if (entry.first == contract) {
            entry.second += doses;
            return;
        }
    held.covax_set_aside.emplace_back(contract, doses);
}

void SupplyModel::serve_gifts_from_donors() {
    // The donors' contracts and the gift form one claim group: the division gave the group its donors' share, the
    // gift is served first from it, and the donors keep the rest in proportion to what each was granted. A donor's
    // claim shrinks by what it gives, so a later division (export caps) does not give it back.
    // A donor giving to several gifts gives to each in turn, out of what the ones before left it.
    for (std::size_t g = 0; g < gift_claims_.size(); ++g) {
        GiftClaim& gift = gift_claims_[g];
        const std::vector<std::uint32_t>& donors =
            gift_donors_[as_index(contracts_[refs_[gift.index].contract].gift_slot)];
        auto gives = [&](std::size_t i) {
            return refs_[i].who == Claimant::contract && contracts_[refs_[i].contract].donor &&
                   std::binary_search(donors.begin(), donors.end(), refs_[i].contract);
        };
        double group = 0.0;
        for (std::size_t i = 0; i < claims_.size(); ++i)
            if (gives(i)) group += claims_[i].granted;
        const double served = std::min(gift.amount, group);
        if (served < minimum_claim_doses) continue;
        const double fraction = served / group;
        for (std::size_t i = 0; i < claims_.size(); ++i) {
            if (!gives(i)) continue;
            const double take = claims_[i].granted * fraction;
            if (take <= 0.0) continue;
            claims_[i].granted -= take;
            claims_[i].amount = std::max(0.0, claims_[i].amount - take);
            donor_takes_.push_back(DonorTake{g, refs_[i].contract, take});
        }
        gift.granted = served;
        claims_[gift.index].amount = served;
        claims_[gift.index].granted = served;
    }
}

void SupplyModel::credit_donors(std::size_t gift, double taken, int component, ContractBook& book) {
    // What the gift shipped leaves its donors' orders, each by what it gave today (export caps or an inactive gift
    // may have shipped less than was taken from them).
    const double planned = gift_claims_[gift].granted;
    if (planned <= 0.0 || taken <= 0.0) return;
    const double ratio = std::min(1.0, taken / planned);
    for (const DonorTake& take : donor_takes_) {
        if (take.gift != gift) continue;
        const double doses = take.doses * ratio;
        slots_[contracts_[take.contract].first_slot + as_index(component)].donated += doses;
        book.records[take.contract].donated_doses += doses;
        retire_if_fully_shipped(take.contract);
    }
}

void SupplyModel::carve_out(ContractKind kind, double share, double available) {
    if (share <= 0.0) return;
    auto of_kind = [&](std::size_t i) {
        return refs_[i].who == Claimant::contract && refs_[i].kind == kind;
    };
    double open = 0.0;
    for (std::size_t i = 0; i < claims_.size(); ++i)
        if (of_kind(i)) open += claims_[i].open();
    if (open <= 0.0) return;
    const double fraction = std::min(share * available, open) / open;
    for (std::size_t i = 0; i < claims_.size(); ++i)
        if (of_kind(i)) claims_[i].granted += claims_[i].open() * fraction;
}

void SupplyModel::apply_export_caps(double available) {
    // Each round scales down the claims of every control that would let out more than it allows today and
    // freezes them; what they lose goes back to the others by the policy. A control once binding stays met.
    for (std::size_t round = 0; round <= relevant_controls_.size(); ++round) {
        bool capped = false;
        for (std::size_t j = 0; j < relevant_controls_.size(); ++j) {
            const std::uint64_t bit = std::uint64_t{1} << j;
            double out = 0.0;
            for (std::size_t i = 0; i < claims_.size(); ++i)
                if (refs_[i].control_mask & bit) out += claims_[i].granted;
            const double allowed = std::max(0.0, control_left_doses_[relevant_controls_[j]]);
            if (out <= allowed + minimum_claim_doses) continue;
            const double factor = allowed / out;
            for (std::size_t i = 0; i < claims_.size(); ++i)
                if (refs_[i].control_mask & bit) {
                    claims_[i].granted *= factor;
                    claims_[i].amount = claims_[i].granted;
                }
            capped = true;
        }
        if (!capped) return;
        double granted = 0.0;
        for (const Claim& claim : claims_) granted += claim.granted;
        divide(available - granted, claims_);
    }
}

void SupplyModel::spend_export_caps(std::uint64_t mask, double doses) {
    for (std::size_t j = 0; mask != 0 && j < relevant_controls_.size(); ++j)
        if (mask & (std::uint64_t{1} << j)) control_left_doses_[relevant_controls_[j]] -= doses;
}

double SupplyModel::send(std::uint32_t pool_id, int component, ContractId contract, CountryId recipient,
                         CountryId supplier, bool multi_lead, double doses, Date arrival, double& usable) {
    Pool& pool = pools_[pool_id];
    PoolComponent& held = pool.components[as_index(component)];
    // Leads are shorter than the ring, so the arrival's bucket is at most one turn ahead of today's.
    std::size_t index = today_ring_ + static_cast<std::size_t>(arrival - today_);
    if (index >= transit_.size()) index -= transit_.size();
    auto& bucket = transit_[index];
    const double taken = held.stock.take(doses, [&](const Lot& piece) {
        Shipment& shipment = bucket.emplace_back();  // in place: see allocate_component
        shipment.contract = contract;
        shipment.recipient = recipient;
        shipment.supplier = supplier;
        shipment.pool = static_cast<std::uint16_t>(pool_id);
        shipment.component = static_cast<std::uint8_t>(component);
        shipment.multi_lead = multi_lead;
        shipment.expiry = piece.expiry;
        shipment.doses = piece.doses;
        if (piece.expiry > arrival) usable += piece.doses;
    });
    in_transit_[total_slot(pool.product, component)] += taken;
    if (recipient != pool.owner) held.exported_today += taken;
    if (!contract.valid()) domestic_in_transit_[pool.owner.value()] += taken;
    else contract_in_transit_[recipient.value()] += taken;
    product_in_transit_[product_slot(recipient, pool.product)] += taken;
    return taken;
}

double SupplyModel::dispatch_contract(std::uint32_t pool_id, int component, const ClaimRef& ref, double doses,
                                      Date today, ContractBook& book) {
    ContractRecord& record = book.records[ref.contract];
    // Cancelled and switched are the ends of the escalation ladder: such contracts are never served again. A
    // contract cancelled since yesterday still took part in today's division; its share stays in stock.
    if (!record.active()) {
        retire(ref.contract);
        return 0.0;
    }
    const ContractState& state = contracts_[ref.contract];
    const Date arrival = today + ref.lead_days;
    double usable = 0.0;
    const double taken = send(pool_id, component, ContractId(ref.contract), state.recipient, state.supplier,
                              state.multi_lead, doses, arrival, usable);
    const std::size_t slot = state.first_slot + as_index(component);
    record.shipped_doses += taken;
    record.shipped_by_component[as_index(component)] += taken;
    slots_[slot].shipped += taken;
    slots_[slot].good += usable;
    record.due_doses = std::max(record.due_doses, record.shipped_doses);
    if (state.multi_lead && usable > 0.0 && component != products_[state.product.value()].order.back())
        in_flight_[as_index(state.in_flight_slot)].push_back(InFlight{arrival, component, usable});
    spend_export_caps(ref.control_mask, taken);
    if (slots_[slot].shipped + slots_[slot].donated >= slots_[slot].ordered - minimum_claim_doses)
        retire_if_fully_shipped(ref.contract);
    return taken;
}

double SupplyModel::dispatch_covax(std::uint32_t pool_id, int component, std::uint32_t contract, double doses,
                                   Date today, ContractBook& book) {
    ContractRecord& record = book.records[contract];
    if (!record.active()) {
        retire(contract);
        return 0.0;
    }
    const ContractState& state = contracts_[contract];
    const ProductInfo& info = products_[state.product.value()];
    std::vector<double>& good = covax_good_[as_index(state.covax_slot)];
    const auto components = as_index(info.component_count);
    const auto k = as_index(component);
    const int predecessor = info.predecessor[k];
    const double count = info.count[k];
    const CountryId owner = pools_[pool_id].owner;
    // The facility shares each shipment among participants by population, up to the coverage cap in courses
    // (first component), or up to what each has of the earlier component (later components).
    covax_claims_.clear();
    for (std::size_t i = 0; i < covax_participants_.size(); ++i) {
        const double people = population_[covax_participants_[i].value()];
        double amount = 0.0;
        if (predecessor < 0) {
            amount = std::max(0.0, world_.covax.coverage_cap * people - covax_courses_[i]) * count;
        } else {
            amount = std::max(0.0, info.ratio[k] * good[i * components + as_index(predecessor)] -
                                       good[i * components + k]);
        }
        amount = std::min(amount, room_for(covax_participants_[i], state.product));
        // First components by population; later ones by what each participant is owed (weight 0: by amount).
        covax_claims_.push_back(Claim{amount, predecessor < 0 ? people : 0.0, 0.0, 0.0});
    }
    divide(doses, covax_claims_);
    const std::size_t slot = state.first_slot + k;
    double shipped = 0.0;
    for (std::size_t i = 0; i < covax_participants_.size(); ++i) {
        const double share = covax_claims_[i].granted;
        if (share < minimum_claim_doses) continue;
        const CountryId participant = covax_participants_[i];
        double usable = 0.0;
        const double taken = send(pool_id, component, ContractId(contract), participant, state.supplier, false,
                                  share, today + leads_.days(owner, participant), usable);
        good[i * components + k] += usable;
        reserve_room(participant, state.product, taken);  // what it shipped fills the participant's room
        if (predecessor < 0) covax_courses_[i] += taken / count;
        record.shipped_doses += taken;
        record.shipped_by_component[k] += taken;
        slots_[slot].shipped += taken;
        slots_[slot].good += usable;
        shipped += taken;
    }
    record.due_doses = std::max(record.due_doses, record.shipped_doses);
    retire_if_fully_shipped(contract);
    return shipped;
}

// ---------------------------------------------------------------------------------------------------- shipping
void SupplyModel::ship(Date today, DayExchange& exchange, ContractBook& book, Recorder& recorder,
                       std::vector<DeliveryRow>& deliveries) {
    if (today != today_) throw std::logic_error("ship() must follow allocate() of the same day");
    exchange.arrivals.clear();
    for (Pool& pool : pools_)
        for (PoolComponent& component : pool.components) component.expired_in_transit_today = 0.0;
    auto& bucket = transit_[today_ring_];
    constexpr std::size_t prefetch_distance = 8;  // the book's records are large: fetch them ahead
    for (std::size_t i = 0; i < bucket.size(); ++i) {
        if (i + prefetch_distance < bucket.size() && bucket[i + prefetch_distance].contract.valid())
            __builtin_prefetch(&book.records[bucket[i + prefetch_distance].contract.value()].delivered_doses, 1);
        const Shipment& shipment = bucket[i];
        Pool& pool = pools_[shipment.pool];
        const int component = shipment.component;
        const std::size_t slot = total_slot(pool.product, component);
        const double doses = shipment.doses;
        in_transit_[slot] -= doses;
        product_in_transit_[product_slot(shipment.recipient, pool.product)] -= doses;
        ContractRecord* record = nullptr;
        if (shipment.contract.valid()) {
            record = &book.records[shipment.contract.value()];
            contract_in_transit_[shipment.recipient.value()] -= doses;
            if (shipment.multi_lead)
                std::erase_if(in_flight_[as_index(contracts_[shipment.contract.value()].in_flight_slot)],
                              [today](const InFlight& flight) { return flight.arrival <= today; });
        } else {
            domestic_in_transit_[pool.owner.value()] -= doses;
        }
        if (shipment.expiry <= today) {  // expired on the way
            wasted_[slot] += doses;
            pool.components[as_index(component)].expired_in_transit_today += doses;
            if (record) record->wasted_doses += doses;
            continue;
        }
        delivered_[slot] += doses;
        if (record) {
            record->delivered_doses += doses;
            record->delivered_by_component[as_index(component)] += doses;
            if (!record->first_delivery) record->first_delivery = today;
            record->last_delivery = today;
        }
        Arrival& arrival = exchange.arrivals.emplace_back();  // in place: see allocate_component
        arrival.contract = shipment.contract;
        arrival.supplier = shipment.supplier;
        arrival.recipient = shipment.recipient;
        arrival.product = pool.product;
        arrival.component = component;
        arrival.doses = doses;
        arrival.expiry = shipment.expiry;
        if (!deliveries.empty()) {
            DeliveryRow& last = deliveries.back();
            if (last.date == today && last.contract == shipment.contract && last.recipient == shipment.recipient &&
                last.product == pool.product && last.component == component && last.supplier == shipment.supplier) {
                last.doses += doses;
                continue;
            }
        }
        DeliveryRow& row = deliveries.emplace_back();
        row.date = today;
        row.contract = shipment.contract;
        row.supplier = shipment.supplier;
        row.recipient = shipment.recipient;
        row.product = pool.product;
        row.component = component;
        row.doses = doses;
    }
    bucket.clear();
    for (const Pool& pool : pools_)
        for (std::size_t k = 0; k < pool.components.size(); ++k)
            recorder.flow(today,
                          series_key(pool.owner, pool.product, static_cast<int>(k), wasted_metric,
                                     expired_in_transit_tag),
                          pool.components[k].expired_in_transit_today);
}

// ------------------------------------------------------------------------------------------------------ totals
double SupplyModel::produced_total(ProductId product, int component) const { return produced_.at(total_slot(product, component)); }
double SupplyModel::unreleased_total(ProductId product, int component) const { return unreleased_.at(total_slot(product, component)); }
double SupplyModel::in_transit_total(ProductId product, int component) const { return in_transit_.at(total_slot(product, component)); }
double SupplyModel::delivered_total(ProductId product, int component) const { return delivered_.at(total_slot(product, component)); }
double SupplyModel::wasted_total(ProductId product, int component) const { return wasted_.at(total_slot(product, component)); }

double SupplyModel::stock_total(ProductId product, int component) const {
    double total = 0.0;
    for (std::uint32_t id : pools_of_product_.at(product.value()))
        total += pools_[id].components.at(as_index(component)).stock.total_doses();
    return total;
}

double SupplyModel::owner_stock(CountryId owner, ProductId product, int component) const {
    for (std::uint32_t id : pools_of_owner_.at(owner.value()))
        if (pools_[id].product == product) return pools_[id].components.at(as_index(component)).stock.total_doses();
    return 0.0;
}

}  // namespace doseflow::supply
