#pragma once
// Streaming quantiles in bounded memory. A value goes into a bucket on a logarithmic grid (DDSketch: Masson, Rim
// and Lee 2019, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error guarantees", PVLDB
// 12(12)): bucket i holds (gamma^(i-1), gamma^i], so any quantile comes back within a relative error alpha of the
// true order statistic, where gamma = (1 + alpha) / (1 - alpha). Counts are integers and the grid is fixed, so the
// result depends only on the values added, not on their order: members folded on any number of threads or ranks
// give the same bytes. Memory per sketch grows with the spread of the values (log(max/min) / log(gamma) buckets at
// most), never with their number. See docs/uncertainty.md.
#include <cstdint>
#include <vector>

namespace doseflow::ensemble {

__extension__ using Int128 = __int128;  // GCC and Clang; -Wpedantic accepts it marked so

// A sum of doubles that does not depend on the order of the terms: each term is rounded to a multiple of 2^-32 and
// added as a 128-bit integer. Exact for terms with no bits below 2^-32 and magnitudes below 2^62.
class OrderFreeSum {
public:
    void add(double value);
    double value() const;

private:
    Int128 units_ = 0;  // of 2^-32
};

class QuantileSketch {
public:
    static constexpr double relative_accuracy = 0.005;

    void add(double value);
    std::uint64_t count() const { return count_; }
    // The value of rank floor(q * (count - 1)) (0-based, ascending): the mean of the values in its bucket, so within
    // relative_accuracy of the true value, and exact when the bucket holds equal values; 0 when empty.
    double quantile(double q) const;
    // Buckets held (for the memory bound).
    std::size_t buckets() const { return buckets_.size(); }

private:
    struct Bucket {
        std::int32_t index = 0;  // signed grid index; see bucket_of
        std::uint32_t count = 0;
        OrderFreeSum sum;
    };
    // Ascending in value: negative magnitudes mirrored below zero, zero in its own bucket.
    static std::int32_t bucket_of(double value);
    std::vector<Bucket> buckets_;  // sorted by index; only buckets that hold values
    std::uint64_t count_ = 0;
};

// Exact quantile of a sample (sorted in place): linear interpolation between order statistics (Hyndman and Fan
// 1996, type 7), as numpy.quantile by default.
double exact_quantile(std::vector<double>& values, double q);

}  // namespace doseflow::ensemble
