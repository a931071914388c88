#pragma once
// Dated lots of one component held by one owner, taken first-expiring-first (FEFO).
#include <cstddef>
#include <vector>

#include "core/date.hpp"

namespace doseflow::supply {

struct Lot {
    double doses = 0.0;
    Date produced;
    Date expiry;  // first day on which the lot may no longer be used
};

// A FIFO over lots kept in non-decreasing expiry order. Released lots of one product all get
// `release date + shelf life`, so appending keeps the order; an out-of-order lot is inserted in place.
class LotQueue {
public:
    void push(const Lot& lot);
    double total_doses() const { return total_doses_; }
    bool empty() const { return head_ == lots_.size(); }
    // Removes every lot with expiry <= today and returns the doses removed.
    double expire(Date today);
    // Takes up to `doses` first-expiring-first, handing each piece (a part of one lot) to `sink(const Lot&)`.
    // Returns the doses taken.
    template <class Sink>
    double take(double doses, Sink&& sink);
    // Lots still held, first-expiring first.
    const Lot* begin() const { return lots_.data() + head_; }
    const Lot* end() const { return lots_.data() + lots_.size(); }

private:
    void drop_front();
    void settle_total();

    std::vector<Lot> lots_;
    std::size_t head_ = 0;
    double total_doses_ = 0.0;
};

template <class Sink>
double LotQueue::take(double doses, Sink&& sink) {
    double taken = 0.0;
    while (doses > 0.0 && !empty()) {
        Lot& front = lots_[head_];
        const double piece = front.doses < doses ? front.doses : doses;
        Lot part = front;
        part.doses = piece;
        front.doses -= piece;
        doses -= piece;
        taken += piece;
        total_doses_ -= piece;
        if (front.doses <= 0.0) drop_front();
        if (piece > 0.0) sink(part);
    }
    settle_total();
    return taken;
}

}  // namespace doseflow::supply
