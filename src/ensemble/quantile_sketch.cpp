#include "ensemble/quantile_sketch.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace doseflow::ensemble {
namespace {

constexpr double two_32 = 4294967296.0;
const double log_gamma = std::log((1.0 + QuantileSketch::relative_accuracy) / (1.0 - QuantileSketch::relative_accuracy));

}  // namespace

void OrderFreeSum::add(double value) {
    if (!std::isfinite(value)) return;
    const double whole = std::floor(value);
    const auto whole_units = static_cast<Int128>(static_cast<long long>(whole)) * static_cast<Int128>(1ll << 32);
    units_ += whole_units + static_cast<Int128>(std::llround((value - whole) * two_32));
}

double OrderFreeSum::value() const {
    const Int128 whole = units_ >> 32;  // floor division
    const auto fraction = static_cast<double>(static_cast<std::uint64_t>(units_ & 0xffffffffll));
    return static_cast<double>(whole) + fraction / two_32;
}

std::int32_t QuantileSketch::bucket_of(double value) {
    // Magnitudes below 1e-300 are zero for the grid. Grid indices of magnitudes in [1e-300, 1.8e308] lie within
    // +-2^17 at this accuracy, so positive values map above 2^20 and negative ones below -2^20.
    constexpr std::int32_t offset = 1 << 20;
    const double magnitude = std::fabs(value);
    if (magnitude < 1e-300) return 0;
    const auto grid = static_cast<std::int32_t>(std::ceil(std::log(magnitude) / log_gamma));
    return value > 0 ? offset + grid : -offset - grid;
}

void QuantileSketch::add(double value) {
    if (!std::isfinite(value)) return;
    ++count_;
    const std::int32_t index = bucket_of(value);
    auto at = std::lower_bound(buckets_.begin(), buckets_.end(), index,
                               [](const Bucket& b, std::int32_t i) { return b.index < i; });
    if (at == buckets_.end() || at->index != index) at = buckets_.insert(at, Bucket{index, 0, {}});
    ++at->count;
    at->sum.add(value);
}

double QuantileSketch::quantile(double q) const {
    if (count_ == 0) return 0.0;
    const auto rank = static_cast<std::uint64_t>(std::floor(q * static_cast<double>(count_ - 1)));
    std::uint64_t seen = 0;
    for (const auto& bucket : buckets_) {
        seen += bucket.count;
        if (seen > rank) return bucket.sum.value() / static_cast<double>(bucket.count);
    }
    assert(false && "rank beyond the count");
    return 0.0;
}

double exact_quantile(std::vector<double>& values, double q) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    const double weight = position - static_cast<double>(below);
    return values[below] + weight * (values[above] - values[below]);
}

}  // namespace doseflow::ensemble
