#pragma once
// A mergeable quantile sketch with bounded relative error.
//
// Values are counted in logarithmic buckets; counts are integers, so merging is
// exact and order-independent (threads may merge in any order). Memory grows
// with the number of decades the values span, never with the sample count.
//
// Guarantee: for every p, quantile(p) differs from the exact lower order
// statistic x_(k), k = max(1, ceil(p * n)), by at most 0.1 % of |x_(k)|
// (x_(1) is the minimum). Zero is counted in its own bucket; negative values
// are supported (mirrored buckets); non-finite values are refused (the caller
// counts them).
#include <cstdint>
#include <span>
#include <vector>

namespace flopcast::stats {

struct Histogram {
    std::vector<double> edges;          // bins + 1 edges, increasing
    std::vector<std::uint64_t> counts;  // bins
    bool log_axis = false;
};

class QuantileSketch {
public:
    QuantileSketch() = default;

    void add(double x);                       // x must be finite
    void add(std::span<const double> values); // all finite
    void merge(const QuantileSketch& other);

    [[nodiscard]] std::uint64_t count() const noexcept;
    [[nodiscard]] double quantile(double p) const;  // NaN when empty; p in [0, 1]

    // Histogram of the counted values on `bins` equal bins between lo and hi
    // (log-spaced when log_axis, which requires 0 < lo). Each bucket is
    // assigned whole to the bin holding its representative value, so a count
    // may sit in a neighbouring bin for values within 0.1 % of an edge.
    // Values outside [lo, hi] are not counted.
    [[nodiscard]] Histogram histogram(double lo, double hi, int bins, bool log_axis) const;

    // Exact state: the non-empty buckets as (key, count) pairs, sorted by key.
    struct Bucket { std::int64_t key; std::uint64_t count; };
    [[nodiscard]] std::vector<Bucket> buckets() const;
    [[nodiscard]] static QuantileSketch from_buckets(std::span<const Bucket> buckets);

    // Relative error bound of quantile() (0.001).
    static constexpr double kRelativeError = 1e-3;
};

}  // namespace flopcast::stats
