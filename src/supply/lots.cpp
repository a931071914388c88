#include "supply/lots.hpp"

#include <algorithm>

namespace doseflow::supply {

void LotQueue::push(const Lot& lot) {
    if (lot.doses <= 0.0) return;
    total_doses_ += lot.doses;
    if (!empty()) {
        Lot& back = lots_.back();
        if (back.expiry == lot.expiry && back.produced == lot.produced) {
            back.doses += lot.doses;
            return;
        }
    }
    if (empty() || lots_.back().expiry <= lot.expiry) {
        lots_.push_back(lot);
        return;
    }
    const auto first = lots_.begin() + static_cast<std::ptrdiff_t>(head_);
    const auto at = std::upper_bound(first, lots_.end(), lot.expiry,
                                     [](Date expiry, const Lot& held) { return expiry < held.expiry; });
    lots_.insert(at, lot);
}

double LotQueue::expire(Date today) {
    double removed = 0.0;
    while (!empty() && lots_[head_].expiry <= today) {
        removed += lots_[head_].doses;
        total_doses_ -= lots_[head_].doses;
        drop_front();
    }
    settle_total();
    return removed;
}

void LotQueue::settle_total() {
    // The running total drifts by rounding: nothing held is exactly zero, and no more is ever taken than the lots
    // hold, so a total below zero is zero.
    if (empty() || total_doses_ < 0.0) total_doses_ = 0.0;
}

void LotQueue::drop_front() {
    ++head_;
    // Compact once the consumed prefix dominates, so memory follows what is held, not what passed through.
    if (head_ == lots_.size()) {
        lots_.clear();
        head_ = 0;
    } else if (head_ >= 64 && head_ * 2 >= lots_.size()) {
        lots_.erase(lots_.begin(), lots_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

}  // namespace doseflow::supply
