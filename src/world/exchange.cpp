#include "world/exchange.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace doseflow {

double expected_due_doses(const Contract& terms, Date as_of, int first_delivery_days, int expected_days) {
    const Date first = terms.signed_on + first_delivery_days;
    if (as_of < first) return 0.0;
    const int span_days = expected_days - first_delivery_days;
    if (span_days <= 0) return terms.doses;
    const double elapsed = static_cast<double>(as_of - first) + 1.0;  // the first delivery day counts
    return terms.doses * std::min(1.0, elapsed / static_cast<double>(span_days));
}

const char* to_string(ContractStatus value) {
    switch (value) {
        case ContractStatus::on_track: return "on_track";
        case ContractStatus::late: return "late";
        case ContractStatus::public_complaint: return "public_complaint";
        case ContractStatus::refund_demand: return "refund_demand";
        case ContractStatus::cancelled: return "cancelled";
        case ContractStatus::switched: return "switched";
        case ContractStatus::completed: return "completed";
    }
    return "?";
}

ContractId ContractBook::add(Contract terms, int component_count, Date today) {
    ContractRecord record;
    record.terms = std::move(terms);
    record.delivered_by_component.assign(static_cast<std::size_t>(component_count), 0.0);
    record.shipped_by_component.assign(static_cast<std::size_t>(component_count), 0.0);
    record.status_since = today;
    records.push_back(std::move(record));
    return ContractId(records.size() - 1);
}

// ------------------------------------------------------------------------------------------------------ recorder
namespace {
// Metric names and tags are short literals; their length and first and last bytes tell them apart well enough
// for a hash (equality still compares the whole text), at a fraction of the cost of hashing every byte.
std::size_t text_hash(std::string_view text) noexcept {
    if (text.empty()) return 0;
    std::uint64_t head = 0, tail = 0;
    const std::size_t n = std::min<std::size_t>(text.size(), 8);
    std::memcpy(&head, text.data(), n);
    std::memcpy(&tail, text.data() + text.size() - n, n);
    return static_cast<std::size_t>((head * 0x9e3779b97f4a7c15ULL) ^ (tail + text.size()) * 0xc2b2ae3d27d4eb4fULL);
}
}  // namespace

std::size_t SeriesKeyHash::operator()(const SeriesKey& key) const noexcept {
    std::size_t h = text_hash(key.metric) ^ (text_hash(key.tag) << 1);
    h ^= static_cast<std::size_t>(key.country + 7) * 0x9e3779b97f4a7c15ULL;
    h ^= static_cast<std::size_t>(key.product + 3) * 0xbf58476d1ce4e5b9ULL;
    h ^= static_cast<std::size_t>(key.component + 5) * 0x94d049bb133111ebULL;
    return h;
}

Recorder::Recorder(Date start, int period_days) : start_(start), period_days_(period_days) {
    if (period_days < 1) throw std::invalid_argument("Recorder: period_days must be at least 1");
}

Recorder Recorder::disabled() {
    Recorder recorder;
    recorder.enabled_ = false;
    return recorder;
}

Date Recorder::period_of(Date date) const {
    if (period_days_ == 1) return date;
    const std::int32_t offset = date - start_;
    const std::int32_t index = offset >= 0 ? offset / period_days_ : -((-offset + period_days_ - 1) / period_days_);
    return start_ + index * period_days_;
}

namespace {
// Literals of the same text are usually one object: compare the pointers before the bytes.
bool same_text(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.data() == b.data() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}
}  // namespace

bool Recorder::same_key(const SeriesKey& a, const SeriesKey& b) noexcept {
    return a.country == b.country && a.product == b.product && a.component == b.component &&
           same_text(a.metric, b.metric) && same_text(a.tag, b.tag);
}

void Recorder::add(Date date, SeriesKey key, MetricKind kind, double value) {
    if (!enabled_) return;
    const Date period = period_of(date);
    if (period != open_period_) {
        previous_begin_ = open_begin_;
        previous_end_ = points_.size();
        open_begin_ = points_.size();
        open_period_ = period;
        cursor_ = 0;
        if (indexed_) {
            std::fill(slots_.begin(), slots_.end(), 0);
            slots_used_ = 0;
        }
        indexed_ = false;
    }
    // The stages record the same series in the same order every day, so the next key is usually the one at the
    // cursor: a point already in the period (a later day of a week), or, while the period has followed the
    // previous one exactly, the previous period's next key, which then cannot be in the period yet.
    const std::size_t at = open_begin_ + cursor_;
    if (at < points_.size() && same_key(points_[at].key, key)) {
        accumulate(points_[at], kind, value);
        ++cursor_;
        return;
    }
    if (!indexed_ && at == points_.size() && previous_begin_ + cursor_ < previous_end_ &&
        same_key(points_[previous_begin_ + cursor_].key, key)) {
        points_.push_back({period, kind, key, value});
        ++cursor_;
        return;
    }
    // Out of order: find the key through the index of the period's points (built on the first miss).
    if (!indexed_) {
        rebuild_index(points_.size() - open_begin_ + 1);
        indexed_ = true;
    }
    bool inserted = false;
    const std::size_t index = find_or_insert(key, points_.size(), inserted);
    if (inserted)
        points_.push_back({period, kind, key, value});
    else
        accumulate(points_[index], kind, value);
    cursor_ = index + 1 - open_begin_;
}

void Recorder::rebuild_index(std::size_t keys) {
    std::size_t size = 1024;
    while (size < 2 * keys) size *= 2;
    slots_.assign(size, 0);
    slots_used_ = 0;
    bool inserted = false;
    for (std::size_t k = open_begin_; k < points_.size(); ++k) find_or_insert(points_[k].key, k, inserted);
}

std::size_t Recorder::find_or_insert(const SeriesKey& key, std::size_t candidate, bool& inserted) {
    if (2 * (slots_used_ + 1) > slots_.size()) rebuild_index(slots_used_ + 1);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = SeriesKeyHash{}(key) & mask;; at = (at + 1) & mask) {
        const std::size_t slot = slots_[at];
        if (slot == 0) {
            slots_[at] = candidate + 1;
            ++slots_used_;
            inserted = true;
            return candidate;
        }
        if (same_key(points_[slot - 1].key, key)) {
            inserted = false;
            return slot - 1;
        }
    }
}

}  // namespace doseflow
