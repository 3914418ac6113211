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

}  // namespace

WeightTotals WeightTotals::of(std::span<const double> log_weights) {
    WeightTotals t;
    t.n_ = log_weights.size();
    double m = -std::numeric_limits<double>::infinity();
    for (double lw : log_weights) m = std::max(m, lw);
    if (!(m > -std::numeric_limits<double>::infinity())) return t;
    t.log_scale_ = m;
    for (double lw : log_weights) {
        const double w = std::exp(lw - m);
        t.sum_ += w;
        t.sum_sq_ += w * w;
    }
    return t;
}

WeightTotals WeightTotals::of_scaled(std::span<const double> scaled, double log_scale) {
    WeightTotals t;
    t.n_ = scaled.size();
    if (!(log_scale > -std::numeric_limits<double>::infinity())) return t;
    t.log_scale_ = log_scale;
    for (double w : scaled) {
        t.sum_ += w;
        t.sum_sq_ += w * w;
    }
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
    double sw = 0.0, swx = 0.0, sw2 = 0.0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i], w = weights[i];
        if (!(w > 0) || !std::isfinite(x)) continue;
        sw += w;
        swx += w * x;
        sw2 += w * w;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
        ++n;
    }
    if (n == 0) return {};
    const double mean = swx / sw;
    double m2 = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i], w = weights[i];
        if (!(w > 0) || !std::isfinite(x)) continue;
        const double d = x - mean;
        m2 += w * (d * d);
    }
    return {n, log_scale, sw, sw2, mean, m2, lo, hi};
}

}  // namespace

WeightedMoments WeightedMoments::of(std::span<const double> values, std::span<const double> weights,
                                    double log_scale) {
    // Without branches while every value is finite: a zero weight adds +0 to
    // each sum, which changes no bits of a sum that holds a positive weight
    // (and the sums are exactly those of careful(), term for term).
    double sw = 0.0, swx = 0.0, sw2 = 0.0, check = 0.0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i], w = weights[i];
        check += x - x;  // NaN once some x is not finite
        const bool used = w > 0;
        sw += w;
        swx += w * x;
        sw2 += w * w;
        lo = used ? std::min(lo, x) : lo;
        hi = used ? std::max(hi, x) : hi;
        n += used;
    }
    if (check != 0.0) return from_state(careful(values, weights, log_scale));
    if (n == 0) return WeightedMoments{};
    const double mean = swx / sw;
    double m2 = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double d = values[i] - mean;
        m2 += weights[i] * (d * d);
    }
    return from_state({n, log_scale, sw, sw2, mean, m2, lo, hi});
}

WeightedMoments::BlockWeights WeightedMoments::summarise(std::span<const double> weights) noexcept {
    BlockWeights b;
    b.size = weights.size();
    for (const double w : weights) {
        b.sum += w;
        b.sum_sq += w * w;
        b.positive += w > 0;
    }
    return b;
}

WeightedMoments WeightedMoments::of_block(std::span<const double> values, std::span<const double> weights,
                                          const BlockWeights& b, double log_scale, double lo, double hi) {
    // A zero among the extremes could be -0 here and +0 in of() (std::min
    // keeps the first of equals): of() decides those, as it does partly
    // weighted blocks.
    if (b.positive != b.size || b.size != values.size() || b.size == 0 || lo == 0.0 || hi == 0.0)
        return of(values, weights, log_scale);
    double swx = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) swx += weights[i] * values[i];
    const double mean = swx / b.sum;
    double m2 = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double d = values[i] - mean;
        m2 += weights[i] * (d * d);
    }
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
