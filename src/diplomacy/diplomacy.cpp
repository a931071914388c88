#include "diplomacy/diplomacy.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include <boost/random/uniform_real_distribution.hpp>

#include "diplomacy/alignment.hpp"
#include "diplomacy/escalation.hpp"
#include "diplomacy/signals.hpp"

namespace doseflow::diplomacy {

namespace {

std::size_t ring_slot(Date day, std::size_t ring_size) {
    const auto n = static_cast<std::int64_t>(ring_size);
    return static_cast<std::size_t>(((day.days_since_1970() % n) + n) % n);
}

// Cumulative doses due by `date` under a tranche plan.
double scheduled_due(const Contract& terms, Date date) {
    double due = 0.0;
    for (const Tranche& tranche : terms.schedule) {
        if (tranche.due > date) break;
        due = tranche.cumulative_doses;
    }
    return due;
}

bool is_monday(Date date) { return date.week_start() == date; }

constexpr std::string_view influence_metric = "influence_world";
constexpr std::string_view surge_metric = "domestic_share_boost";
constexpr double doses_complete_tolerance = 1e-9;  // relative: floating sums of deliveries
// A buyer judges its supplier's current pace by the deliveries of the last month (docs/model/diplomacy.md).
constexpr int pace_days = 30;

}  // namespace

DiplomacyModel::DiplomacyModel(const World& world, std::uint64_t seed)
    : world_(world), seed_(seed), countries_(world.countries.size()) {
    const DiplomacyParameters& p = world.diplomacy;
    population_.reserve(countries_);
    for (const Country& c : world.countries) population_.push_back(c.population());
    for (double people : population_) world_population_ += people;

    credibility_.reserve(countries_ * countries_);
    for (std::size_t b = 0; b < countries_; ++b)
        for (std::size_t s = 0; s < countries_; ++s)
            credibility_.emplace_back(prior(CountryId(b), CountryId(s)), p.credibility_memory_days, p.miss_weight);
    influence_stock_.assign(countries_ * countries_, 0.0);
    exposure_.assign(countries_, std::vector<double>(world.products.size(), 0.0));

    producers_ = find_producers(world);
    produces_.assign(countries_, false);
    producer_of_.assign(countries_ * world.products.size(), -1);
    for (std::size_t k = 0; k < producers_.size(); ++k) {
        produces_[producers_[k].supplier.value()] = true;
        producer_of_[producers_[k].supplier.value() * world.products.size() + producers_[k].product.value()] =
            static_cast<int>(k);
    }
    doses_per_day_.assign(producers_.size(), 0.0);
    queued_doses_.assign(producers_.size(), 0.0);
    free_doses_.assign(producers_.size(), 0.0);
    for (const Product& product : world.products) product_origin_.push_back(world.find_country(product.origin));
}

double DiplomacyModel::prior(CountryId buyer, CountryId supplier) const {
    const DiplomacyParameters& p = world_.diplomacy;
    const double a = alignment(world_.country(buyer), world_.country(supplier));
    return aligned_prior(p.credibility_prior, p.credibility_alignment_weight, a);
}

bool DiplomacyModel::is_bilateral(const ContractRecord& record) {
    const Contract& t = record.terms;
    return (t.kind == ContractKind::sale || t.kind == ContractKind::donation) && t.recipient.valid() &&
           t.supplier.valid() && t.recipient != t.supplier;
}

double DiplomacyModel::credibility(CountryId buyer, CountryId supplier) const {
    return credibility_[pair_index(buyer, supplier)].value();
}

double DiplomacyModel::influence(CountryId supplier, CountryId recipient) const {
    return credibility(recipient, supplier) * influence_stock_[pair_index(supplier, recipient)];
}

double DiplomacyModel::world_influence(CountryId supplier) const {
    if (world_population_ <= 0.0) return 0.0;
    double weighted = 0.0;
    for (std::size_t r = 0; r < countries_; ++r) weighted += population_[r] * influence(supplier, CountryId(r));
    return weighted / world_population_;
}

// ------------------------------------------------------------------------------------------------------ the day
void DiplomacyModel::step(Date today, DayExchange& exchange, ContractBook& book, EventLog& log, Recorder& recorder,
                          std::vector<DiplomacyRow>& rows) {
    assert(!last_step_ || today == *last_step_ + 1);  // the due-dose memory counts days
    assert(exchange.uptake.size() == countries_ && exchange.epidemic.size() == countries_);
    today_ = today;
    size_signals(exchange);
    track_new_records(book);
    remember_due(today, book);
    update_credibility(book);
    procurement_streams_.assign(countries_, std::nullopt);
    refresh_market(today, exchange, book);
    escalate(today, exchange, book, log);
    run_scheduled_tenders(today, exchange, book, log);
    update_surge(exchange);
    update_disinformation(today, exchange);
    update_trust(exchange, book);
    update_influence(exchange, book);
    record(today, book, recorder, rows, exchange);
    last_step_ = today;
}

void DiplomacyModel::size_signals(DayExchange& exchange) const {
    DiplomacySignal& signal = exchange.diplomacy;
    signal.domestic_share_boost.resize(countries_, 0.0);
    const std::size_t products = world_.products.size();
    if (signal.trust.size() != countries_) signal.trust.assign(countries_, std::vector<double>(products, 1.0));
    if (signal.disinformation.size() != countries_)
        signal.disinformation.assign(countries_, std::vector<double>(products, 0.0));
}

// ------------------------------------------------------------------------------------------------- credibility
void DiplomacyModel::track_new_records(const ContractBook& book) {
    const std::size_t ring = static_cast<std::size_t>(world_.diplomacy.delivery_grace_days) + 1;
    while (tracks_.size() < book.size()) {
        const ContractRecord& record = book.records[tracks_.size()];
        ContractTrack track;
        // Doses already due when first seen were due before: the memory starts full of them.
        track.due_ring.assign(ring, record.due_doses);
        track.delivered_seen = record.delivered_doses;
        track.delivered_ring.assign(pace_days + 1, record.served_doses());
        tracks_.push_back(std::move(track));
    }
}

void DiplomacyModel::remember_due(Date today, const ContractBook& book) {
    for (std::size_t i = 0; i < book.size(); ++i) {
        auto& ring = tracks_[i].due_ring;
        ring[ring_slot(today, ring.size())] = book.records[i].due_doses;
        auto& delivered = tracks_[i].delivered_ring;
        delivered[ring_slot(today, delivered.size())] = book.records[i].served_doses();
    }
}

// Doses due delivery_grace_days ago: from the tranche plan where there is one, otherwise from what the book said
// (the supply stage stops raising the due doses of a contract the buyer left).
double DiplomacyModel::lagged_due(std::size_t record, const ContractRecord& rec) const {
    const int grace_days = world_.diplomacy.delivery_grace_days;
    // A contract the buyer left owes what it owed then.
    const Date as_of = rec.active() ? today_ : std::min(today_, rec.status_since);
    if (!rec.terms.as_available && !rec.terms.schedule.empty()) return scheduled_due(rec.terms, as_of - grace_days);
    const auto& ring = tracks_[record].due_ring;
    // The slot after today's holds the value written delivery_grace_days ago.
    return ring[(ring_slot(today_, ring.size()) + 1) % ring.size()];
}

void DiplomacyModel::update_credibility(const ContractBook& book) {
    // Per (buyer, supplier): doses due after the grace period and the part of them delivered, over all their
    // bilateral contracts, finished or not (a cancelled contract's shortfall stays on the record, a completed
    // contract's deliveries too); a contract ahead of schedule does not make up for another one behind.
    std::map<std::size_t, std::pair<double, double>> due_and_kept;
    for (std::size_t i = 0; i < book.size(); ++i) {
        const ContractRecord& rec = book.records[i];
        if (!is_bilateral(rec)) continue;
        const double due = lagged_due(i, rec);
        if (due <= 0.0) continue;
        auto& entry = due_and_kept[pair_index(rec.terms.recipient, rec.terms.supplier)];
        entry.first += due;
        entry.second += std::min(rec.served_doses(), due);
    }
    for (const auto& [pair, entry] : due_and_kept)
        credibility_[pair].observe(std::clamp(entry.second / entry.first, 0.0, 1.0));
}

// -------------------------------------------------------------------------------------------------- escalation
bool DiplomacyModel::stores_full(CountryId buyer, const DayExchange& exchange) const {
    const int days = world_.shipping.recipient_stock_days;
    if (days <= 0 || exchange.uptake.size() != world_.countries.size()) return false;
    // The supply stage's rule for what a recipient takes (docs/model/supply.md, "Recipients' room"), without the
    // doses on their way, which diplomacy does not see.
    const UptakeSignal& signal = exchange.uptake[buyer.value()];
    return signal.stock_doses >= signal.usable_doses();
}

void DiplomacyModel::escalate(Date today, DayExchange& exchange, ContractBook& book, EventLog& log) {
    const DiplomacyParameters& p = world_.diplomacy;
    const std::size_t existing = book.size();  // contracts signed today start tomorrow
    for (std::size_t i = 0; i < existing; ++i) {
        ContractRecord& rec = book.records[i];
        if (rec.terms.kind == ContractKind::licence || !rec.active() || rec.status == ContractStatus::completed)
            continue;
        // COVAX deals and donations have no buyer to escalate: they are on track, late or completed.
        if (rec.terms.kind != ContractKind::sale || !is_bilateral(rec)) {
            classify(today, i, rec);
            continue;
        }
        if (rec.terms.doses > 0.0 && rec.served_doses() >= rec.terms.doses * (1.0 - doses_complete_tolerance)) {
            rec.status = ContractStatus::completed;
            rec.status_since = today;
            tracks_[i].late_since.reset();
            continue;
        }
        const double due = lagged_due(i, rec);
        const double shortfall = std::max(0.0, due - rec.served_doses());
        const double shortfall_share = due > 0.0 ? shortfall / due : 0.0;
        const bool behind = shortfall_share > p.late_shortfall_share;
        if (!behind) {
            if (is_escalated(rec.status)) {
                rec.status = ContractStatus::on_track;
                rec.status_since = today;
                tracks_[i].late_since.reset();
                log_event(log, today, "recovered", rec, rec.served_doses(), "deliveries caught up with the schedule");
            }
            continue;
        }
        if (rec.status == ContractStatus::on_track) {
            rec.status = ContractStatus::late;
            rec.status_since = today;
            tracks_[i].late_since = today;
            log_event(log, today, "late", rec, shortfall, "doses due and not delivered");
            continue;
        }
        const CountryId buyer = rec.terms.recipient;
        const CountryId supplier = rec.terms.supplier;
        if (stores_full(buyer, exchange)) continue;  // it deferred the doses itself: nothing to press for
        EscalationInputs inputs;
        inputs.shortfall_share = shortfall_share;
        inputs.days_late = tracks_[i].late_since ? static_cast<double>(today - *tracks_[i].late_since) : 0.0;
        inputs.prepaid_share = prepaid_share(rec.terms);
        inputs.alignment = alignment(world_.country(buyer), world_.country(supplier));
        inputs.alternatives =
            alternatives_share(today, buyer, supplier, std::max(0.0, rec.terms.doses - rec.served_doses()));
        const double hazard = escalation_hazard_per_day(p, inputs);
        RandomEngine rng =
            make_stream(seed_, i, StreamPurpose::escalation, static_cast<std::uint64_t>(today.days_since_1970()));
        boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
        if (uniform(rng) >= daily_step_probability(hazard)) continue;

        const auto next = next_escalation(rec.status);
        if (!next) {
            if (worth_leaving(today, i, rec)) leave_contract(today, i, exchange, book, log, rng);
            continue;
        }
        rec.status = *next;
        rec.status_since = today;
        if (*next == ContractStatus::public_complaint) {
            log_event(log, today, "public_complaint", rec, shortfall, "buyer complains in public about missed doses");
            continue;
        }
        const double claim_usd = refundable_usd(rec);
        log_event(log, today, "refund_demand", rec, claim_usd, "deliver or return the prepayment");
        if (claim_usd > 0.0 && uniform(rng) < p.refund_success_probability) {
            rec.refunded_usd += claim_usd;
            log_event(log, today, "refund", rec, claim_usd, "prepayment returned for undelivered doses");
        }
    }
}

void DiplomacyModel::classify(Date today, std::size_t record, ContractRecord& rec) {
    const DiplomacyParameters& p = world_.diplomacy;
    ContractStatus status = ContractStatus::on_track;
    if (rec.terms.doses > 0.0 && rec.served_doses() >= rec.terms.doses * (1.0 - doses_complete_tolerance)) {
        status = ContractStatus::completed;
    } else {
        const double due = lagged_due(record, rec);
        const double shortfall = std::max(0.0, due - rec.served_doses());
        if (due > 0.0 && shortfall / due > p.late_shortfall_share) status = ContractStatus::late;
    }
    if (status == rec.status) return;
    rec.status = status;
    rec.status_since = today;
}

// At the end of the ladder the buyer compares what it could get elsewhere over the procurement horizon (each
// alternative's free capacity, discounted by the buyer's credibility of its supplier) with what its supplier
// brings at the pace of the last month; it leaves only for a clear gain (switch_advantage).
bool DiplomacyModel::worth_leaving(Date today, std::size_t record, const ContractRecord& rec) const {
    const DiplomacyParameters& p = world_.diplomacy;
    const double missing = std::max(0.0, rec.terms.doses - rec.served_doses());
    if (missing <= 0.0) return false;
    const auto& ring = tracks_[record].delivered_ring;
    const double month_ago = ring[(ring_slot(today, ring.size()) + 1) % ring.size()];
    const double pace_per_day = std::max(0.0, rec.served_doses() - month_ago) / pace_days;
    const double staying = std::min(missing, pace_per_day * p.procurement_horizon_days);
    double elsewhere = 0.0;
    for (const Offer& offer : offers_for(today, rec.terms.recipient, missing, rec.terms.supplier))
        elsewhere += credibility(rec.terms.recipient, offer.supplier) * free_doses_[offer.producer];
    elsewhere = std::min(missing, elsewhere);
    return elsewhere > p.switch_advantage * staying;
}

void DiplomacyModel::leave_contract(Date today, std::size_t record, DayExchange& exchange, ContractBook& book,
                                    EventLog& log, RandomEngine& rng) {
    const DiplomacyParameters& p = world_.diplomacy;
    // Cancel first, so that the buyer's unmet need counts the doses this contract will no longer bring.
    book.records[record].status = ContractStatus::cancelled;
    book.records[record].status_since = today;
    const ContractRecord& rec = book.records[record];
    const CountryId buyer = rec.terms.recipient;
    const CountryId supplier = rec.terms.supplier;
    const double missing = std::max(0.0, rec.terms.doses - rec.served_doses());
    const double wanted = std::min(missing, unmet_need(buyer, exchange, book));
    const double replaced = wanted > 0.0 ? run_tender(today, {buyer, wanted, supplier}, book, log) : 0.0;

    ContractRecord& left = book.records[record];  // the tender may have grown the book
    boost::random::uniform_real_distribution<double> uniform(0.0, 1.0);
    if (replaced > 0.0) {
        left.status = ContractStatus::switched;
        log_event(log, today, "switched", left, replaced, "missing doses contracted from another supplier");
    } else {
        log_event(log, today, "cancelled", left, missing, "buyer leaves the contract");
    }
    const double claim_usd = refundable_usd(left);
    if (claim_usd > 0.0 && uniform(rng) < p.refund_success_probability) {
        left.refunded_usd += claim_usd;
        log_event(log, today, "refund", left, claim_usd, "prepayment returned on leaving the contract");
    }
}

// ------------------------------------------------------------------------------------------------- procurement
void DiplomacyModel::refresh_market(Date today, const DayExchange& exchange, const ContractBook& book) {
    const double horizon_days = world_.diplomacy.procurement_horizon_days;
    const std::size_t products = world_.products.size();
    std::vector<double> home_doses_per_day(countries_, 0.0);
    for (std::size_t k = 0; k < producers_.size(); ++k) {
        doses_per_day_[k] = estimated_producer_doses_per_day(world_, producers_[k], today);
        home_doses_per_day[producers_[k].supplier.value()] += doses_per_day_[k];
        queued_doses_[k] = 0.0;
    }
    for (const ContractRecord& rec : book.records) {
        const Contract& t = rec.terms;
        if (!rec.active() || t.kind == ContractKind::licence || !t.supplier.valid()) continue;
        const int k = producer_of_[t.supplier.value() * products + t.product.value()];
        if (k >= 0) queued_doses_[static_cast<std::size_t>(k)] += std::max(0.0, t.doses - rec.shipped_doses);
    }
    for (std::size_t k = 0; k < producers_.size(); ++k) {
        const std::size_t home = producers_[k].supplier.value();
        const UptakeSignal& signal = exchange.uptake[home];
        // The home programme takes what it can give over the horizon, shared over the home products by capacity.
        const double home_use = std::min(std::max(0.0, signal.doses_needed - signal.stock_doses),
                                         std::max(0.0, signal.admin_capacity_doses_per_day) * horizon_days);
        const double home_share = home_doses_per_day[home] > 0.0 ? doses_per_day_[k] / home_doses_per_day[home] : 0.0;
        queued_doses_[k] += std::max(0.0, home_use) * home_share;
        free_doses_[k] = std::max(0.0, doses_per_day_[k] * horizon_days - queued_doses_[k]);
    }
}

void DiplomacyModel::commit(std::size_t producer, double doses) {
    queued_doses_[producer] += doses;
    free_doses_[producer] = std::max(0.0, free_doses_[producer] - doses);
}

std::vector<Offer> DiplomacyModel::offers_for(Date today, CountryId buyer, double doses_wanted,
                                              std::optional<CountryId> excluded) const {
    std::vector<Offer> offers;
    const Country& buyer_country = world_.country(buyer);
    for (std::size_t k = 0; k < producers_.size(); ++k) {
        if (!would_offer(today, k, buyer, excluded)) continue;
        const Producer& producer = producers_[k];
        const Product& product = world_.product(producer.product);
        const Country& supplier_country = world_.country(producer.supplier);
        Offer offer;
        offer.supplier = producer.supplier;
        offer.product = producer.product;
        offer.producer = k;
        offer.price_usd_per_dose = product.price_usd_per_dose;
        const double makeable_share = doses_wanted > 0.0 ? std::min(1.0, free_doses_[k] / doses_wanted) : 0.0;
        offer.expected_delivery = credibility(buyer, producer.supplier) * makeable_share;
        offer.approved = product.has_stringent_approval(today);  // WHO EUL (from its date) or EMA
        offer.alignment = alignment(buyer_country, supplier_country);
        offer.bloc_access = share_trade_bloc(buyer_country, supplier_country);
        offers.push_back(offer);
    }
    return offers;
}

bool DiplomacyModel::would_offer(Date today, std::size_t producer_index, CountryId buyer,
                            std::optional<CountryId> excluded) const {
    const Producer& producer = producers_[producer_index];
    if (producer.supplier == buyer || (excluded && producer.supplier == *excluded)) return false;
    return may_sell_to(world_, producer, buyer, today) &&
           can_store(world_.country(buyer), world_.product(producer.product), today);
}

double DiplomacyModel::alternatives_share(Date today, CountryId buyer, CountryId supplier,
                                          double doses_missing) const {
    if (doses_missing <= 0.0) return 1.0;
    // The free doses of every producer that would make an offer (offers_for), without forming the offers.
    double free_elsewhere = 0.0;
    for (std::size_t k = 0; k < producers_.size(); ++k)
        if (would_offer(today, k, buyer, supplier)) free_elsewhere += free_doses_[k];
    return std::min(1.0, free_elsewhere / doses_missing);
}

Portfolio DiplomacyModel::portfolio_of(CountryId buyer, const ContractBook& book) const {
    Portfolio portfolio;
    portfolio.doses_by_supplier.assign(countries_, 0.0);
    for (const ContractRecord& rec : book.records) {
        if (!is_bilateral(rec) || !rec.active() || rec.terms.recipient != buyer) continue;
        portfolio.doses_by_supplier[rec.terms.supplier.value()] += rec.terms.doses;
        portfolio.total_doses += rec.terms.doses;
    }
    return portfolio;
}

double DiplomacyModel::unmet_need(CountryId buyer, const DayExchange& exchange, const ContractBook& book) const {
    double coming = 0.0;
    for (const ContractRecord& rec : book.records)
        if (is_bilateral(rec) && rec.active() && rec.terms.recipient == buyer)
            coming += std::max(0.0, rec.terms.doses - rec.served_doses());
    // doses_needed counts doses still to give: those in the buyer's stores and those on their way are covered.
    const UptakeSignal& signal = exchange.uptake[buyer.value()];
    return signal.doses_needed - signal.stock_doses - coming;
}

Contract DiplomacyModel::new_contract(Date today, CountryId buyer, const Offer& offer, double doses) const {
    const Product& product = world_.product(offer.product);
    const int horizon_days = world_.diplomacy.procurement_horizon_days;
    Contract terms;
    terms.kind = ContractKind::sale;
    terms.supplier = offer.supplier;
    terms.recipient = buyer;
    terms.product = offer.product;
    terms.doses = doses;
    terms.price_usd_per_dose = product.price_usd_per_dose;
    terms.prepaid_usd = 0.0;
    terms.signed_on = today;
    // The supplier promises deliveries behind what it has already promised: equal monthly tranches over the
    // horizon, the first a month after signing plus the time its estimated capacity needs to clear its queue
    // (at most two horizons when it has no capacity yet).
    const double rate = doses_per_day_[offer.producer];
    const double queue_days = rate > 0.0 ? queued_doses_[offer.producer] / rate : 2.0 * horizon_days;
    const Date first_due = today + 30 + static_cast<int>(std::min(queue_days, 2.0 * horizon_days));
    const int months = std::max(1, horizon_days / 30);
    for (int m = 0; m < months; ++m)
        terms.schedule.push_back({first_due + 30 * m, doses * static_cast<double>(m + 1) / static_cast<double>(months)});
    terms.as_available = false;
    terms.source = "procurement model";
    return terms;
}

RandomEngine& DiplomacyModel::procurement_stream(Date today, CountryId buyer) {
    auto& stream = procurement_streams_[buyer.value()];
    if (!stream)
        stream = make_stream(seed_, buyer.value(), StreamPurpose::procurement,
                             static_cast<std::uint64_t>(today.days_since_1970()));
    return *stream;
}

double DiplomacyModel::run_tender(Date today, const TenderRequest& request, ContractBook& book, EventLog& log) {
    const std::vector<Offer> offers = offers_for(today, request.buyer, request.doses, request.excluded);
    if (offers.empty()) return 0.0;
    const Portfolio portfolio = portfolio_of(request.buyer, book);
    const auto awards =
        award_tender(world_.diplomacy, offers, portfolio, request.doses, procurement_stream(today, request.buyer));
    double signed_doses = 0.0;
    for (const Award& award : awards) {
        const Offer& offer = offers[award.offer];
        Contract terms = new_contract(today, request.buyer, offer, award.doses);
        terms.id = "proc-" + std::to_string(book.size()) + "-" + world_.country(request.buyer).code + "-" +
                   world_.country(offer.supplier).code + "-" + world_.product(offer.product).id;
        book.add(std::move(terms), world_.product(offer.product).component_count(), today);
        track_new_records(book);
        commit(offer.producer, award.doses);
        signed_doses += award.doses;
        log_event(log, today, "new_contract", book.records.back(), award.doses,
                  request.excluded ? "replaces a contract the buyer left" : "tender for unmet need");
    }
    return signed_doses;
}

void DiplomacyModel::run_scheduled_tenders(Date today, DayExchange& exchange, ContractBook& book, EventLog& log) {
    const int interval = world_.diplomacy.tender_interval_days;
    const int day = today - world_.simulation.start;
    for (std::size_t b = 0; b < countries_; ++b) {
        if (produces_[b]) continue;  // producing countries supply themselves first and do not tender
        // Buyers' tender days are spread over the interval.
        if (((day % interval) + interval) % interval != static_cast<int>(b % static_cast<std::size_t>(interval)))
            continue;
        const double need = unmet_need(CountryId(b), exchange, book);
        if (need > 0.0) run_tender(today, {CountryId(b), need, std::nullopt}, book, log);
    }
}

// -------------------------------------------------------------------------------------- signals to the others
void DiplomacyModel::update_surge(DayExchange& exchange) const {
    const double scale = world_.diplomacy.surge_deaths_per_million_scale;
    for (std::size_t c = 0; c < countries_; ++c) {
        const SupplierPolicy* policy = world_.supplier_policy(CountryId(c));
        const double response = policy ? policy->surge_response : 0.0;
        exchange.diplomacy.domestic_share_boost[c] =
            domestic_share_boost(response, exchange.epidemic[c].reported_deaths_per_million_7d, scale);
    }
}

void DiplomacyModel::update_disinformation(Date today, DayExchange& exchange) {
    const double retention = std::exp(-1.0 / world_.diplomacy.disinformation_memory_days);
    for (auto& row : exposure_)
        for (double& e : row) e *= retention;
    for (const DisinformationCampaign& campaign : world_.diplomacy.campaigns) {
        if (!campaign_active(campaign, today)) continue;
        for (std::size_t c = 0; c < countries_; ++c) {
            if (!campaign_targets(campaign, CountryId(c))) continue;
            for (ProductId product : campaign.products)
                if (product.value() < exposure_[c].size()) exposure_[c][product.value()] += campaign.intensity;
        }
    }
    exchange.diplomacy.disinformation = exposure_;
}

void DiplomacyModel::update_trust(DayExchange& exchange, const ContractBook& book) const {
    const std::size_t products = world_.products.size();
    // Trust in a product follows the credibility of the suppliers it is contracted from, weighted by ordered
    // doses; without a contract, that of the country that developed it.
    std::vector<double> weight(countries_ * products, 0.0);
    std::vector<double> weighted_trust(countries_ * products, 0.0);
    for (const ContractRecord& rec : book.records) {
        if (!is_bilateral(rec) || !rec.active() || rec.terms.doses <= 0.0) continue;
        const CountryId c = rec.terms.recipient;
        const CountryId s = rec.terms.supplier;
        const std::size_t slot = c.value() * products + rec.terms.product.value();
        weight[slot] += rec.terms.doses;
        weighted_trust[slot] += rec.terms.doses * trust_from_credibility(credibility(c, s), prior(c, s));
    }
    for (std::size_t c = 0; c < countries_; ++c) {
        for (std::size_t p = 0; p < products; ++p) {
            const std::size_t slot = c * products + p;
            double trust = 1.0;
            if (weight[slot] > 0.0) {
                trust = weighted_trust[slot] / weight[slot];
            } else if (const auto origin = product_origin_[p]; origin && origin->value() != c) {
                trust = trust_from_credibility(credibility(CountryId(c), *origin), prior(CountryId(c), *origin));
            }
            exchange.diplomacy.trust[c][p] = trust;
        }
    }
}

void DiplomacyModel::update_influence(const DayExchange& exchange, const ContractBook& book) {
    const DiplomacyParameters& p = world_.diplomacy;
    const double retention = std::exp(-1.0 / p.influence_memory_days);
    for (double& stock : influence_stock_) stock *= retention;
    for (std::size_t i = 0; i < book.size(); ++i) {
        const ContractRecord& rec = book.records[i];
        const double arrived = rec.delivered_doses - tracks_[i].delivered_seen;
        tracks_[i].delivered_seen = rec.delivered_doses;
        if (!is_bilateral(rec) || arrived <= 0.0) continue;
        const std::size_t r = rec.terms.recipient.value();
        if (population_[r] <= 0.0) continue;
        // Doses count by how much the recipient still needed them: early doses weigh most.
        const Country& recipient = world_.countries[r];
        const double target_people = recipient.target_coverage * population_[r];
        const double need_share =
            target_people > 0.0 ? 1.0 - std::min(1.0, exchange.uptake[r].people_full / target_people) : 0.0;
        const double kind_weight = rec.terms.kind == ContractKind::donation ? p.donation_influence_weight : 1.0;
        influence_stock_[pair_index(rec.terms.supplier, rec.terms.recipient)] +=
            100.0 * arrived / population_[r] * need_share * kind_weight;
    }
}

// --------------------------------------------------------------------------------------------------- records
void DiplomacyModel::record(Date today, const ContractBook& book, Recorder& recorder, std::vector<DiplomacyRow>& rows,
                            const DayExchange& exchange) const {
    for (std::size_t s = 0; s < countries_; ++s) {
        if (!produces_[s]) continue;
        const auto country = static_cast<std::int32_t>(s);
        recorder.level(today, SeriesKey{country, -1, -1, influence_metric, {}}, world_influence(CountryId(s)));
        recorder.level(today, SeriesKey{country, -1, -1, surge_metric, {}}, exchange.diplomacy.domestic_share_boost[s]);
    }
    // diplomacy.csv is weekly: one row per pair on Mondays keeps the file small.
    if (!is_monday(today)) return;
    std::vector<std::pair<CountryId, CountryId>> pairs;  // (buyer, supplier)
    for (const ContractRecord& rec : book.records) {
        const Contract& t = rec.terms;
        if (t.kind == ContractKind::covax || !t.recipient.valid() || !t.supplier.valid() || t.recipient == t.supplier)
            continue;
        pairs.emplace_back(t.recipient, t.supplier);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    for (const auto& [buyer, supplier] : pairs)
        rows.push_back({today, buyer, supplier, credibility(buyer, supplier), influence(supplier, buyer)});
}

void DiplomacyModel::log_event(EventLog& log, Date today, const char* kind, const ContractRecord& record,
                               double value, std::string detail) const {
    LoggedEvent event;
    event.date = today;
    event.kind = kind;
    event.supplier = world_.country(record.terms.supplier).code;
    event.recipient = world_.country(record.terms.recipient).code;
    event.contract = record.terms.id;
    event.product = world_.product(record.terms.product).id;
    event.value = value;
    event.detail = std::move(detail);
    log.add(std::move(event));
}

}  // namespace doseflow::diplomacy
