#pragma once
// What the daily stages hand each other. supply, uptake, epidemic and diplomacy never include each other: each
// reads and writes these structures, which the engine owns and passes along the day (docs/architecture.md, "One simulated day").
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/ids.hpp"
#include "world/world.hpp"

namespace doseflow {

// ------------------------------------------------------------------------------------------------- contract book
enum class ContractStatus { on_track, late, public_complaint, refund_demand, cancelled, switched, completed };
const char* to_string(ContractStatus value);

// One contract's terms and its running ledger. Contracts of the scenario come first, in scenario order; contracts
// signed during the run are appended, so a ContractId indexes this book, not World::contracts.
struct ContractRecord {
    Contract terms;
    // Due so far: by the schedule, or for an as_available contract by the pace its buyer expects
    // (expected_due_doses); never less than what has been shipped.
    double due_doses = 0.0;
    double shipped_doses = 0.0;    // left the supplier
    double delivered_doses = 0.0;  // arrived at the recipient, all components
    std::vector<double> delivered_by_component;  // per product component
    std::vector<double> shipped_by_component;
    double wasted_doses = 0.0;     // lost in transit or refused on arrival
    // Doses of this order that the supplier shipped to a donation with donors on the buyer's behalf
    // (Contract::donors): they count as served, so they leave the order and the shortfall.
    double donated_doses = 0.0;
    double refunded_usd = 0.0;     // never more than terms.prepaid_usd
    ContractStatus status = ContractStatus::on_track;
    Date status_since;
    std::optional<Date> first_delivery;
    std::optional<Date> last_delivery;
    bool active() const { return status != ContractStatus::cancelled && status != ContractStatus::switched; }
    // Delivered to the buyer or donated out of its order on its behalf: what the buyer counts as served.
    double served_doses() const { return delivered_doses + donated_doses; }
    double outstanding_doses() const { return terms.doses - shipped_doses - donated_doses; }
    // The one definition of a shortfall (docs/model/supply.md): doses due by the record's date and not served
    // (delivered, or donated out of the order). The summary, the report, contracts.csv (and so the run database)
    // and the escalation ladder all use it.
    double shortfall_doses() const {
        return due_doses > served_doses() ? due_doses - served_doses() : 0.0;
    }
};

// What the buyer of an as_available contract expects to have received by `as_of`: nothing for
// `first_delivery_days` after signing, then the order at an even pace until `expected_days` after signing
// (docs/model/diplomacy.md, "Expected pace").
double expected_due_doses(const Contract& terms, Date as_of, int first_delivery_days, int expected_days);

struct ContractBook {
    std::vector<ContractRecord> records;
    ContractRecord& operator[](ContractId id) { return records[id.value()]; }
    const ContractRecord& operator[](ContractId id) const { return records[id.value()]; }
    ContractId add(Contract terms, int component_count, Date today);
    std::size_t size() const { return records.size(); }
};

// --------------------------------------------------------------------------------------------------- day flows
// A lot of doses that arrived at a recipient today (supply -> uptake).
struct Arrival {
    ContractId contract;
    CountryId supplier;
    CountryId recipient;
    ProductId product;
    int component = 0;  // 0-based
    double doses = 0.0;
    Date expiry;        // by the shelf life of the product's required storage class
};

// Doses given today (uptake -> epidemic): `people` received dose `dose_number` of `product` in `age_band`.
struct Vaccination {
    CountryId country;
    ProductId product;
    int dose_number = 1;  // 1-based; the course's last dose completes it
    int age_band = 0;
    double people = 0.0;
};

// Per country, what the home programme can use (uptake -> supply, diplomacy).
struct UptakeSignal {
    double admin_capacity_doses_per_day = 0.0;
    double stock_doses = 0.0;               // all products in the country's stores
    double unvaccinated_willing = 0.0;      // eligible, willing people without dose 1
    double people_dose1 = 0.0;
    double people_full = 0.0;
    double doses_needed = 0.0;              // doses to reach the procurement target from here
    // Doses its willing people would take from here: courses for the willing, eligible unvaccinated, the rest of
    // the courses begun, and, while a booster programme runs, a booster for the willing who are due one.
    double doses_wanted = 0.0;
    // Doses its planned administration capacity gives over the next shipping.recipient_stock_days days, from
    // today (none before its campaign starts): a country preparing a campaign stocks for the capacity it will
    // have, not for today's. 0 when no stock limit is set.
    double capacity_ahead_doses = 0.0;
    // Free room in its stores today, all temperature classes together (unlimited unless the uptake stage says).
    double cold_chain_free_doses = std::numeric_limits<double>::infinity();
    // Per product: free room today in the classes that keep it (empty: unlimited).
    std::vector<double> cold_chain_free_by_product;
    // What it can hold to use in its stock days: its capacity over them, no more than its people want, and no more
    // than its stores keep (docs/model/supply.md, "Recipients' room").
    double usable_doses() const {
        return std::min({capacity_ahead_doses, doses_wanted, stock_doses + cold_chain_free_doses});
    }
    // Per age band: the share willing to take a product of the country's portfolio (uptake -> epidemic, which
    // keeps its willing and unwilling streams at this share).
    std::vector<double> willing_share_by_band;
};

// Per country, the state of its epidemic (epidemic -> uptake, diplomacy, supply).
struct EpidemicSignal {
    double infections_today = 0.0;
    double deaths_today = 0.0;
    double deaths_per_million_7d = 0.0;  // mean daily deaths per million over the last 7 days
    double reported_deaths_per_million_7d = 0.0;  // the same for the deaths reported (death_reporting_ratio)
    double prevalence = 0.0;             // infectious share of the population
    double cumulative_deaths = 0.0;
};

// What diplomacy asks of the others.
struct DiplomacySignal {
    // Added to each supplier's domestic-priority share (indexed by country; 0 for non-suppliers).
    std::vector<double> domestic_share_boost;
    // Per recipient country and product: trust in the product (1 = full) and disinformation exposure (>= 0).
    std::vector<std::vector<double>> trust;          // [country][product]
    std::vector<std::vector<double>> disinformation;  // [country][product]
};

struct DayExchange {
    Date date;
    std::vector<Arrival> arrivals;          // today's
    std::vector<Vaccination> vaccinations;  // today's
    std::vector<UptakeSignal> uptake;       // per country, after today's administration
    std::vector<EpidemicSignal> epidemic;   // per country, after today's epidemic step
    DiplomacySignal diplomacy;              // persists day to day
    std::vector<double> world_prevalence_by_variant;
};

// ------------------------------------------------------------------------------------------------------ records
// Metrics are flows (summed over a reporting period) or levels (the value at its end).
enum class MetricKind { flow, level };

struct SeriesKey {
    std::int32_t country = -1;    // -1: world or not applicable
    std::int32_t product = -1;
    std::int32_t component = -1;  // -1: not applicable; >= 0 component index
    std::string_view metric;      // a string literal with static storage
    std::string_view tag;         // optional extra label for the component column (a wastage reason); static
    auto operator<=>(const SeriesKey&) const = default;
};

struct SeriesPoint {
    Date date;
    MetricKind kind = MetricKind::flow;  // beside the date: 64 bytes a point, not 72
    SeriesKey key;
    double value = 0.0;
};

// The recorded points, in blocks of a fixed size: growing never moves the points already kept, so a long run's
// tens of megabytes of points are neither copied nor held twice while a larger array is filled (a vector doubling
// at 38 MB held 113 MB at once).
class SeriesPoints {
public:
    static constexpr std::size_t block_points = 8192;

    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = SeriesPoint;
        using difference_type = std::ptrdiff_t;
        using pointer = const SeriesPoint*;
        using reference = const SeriesPoint&;
        const_iterator() = default;
        const_iterator(const SeriesPoints* points, std::size_t index) : points_(points), index_(index) {}
        reference operator*() const { return (*points_)[index_]; }
        pointer operator->() const { return &(*points_)[index_]; }
        const_iterator& operator++() {
            ++index_;
            return *this;
        }
        const_iterator operator++(int) {
            const_iterator before = *this;
            ++index_;
            return before;
        }
        bool operator==(const const_iterator& other) const { return index_ == other.index_; }

