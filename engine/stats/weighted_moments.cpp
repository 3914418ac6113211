#include "engine/stats/weighted_moments.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flopcast::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Factors that bring two log-scales to the larger one: exactly 1 for the
// larger, exp(difference) <= 1 for the other.
struct Rescale { double scale, fa, fb; };
Rescale rescale(double a, double b) {
    if (a >= b) return {a, 1.0, std::exp(b - a)};
    return {b, std::exp(a - b), 1.0};
}

// Every sum over a block here is taken in four interleaved partial sums,
// element i into lane i mod 4, combined as (s0 + s1) + (s2 + s3): a fixed
// order whatever the compiler or the SIMD level makes of the loop, and four
// independent chains of additions instead of one, so a pass is bound by
// throughput rather than by the latency of each add (a sequential sum of
// 2048 values waited about 4 cycles a value). All the paths (careful(),
// of(), of_block(), summarise(), WeightTotals) sum this way, so that their
// bits agree term for term; a skipped value adds +0 to its lane, which
// changes no bits (a lane starts at +0 and never becomes -0).
struct Lanes4 {
    double v[4] = {0.0, 0.0, 0.0, 0.0};
    [[nodiscard]] double total() const noexcept { return (v[0] + v[1]) + (v[2] + v[3]); }
};

// Calls f(i, lane) for i in [0, n): the unrolled body first, so that the
// four lanes stay in registers, then the remainder (n - n mod 4 is a
// multiple of 4, so element i still goes to lane i mod 4).
template <class F>
[[gnu::always_inline]] inline void each_in_lanes(std::size_t n, F f) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        f(i, 0);
        f(i + 1, 1);
        f(i + 2, 2);
        f(i + 3, 3);
    }
    for (; i < n; ++i) f(i, static_cast<int>(i & 3));
}

// The two sums of of_block(), the hot path, in the same four lanes written
// as two-double vectors (SSE2: lanes 0-1 and 2-3 each one register), which
// GCC does not find from each_in_lanes() on its own; the bits are those of
// each_in_lanes() with the same terms.
typedef double Pair __attribute__((vector_size(16)));
inline Pair load_pair(const double* p) {
    Pair v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
// sum of w[i] * x[i]
double product_sum(const double* w, const double* x, std::size_t n) {
    Pair a = {0.0, 0.0}, b = {0.0, 0.0};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a += load_pair(w + i) * load_pair(x + i);
        b += load_pair(w + i + 2) * load_pair(x + i + 2);
    }
    Lanes4 l{{a[0], a[1], b[0], b[1]}};
    for (; i < n; ++i) l.v[i & 3] += w[i] * x[i];
    return l.total();
}
// sum of w[i] * (x[i] - mean)^2
double deviation_sum(const double* w, const double* x, double mean, std::size_t n) {
    const Pair m = {mean, mean};
    Pair a = {0.0, 0.0}, b = {0.0, 0.0};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const Pair d = load_pair(x + i) - m, e = load_pair(x + i + 2) - m;
        a += load_pair(w + i) * (d * d);
        b += load_pair(w + i + 2) * (e * e);
    }
    Lanes4 l{{a[0], a[1], b[0], b[1]}};
    for (; i < n; ++i) {
        const double d = x[i] - mean;
        l.v[i & 3] += w[i] * (d * d);
    }
    return l.total();
}

}  // namespace

WeightTotals WeightTotals::of(std::span<const double> log_weights) {
    WeightTotals t;
    t.n_ = log_weights.size();
    double m = -std::numeric_limits<double>::infinity();
    for (double lw : log_weights) m = std::max(m, lw);
    if (!(m > -std::numeric_limits<double>::infinity())) return t;
    t.log_scale_ = m;
    Lanes4 sum, sum_sq;
    each_in_lanes(log_weights.size(), [&](std::size_t i, int l) {
        const double w = std::exp(log_weights[i] - m);
        sum.v[l] += w;
        sum_sq.v[l] += w * w;
    });
    t.sum_ = sum.total(), t.sum_sq_ = sum_sq.total();
    return t;
}

