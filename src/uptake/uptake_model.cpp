#include "uptake/uptake_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "uptake/hesitancy.hpp"

namespace doseflow::uptake {

namespace {

double sum(const std::vector<double>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

std::int32_t key_of(std::size_t index) { return static_cast<std::int32_t>(index); }

// Number of doses of a course from dose index `from` (0-based) on that use `component`.
int remaining_uses(const Product& product, int from, int component) {
    return static_cast<int>(std::count(product.course.begin() + from, product.course.end(), component));
}

const std::vector<double>& checked_band_vector(const Country& country, const std::vector<double>& values,
                                               std::size_t band_count, const char* what) {
    if (values.size() != band_count)
        throw std::invalid_argument(fmt::format("country {}: {} has {} values; the world has {} age bands",
                                                country.code, what, values.size(), band_count));
    return values;
}

}  // namespace

UptakeModel::UptakeModel(const World& world) : world_(&world), relaxation_per_day_(relaxation_per_day(world.uptake)) {
    const auto count = world.countries.size();
    expansions_.resize(count);
    programmes_.resize(count);
    mandates_.resize(count);
    substitutions_.resize(count);
    for (const auto& expansion : world.uptake.eligibility)
        for (const CountryId id : expansion.countries) expansions_[id.value()].push_back(&expansion);
    for (const auto& programme : world.uptake.boosters)
        for (const CountryId id : programme.countries) programmes_[id.value()].push_back(&programme);
    for (const auto& mandate : world.uptake.mandates)
        for (const CountryId id : mandate.countries) mandates_[id.value()].push_back(&mandate);
    for (const auto& rule : world.uptake.substitutions)
        for (std::size_t c = 0; c < count; ++c)
            if (rule.applies_to(CountryId(c))) substitutions_[c].push_back(&rule);
    // Scenario lists are sorted by date; keep each country's in that order whatever the input order was.
    for (auto& list : expansions_)
        std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) { return a->date < b->date; });
    for (auto& list : programmes_)
        std::stable_sort(list.begin(), list.end(), [](const auto* a, const auto* b) { return a->start < b->start; });
    const auto& sharing = world.uptake.sharing;
    donors_.assign(count, sharing.enabled && sharing.donors.empty() ? 1 : 0);
    if (sharing.enabled)
        for (const CountryId id : sharing.donors) donors_[id.value()] = 1;
    countries_.reserve(count);
    for (std::size_t c = 0; c < count; ++c) init_country(c);
}

void UptakeModel::init_country(std::size_t c) {
    const Country& country = country_of(c);
    const auto bands = static_cast<std::size_t>(world_->age_band_count());
    const auto products = world_->products.size();
    CountryState state(ColdChain(country, world_->products));
    state.population_by_band = checked_band_vector(country, country.population_by_age, bands, "population_by_age");
    state.baseline_willing = country.willing_share_by_age.size() == 1
                                 ? std::vector<double>(bands, country.willing_share_by_age.front())
                                 : checked_band_vector(country, country.willing_share_by_age, bands,
                                                       "willing_share_by_age");

    for (const double share : state.baseline_willing) state.baseline_log_odds.push_back(log_odds(share));

    const int adult_min_age = std::max(adult_age_years, country.min_age_years);
    state.min_age_by_product.assign(products, country.min_age_years);
    set_eligible(state, c);
    for (std::size_t b = 0; b < bands; ++b) {
        const int band = static_cast<int>(b);
        const double population = state.population_by_band[b];
        // Health workers: a share of the adults, counted only at eligible ages.
        state.health_workers_by_band.push_back(country.health_worker_share * population *
                                               fraction_at_or_above(world_->age_band_lower, band, adult_min_age));
    }
    state.dose1_by_band.assign(bands, 0.0);
    state.full_by_band.assign(bands, 0.0);
    state.health_workers_dose1_by_band.assign(bands, 0.0);

    for (const Product& product : world_->products) {
        CourseProgress progress;
        progress.waiting.resize(static_cast<std::size_t>(std::max(0, product.doses_per_course() - 1)));
        state.courses.push_back(std::move(progress));
        ProductAccount account;
        const auto components = static_cast<std::size_t>(product.component_count());
        account.received.assign(components, 0.0);
        account.administered.assign(components, 0.0);
        account.shared.assign(components, 0.0);
        account.use_today.assign(components, 0.0);
        account.use_per_day.assign(components, 0.0);
        for (auto& wasted : account.wasted) wasted.assign(components, 0.0);
        state.accounts.push_back(std::move(account));
    }
    state.willing_by_product.assign(products, state.baseline_willing);
    state.willing_generic = state.baseline_willing;
    state.in_portfolio.assign(products, 0);
    state.mandate_log_odds.assign(bands, 0.0);
    state.fake_certificates_by_band.assign(bands, 0.0);
    if (!programmes_[c].empty()) {
        BoosterState& boosters = state.boosters;
        boosters.completions.resize(products);
        boosters.matured.assign(products, std::vector<double>(bands, 0.0));
        boosters.boosted.assign(products, std::vector<double>(bands, 0.0));
        boosters.due_again.assign(bands, 0.0);
    }
    state.boosters.people_boosted_by_band.assign(bands, 0.0);
    for (const Contract& contract : world_->contracts)
        if (contract.recipient.valid() && contract.recipient.value() == c && contract.product.valid())
            state.in_portfolio[contract.product.value()] = 1;
    refresh_willing(state);
    reset_tally(state.tally);
    countries_.push_back(std::move(state));
    priority_groups_.push_back(priority_groups(country.priority, world_->age_band_count()));
}

void UptakeModel::reset_tally(DayTally& tally) const {
    const auto bands = static_cast<std::size_t>(world_->age_band_count());
    tally.people.resize(world_->products.size());
    tally.dose1_doses.assign(world_->products.size(), 0.0);
    tally.later_doses.assign(world_->products.size(), 0.0);
    tally.booster_doses.assign(world_->products.size(), 0.0);
    tally.shared_given.resize(world_->products.size());
    tally.shared_received.resize(world_->products.size());
    tally.wasted.resize(world_->products.size());
    for (std::size_t p = 0; p < world_->products.size(); ++p) {
        const Product& product = world_->products[p];
        tally.people[p].assign(static_cast<std::size_t>(product.doses_per_course()), std::vector<double>(bands, 0.0));
        for (auto& wasted : tally.wasted[p]) wasted.assign(static_cast<std::size_t>(product.component_count()), 0.0);
        tally.shared_given[p].assign(static_cast<std::size_t>(product.component_count()), 0.0);
        tally.shared_received[p].assign(static_cast<std::size_t>(product.component_count()), 0.0);
    }
}

