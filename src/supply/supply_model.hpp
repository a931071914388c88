#pragma once
// The supply stages of the daily loop (docs/architecture.md, stages 2-4): production at each site into dated lots held by
// the producing country, allocation of each owner's released stock between its home programme, COVAX,
// donations and contract tranches under its policy and export controls, and shipping with a lead time per
// route. Reads the World; writes the ContractBook, the DayExchange's arrivals, deliveries, records and events.
// See docs/model/supply.md for the equations and the choices made.
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "supply/division.hpp"
#include "supply/lots.hpp"
#include "supply/production.hpp"
#include "supply/shipping.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::supply {

class SupplyModel {
public:
    // Draws each licensed site's realised share (StreamPurpose::licence_realisation) and opens each site's
    // disruption stream (StreamPurpose::site_disruption), keyed by the site's id. Throws std::invalid_argument
    // when the world breaks an assumption of this stage (a product without shelf life in its storage class, a
    // share outside [0, 1], ...). The World must outlive the model.
    SupplyModel(const World& world, std::uint64_t seed);

    // policy_change, capacity_shock, price_change and domestic_share; other kinds are not this stage's.
    void apply_event(const ScenarioEvent& event);

    // Stage 2: each site makes each of its components; output enters the owner's stock after the release delay.
    void produce(Date today, Recorder& recorder);
    // Stage 3: divides each owner's released stock and dispatches shipments (they leave stock today).
    void allocate(Date today, DayExchange& exchange, ContractBook& book, EventLog& log, Recorder& recorder);
    // Stage 4: shipments due today arrive: exchange.arrivals is replaced by today's arrivals, `deliveries` gets
    // one row per contract (or home programme), recipient and component, the book's delivered_* are updated.
    void ship(Date today, DayExchange& exchange, ContractBook& book, Recorder& recorder,
              std::vector<DeliveryRow>& deliveries);

    // Running totals over the world, per product and component, in doses:
    // produced = unreleased + stock + in transit + delivered + wasted.
    double produced_total(ProductId product, int component) const;
    double unreleased_total(ProductId product, int component) const;  // made, awaiting quality release
    double stock_total(ProductId product, int component) const;       // released, held by producers
    double in_transit_total(ProductId product, int component) const;
    double delivered_total(ProductId product, int component) const;
    double wasted_total(ProductId product, int component) const;  // expired in stock or in transit

    // The share of its announced capacity a licensed site reaches in this run (1 for other sites).
    double realised_share(SiteId site) const { return lines_[site.value()].line.realised_share(); }
    // The current list price, after price_change events.
    double price_usd_per_dose(ProductId product) const { return prices_usd_per_dose_[product.value()]; }
    // The supplier policy in force for a country (a domestic_first default for producers without one).
    const SupplierPolicy& policy(CountryId country) const { return policies_[country.value()]; }
    // Supply keeps a compact copy of what it has shipped under each contract, per component (the book's records are
    // large; the claims of every day read the copy). One line per contract and component where the copy differs
    // from the book's shipped_by_component; empty when they agree. Tests check it every day of the default run.
    std::vector<std::string> shipped_ledger_differences(const ContractBook& book) const;

