#pragma once
// Streaming count, mean, variance, min and max of finite values.
//
// Mergeable: merge() combines two accumulators exactly as if their values had
// been added in sequence (Chan et al.'s pairwise update). Floating-point
// results depend on the order of merges, so the engine always merges blocks in
// block order; that is what makes any thread count give the same bits.
#include <cstdint>
#include <span>

namespace flopcast::stats {

class Moments {
public:
    Moments() = default;

    // Two-pass over one block (mean first, then squared deviations): more
    // accurate than Welford for the ~1e3 values of a block. Sums are pairwise,
    // so the rounding error grows with log(n), and the result depends only on
    // the values and their order. Non-finite values must have been removed by
    // the caller (see SeriesStats).
    [[nodiscard]] static Moments of(std::span<const double> values);

    // The first pass of of(), exposed so that a caller can share it (see
    // block_stats): the sum (pairwise, as of() does it), the minimum and the
    // maximum, and whether every value is finite; when one is not, the other
    // fields mean nothing. Empty values: sum 0, finite, min and max NaN.
    struct Scan { double sum, min, max; bool finite; };
    [[nodiscard]] static Scan scan(std::span<const double> values);
    // The same bits as of(values), given s = scan(values) of finite values.
    [[nodiscard]] static Moments of(std::span<const double> values, const Scan& s);

    void add(double x);
    void merge(const Moments& other);

    [[nodiscard]] std::uint64_t count() const noexcept { return n_; }
    [[nodiscard]] double mean() const noexcept;      // NaN when empty
    [[nodiscard]] double variance() const noexcept;  // sample variance (n - 1); NaN when n < 2
    [[nodiscard]] double std_dev() const noexcept;
    [[nodiscard]] double std_error() const noexcept; // std_dev / sqrt(n)
    [[nodiscard]] double min() const noexcept;       // NaN when empty
    [[nodiscard]] double max() const noexcept;
    [[nodiscard]] double m2() const noexcept { return m2_; }  // sum of squared deviations

    // Exact state, for saving and restoring (checkpoints, shards).
    struct State { std::uint64_t n; double mean, m2, min, max; };
    [[nodiscard]] State state() const noexcept;
    [[nodiscard]] static Moments from_state(const State& s) noexcept;

private:
    std::uint64_t n_ = 0;
    double mean_ = 0.0;
    double m2_ = 0.0;
    double min_ = 0.0;
    double max_ = 0.0;
};

}  // namespace flopcast::stats