WeightTotals WeightTotals::of_scaled(std::span<const double> scaled, double log_scale) {
    WeightTotals t;
    t.n_ = scaled.size();
    if (!(log_scale > -std::numeric_limits<double>::infinity())) return t;
    t.log_scale_ = log_scale;
    Lanes4 sum, sum_sq;
    each_in_lanes(scaled.size(), [&](std::size_t i, int l) {
        sum.v[l] += scaled[i];
        sum_sq.v[l] += scaled[i] * scaled[i];
    });
    t.sum_ = sum.total(), t.sum_sq_ = sum_sq.total();
    return t;
}

void WeightTotals::merge(const WeightTotals& o) {
    n_ += o.n_;
    if (!(o.sum_ > 0)) return;
    if (!(sum_ > 0)) {
        log_scale_ = o.log_scale_, sum_ = o.sum_, sum_sq_ = o.sum_sq_;
        return;
    }
    const Rescale r = rescale(log_scale_, o.log_scale_);
    log_scale_ = r.scale;
    sum_ = sum_ * r.fa + o.sum_ * r.fb;
    sum_sq_ = sum_sq_ * (r.fa * r.fa) + o.sum_sq_ * (r.fb * r.fb);
}

double WeightTotals::ess() const noexcept { return sum_ > 0 ? sum_ * sum_ / sum_sq_ : 0.0; }

double WeightTotals::log_mean_weight() const noexcept {
    if (!(sum_ > 0) || n_ == 0) return -std::numeric_limits<double>::infinity();
    return log_scale_ + std::log(sum_) - std::log(static_cast<double>(n_));
}

WeightTotals WeightTotals::from_state(const State& s) noexcept {
    WeightTotals t;
    t.n_ = s.n, t.log_scale_ = s.log_scale, t.sum_ = s.sum, t.sum_sq_ = s.sum_sq;
    return t;
}

namespace {

// of() for values that may be non-finite: each skipped by a branch.
WeightedMoments::State careful(std::span<const double> values, std::span<const double> weights, double log_scale) {
    const auto skipped = [&](std::size_t i) { return !(weights[i] > 0) || !std::isfinite(values[i]); };
    Lanes4 sw, swx, sw2;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::uint64_t n = 0;
    each_in_lanes(values.size(), [&](std::size_t i, int l) {
        if (skipped(i)) return;
        const double x = values[i], w = weights[i];
        sw.v[l] += w;
        swx.v[l] += w * x;
        sw2.v[l] += w * w;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
        ++n;
    });
    if (n == 0) return {};
    const double sum_w = sw.total(), mean = swx.total() / sum_w;
    Lanes4 m2;
    each_in_lanes(values.size(), [&](std::size_t i, int l) {
        if (skipped(i)) return;
        const double d = values[i] - mean;
        m2.v[l] += weights[i] * (d * d);
    });
    return {n, log_scale, sum_w, sw2.total(), mean, m2.total(), lo, hi};
}

}  // namespace

WeightedMoments WeightedMoments::of(std::span<const double> values, std::span<const double> weights,
                                    double log_scale) {
    // Without branches while every value is finite: a zero weight adds +0 to
    // each sum, which changes no bits of a sum that holds a positive weight
    // (and the sums are exactly those of careful(), term for term).
    Lanes4 sw, swx, sw2;
    double check = 0.0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::uint64_t n = 0;
    each_in_lanes(values.size(), [&](std::size_t i, int l) {
        const double x = values[i], w = weights[i];
        check += x - x;  // NaN once some x is not finite
        const bool used = w > 0;
        sw.v[l] += w;
        swx.v[l] += w * x;
        sw2.v[l] += w * w;
        lo = used ? std::min(lo, x) : lo;
        hi = used ? std::max(hi, x) : hi;
        n += used;
    });
    if (check != 0.0) return from_state(careful(values, weights, log_scale));
    if (n == 0) return WeightedMoments{};
    const double sum_w = sw.total(), mean = swx.total() / sum_w;
    // A zero weight adds +0 here too, but by a select, not a product: an
    // excluded world far from the mean (|d| above 1e154) has d * d = inf,
    // and 0 * inf would make m2 NaN. The same bits as careful() otherwise.
    Lanes4 m2;
    each_in_lanes(values.size(), [&](std::size_t i, int l) {
        const double d = values[i] - mean;
        m2.v[l] += weights[i] > 0 ? weights[i] * (d * d) : 0.0;
    });
    return from_state({n, log_scale, sum_w, sw2.total(), mean, m2.total(), lo, hi});
}