    // Doses of a product's component one owner holds in released stock.
    double owner_stock(CountryId owner, ProductId product, int component) const;

private:
    struct ProductInfo {
        int component_count = 0;
        int course_doses = 0;
        std::uint32_t first_slot = 0;   // of its components in the per-product-component totals
        std::vector<int> count;         // times each component is given in the course
        std::vector<int> order;         // components in the order the course gives them (first appearance)
        std::vector<int> predecessor;   // per component: the one before it in `order`, -1 for the first
        std::vector<double> per_dose;   // count / course doses: a component's part of the ordered doses
        std::vector<double> ratio;      // count / count of the predecessor (0 for the first)
        int shelf_life_days = 0;        // in the product's required storage class
        // First day COVAX contracts may claim it: with covax.listed_only, its WHO listing (the highest day when it
        // has none); otherwise, or listed before the run, the lowest day.
        std::int32_t covax_from_day = std::numeric_limits<std::int32_t>::min();
    };
    struct PoolComponent {
        LotQueue stock;
        double home_good_shipped = 0.0;  // usable doses shipped to the owner's own programme
        double produced_today = 0.0, released_today = 0.0, exported_today = 0.0;
        double expired_in_stock_today = 0.0, expired_in_transit_today = 0.0;
        // COVAX contracts' grants on days between shipments, kept in this stock until the next shipment day:
        // (contract, doses). The doses stay in `stock`; the division shares only what is not set aside.
        std::vector<std::pair<std::uint32_t, double>> covax_set_aside;
    };
    // A contract as one pool sees it: precomputed when the pool's order is (re)built.
    struct PoolContract {
        std::uint32_t contract = 0;
        std::int32_t lead_days = 0;     // from the pool's owner to the recipient
        double order_key = 0.0;         // the owner's policy order (before the as_available tier)
        double priority_weight = 0.0;   // priority with weights: the recipient's weight
    };
    // One owner's stock of one product. A pool is licensed when every line of the owner for the product is a
    // licensed partner's: its stock may then leave only as the licence allows.
    struct Pool {
        CountryId owner;
        ProductId product;
        bool licensed = false;
        CountryId licensor;
        bool may_export = false;
        std::vector<char> export_allowed;  // per country; empty: anywhere
        std::vector<PoolComponent> components;
        std::vector<PoolContract> contracts;  // contracts this pool may serve, in the owner's policy order
        bool order_stale = true;
        int gifts = 0;  // contracts with donors among `contracts`
    };
    struct Pending {
        Date release;
        Date produced;
        int component = 0;
        double doses = 0.0;
    };
    struct Line {
        ProductionLine line;
        std::uint32_t pool = 0;
        std::vector<Pending> pending;  // FIFO, release dates ascending
        std::size_t pending_head = 0;
    };
    struct InFlight {  // usable predecessor doses of a contract fed over routes of different lead times
        Date arrival;
        int component = 0;
        double doses = 0.0;
    };
    // The terms and ledger a claim needs, kept compact (the book's records are large); per-component values
    // live in the slot arrays from first_slot on.
    struct ContractState {
        std::uint32_t first_slot = 0;
        CountryId supplier;
        CountryId recipient;
        ProductId product;
        ContractKind kind = ContractKind::sale;
        bool as_available = false;
        bool retired = false;  // fully shipped, cancelled or switched: no longer offered stock
        bool multi_lead = false;
        Date signed_on;
        std::int32_t next_tranche_day = 0;  // day (since 1970) of the next tranche; max when none is left
        std::uint32_t next_tranche = 0;
        double due_doses = 0.0;
        int covax_slot = -1;
        int in_flight_slot = -1;  // multi-lead contracts
        bool gift = false;        // a covax or donation contract with donors (Contract::donors)
        bool donor = false;       // a sale contract some gift is served out of
        std::int32_t gift_slot = -1;  // a gift: its index in gifts_
    };
    // A piece of one lot on its way; its arrival day is the bucket it sits in.
    struct Shipment {
        ContractId contract;  // invalid: the owner's home programme
        CountryId recipient;
        CountryId supplier;   // the contract's supplier (the owner for the home programme)
        std::uint16_t pool = 0;
        std::uint8_t component = 0;
        bool multi_lead = false;
        Date expiry;
        double doses = 0.0;
    };
    enum class Claimant : std::uint8_t { home, contract };
    struct ClaimRef {
        Claimant who = Claimant::contract;
        ContractKind kind = ContractKind::sale;
        std::uint32_t contract = 0;
        std::int32_t lead_days = 0;
        std::uint64_t control_mask = 0;  // bit j: export control relevant_controls_[j] counts this claim
        double room_reserved = 0.0;      // of the recipient's room (shipping.recipient_stock_days), until dispatch
    };
    // The rooms a claim is cut to: the recipient's, and its stores' for the product.
    double room_for(CountryId recipient, ProductId product) const {
        return std::min(recipient_room_[recipient.value()], product_room_[product_slot(recipient, product)]);
    }
    std::size_t product_slot(CountryId country, ProductId product) const {
        return country.value() * world_.products.size() + product.value();
    }
    // Gives back what a reservation held beyond what shipped.
    void release_room(CountryId recipient, ProductId product, double reserved, double taken);

    void compute_recipient_rooms(const DayExchange& exchange);
    // Holds `doses` of the recipient's room for a claim until dispatch returns what it did not ship; the doses held
    // (0 when the room is unlimited).
    double reserve_room(CountryId recipient, ProductId product, double doses);
    void check_world() const;
    void build_products();
    void build_pools_and_lines(std::uint64_t seed);
    void build_covax();
    std::uint32_t pool_index(CountryId owner, ProductId product) const;
    std::size_t total_slot(ProductId product, int component) const {
        return products_[product.value()].first_slot + static_cast<std::size_t>(component);
    }

    // allocation steps
    void register_new_contracts(const ContractBook& book);
    void register_contract(const ContractBook& book, std::uint32_t id);
    bool pool_may_serve(const Pool& pool, const Contract& terms) const;
    void update_contracts(Date today, ContractBook& book);
    void retire(std::uint32_t contract);
    void retire_if_fully_shipped(std::uint32_t contract);
    void expire_stock(Date today);
    void update_export_controls(Date today, EventLog& log);
    void compute_home_needs(Date today, const DayExchange& exchange);
    void order_pool_contracts(Pool& pool);
    double order_key(const SupplierPolicy& policy, const ContractState& contract) const;
    double home_order_key(const SupplierPolicy& policy, CountryId owner) const;
    double priority_weight(const SupplierPolicy& policy, CountryId recipient) const;
    void allocate_pool(Pool& pool, std::uint32_t pool_id, Date today, const DayExchange& exchange, ContractBook& book);
    double allocate_component(Pool& pool, std::uint32_t pool_id, int component, double home_need_doses, Date today,
                              const DayExchange& exchange, ContractBook& book);
    double contract_claim(const PoolContract& entry, int component, Date today) const;
    double home_claim(const Pool& pool, int component, double available, double home_need_doses,
                      const DayExchange& exchange) const;
    double need_per_person(CountryId country, const DayExchange& exchange) const;
    double covax_need_per_person(const DayExchange& exchange) const;
    double known_predecessor(const ContractState& state, int predecessor, Date arrival) const;
    double covax_capacity(const ContractState& state, const ProductInfo& info, int component) const;
    void carve_out(ContractKind kind, double share, double available);
    void apply_export_caps(double available);
    double send(std::uint32_t pool_id, int component, ContractId contract, CountryId recipient, CountryId supplier,
                bool multi_lead, double doses, Date arrival, double& usable);
    void serve_gifts_from_donors();
    static void set_aside_for_covax(PoolComponent& held, std::uint32_t contract, double doses);
    void credit_donors(std::size_t gift, double taken, int component, ContractBook& book);
    double dispatch_contract(std::uint32_t pool_id, int component, const ClaimRef& ref, double doses, Date today,
                             ContractBook& book);
    double dispatch_covax(std::uint32_t pool_id, int component, std::uint32_t contract, double doses, Date today,
                          ContractBook& book);
    void spend_export_caps(std::uint64_t mask, double doses);

