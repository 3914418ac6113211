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
//
// Counts are 32-bit while they can be (4 bytes a slot: the arrays of the
// engine's per-thread sketches stay twice as cache-friendly as 64-bit ones):
// a count never exceeds the values added since the last flush, and before
// that number could pass 2^32 - 1 the 32-bit counts are flushed into a 64-bit
// array, allocated then (12 bytes a slot from there on). Nothing of this is
// visible in the results: every reader sees the sum of both.
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
    // The same as add(values) for a block whose minimum and maximum the caller
    // has already computed (lo and hi must be exactly those; all values finite):
    // when all are positive normal numbers, the range of buckets is covered
    // once and each value costs one increment, no checks.
    void add_block(std::span<const double> values, double lo, double hi);
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

    // The bucket key of a finite x (as in buckets()) and the value a key
    // stands for (the bucket's midpoint, unclamped): for sketches that share
    // this bucket grid (WeightedSketch).
    [[nodiscard]] static std::int64_t bucket_key(double x) noexcept;
    [[nodiscard]] static double bucket_value(std::int64_t key) noexcept;

    // Count slots currently allocated, over both signs (see Memory above).
    [[nodiscard]] std::size_t allocated_buckets() const noexcept;

    // Relative error bound of quantile() (0.001).
    static constexpr double kRelativeError = 1e-3;

    // For tests of the 32-bit counts: a sketch that flushes them into 64-bit
    // ones whenever more than `limit` values (>= 1) would have been added
    // since the last flush, instead of 2^32 - 1.
    [[nodiscard]] static QuantileSketch with_flush_limit(std::uint32_t limit);
    // For those tests: the largest 32-bit count (zeros included), which the
    // flushes keep at or below the limit.
    [[nodiscard]] std::uint64_t largest_narrow_count() const noexcept;

private:
    // Counts of the buckets of one sign, indexed by magnitude key - offset:
    // counts[i] + wide[i], where wide is empty until the first flush and then
    // as long as counts.
    struct Store {
        std::int64_t offset = 0;
        std::vector<std::uint32_t> counts;
        std::vector<std::uint64_t> wide;
        [[nodiscard]] std::uint64_t at(std::size_t i) const noexcept {
            return counts[i] + (wide.empty() ? 0 : wide[i]);
        }
    };

    void add_chunk(std::span<const double> values);  // at most flush_limit_ - pending_ values
    void add_subnormal(double x);
    void cover(int sign, std::int64_t lo_key, std::int64_t hi_key);
    void flush();  // moves the 32-bit counts into the 64-bit ones; pending_ = 0
    void make_room(std::uint64_t values);  // flushes unless `values` more fit in 32 bits
    void update_range(double lo, double hi, std::uint64_t count) noexcept;
    [[nodiscard]] std::uint64_t zeros() const noexcept { return zeros_ + zeros_narrow_; }
    [[nodiscard]] double representative(std::int64_t key) const noexcept;

    Store stores_[2];  // [0] positive values, [1] negative values (sign bit)
    std::uint32_t zeros_narrow_ = 0;
    std::uint64_t zeros_ = 0;      // flushed zeros
    std::uint64_t pending_ = 0;    // bound on every 32-bit count: values added since the last flush
    std::uint64_t flush_limit_ = 0xFFFF'FFFFull;
    std::uint64_t n_ = 0;
    double min_ = 0.0;  // meaningful only when n_ > 0
    double max_ = 0.0;
};

}  // namespace flopcast::stats