WeightedMoments::BlockWeights WeightedMoments::summarise(std::span<const double> weights) noexcept {
    BlockWeights b;
    b.size = weights.size();
    Lanes4 sum, sum_sq;
    each_in_lanes(weights.size(), [&](std::size_t i, int l) {
        sum.v[l] += weights[i];
        sum_sq.v[l] += weights[i] * weights[i];
        b.positive += weights[i] > 0;
    });
    b.sum = sum.total(), b.sum_sq = sum_sq.total();
    return b;
}

WeightedMoments WeightedMoments::of_block(std::span<const double> values, std::span<const double> weights,
                                          const BlockWeights& b, double log_scale, double lo, double hi) {
    // A zero among the extremes could be -0 here and +0 in of() (std::min
    // keeps the first of equals): of() decides those, as it does partly
    // weighted blocks.
    if (b.positive != b.size || b.size != values.size() || b.size == 0 || lo == 0.0 || hi == 0.0)
        return of(values, weights, log_scale);
    const double mean = product_sum(weights.data(), values.data(), values.size()) / b.sum;
    const double m2 = deviation_sum(weights.data(), values.data(), mean, values.size());
    return from_state({b.size, log_scale, b.sum, b.sum_sq, mean, m2, lo, hi});
}

void WeightedMoments::merge(const WeightedMoments& o) {
    if (o.n_ == 0) return;
    if (n_ == 0) {
        *this = o;
        return;
    }
    // West's weighted form of Chan et al.'s update, after rescaling both to
    // the larger log-scale.
    const Rescale r = rescale(log_scale_, o.log_scale_);
    const double wa = sum_w_ * r.fa, wb = o.sum_w_ * r.fb;
    const double w = wa + wb;
    const double delta = o.mean_ - mean_;
    log_scale_ = r.scale;
    if (w > 0) {
        mean_ = mean_ + delta * (wb / w);
        m2_ = m2_ * r.fa + o.m2_ * r.fb + delta * delta * (wa * (wb / w));
    }
    sum_w_ = w;
    sum_w2_ = sum_w2_ * (r.fa * r.fa) + o.sum_w2_ * (r.fb * r.fb);
    n_ += o.n_;
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
}

double WeightedMoments::mean() const noexcept { return n_ > 0 && sum_w_ > 0 ? mean_ : kNaN; }

double WeightedMoments::variance() const noexcept {
    if (n_ < 2 || !(sum_w_ > 0)) return kNaN;
    const double denominator = sum_w_ - sum_w2_ / sum_w_;
    return denominator > 0 ? m2_ / denominator : kNaN;
}

double WeightedMoments::std_dev() const noexcept { return std::sqrt(variance()); }

double WeightedMoments::ess() const noexcept { return sum_w_ > 0 ? sum_w_ * sum_w_ / sum_w2_ : 0.0; }

double WeightedMoments::std_error() const noexcept { return std_dev() / std::sqrt(ess()); }

double WeightedMoments::min() const noexcept { return n_ > 0 ? min_ : kNaN; }
double WeightedMoments::max() const noexcept { return n_ > 0 ? max_ : kNaN; }

WeightedMoments WeightedMoments::from_state(const State& s) noexcept {
    WeightedMoments m;
    m.n_ = s.n, m.log_scale_ = s.log_scale, m.sum_w_ = s.sum_w, m.sum_w2_ = s.sum_w2, m.mean_ = s.mean, m.m2_ = s.m2;
    m.min_ = s.min, m.max_ = s.max;
    return m;
}

}  // namespace flopcast::stats
