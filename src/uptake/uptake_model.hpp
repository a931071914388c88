#pragma once
// Stage 5 of the day (docs/architecture.md) and the hesitancy part of stage 7: each country takes arriving lots into its
// cold chain, gives doses up to its daily capacity (due next doses first, then first doses to willing, eligible
// people in priority order), and its willingness moves with fear, trust and disinformation.
// See docs/model/uptake.md for the equations and the sources of the defaults.
#include <array>
#include <deque>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "uptake/cold_chain.hpp"
#include "uptake/eligibility.hpp"
#include "world/exchange.hpp"
#include "world/world.hpp"

namespace doseflow::uptake {

// Doses of one product (one component, or all components together) in one country since the start.
// received = administered + wasted + stock + shared at all times.
struct DoseAccount {
    double received_doses = 0.0;
    double administered_doses = 0.0;  // doses that reached an arm (open-vial losses are wasted, not administered)
    double wasted_doses = 0.0;        // every reason
    double stock_doses = 0.0;
    double shared_doses = 0.0;        // given away to other countries (dose sharing)
};

class UptakeModel {
public:
    // Throws std::invalid_argument when a country's age-band vectors do not match World::age_band_lower.
    explicit UptakeModel(const World& world);

    // Cold-chain intake of today's arrivals (stage 4's end): each lot into a store of a class that keeps it, up to
    // capacity; the rest is wasted (reason cold_chain, also added to the contract's wasted_doses). Lots that have
    // expired in store are wasted (reason expired). Throws std::invalid_argument for an arrival naming no valid
    // recipient, product or component.
    void receive(Date today, const std::vector<Arrival>& arrivals, ContractBook& book, Recorder& recorder);

    // Moves each country's willingness (per band and product) one day toward its target from fear
    // (exchange.epidemic[c].deaths_per_million_7d), trust and disinformation (exchange.diplomacy; empty vectors
    // mean trust 1 and no disinformation).
    // Active mandates add to the log-odds of the ages they touch and give some of the unwilling fake certificates.
    void update_hesitancy(Date today, const DayExchange& exchange);

    // Gives today's doses; replaces exchange.vaccinations with them and exchange.uptake with each country's signal.
    void administer(Date today, DayExchange& exchange, Recorder& recorder);

    // Per band: the share willing to take at least one product of the country's portfolio (contracted or
    // received products; with none yet, a fully trusted product without disinformation).
    const std::vector<double>& willing_share(CountryId country) const;
    // Per band: the share willing to take this product.
    const std::vector<double>& willing_share(CountryId country, ProductId product) const;

    // ---- accounting, for invariant checks and reports
    DoseAccount account(CountryId country, ProductId product, int component) const;
    DoseAccount account(CountryId country, ProductId product) const;  // all components
    double wasted_doses(CountryId country, ProductId product, WastageReason reason) const;
    double stock_doses(CountryId country) const;
    double people_dose1(CountryId country) const;  // received at least one dose
    double people_full(CountryId country) const;   // completed a course
    double reported_people_full(CountryId country) const;  // people_full with fraudulent certificates
    double people_boosted(CountryId country) const;  // received at least one booster
    double fake_certificates(CountryId country) const;  // people holding a fake certificate from a mandate
    double shared_in_transit_doses() const;  // offered surplus on its way to recipients
    // People past the recommended interval whose next dose has not been given by `today`'s administration.
    double overdue_next_dose(CountryId country, Date today) const;
    const std::vector<double>& people_dose1_by_band(CountryId country) const;
    const std::vector<double>& people_full_by_band(CountryId country) const;
    const std::vector<double>& population_by_band(CountryId country) const;
    const std::vector<double>& eligible_by_band(CountryId country) const;  // for the product allowed youngest
    const std::vector<double>& eligible_by_band(CountryId country, ProductId product) const;
    const ColdChain& cold_chain(CountryId country) const;

private:
    // People who received `doses` doses of a course on the same day and wait for the next.
    struct WaitingCohort {
        Date last_dose;
        std::vector<double> people_by_band;
        double people = 0.0;
    };
    struct CourseProgress {
        std::vector<std::deque<WaitingCohort>> waiting;  // [doses received - 1], for doses 1 .. course length - 1
        bool started = false;
    };
    struct DatedCohort {
        Date date;
        std::vector<double> people_by_band;
    };
    // Completed courses waiting for a booster, and boosted people waiting for another (docs/model/uptake.md,
    // "Boosters").
    struct BoosterState {
        std::vector<std::deque<DatedCohort>> completions;  // [course product]: completed less than the interval ago
        std::vector<std::vector<double>> matured;          // [course product][band]: completed at least that long ago
        std::vector<std::vector<double>> boosted;          // [course product][band]: of those, boosted
        std::deque<DatedCohort> boosted_cohorts;           // boosted less than repeat_days ago
        std::vector<double> due_again;                     // [band]: boosted long enough ago to take another
        std::vector<double> people_boosted_by_band;
    };
    struct ProductAccount {
        std::vector<double> received;                                  // [component]
        std::vector<double> administered;                              // [component]
        std::vector<double> shared;                                    // [component]: given to other countries
        std::vector<double> use_today;                                 // [component]: doses drawn today
        std::vector<double> use_per_day;                               // [component]: recent mean of use_today
        std::array<std::vector<double>, wastage_reason_count> wasted;  // [reason][component]
        bool ever_received = false;
    };
    // Today's doses, by the product of the course being given (epidemic) and by the product whose stock was used.
    struct DayTally {
        std::vector<std::vector<std::vector<double>>> people;  // [course product][dose - 1][band]
        std::vector<double> dose1_doses;                       // [stock product]
        std::vector<double> later_doses;                       // [stock product]
        std::vector<double> booster_doses;                     // [stock product]
        std::vector<std::vector<double>> shared_given;         // [product][component]
        std::vector<std::vector<double>> shared_received;      // [product][component]
        std::vector<std::array<std::vector<double>, wastage_reason_count>> wasted;  // [product][reason][component]
    };
    struct CountryState {
        explicit CountryState(ColdChain stores) : cold_chain(std::move(stores)) {}
        ColdChain cold_chain;
        std::vector<double> population_by_band;
        std::vector<double> eligible_by_band;                 // [band]: for the product allowed youngest
        std::vector<std::vector<double>> eligible_by_product;  // [product][band]
        std::vector<int> min_age_by_product;                   // [product]
        std::size_t next_expansion = 0;                        // into expansions_[country]
        std::vector<double> health_workers_by_band;
        std::vector<double> dose1_by_band;
        std::vector<double> full_by_band;
        std::vector<double> health_workers_dose1_by_band;
        std::vector<CourseProgress> courses;  // [product]
        std::vector<ProductAccount> accounts;  // [product]
        std::vector<double> baseline_willing;  // [band]: willing with no deaths, full trust, no disinformation
        std::vector<double> baseline_log_odds;  // [band]: log-odds of baseline_willing (infinite at 0 and 1)
        std::vector<std::vector<double>> willing_by_product;  // [product][band]
        std::vector<double> willing_generic;                  // [band]: a fully trusted product
        std::vector<double> willing;                          // [band]: the portfolio's best
        std::vector<char> in_portfolio;                       // [product]
        std::vector<double> mandate_log_odds;                 // [band]: today's mandates
        std::vector<double> fake_certificates_by_band;
        BoosterState boosters;
        DayTally tally;
        bool population_recorded = false;
    };

