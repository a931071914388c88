#include "world/exchange.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace doseflow {

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

void Recorder::add(Date date, SeriesKey key, MetricKind kind, double value) {
    if (!enabled_) return;
    const Date period = period_of(date);
    if (period != open_period_) {
        open_.clear();
        open_period_ = period;
    }
    const auto [it, inserted] = open_.try_emplace(key, points_.size());
    if (inserted) {
        points_.push_back({period, key, kind, value});
    } else if (kind == MetricKind::flow) {
        points_[it->second].value += value;
    } else {
        points_[it->second].value = value;
    }
}

}  // namespace doseflow