// ------------------------------------------------------------------------------------------------- cold chain
void UptakeModel::check_arrival(const Arrival& arrival) const {
    // Every dose must land somewhere for the supply ledger to balance: an arrival that names nothing valid is a
    // programming error upstream, reported rather than dropped.
    const bool valid = arrival.recipient.valid() && arrival.recipient.value() < countries_.size() &&
                       arrival.product.valid() && arrival.product.value() < world_->products.size() &&
                       arrival.component >= 0 &&
                       arrival.component < world_->products[arrival.product.value()].component_count() &&
                       arrival.doses >= 0.0;
    if (!valid)
        throw std::invalid_argument(fmt::format("arrival of {} doses (component {}) names no valid recipient, product "
                                                "or component",
                                                arrival.doses, arrival.component));
}

void UptakeModel::expire_lots(std::size_t c, Date today) {
    CountryState& state = countries_[c];
    for (const Lot& lot : state.cold_chain.expire(today)) {
        const auto p = lot.product.value();
        const auto component = static_cast<std::size_t>(lot.component);
        state.accounts[p].wasted[static_cast<std::size_t>(WastageReason::expired)][component] += lot.doses;
        state.tally.wasted[p][static_cast<std::size_t>(WastageReason::expired)][component] += lot.doses;
    }
}

// Doses reaching a country's stores, from a contract or from another country's surplus: received, then wasted at
// once if already expired, else stored where the cold chain has room and wasted for want of it. Returns the doses
// the cold chain refused.
double UptakeModel::take_in(CountryState& state, const Lot& lot, Date today) {
    const auto p = lot.product.value();
    const auto component = static_cast<std::size_t>(lot.component);
    ProductAccount& account = state.accounts[p];
    account.received[component] += lot.doses;
    account.ever_received = true;
    state.in_portfolio[p] = 1;
    const bool expired = lot.expiry <= today;
    const double wasted =
        expired ? lot.doses : state.cold_chain.store(lot.product, lot.component, lot.doses, lot.expiry, today);
    if (wasted <= 0.0) return 0.0;
    const auto reason = static_cast<std::size_t>(expired ? WastageReason::expired : WastageReason::cold_chain);
    account.wasted[reason][component] += wasted;
    state.tally.wasted[p][reason][component] += wasted;
    return expired ? 0.0 : wasted;
}

void UptakeModel::receive(Date today, const std::vector<Arrival>& arrivals, ContractBook& book, Recorder& recorder) {
    for (std::size_t c = 0; c < countries_.size(); ++c) expire_lots(c, today);
    for (const Arrival& arrival : arrivals) {
        check_arrival(arrival);
        const double refused = take_in(countries_[arrival.recipient.value()],
                                       {arrival.product, arrival.component, arrival.doses, arrival.expiry}, today);
        if (refused > 0.0 && arrival.contract.valid() && arrival.contract.value() < book.size())
            book[arrival.contract].wasted_doses += refused;
    }
    deliver_transfers(today);
    const auto& sharing = world_->uptake.sharing;
    const int interval = std::max(1, world_->covax.shipment_interval_days);
    if (sharing.enabled && today >= sharing.start && (today - sharing.start) % interval == 0) share_surplus(today);
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        refresh_willing(countries_[c]);
        flush_wastage(c, today, recorder);
    }
}

// ---------------------------------------------------------------------------------------------- dose sharing
void UptakeModel::deliver_transfers(Date today) {
    // Transfers are appended in date order and all take lead_days, so the due ones are a prefix.
    std::size_t due = 0;
    while (due < transfers_.size() && transfers_[due].arrival <= today) ++due;
    for (std::size_t i = 0; i < due; ++i) {
        const Transfer& transfer = transfers_[i];
        CountryState& state = countries_[transfer.recipient.value()];
        state.tally.shared_received[transfer.lot.product.value()][static_cast<std::size_t>(transfer.lot.component)] +=
            transfer.lot.doses;
        take_in(state, transfer.lot, today);
    }
    transfers_.erase(transfers_.begin(), transfers_.begin() + static_cast<std::ptrdiff_t>(due));
}

double UptakeModel::absorbable_doses(std::size_t c, ProductId product, int component, Date today,
                                     double pending) const {
    const CountryState& state = countries_[c];
    const Country& country = country_of(c);
    if (today < country.campaign_start) return 0.0;
    const Product& spec = world_->product(product);
    // Doses the recipient could give within absorb_days, less what it holds and what is on its way (`pending`).
    const double capacity = country.admin_capacity_doses_per_day.at(today) * world_->uptake.sharing.absorb_days;
    const double administration_room = capacity - state.cold_chain.total_stock() - pending;
    // People who would take this component: for a course's first component the willing, eligible unvaccinated;
    // for a later component, those part-way through this product's course.
    double people = 0.0;
    if (!spec.course.empty() && spec.course.front() == component) {
        const auto& willing = state.willing_by_product[product.value()];
        const auto& eligible = state.eligible_by_product[product.value()];
        for (std::size_t b = 0; b < willing.size(); ++b)
            people += std::max(0.0, willing[b] * eligible[b] - state.dose1_by_band[b]);
    } else {
        people = reserved_people(state, product, component);
    }
    const double wanted = people / std::max(1e-9, 1.0 - spec.open_vial_wastage) -
                          state.cold_chain.stock(product, component);
    // Storage: today's free room, less what is already on its way (it will need room too).
    const double storage_room = state.cold_chain.room_for(product, today) - pending;
    return std::max(0.0, std::min({administration_room, wanted, storage_room}));
}