    const Country& country_of(std::size_t c) const { return world_->countries[c]; }
    void init_country(std::size_t c);
    void check_arrival(const Arrival& arrival) const;
    void expire_lots(std::size_t c, Date today);
    double take_in(CountryState& state, const Lot& lot, Date today);
    void refresh_willing(CountryState& state) const;
    double dispense(CountryState& state, ProductId product, int component, double people);
    void move_people(CountryState& state, ProductId course_product, int doses_received,
                     const std::vector<double>& moved_by_band, Date today);
    double give_due_doses(std::size_t c, Date today, double capacity_doses);
    double give_first_doses(std::size_t c, Date today, double capacity_doses);
    double first_dose_supply(const CountryState& state, ProductId product, SecondDosePolicy policy) const;
    double due_interval_days(ProductId product) const;
    double reserved_people(const CountryState& state, ProductId product, int component) const;
    void widen_eligibility(std::size_t c, Date today);
    void set_eligible(CountryState& state, std::size_t c) const;
    const BoosterProgramme* booster_programme(std::size_t c, Date today) const;
    void mature_completions(CountryState& state, const BoosterProgramme& programme, Date today) const;
    double booster_supply(const CountryState& state, ProductId product, SecondDosePolicy policy) const;
    double give_boosters(std::size_t c, Date today, double capacity_doses, const BoosterProgramme& programme);
    void update_mandates(std::size_t c, Date today);
    void share_surplus(Date today);
    void deliver_transfers(Date today);
    double absorbable_doses(std::size_t c, ProductId product, int component, Date today, double pending) const;
    double overdue(const CountryState& state, ProductId product, Date today) const;
    UptakeSignal signal(std::size_t c, Date today) const;
    void flush_wastage(std::size_t c, Date today, Recorder& recorder);
    void record_levels(std::size_t c, Date today, Recorder& recorder);
    void reset_tally(DayTally& tally) const;

    const World* world_;
    std::vector<CountryState> countries_;
    std::vector<std::vector<PriorityGroup>> priority_groups_;  // [country]
    std::vector<std::vector<const EligibilityExpansion*>> expansions_;  // [country], by date
    std::vector<std::vector<const BoosterProgramme*>> programmes_;      // [country], by start
    std::vector<std::vector<const Mandate*>> mandates_;                 // [country]
    std::vector<std::vector<const SubstitutionRule*>> substitutions_;   // [country], in the scenario's order
    // Offered surplus on its way to a recipient.
    struct Transfer {
        Date arrival;
        CountryId donor;
        CountryId recipient;
        Lot lot;
    };
    std::vector<Transfer> transfers_;
    std::vector<char> donors_;  // [country]
    double relaxation_per_day_ = 1.0;
    std::vector<double> targets_;  // scratch of update_hesitancy: willingness targets per band
};

}  // namespace doseflow::uptake