    private:
        const SeriesPoints* points_ = nullptr;
        std::size_t index_ = 0;
    };

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const SeriesPoint& operator[](std::size_t i) const { return blocks_[i / block_points][i % block_points]; }
    SeriesPoint& operator[](std::size_t i) { return blocks_[i / block_points][i % block_points]; }
    const SeriesPoint& back() const { return (*this)[size_ - 1]; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size_}; }
    void push_back(const SeriesPoint& point) {
        if (size_ == blocks_.size() * block_points) {
            blocks_.emplace_back();
            blocks_.back().reserve(block_points);
        }
        blocks_.back().push_back(point);
        ++size_;
    }
    void clear() {
        blocks_.clear();
        size_ = 0;
    }
    std::vector<SeriesPoint> to_vector() const { return {begin(), end()}; }

private:
    std::vector<std::vector<SeriesPoint>> blocks_;
    std::size_t size_ = 0;
};

struct SeriesKeyHash {
    std::size_t operator()(const SeriesKey& key) const noexcept;
};

// Values from every stage, aggregated as they arrive into reporting periods of `period_days` days counted from
// `start`: flows are summed over the period, a level keeps the last value recorded in it. Points carry the first
// day of their period and keep first-recorded order within it, so output is stable. Daily (period 1) by default;
// a weekly run keeps a seventh of the points in memory. A disabled recorder keeps nothing (counterfactual runs).
class Recorder {
public:
    Recorder() = default;
    Recorder(Date start, int period_days);
    static Recorder disabled();

