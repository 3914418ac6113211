#pragma once
// Streaming weighted count, mean and variance of finite values, and the sums
// of the weights themselves (WeightTotals), for posterior statistics.
//
// Weights arrive as log-weights. A block's weights are scaled by the block's
// largest log-weight (max-shift), so they never all underflow; two
// accumulators merge by rescaling to the larger of their two log-scales.
// Mergeable like Moments: merge() appends the other's values, and the bits
// depend on the merge order, which is why the engine merges blocks along
// OrderedReduction's fixed tree. A weight of zero (log-weight -inf) counts
// as no value at all.
#include <cstdint>
#include <span>

namespace flopcast::stats {

// Sum of the weights and of their squares, held as exp(log_scale) * sum so
// that weights of any magnitude are represented; n counts every world seen,
// weighted or not.
class WeightTotals {
public:
    // The log-weights of one block (any of them may be -inf).
    [[nodiscard]] static WeightTotals of(std::span<const double> log_weights);
    // The same bits as of(log_weights) given scaled[i] = exp(log_weights[i] -
    // log_scale), log_scale their maximum (-inf when every weight is 0).
    [[nodiscard]] static WeightTotals of_scaled(std::span<const double> scaled, double log_scale);
    void merge(const WeightTotals& other);

    [[nodiscard]] std::uint64_t count() const noexcept { return n_; }
    // Kish's effective sample size (sum w)^2 / sum w^2; 0 when every weight is 0.
    [[nodiscard]] double ess() const noexcept;
    // log(sum w / n): the log of the mean weight; -inf when every weight is 0.
    [[nodiscard]] double log_mean_weight() const noexcept;
    [[nodiscard]] bool all_zero() const noexcept { return !(sum_ > 0); }

    struct State { std::uint64_t n; double log_scale, sum, sum_sq; };
    [[nodiscard]] State state() const noexcept { return {n_, log_scale_, sum_, sum_sq_}; }
    [[nodiscard]] static WeightTotals from_state(const State& s) noexcept;

private:
    std::uint64_t n_ = 0;
    double log_scale_ = 0.0;  // meaningful only when sum_ > 0
    double sum_ = 0.0;
    double sum_sq_ = 0.0;
};

class WeightedMoments {
public:
    // `values` and `weights` of one block, the weights already scaled by
    // exp(-log_scale) (so the block's largest is 1). Non-finite values and
    // zero weights are skipped. Two passes (weighted mean, then weighted
    // squared deviations), each sum in four fixed interleaved lanes
    // (weighted_moments.cpp), so the bits do not depend on the compiler.
    [[nodiscard]] static WeightedMoments of(std::span<const double> values, std::span<const double> weights,
                                            double log_scale);
    // What every series of a block shares about its (scaled) weights, summed
    // once per block: the same sums, in the same lanes, of() makes per series.
    struct BlockWeights {
        double sum = 0.0, sum_sq = 0.0;
        std::size_t positive = 0, size = 0;
    };
    [[nodiscard]] static BlockWeights summarise(std::span<const double> weights) noexcept;
    // The same bits as of(values, weights, log_scale), given b =
    // summarise(weights) and lo, hi the minimum and maximum of the values,
    // every one finite (the prior's scan of the block has them): when every
    // weight is positive, one product-sum and one pass of squared deviations.
    [[nodiscard]] static WeightedMoments of_block(std::span<const double> values, std::span<const double> weights,
                                                  const BlockWeights& b, double log_scale, double lo, double hi);
    void merge(const WeightedMoments& other);

    [[nodiscard]] std::uint64_t count() const noexcept { return n_; }  // values with weight > 0
    [[nodiscard]] double mean() const noexcept;      // NaN when no weight
    // Weighted variance with the reliability-weights correction
    // m2 / (W - W2 / W), which is the (n - 1) variance when all weights are equal.
    [[nodiscard]] double variance() const noexcept;
    [[nodiscard]] double std_dev() const noexcept;
    [[nodiscard]] double ess() const noexcept;       // (sum w)^2 / sum w^2 of these values
    [[nodiscard]] double std_error() const noexcept; // std_dev / sqrt(ess)
    [[nodiscard]] double min() const noexcept;       // of the values with weight > 0; NaN when none
    [[nodiscard]] double max() const noexcept;

    struct State { std::uint64_t n; double log_scale, sum_w, sum_w2, mean, m2, min, max; };
    [[nodiscard]] State state() const noexcept { return {n_, log_scale_, sum_w_, sum_w2_, mean_, m2_, min_, max_}; }
    [[nodiscard]] static WeightedMoments from_state(const State& s) noexcept;

private:
    std::uint64_t n_ = 0;
    double log_scale_ = 0.0;
    double sum_w_ = 0.0, sum_w2_ = 0.0;  // scaled by exp(-log_scale_)
    double mean_ = 0.0;
    double m2_ = 0.0;                    // scaled by exp(-log_scale_)
    double min_ = 0.0, max_ = 0.0;
};

}  // namespace flopcast::stats