    const World& world_;
    std::size_t country_count_ = 0;
    std::vector<ProductInfo> products_;
    std::vector<double> population_;
    std::vector<SupplierPolicy> policies_;
    std::vector<double> prices_usd_per_dose_;
    std::vector<CapacityShock> shocks_;
    LeadTimes leads_;

    std::vector<Pool> pools_;                              // ordered by (owner, product)
    std::vector<std::vector<std::uint32_t>> pools_of_product_;
    std::vector<std::vector<std::uint32_t>> pools_of_owner_;
    std::vector<Line> lines_;                              // one per site, in World::sites order
    bool stock_at_start_released_ = false;                 // sites' stock_at_start_doses go out on the first day

    std::vector<ContractState> contracts_;  // parallel to the book
    // per contract and component (ContractState::first_slot + component)
    struct SlotLedger {
        double ordered = 0.0;  // doses of the component ordered
        double shipped = 0.0;  // the book's shipped_by_component (shipped_ledger_differences checks the copy)
        double good = 0.0;     // usable doses shipped (arriving before expiry)
        double donated = 0.0;  // a donor's contract: doses a gift shipped out of it (they leave the order)
    };
    std::vector<SlotLedger> slots_;
    // Each unretired scheduled contract's next tranche day, earliest first: (day since 1970, contract).
    std::priority_queue<std::pair<std::int32_t, std::uint32_t>, std::vector<std::pair<std::int32_t, std::uint32_t>>,
                        std::greater<>>
        tranche_queue_;
    std::vector<std::vector<InFlight>> in_flight_;  // per multi-lead contract
    std::vector<std::uint32_t> as_available_;       // as_available contracts: their due doses follow a pace
    std::vector<std::uint32_t> gifts_;              // contracts with donors, by id
    std::vector<std::vector<std::uint32_t>> gift_donors_;  // per gift: its donors' contracts, ascending ids
    bool retired_since_compaction_ = false;

    // COVAX: participants, the facility-wide courses each has been allotted, per-contract ledgers.
    std::vector<CountryId> covax_participants_;
    std::vector<double> covax_courses_;                 // per participant
    std::vector<std::vector<double>> covax_good_;       // per slot: participant x component, usable doses

    // export controls
    std::vector<char> control_active_;
    std::vector<double> control_left_doses_;            // what each control still lets out today
    std::vector<std::vector<char>> control_exempt_;     // per control, per country
    std::vector<std::size_t> relevant_controls_;        // for the pool being allocated
    bool any_control_active_ = false;

    // per country, today
    std::vector<double> home_need_doses_;
    std::vector<double> domestic_in_transit_;
    std::vector<double> contract_in_transit_;  // per recipient: doses on their way under contracts
    std::vector<double> recipient_room_;       // per recipient: what contracts may still send it today
    std::vector<double> product_room_;         // per recipient and product: its stores' room for the product today
    std::vector<double> product_in_transit_;   // per recipient and product: doses on their way to it

    // shipments in transit, bucketed by arrival day modulo the ring size
    std::vector<std::vector<Shipment>> transit_;
    Date today_;                   // the day being allocated (and then shipped)
    std::size_t today_ring_ = 0;   // its bucket

    // totals per product x component (ProductInfo::first_slot + component)
    std::vector<double> produced_, unreleased_, in_transit_, delivered_, wasted_;

    // scratch reused every day
    std::vector<Claim> claims_, later_claims_, covax_claims_;
    std::vector<ClaimRef> refs_, later_refs_;
    struct GiftClaim {        // a gift's claim, held out of the division: it is served from its donors' share
        std::size_t index = 0;  // in claims_
        double amount = 0.0;
        double granted = 0.0;   // taken from the donors
    };
    struct DonorTake {        // what a gift took from one donor's grant today
        std::size_t gift = 0;   // in gift_claims_
        std::uint32_t contract = 0;
        double doses = 0.0;
    };
    std::vector<GiftClaim> gift_claims_;
    std::vector<DonorTake> donor_takes_;
};

}  // namespace doseflow::supply
