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
//
// How: a bucket holds the magnitudes that share the IEEE-754 exponent and the
// top 9 mantissa bits, so it spans a relative width of at most 2^-9, and its
// midpoint is within 2^-10 (0.098 %) of every value in it. Sub-normal values
// are bucketed on the same relative grid (as if the exponent continued below
// the normal range) and are represented exactly where the grid is finer than
// their spacing, so the guarantee holds for every finite double. The exact
// minimum and maximum are kept, so quantile(0) and quantile(1) are exact.
//
// Memory: one dense array of counts per sign, covering the keys seen plus a
// margin; the slots allocated for a sign are at most 2 * S + 64, where S is
// the number of keys between the smallest and largest key seen of that sign
// (512 keys per binary octave, about 1700 per decade).
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

    // x must be finite: a non-finite value throws std::invalid_argument (the
    // values of the span before it stay counted).
    void add(double x);                       // x must be finite
    void add(std::span<const double> values); // all finite
    void merge(const QuantileSketch& other);

    [[nodiscard]] std::uint64_t count() const noexcept;
    // k is computed in double precision as max(1, ceil(p * n)), capped at n.
    // Throws std::invalid_argument when p is outside [0, 1] (or NaN).
    [[nodiscard]] double quantile(double p) const;  // NaN when empty; p in [0, 1]

    // Exact smallest and largest value counted; NaN when empty. A zero of
    // either sign is recorded as +0, so the result does not depend on the
    // order of adds and merges.
    [[nodiscard]] double min() const noexcept;
    [[nodiscard]] double max() const noexcept;

    // Histogram of the counted values on `bins` equal bins between lo and hi
    // (log-spaced when log_axis, which requires 0 < lo). Each bucket is
    // assigned whole to the bin holding its representative value, so a count
    // may sit in a neighbouring bin for values within 0.1 % of an edge.
    // Values outside [lo, hi] are not counted.
    // The representative is clamped to [min(), max()], so an atom at an
    // extreme value is binned at its exact value. Bin i holds representatives
    // edges[i] <= v < edges[i + 1]; the last bin also holds v == hi. Zero and
    // signed powers of two are bucket bounds: with such lo and hi no bucket
    // straddles them, and the counts sum to exactly the number of values in
    // [lo, hi), plus those equal to hi when hi is the maximum.
    // Throws std::invalid_argument unless bins >= 1, lo < hi, both finite.
    [[nodiscard]] Histogram histogram(double lo, double hi, int bins, bool log_axis) const;

    // Exact state: the non-empty buckets as (key, count) pairs, sorted by key.
    // Key 0 holds zero, key k > 0 the positive bucket k, key -k its mirror.
    // Together with min() and max() this is the whole state.
    struct Bucket { std::int64_t key; std::uint64_t count; };
    [[nodiscard]] std::vector<Bucket> buckets() const;
    // Restores the counts; without min and max, those are taken as the
    // representative values of the extreme buckets (so quantile(0) and
    // quantile(1) are then within the guarantee rather than exact). Keys may
    // come in any order (repeats add up); an invalid key throws
    // std::invalid_argument.
    [[nodiscard]] static QuantileSketch from_buckets(std::span<const Bucket> buckets);
    // Restores buckets(), min() and max() bit for bit. Throws
    // std::invalid_argument if min or max does not lie in the lowest or highest
    // non-empty bucket.
    [[nodiscard]] static QuantileSketch from_buckets(std::span<const Bucket> buckets,
                                                     double min, double max);

    // Count slots currently allocated, over both signs (see Memory above).
    [[nodiscard]] std::size_t allocated_buckets() const noexcept;

    // Relative error bound of quantile() (0.001).
    static constexpr double kRelativeError = 1e-3;

private:
    // Counts of the buckets of one sign, indexed by magnitude key - offset.
    struct Store {
        std::int64_t offset = 0;
        std::vector<std::uint64_t> counts;
    };

    void add_subnormal(double x);
    void cover(int sign, std::int64_t lo_key, std::int64_t hi_key);
    [[nodiscard]] double representative(std::int64_t key) const noexcept;

    Store stores_[2];  // [0] positive values, [1] negative values (sign bit)
    std::uint64_t zeros_ = 0;
    std::uint64_t n_ = 0;
    double min_ = 0.0;  // meaningful only when n_ > 0
    double max_ = 0.0;
};

}  // namespace flopcast::stats
