#pragma once
// A weighted quantile sketch that merges exactly, in any order.
//
// The buckets are QuantileSketch's (relative width 2^-9), but each holds the
// sum of its values' weights in fixed point: a weight w in [0, 1] counts as
// the integer round(w 2^62), summed in 128 bits (room for 2^66 worlds of
// weight 1). Integer sums do not depend on the order of adds and merges, so
// per-thread sketches merge into the same bits whatever the thread count,
// like the unweighted sketch. The price: a weight below 2^-63 (a log-weight
// under -43.7) counts as zero here (the weighted moments and the effective
// sample size, kept in log space, still see it).
//
// quantile(p) is the representative of the first bucket, in increasing value
// order, at which the cumulative weight reaches p of the total: within 0.1 %
// of the weighted lower quantile, as for QuantileSketch.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::stats {

class WeightedSketch {
public:
    __extension__ typedef unsigned __int128 Mass;
    static constexpr int kFractionBits = 62;

    // The fixed-point weight of exp(log_weight), log_weight <= 0 (NaN: 0).
    [[nodiscard]] static std::uint64_t fixed_weight(double log_weight) noexcept;

    // x must be finite; a zero weight is ignored.
    void add(double x, std::uint64_t weight);
    // Skips non-finite values. A block of positive normal values (the usual
    // case) covers its range of buckets once and then costs one add a value.
    void add(std::span<const double> values, std::span<const std::uint64_t> weights);

    // What every series of a block shares about its weights, found once per
    // block instead of once per series: their sum and how many are non-zero.
    struct BlockWeights {
        Mass total = 0;
        std::size_t weighted = 0, size = 0;
    };
    [[nodiscard]] static BlockWeights summarise(std::span<const std::uint64_t> weights) noexcept;
    // The same bits as add(values, weights), given b = summarise(weights) and
    // lo, hi the minimum and maximum of the values, all finite (the prior's
    // scan of the block has them). When every value is positive and normal
    // (the usual case) it costs one 128-bit add a value and nothing else.
    void add_block(std::span<const double> values, std::span<const std::uint64_t> weights, const BlockWeights& b,
                   double lo, double hi);
    void merge(const WeightedSketch& other);

    [[nodiscard]] Mass total() const noexcept { return total_; }
    [[nodiscard]] double total_weight() const noexcept;  // total() / 2^62
    [[nodiscard]] std::uint64_t count() const noexcept { return n_; }  // values with a non-zero weight
    [[nodiscard]] double quantile(double p) const;  // NaN when the total is 0; p in [0, 1]
    [[nodiscard]] double min() const noexcept;      // of the values with a non-zero weight
    [[nodiscard]] double max() const noexcept;
    // Share of the weight on values above x, to the bucket resolution.
    [[nodiscard]] double share_above(double x) const;
    // The weight on each of `bins` equal bins between lo and hi (log-spaced
    // when log_axis), as shares of the total times `scale`: with scale the
    // number of samples the bins read like the prior's counts.
    [[nodiscard]] std::vector<double> histogram(double lo, double hi, int bins, bool log_axis, double scale) const;

    struct Bucket { std::int64_t key; std::uint64_t low, high; };  // mass = high 2^64 + low
    [[nodiscard]] std::vector<Bucket> buckets() const;
    // Throws std::invalid_argument for an invalid key or extremes outside the buckets.
    [[nodiscard]] static WeightedSketch from_buckets(std::span<const Bucket> buckets, std::uint64_t n, double min,
                                                     double max);

private:
    struct Store {
        std::int64_t offset = 0;
        std::vector<Mass> mass;
    };
    Mass& slot(std::int64_t key);
    void add_each(std::span<const double> values, std::span<const std::uint64_t> weights);
    void add_mixed(std::span<const double> values, std::span<const std::uint64_t> weights, const BlockWeights& b);
    template <class F> void each(F&& f) const;  // (key, mass) in increasing value order
    [[nodiscard]] double representative(std::int64_t key) const noexcept;

    Store stores_[2];  // [0] positive keys, [1] negative keys (by magnitude)
    Mass zeros_ = 0;
    Mass total_ = 0;
    std::uint64_t n_ = 0;
    double min_ = 0.0, max_ = 0.0;
};

}  // namespace flopcast::stats
