#pragma once
// Stage 7 of the day (docs/architecture.md): credibility of suppliers in each buyer's eyes, the escalation ladder of late
// contracts with refunds, procurement of new contracts by buyers with unmet need, the domestic surge of
// suppliers, disinformation exposure and trust, and each supplier's influence. docs/model/diplomacy.md has the
// equations and the sources of the defaults.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "core/random.hpp"
#include "diplomacy/credibility.hpp"
#include "diplomacy/market.hpp"
#include "diplomacy/procurement.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::diplomacy {

class DiplomacyModel {
public:
    // `world` must outlive the model. Throws std::invalid_argument when a parameter is outside its valid range.
    DiplomacyModel(const World& world, std::uint64_t seed);

    // Runs once a day, on consecutive days, after the epidemic stage. Reads the book, exchange.uptake and
    // exchange.epidemic (each sized to the World's countries); changes statuses and refunds in the book, appends
    // the contracts it signs, sets exchange.diplomacy, and adds events, time series and (on Mondays) one
    // diplomacy.csv row per (buyer, supplier) pair with a contract.
    void step(Date today, DayExchange& exchange, ContractBook& book, EventLog& log, Recorder& recorder,
              std::vector<DiplomacyRow>& rows);

    double credibility(CountryId buyer, CountryId supplier) const;      // in [0, 1]
    double influence(CountryId supplier, CountryId recipient) const;    // >= 0
    double world_influence(CountryId supplier) const;                   // population-weighted over recipients

private:
    // Per record of the book: what diplomacy remembers of it.
    struct ContractTrack {
        std::vector<double> due_ring;  // due doses of the last delivery_grace_days + 1 days
        double delivered_seen = 0.0;   // delivered doses at the last step (for influence)
        std::vector<double> delivered_ring;  // delivered doses of the last pace_days + 1 days
        std::optional<Date> late_since;
    };
    struct TenderRequest {
        CountryId buyer;
        double doses = 0.0;
        std::optional<CountryId> excluded;  // the supplier being replaced
    };

    std::size_t pair_index(CountryId a, CountryId b) const { return a.value() * countries_ + b.value(); }
    double prior(CountryId buyer, CountryId supplier) const;
    static bool is_bilateral(const ContractRecord& record);

    void size_signals(DayExchange& exchange) const;
    void track_new_records(const ContractBook& book);
    double lagged_due(std::size_t record, const ContractRecord& rec) const;
    void remember_due(Date today, const ContractBook& book);
    void update_credibility(const ContractBook& book);
    void escalate(Date today, DayExchange& exchange, ContractBook& book, EventLog& log);
    // Whether the buyer holds what it can use over shipping.recipient_stock_days: it does not press a late supplier.
    bool stores_full(CountryId buyer, const DayExchange& exchange) const;
    void classify(Date today, std::size_t record, ContractRecord& rec);
    bool worth_leaving(Date today, std::size_t record, const ContractRecord& rec) const;
    void leave_contract(Date today, std::size_t record, DayExchange& exchange, ContractBook& book, EventLog& log,
                        RandomEngine& rng);
    void run_scheduled_tenders(Date today, DayExchange& exchange, ContractBook& book, EventLog& log);
    double run_tender(Date today, const TenderRequest& request, ContractBook& book, EventLog& log);

    void refresh_market(Date today, const DayExchange& exchange, const ContractBook& book);
    std::vector<Offer> offers_for(Date today, CountryId buyer, double doses_wanted,
                                  std::optional<CountryId> excluded) const;
    double alternatives_share(Date today, CountryId buyer, CountryId supplier, double doses_missing) const;
    // Whether producer `producer_index` would offer to `buyer` today (not the buyer itself nor `excluded`).
    bool would_offer(Date today, std::size_t producer_index, CountryId buyer, std::optional<CountryId> excluded) const;
    Portfolio portfolio_of(CountryId buyer, const ContractBook& book) const;
    double unmet_need(CountryId buyer, const DayExchange& exchange, const ContractBook& book) const;
    Contract new_contract(Date today, CountryId buyer, const Offer& offer, double doses) const;
    void commit(std::size_t producer, double doses);
    RandomEngine& procurement_stream(Date today, CountryId buyer);

    void update_surge(DayExchange& exchange) const;
    void update_disinformation(Date today, DayExchange& exchange);
    void update_trust(DayExchange& exchange, const ContractBook& book) const;
    void update_influence(const DayExchange& exchange, const ContractBook& book);
    void record(Date today, const ContractBook& book, Recorder& recorder, std::vector<DiplomacyRow>& rows,
                const DayExchange& exchange) const;
    void log_event(EventLog& log, Date today, const char* kind, const ContractRecord& record, double value,
                   std::string detail) const;

    const World& world_;
    std::uint64_t seed_;
    std::size_t countries_ = 0;
    std::vector<double> population_;
    double world_population_ = 0.0;
    std::vector<bool> produces_;  // countries with a site: they supply and do not tender

    std::vector<CredibilityRecord> credibility_;  // [buyer][supplier]
    std::vector<double> influence_stock_;         // [supplier][recipient]: need-weighted doses per 100 people
    std::vector<std::vector<double>> exposure_;   // [country][product]
    std::vector<ContractTrack> tracks_;           // per book record

    std::vector<Producer> producers_;
    std::vector<int> producer_of_;  // [supplier][product] -> index into producers_, -1 when none
    std::vector<std::optional<CountryId>> product_origin_;  // per product: the developer's country
    // Per producer, kept up to date through the day: estimated doses a day, doses promised and not yet shipped
    // (contracts and the home programme over the horizon), and what is left free over the horizon.
    std::vector<double> doses_per_day_;
    std::vector<double> queued_doses_;
    std::vector<double> free_doses_;
    std::vector<std::optional<RandomEngine>> procurement_streams_;  // per buyer, today's
    std::optional<Date> last_step_;
    Date today_;  // the day being stepped
};

}  // namespace doseflow::diplomacy