    void flow(Date date, SeriesKey key, double value) { add(date, key, MetricKind::flow, value); }
    void level(Date date, SeriesKey key, double value) { add(date, key, MetricKind::level, value); }
    bool enabled() const { return enabled_; }
    int period_days() const { return period_days_; }
    // The first day of the reporting period holding `date`.
    Date period_of(Date date) const;
    const SeriesPoints& points() const { return points_; }
    // Forget every point (a harness streaming points away day by day).
    void clear() {
        points_.clear();
        slots_.clear();
        slots_used_ = 0;
        open_period_ = Date::from_days(-1);
        open_begin_ = previous_begin_ = previous_end_ = cursor_ = 0;
        indexed_ = false;
    }

private:
    void add(Date date, SeriesKey key, MetricKind kind, double value);
    static bool same_key(const SeriesKey& a, const SeriesKey& b) noexcept;
    // The index of the point holding `key` in the open period; else `candidate` is recorded as its index
    // (the caller adds that point) and `inserted` set.
    std::size_t find_or_insert(const SeriesKey& key, std::size_t candidate, bool& inserted);
    void rebuild_index(std::size_t keys);  // for at least `keys` keys, from the open period's points
    static void accumulate(SeriesPoint& point, MetricKind kind, double value) {
        if (kind == MetricKind::flow)
            point.value += value;
        else
            point.value = value;
    }

    bool enabled_ = true;
    Date start_ = Date::from_days(0);
    int period_days_ = 1;
    Date open_period_ = Date::from_days(-1);
    // Index of the open period's points by key: open addressing over point index + 1 (0: empty), reused from
    // period to period, so that indexing a week's thousands of keys allocates nothing.
    std::vector<std::size_t> slots_;
    std::size_t slots_used_ = 0;
    bool indexed_ = false;            // slots_ holds every point of the open period
    std::size_t open_begin_ = 0;      // first point of the open period
    std::size_t previous_begin_ = 0;  // points of the period before it
    std::size_t previous_end_ = 0;
    std::size_t cursor_ = 0;          // where the next key is expected, from open_begin_
    SeriesPoints points_;
};

struct LoggedEvent {
    Date date;
    std::string kind;  // escalation step, refund, cancellation, new_contract, export_ban, ...
    std::string supplier;
    std::string recipient;
    std::string contract;
    std::string product;
    double value = 0.0;
    std::string detail;
};

class EventLog {
public:
    void add(LoggedEvent event) { events_.push_back(std::move(event)); }
    const std::vector<LoggedEvent>& events() const { return events_; }

private:
    std::vector<LoggedEvent> events_;
};

// One row of deliveries.csv.
struct DeliveryRow {
    Date date;
    ContractId contract;
    CountryId supplier;
    CountryId recipient;
    ProductId product;
    int component = 0;
    double doses = 0.0;
};

// One row of diplomacy.csv.
struct DiplomacyRow {
    Date date;
    CountryId buyer;
    CountryId supplier;
    double credibility = 0.0;
    double influence = 0.0;
};

}  // namespace doseflow