void UptakeModel::share_surplus(Date today) {
    const DoseSharing& sharing = world_->uptake.sharing;
    // Recipients by need: lowest share of the population with a first dose first.
    std::vector<std::size_t> recipients(countries_.size());
    std::iota(recipients.begin(), recipients.end(), std::size_t{0});
    std::vector<double> coverage(countries_.size(), 0.0);
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        const double population = sum(countries_[c].population_by_band);
        coverage[c] = population > 0.0 ? sum(countries_[c].dose1_by_band) / population : 1.0;
    }
    std::stable_sort(recipients.begin(), recipients.end(),
                     [&](std::size_t a, std::size_t b) { return coverage[a] < coverage[b]; });
    std::vector<double> pending(countries_.size(), 0.0);
    for (const Transfer& transfer : transfers_) pending[transfer.recipient.value()] += transfer.lot.doses;

    const Date offer_limit = today + sharing.offer_days_before_expiry;
    // Lots that would reach a recipient with less than the accepted shelf life are refused, so never offered.
    const Date acceptable_from = today + (sharing.lead_days + sharing.min_shelf_life_days);
    for (std::size_t donor = 0; donor < countries_.size(); ++donor) {
        if (!donors_[donor]) continue;
        CountryState& state = countries_[donor];
        for (std::size_t p = 0; p < world_->products.size(); ++p) {
            const Product& spec = world_->products[p];
            for (int component = 0; component < spec.component_count(); ++component) {
                const auto index = static_cast<std::size_t>(component);
                // Surplus: stock expiring within the offer window beyond what the donor's recent use would give
                // before the window ends.
                const double expiring = state.cold_chain.stock_expiring_before(ProductId(p), component, offer_limit);
                if (expiring <= 0.0) continue;
                const double surplus =
                    expiring - state.accounts[p].use_per_day[index] * sharing.offer_days_before_expiry;
                if (surplus <= 0.0) continue;
                double left = surplus;
                for (const std::size_t recipient : recipients) {
                    if (left <= 0.0) break;
                    if (recipient == donor) continue;
                    const double accepted =
                        std::min(left, absorbable_doses(recipient, ProductId(p), component, today, pending[recipient]));
                    if (accepted <= 0.0) continue;
                    const auto lots =
                        state.cold_chain.take_latest(ProductId(p), component, acceptable_from, offer_limit, accepted);
                    for (const Lot& lot : lots) {
                        transfers_.push_back(
                            Transfer{today + sharing.lead_days, CountryId(donor), CountryId(recipient), lot});
                        state.accounts[p].shared[index] += lot.doses;
                        state.tally.shared_given[p][index] += lot.doses;
                        pending[recipient] += lot.doses;
                        left -= lot.doses;
                    }
                    if (lots.empty()) break;  // nothing acceptable left in the window
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------- hesitancy
void UptakeModel::update_mandates(std::size_t c, Date today) {
    CountryState& state = countries_[c];
    std::fill(state.mandate_log_odds.begin(), state.mandate_log_odds.end(), 0.0);
    if (mandates_[c].empty()) return;
    const auto bands = state.population_by_band.size();
    std::vector<double> fake_target(bands, 0.0);
    for (const Mandate* mandate : mandates_[c]) {
        if (today < mandate->start || today > mandate->end) continue;
        for (std::size_t b = 0; b < bands; ++b) {
            const double touched =
                fraction_at_or_above(world_->age_band_lower, static_cast<int>(b), mandate->min_age_years);
            state.mandate_log_odds[b] += mandate->willingness_log_odds * touched;
            // The unwilling who must show a certificate: some buy a fake one.
            const double population = state.population_by_band[b];
            const double unwilling_unvaccinated =
                std::max(0.0, std::min(population - state.dose1_by_band[b], (1.0 - state.willing[b]) * population));
            fake_target[b] += mandate->fake_certificate_share * touched * unwilling_unvaccinated;
        }
    }
    // Certificates once bought stay valid: the count only rises toward its target.
    for (std::size_t b = 0; b < bands; ++b)
        state.fake_certificates_by_band[b] +=
            relaxation_per_day_ * std::max(0.0, fake_target[b] - state.fake_certificates_by_band[b]);
}

void UptakeModel::update_hesitancy(Date today, const DayExchange& exchange) {
    const auto& trust = exchange.diplomacy.trust;
    const auto& disinformation = exchange.diplomacy.disinformation;
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        update_mandates(c, today);
        CountryState& state = countries_[c];
        HesitancyDrivers drivers;
        if (c < exchange.epidemic.size()) drivers.deaths_per_million_per_day = exchange.epidemic[c].reported_deaths_per_million_7d;
        // Same as willingness_target per band, with the drivers' shift of log-odds computed once; products
        // whose drivers shift the log-odds as much as the last ones computed (most have full trust and no
        // disinformation) reuse those targets instead of evaluating the logistic again.
        double targets_shift = std::numeric_limits<double>::quiet_NaN();
        const auto move = [&](std::vector<double>& willing, const HesitancyDrivers& with) {
            const double shift = willingness_log_odds_shift(with, world_->uptake);
            if (!(shift == targets_shift)) {
                targets_.resize(willing.size());
                for (std::size_t b = 0; b < willing.size(); ++b)
                    targets_[b] = logistic(state.baseline_log_odds[b] + state.mandate_log_odds[b] + shift);
                targets_shift = shift;
            }
            for (std::size_t b = 0; b < willing.size(); ++b) willing[b] += relaxation_per_day_ * (targets_[b] - willing[b]);
        };
        move(state.willing_generic, drivers);
        for (std::size_t p = 0; p < state.willing_by_product.size(); ++p) {
            HesitancyDrivers product_drivers = drivers;
            if (c < trust.size() && p < trust[c].size()) product_drivers.trust = trust[c][p];
            if (c < disinformation.size() && p < disinformation[c].size())
                product_drivers.disinformation = disinformation[c][p];
            move(state.willing_by_product[p], product_drivers);
        }
        refresh_willing(state);
    }
}

void UptakeModel::refresh_willing(CountryState& state) const {
    state.willing.assign(state.baseline_willing.size(), 0.0);
    bool any = false;
    for (std::size_t p = 0; p < state.in_portfolio.size(); ++p) {
        if (!state.in_portfolio[p]) continue;
        any = true;
        for (std::size_t b = 0; b < state.willing.size(); ++b)
            state.willing[b] = std::max(state.willing[b], state.willing_by_product[p][b]);
    }
    if (!any) state.willing = state.willing_generic;
}

const std::vector<double>& UptakeModel::willing_share(CountryId country) const {
    return countries_[country.value()].willing;
}

const std::vector<double>& UptakeModel::willing_share(CountryId country, ProductId product) const {
    return countries_[country.value()].willing_by_product[product.value()];
}

// ---------------------------------------------------------------------------------------------- administration
double UptakeModel::due_interval_days(ProductId product) const {
    const Product& spec = world_->product(product);
    // Next doses are scheduled at the recommended interval, never before the minimum, never on the same day.
    return std::max({1, spec.min_interval_days, spec.recommended_interval_days});
}

double UptakeModel::dispense(CountryState& state, ProductId product, int component, double people) {
    const Product& spec = world_->product(product);
    const double kept_share = 1.0 - spec.open_vial_wastage;  // of the doses opened, the share that is given
    if (people <= 0.0 || kept_share <= 0.0) return 0.0;
    const double stock = state.cold_chain.stock(product, component);
    const double drawn = state.cold_chain.take(product, component, std::min(people / kept_share, stock));
    const double served = std::min(people, drawn * kept_share);
    const auto p = product.value();
    const auto index = static_cast<std::size_t>(component);
    state.accounts[p].administered[index] += served;
    state.accounts[p].use_today[index] += drawn;
    const auto open_vial = static_cast<std::size_t>(WastageReason::open_vial);
    state.accounts[p].wasted[open_vial][index] += drawn - served;
    state.tally.wasted[p][open_vial][index] += drawn - served;
    return served;
}

void UptakeModel::move_people(CountryState& state, ProductId course_product, int doses_received,
                              const std::vector<double>& moved_by_band, Date today) {
    const Product& spec = world_->product(course_product);
    const auto p = course_product.value();
    CourseProgress& progress = state.courses[p];
    progress.started = true;
    auto& tally = state.tally.people[p][static_cast<std::size_t>(doses_received)];
    for (std::size_t b = 0; b < moved_by_band.size(); ++b) tally[b] += moved_by_band[b];
    if (doses_received == 0)
        for (std::size_t b = 0; b < moved_by_band.size(); ++b) state.dose1_by_band[b] += moved_by_band[b];
    if (doses_received + 1 == spec.doses_per_course()) {
        for (std::size_t b = 0; b < moved_by_band.size(); ++b) state.full_by_band[b] += moved_by_band[b];
        auto& completions = state.boosters.completions;  // kept only where a booster programme applies
        if (p < completions.size()) {
            if (completions[p].empty() || completions[p].back().date != today)
                completions[p].push_back(DatedCohort{today, std::vector<double>(moved_by_band.size(), 0.0)});
            for (std::size_t b = 0; b < moved_by_band.size(); ++b)
                completions[p].back().people_by_band[b] += moved_by_band[b];
        }
        return;
    }
    auto& next = progress.waiting[static_cast<std::size_t>(doses_received)];
    if (next.empty() || next.back().last_dose != today)
        next.push_back(WaitingCohort{today, std::vector<double>(moved_by_band.size(), 0.0), 0.0});
    for (std::size_t b = 0; b < moved_by_band.size(); ++b) next.back().people_by_band[b] += moved_by_band[b];
    next.back().people += sum(moved_by_band);
}

double UptakeModel::give_due_doses(std::size_t c, Date today, double capacity_doses) {
    CountryState& state = countries_[c];
    struct Queue {
        ProductId product;
        int doses_received = 0;  // 1-based count of doses the queue's people have had
        bool blocked = false;    // no stock left today for this queue's next dose
    };
    std::vector<Queue> queues;
    for (std::size_t p = 0; p < state.courses.size(); ++p)
        for (std::size_t k = 0; k < state.courses[p].waiting.size(); ++k)
            queues.push_back(Queue{ProductId(p), static_cast<int>(k) + 1, false});

    double remaining = capacity_doses;
    while (remaining > 0.0) {
        // The due cohort whose last dose is oldest, across every product and dose.
        Queue* chosen = nullptr;
        for (auto& queue : queues) {
            if (queue.blocked) continue;
            const auto& waiting = state.courses[queue.product.value()].waiting[queue.doses_received - 1];
            if (waiting.empty() || today - waiting.front().last_dose < due_interval_days(queue.product)) continue;
            if (chosen == nullptr ||
                waiting.front().last_dose <
                    state.courses[chosen->product.value()].waiting[chosen->doses_received - 1].front().last_dose)
                chosen = &queue;
        }
        if (chosen == nullptr) break;
        const Product& spec = world_->product(chosen->product);
        auto& waiting = state.courses[chosen->product.value()].waiting[chosen->doses_received - 1];
        WaitingCohort& cohort = waiting.front();
        const int next_dose = chosen->doses_received + 1;  // 1-based

        // The course's own component first, then substitutes the rules allow this long after the last dose.
        struct Source {
            ProductId product;
            int component;
        };
        std::vector<Source> sources{{chosen->product, spec.course[static_cast<std::size_t>(chosen->doses_received)]}};
        for (const SubstitutionRule* rule_of_country : substitutions_[c]) {
            const SubstitutionRule& rule = *rule_of_country;
            if (rule.product != chosen->product || rule.dose != next_dose || !rule.substitute.valid()) continue;
            if (today - cohort.last_dose < rule.after_days || today < rule.start) continue;
            const Product& substitute = world_->product(rule.substitute);
            if (substitute.course.empty()) continue;
            const auto index = std::min(static_cast<std::size_t>(chosen->doses_received), substitute.course.size() - 1);
            sources.push_back({rule.substitute, substitute.course[index]});
        }
        for (const Source& source : sources) {
            if (remaining <= 0.0 || cohort.people <= 0.0) break;
            const double served = dispense(state, source.product, source.component, std::min(cohort.people, remaining));
            if (served <= 0.0) continue;
            std::vector<double> moved(cohort.people_by_band.size(), 0.0);
            const bool everyone = served >= cohort.people;
            const double fraction = everyone ? 1.0 : served / cohort.people;
            for (std::size_t b = 0; b < moved.size(); ++b) {
                moved[b] = cohort.people_by_band[b] * fraction;
                cohort.people_by_band[b] = everyone ? 0.0 : cohort.people_by_band[b] - moved[b];
            }
            cohort.people = everyone ? 0.0 : cohort.people - served;
            remaining -= served;
            state.tally.later_doses[source.product.value()] += served;  // by the stock used
            move_people(state, chosen->product, chosen->doses_received, moved, today);
        }
        if (cohort.people <= 0.0)
            waiting.pop_front();
        else if (remaining > 0.0)
            chosen->blocked = true;  // short of stock: later cohorts of this queue need the same doses
    }
    return remaining;
}

double UptakeModel::reserved_people(const CountryState& state, ProductId product, int component) const {
    // Doses of `component` still needed by everybody part-way through this product's course.
    const Product& spec = world_->product(product);
    const CourseProgress& progress = state.courses[product.value()];
    double people = 0.0;
    for (std::size_t k = 0; k < progress.waiting.size(); ++k) {
        const int uses = remaining_uses(spec, static_cast<int>(k) + 1, component);
        if (uses == 0) continue;
        for (const auto& cohort : progress.waiting[k]) people += uses * cohort.people;
    }
    return people;
}

double UptakeModel::first_dose_supply(const CountryState& state, ProductId product, SecondDosePolicy policy) const {
    const Product& spec = world_->product(product);
    const double kept_share = 1.0 - spec.open_vial_wastage;
    if (spec.course.empty() || kept_share <= 0.0) return 0.0;
    const int first_component = spec.course.front();
    if (policy == SecondDosePolicy::first_doses_first)
        return state.cold_chain.stock(product, first_component) * kept_share;

    // hold_back_second: each new course must find all its doses in stock after the doses kept for the people
    // already part-way through this product's course.
    double supply = std::numeric_limits<double>::infinity();
    for (int component = 0; component < spec.component_count(); ++component) {
        const int per_course = remaining_uses(spec, 0, component);
        if (per_course == 0) continue;
        const double free_doses =
            state.cold_chain.stock(product, component) - reserved_people(state, product, component) / kept_share;
        supply = std::min(supply, std::max(0.0, free_doses) * kept_share / per_course);
    }
    return std::isfinite(supply) ? supply : 0.0;
}

double UptakeModel::give_first_doses(std::size_t c, Date today, double capacity_doses) {
    CountryState& state = countries_[c];
    const Country& country = country_of(c);
    // Products with first doses in stock, earliest-expiring first so that short-dated stock is used before it expires.
    struct Candidate {
        ProductId product;
        Date expiry;
    };
    std::vector<Candidate> candidates;
    for (std::size_t p = 0; p < world_->products.size(); ++p) {
        const Product& spec = world_->products[p];
        if (spec.course.empty()) continue;
        if (const auto expiry = state.cold_chain.earliest_expiry(ProductId(p), spec.course.front()))
            candidates.push_back({ProductId(p), *expiry});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.expiry < b.expiry; });

    double remaining = capacity_doses;
    const auto bands = state.population_by_band.size();
    std::vector<double> waiting(bands, 0.0);
    std::vector<double> moved(bands, 0.0);
    for (const Candidate& candidate : candidates) {
        if (remaining <= 0.0) break;
        const auto p = candidate.product.value();
        const Product& spec = world_->products[p];
        double budget = std::min(remaining, first_dose_supply(state, candidate.product, country.second_dose_policy));
        const auto& willing = state.willing_by_product[p];
        for (const PriorityGroup& group : priority_groups_[c]) {
            if (budget <= 0.0) break;
            // Willing, eligible people of the group without a first dose (willing people are assumed to be the
            // first to have been vaccinated, so the waiting willing are the willing share less those vaccinated).
            std::fill(waiting.begin(), waiting.end(), 0.0);
            for (const int band : group.bands) {
                const auto b = static_cast<std::size_t>(band);
                waiting[b] = group.health_workers
                                 ? std::max(0.0, willing[b] * state.health_workers_by_band[b] -
                                                     state.health_workers_dose1_by_band[b])
                                 : std::max(0.0, willing[b] * state.eligible_by_product[p][b] -
                                                     state.dose1_by_band[b]);
            }
            const double waiting_total = sum(waiting);
            if (waiting_total <= 0.0) continue;
            const double wanted = std::min(waiting_total, budget);
            const double served = dispense(state, candidate.product, spec.course.front(), wanted);
            if (served <= 0.0) break;
            for (std::size_t b = 0; b < bands; ++b) moved[b] = waiting[b] * (served / waiting_total);
            if (group.health_workers)
                for (std::size_t b = 0; b < bands; ++b) state.health_workers_dose1_by_band[b] += moved[b];
            move_people(state, candidate.product, 0, moved, today);
            state.tally.dose1_doses[p] += served;
            budget -= served;
            remaining -= served;
            if (served < wanted) break;  // out of stock
        }
    }
    return remaining;
}

// ------------------------------------------------------------------------------------------------ eligibility
void UptakeModel::set_eligible(CountryState& state, std::size_t) const {
    const auto bands = state.population_by_band.size();
    state.eligible_by_product.assign(world_->products.size(), std::vector<double>(bands, 0.0));
    state.eligible_by_band.assign(bands, 0.0);
    for (std::size_t p = 0; p < world_->products.size(); ++p)
        for (std::size_t b = 0; b < bands; ++b) {
            const double eligible = state.population_by_band[b] *
                                    fraction_at_or_above(world_->age_band_lower, static_cast<int>(b),
                                                         state.min_age_by_product[p]);
            state.eligible_by_product[p][b] = eligible;
            state.eligible_by_band[b] = std::max(state.eligible_by_band[b], eligible);
        }
}

void UptakeModel::widen_eligibility(std::size_t c, Date today) {
    CountryState& state = countries_[c];
    const auto& expansions = expansions_[c];
    bool changed = false;
    for (; state.next_expansion < expansions.size() && expansions[state.next_expansion]->date <= today;
         ++state.next_expansion) {
        const EligibilityExpansion& expansion = *expansions[state.next_expansion];
        for (std::size_t p = 0; p < world_->products.size(); ++p) {
            const bool named = expansion.products.empty() ||
                               std::find(expansion.products.begin(), expansion.products.end(), ProductId(p)) !=
                                   expansion.products.end();
            if (named) state.min_age_by_product[p] = expansion.min_age_years;
        }
        changed = true;
    }
    if (changed) set_eligible(state, c);
}

// --------------------------------------------------------------------------------------------------- boosters
const BoosterProgramme* UptakeModel::booster_programme(std::size_t c, Date today) const {
    const BoosterProgramme* current = nullptr;
    for (const BoosterProgramme* programme : programmes_[c]) {
        if (programme->start > today) break;
        current = programme;
    }
    return current;
}

void UptakeModel::mature_completions(CountryState& state, const BoosterProgramme& programme, Date today) const {
    BoosterState& boosters = state.boosters;
    for (std::size_t p = 0; p < boosters.completions.size(); ++p) {
        auto& completions = boosters.completions[p];
        while (!completions.empty() && today - completions.front().date >= programme.interval_days) {
            for (std::size_t b = 0; b < completions.front().people_by_band.size(); ++b)
                boosters.matured[p][b] += completions.front().people_by_band[b];
            completions.pop_front();
        }
    }
    if (programme.repeat_days <= 0) return;
    auto& cohorts = boosters.boosted_cohorts;
    while (!cohorts.empty() && today - cohorts.front().date >= programme.repeat_days) {
        for (std::size_t b = 0; b < cohorts.front().people_by_band.size(); ++b)
            boosters.due_again[b] += programme.uptake_share * cohorts.front().people_by_band[b];
        cohorts.pop_front();
    }
}

double UptakeModel::booster_supply(const CountryState& state, ProductId product, SecondDosePolicy policy) const {
    const Product& spec = world_->product(product);
    const double kept_share = 1.0 - spec.open_vial_wastage;
    if (spec.course.empty() || kept_share <= 0.0) return 0.0;
    const int component = spec.course.front();
    const double stock = state.cold_chain.stock(product, component);
    if (policy == SecondDosePolicy::first_doses_first) return stock * kept_share;
    // hold_back_second: a booster may not take doses kept for people part-way through a course.
    return std::max(0.0, stock - reserved_people(state, product, component) / kept_share) * kept_share;
}

double UptakeModel::give_boosters(std::size_t c, Date today, double capacity_doses, const BoosterProgramme& programme) {
    CountryState& state = countries_[c];
    BoosterState& boosters = state.boosters;
    mature_completions(state, programme, today);
    if (capacity_doses <= 0.0) return capacity_doses;
    const auto bands = state.population_by_band.size();
    const auto products = world_->products.size();

    // Waiting per course product and band: the programme's share of the completers old enough and long enough
    // ago, less those already boosted; plus the boosted due for another.
    std::vector<std::vector<double>> waiting(products, std::vector<double>(bands, 0.0));
    for (std::size_t p = 0; p < products; ++p) {
        const bool boosted_course = programme.courses.empty() ||
                                    std::find(programme.courses.begin(), programme.courses.end(), ProductId(p)) !=
                                        programme.courses.end();
        if (!boosted_course) continue;
        for (std::size_t b = 0; b < bands; ++b) {
            const double old_enough =
                fraction_at_or_above(world_->age_band_lower, static_cast<int>(b), programme.min_age_years);
            waiting[p][b] = std::max(0.0, programme.uptake_share * old_enough * boosters.matured[p][b] -
                                              boosters.boosted[p][b]);
        }
    }
    std::vector<double> again = boosters.due_again;

    // Booster products in stock, earliest-expiring first.
    struct Candidate {
        ProductId product;
        Date expiry;
        double budget = 0.0;
    };
    std::vector<Candidate> candidates;
    for (std::size_t p = 0; p < products; ++p) {
        const Product& spec = world_->products[p];
        if (spec.course.empty()) continue;
        if (!programme.products.empty() &&
            std::find(programme.products.begin(), programme.products.end(), ProductId(p)) == programme.products.end())
            continue;
        if (const auto expiry = state.cold_chain.earliest_expiry(ProductId(p), spec.course.front()))
            candidates.push_back({ProductId(p), *expiry,
                                  booster_supply(state, ProductId(p), country_of(c).second_dose_policy)});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.expiry < b.expiry; });

    double remaining = capacity_doses;
    std::vector<double> given(bands, 0.0);
    for (const PriorityGroup& group : priority_groups_[c]) {
        if (group.health_workers) continue;  // health workers are boosted with their age bands
        double group_waiting = 0.0;
        for (const int band : group.bands) {
            const auto b = static_cast<std::size_t>(band);
            group_waiting += again[b];
            for (std::size_t p = 0; p < products; ++p) group_waiting += waiting[p][b];
        }
        for (Candidate& candidate : candidates) {
            if (remaining <= 0.0 || group_waiting <= 0.0) break;
            const double wanted = std::min({group_waiting, candidate.budget, remaining});
            if (wanted <= 0.0) continue;
            const Product& spec = world_->product(candidate.product);
            const double served = dispense(state, candidate.product, spec.course.front(), wanted);
            if (served <= 0.0) continue;
            const double fraction = std::min(1.0, served / group_waiting);
            for (const int band : group.bands) {
                const auto b = static_cast<std::size_t>(band);
                for (std::size_t p = 0; p < products; ++p) {
                    const double moved = waiting[p][b] * fraction;
                    waiting[p][b] -= moved;
                    boosters.boosted[p][b] += moved;
                    boosters.people_boosted_by_band[b] += moved;
                    given[b] += moved;
                }
                const double moved_again = again[b] * fraction;
                again[b] -= moved_again;
                boosters.due_again[b] = std::max(0.0, boosters.due_again[b] - moved_again);
                given[b] += moved_again;
            }
            state.tally.booster_doses[candidate.product.value()] += served;
            candidate.budget -= served;
            remaining -= served;
            group_waiting -= served;
        }
        if (remaining <= 0.0) break;
    }
    if (programme.repeat_days > 0 && sum(given) > 0.0) boosters.boosted_cohorts.push_back(DatedCohort{today, given});
    return remaining;
}

void UptakeModel::administer(Date today, DayExchange& exchange, Recorder& recorder) {
    exchange.vaccinations.clear();
    exchange.uptake.assign(countries_.size(), UptakeSignal{});
    for (std::size_t c = 0; c < countries_.size(); ++c) {
        expire_lots(c, today);
        widen_eligibility(c, today);
        const Country& country = country_of(c);
        if (today >= country.campaign_start) {
            const double capacity = country.admin_capacity_doses_per_day.at(today);
            double left = give_due_doses(c, today, capacity);
            const BoosterProgramme* programme = booster_programme(c, today);
            if (programme != nullptr && programme->ahead_of_first_doses) left = give_boosters(c, today, left, *programme);
            left = give_first_doses(c, today, left);
            if (programme != nullptr && !programme->ahead_of_first_doses) give_boosters(c, today, left, *programme);
        }
        CountryState& state = countries_[c];
        // Recent use per product component (two-week mean), for the surplus a donor offers.
        constexpr double use_weight = 1.0 / 14.0;
        for (auto& account : state.accounts)
            for (std::size_t k = 0; k < account.use_today.size(); ++k) {
                account.use_per_day[k] += use_weight * (account.use_today[k] - account.use_per_day[k]);
                account.use_today[k] = 0.0;
            }
        const auto& tally = state.tally.people;
        for (std::size_t p = 0; p < tally.size(); ++p)
            for (std::size_t dose = 0; dose < tally[p].size(); ++dose)
                for (std::size_t b = 0; b < tally[p][dose].size(); ++b)
                    if (tally[p][dose][b] > 0.0)
                        exchange.vaccinations.push_back(Vaccination{CountryId(c), ProductId(p),
                                                                    static_cast<int>(dose) + 1,
                                                                    static_cast<int>(b), tally[p][dose][b]});
        exchange.uptake[c] = signal(c, today);
        record_levels(c, today, recorder);
        flush_wastage(c, today, recorder);
    }
}

// ---------------------------------------------------------------------------------------------------- signals
UptakeSignal UptakeModel::signal(std::size_t c, Date today) const {
    const CountryState& state = countries_[c];
    const Country& country = country_of(c);
    UptakeSignal out;
    out.admin_capacity_doses_per_day =
        today >= country.campaign_start ? country.admin_capacity_doses_per_day.at(today) : 0.0;
    if (const int days = world_->shipping.recipient_stock_days; days > 0) {  // the recipients' rooms (supply)
        out.capacity_ahead_doses = country.admin_capacity_doses_per_day.sum_over_days(today, days, country.campaign_start);
        out.cold_chain_free_doses = state.cold_chain.free_capacity(today);
        state.cold_chain.room_for_each_product(today, out.cold_chain_free_by_product);
    }
    out.stock_doses = state.cold_chain.total_stock();
    for (std::size_t b = 0; b < state.willing.size(); ++b)
        out.unvaccinated_willing +=
            std::max(0.0, state.willing[b] * state.eligible_by_band[b] - state.dose1_by_band[b]);
    out.people_dose1 = sum(state.dose1_by_band);
    out.people_full = sum(state.full_by_band);
    out.willing_share_by_band = state.willing;

    // Doses still to give to reach the target: whole courses for people not yet started (of the portfolio's mean
    // course length, two doses while it is empty) and the rest of every course already started.
    double course_doses = 0.0;
    int portfolio = 0;
    double in_progress_doses = 0.0;
    for (std::size_t p = 0; p < world_->products.size(); ++p) {
        const Product& spec = world_->products[p];
        if (state.in_portfolio[p] && !spec.course.empty()) {
            course_doses += spec.doses_per_course();
            ++portfolio;
        }
        const auto& waiting = state.courses[p].waiting;
        for (std::size_t k = 0; k < waiting.size(); ++k)
            for (const auto& cohort : waiting[k])
                in_progress_doses += cohort.people * static_cast<double>(spec.doses_per_course() - 1 - static_cast<int>(k));
    }
    const double mean_course_doses = portfolio > 0 ? course_doses / portfolio : 2.0;
    const double target_people = country.target_coverage * sum(state.population_by_band);
    out.doses_needed = std::max(0.0, target_people - out.people_dose1) * mean_course_doses + in_progress_doses;
    double boosters_due = 0.0;
    if (booster_programme(c, today)) {
        const BoosterState& boosters = state.boosters;
        for (std::size_t b = 0; b < state.willing.size(); ++b) {
            double due = b < boosters.due_again.size() ? boosters.due_again[b] : 0.0;
            for (std::size_t p = 0; p < boosters.matured.size(); ++p)
                if (b < boosters.matured[p].size()) due += std::max(0.0, boosters.matured[p][b] - boosters.boosted[p][b]);
            boosters_due += due * state.willing[b];
        }
    }
    out.doses_wanted = out.unvaccinated_willing * mean_course_doses + in_progress_doses + boosters_due;
    return out;
}

double UptakeModel::overdue(const CountryState& state, ProductId product, Date today) const {
    const double interval = due_interval_days(product);
    double people = 0.0;
    for (const auto& waiting : state.courses[product.value()].waiting)
        for (const auto& cohort : waiting) {
            if (today - cohort.last_dose < interval) break;  // cohorts are by date: the rest are not due yet
            people += cohort.people;
        }
    return people;
}

void UptakeModel::flush_wastage(std::size_t c, Date today, Recorder& recorder) {
    CountryState& state = countries_[c];
    for (std::size_t p = 0; p < state.tally.wasted.size(); ++p)
        for (int reason = 0; reason < wastage_reason_count; ++reason) {
            auto& by_component = state.tally.wasted[p][static_cast<std::size_t>(reason)];
            for (std::size_t component = 0; component < by_component.size(); ++component) {
                if (by_component[component] > 0.0)
                    recorder.flow(today,
                                  SeriesKey{key_of(c), key_of(p), key_of(component), "wasted_doses",
                                            to_string(static_cast<WastageReason>(reason))},
                                  by_component[component]);
                by_component[component] = 0.0;
            }
        }
    // Dose sharing, by the giving and the receiving country.
    for (std::size_t p = 0; p < state.tally.shared_given.size(); ++p)
        for (std::size_t component = 0; component < state.tally.shared_given[p].size(); ++component)
            for (auto [values, tag] : {std::pair{&state.tally.shared_given, "given"},
                                       std::pair{&state.tally.shared_received, "received"}}) {
                double& value = (*values)[p][component];
                if (value > 0.0)
                    recorder.flow(today, SeriesKey{key_of(c), key_of(p), key_of(component), "shared_doses", tag},
                                  value);
                value = 0.0;
            }
}

void UptakeModel::record_levels(std::size_t c, Date today, Recorder& recorder) {
    CountryState& state = countries_[c];
    const Country& country = country_of(c);
    const auto country_key = key_of(c);
    const double population = sum(state.population_by_band);
    if (!state.population_recorded) {
        recorder.level(today, SeriesKey{country_key, -1, -1, "population", {}}, population);
        state.population_recorded = true;
    }
    for (std::size_t p = 0; p < world_->products.size(); ++p) {
        const auto product_key = key_of(p);
        if (state.tally.dose1_doses[p] > 0.0)
            recorder.flow(today, SeriesKey{country_key, product_key, -1, "administered_dose1", {}},
                          state.tally.dose1_doses[p]);
        if (state.tally.later_doses[p] > 0.0)
            recorder.flow(today, SeriesKey{country_key, product_key, -1, "administered_dose2", {}},
                          state.tally.later_doses[p]);
        if (state.tally.booster_doses[p] > 0.0)
            recorder.flow(today, SeriesKey{country_key, product_key, -1, "administered_booster", {}},
                          state.tally.booster_doses[p]);
        if (state.courses[p].started)
            recorder.level(today, SeriesKey{country_key, product_key, -1, "overdue_dose2", {}},
                           overdue(state, ProductId(p), today));
        if (state.accounts[p].ever_received)
            for (int component = 0; component < world_->products[p].component_count(); ++component)
                recorder.level(today, SeriesKey{country_key, product_key, component, "stock_doses", {}},
                               state.cold_chain.stock(ProductId(p), component));
    }
    const double full = sum(state.full_by_band);
    recorder.level(today, SeriesKey{country_key, -1, -1, "people_dose1", {}}, sum(state.dose1_by_band));
    recorder.level(today, SeriesKey{country_key, -1, -1, "people_full", {}}, full);
    const double fakes = sum(state.fake_certificates_by_band);
    recorder.level(today, SeriesKey{country_key, -1, -1, "reported_people_full", {}},
                   (full + fakes) / (1.0 - country.certificate_fraud_share));
    if (!programmes_[c].empty())
        recorder.level(today, SeriesKey{country_key, -1, -1, "people_boosted", {}},
                       sum(state.boosters.people_boosted_by_band));
    if (!mandates_[c].empty())
        recorder.level(today, SeriesKey{country_key, -1, -1, "fake_certificates", {}}, fakes);
    double willing_people = 0.0;
    for (std::size_t b = 0; b < state.willing.size(); ++b) willing_people += state.willing[b] * state.population_by_band[b];
    recorder.level(today, SeriesKey{country_key, -1, -1, "willing_share", {}},
                   population > 0.0 ? willing_people / population : 0.0);

    // Today's tallies have been emitted: clear them for tomorrow.
    for (auto& by_dose : state.tally.people)
        for (auto& by_band : by_dose) std::fill(by_band.begin(), by_band.end(), 0.0);
    std::fill(state.tally.dose1_doses.begin(), state.tally.dose1_doses.end(), 0.0);
    std::fill(state.tally.later_doses.begin(), state.tally.later_doses.end(), 0.0);
    std::fill(state.tally.booster_doses.begin(), state.tally.booster_doses.end(), 0.0);
}

// ------------------------------------------------------------------------------------------------- accounting
DoseAccount UptakeModel::account(CountryId country, ProductId product, int component) const {
    const CountryState& state = countries_[country.value()];
    const ProductAccount& account = state.accounts[product.value()];
    const auto index = static_cast<std::size_t>(component);
    DoseAccount out;
    out.received_doses = account.received[index];
    out.administered_doses = account.administered[index];
    for (const auto& wasted : account.wasted) out.wasted_doses += wasted[index];
    out.stock_doses = state.cold_chain.stock(product, component);
    out.shared_doses = account.shared[index];
    return out;
}

DoseAccount UptakeModel::account(CountryId country, ProductId product) const {
    DoseAccount total;
    for (int component = 0; component < world_->product(product).component_count(); ++component) {
        const DoseAccount part = account(country, product, component);
        total.received_doses += part.received_doses;
        total.administered_doses += part.administered_doses;
        total.wasted_doses += part.wasted_doses;
        total.stock_doses += part.stock_doses;
        total.shared_doses += part.shared_doses;
    }
    return total;
}

double UptakeModel::wasted_doses(CountryId country, ProductId product, WastageReason reason) const {
    return sum(countries_[country.value()].accounts[product.value()].wasted[static_cast<std::size_t>(reason)]);
}

double UptakeModel::stock_doses(CountryId country) const { return countries_[country.value()].cold_chain.total_stock(); }
double UptakeModel::people_dose1(CountryId country) const { return sum(countries_[country.value()].dose1_by_band); }
double UptakeModel::people_full(CountryId country) const { return sum(countries_[country.value()].full_by_band); }

double UptakeModel::reported_people_full(CountryId country) const {
    return (people_full(country) + fake_certificates(country)) /
           (1.0 - world_->country(country).certificate_fraud_share);
}

double UptakeModel::people_boosted(CountryId country) const {
    return sum(countries_[country.value()].boosters.people_boosted_by_band);
}

double UptakeModel::fake_certificates(CountryId country) const {
    return sum(countries_[country.value()].fake_certificates_by_band);
}

double UptakeModel::shared_in_transit_doses() const {
    double doses = 0.0;
    for (const Transfer& transfer : transfers_) doses += transfer.lot.doses;
    return doses;
}

double UptakeModel::overdue_next_dose(CountryId country, Date today) const {
    const CountryState& state = countries_[country.value()];
    double people = 0.0;
    for (std::size_t p = 0; p < world_->products.size(); ++p) people += overdue(state, ProductId(p), today);
    return people;
}

const std::vector<double>& UptakeModel::people_dose1_by_band(CountryId country) const {
    return countries_[country.value()].dose1_by_band;
}
const std::vector<double>& UptakeModel::people_full_by_band(CountryId country) const {
    return countries_[country.value()].full_by_band;
}
const std::vector<double>& UptakeModel::population_by_band(CountryId country) const {
    return countries_[country.value()].population_by_band;
}
const std::vector<double>& UptakeModel::eligible_by_band(CountryId country) const {
    return countries_[country.value()].eligible_by_band;
}
const std::vector<double>& UptakeModel::eligible_by_band(CountryId country, ProductId product) const {
    return countries_[country.value()].eligible_by_product[product.value()];
}
const ColdChain& UptakeModel::cold_chain(CountryId country) const { return countries_[country.value()].cold_chain; }

}  // namespace doseflow::uptake
