#include "engine/stats/moments.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace flopcast::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sums are pairwise, with four interleaved accumulators at the leaves: the
// rounding error grows with log(n) rather than n, and the independent
// accumulators break the add latency chain. The split points depend only on
// n, so the result is the same bits on every run and thread count.
constexpr std::size_t kLeaf = 128;

struct FirstPass { double sum, lo, hi; };

FirstPass first_pass(const double* x, std::size_t n) {
    if (n > kLeaf) {
        const std::size_t half = n / 2;
        const FirstPass a = first_pass(x, half);
        const FirstPass b = first_pass(x + half, n - half);
        return {a.sum + b.sum, b.lo < a.lo ? b.lo : a.lo, b.hi > a.hi ? b.hi : a.hi};
    }
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    double lo[4] = {x[0], x[0], x[0], x[0]};
    double hi[4] = {x[0], x[0], x[0], x[0]};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; ++l) {
            const double v = x[i + l];
            s[l] += v;
            lo[l] = v < lo[l] ? v : lo[l];
            hi[l] = v > hi[l] ? v : hi[l];
        }
    }
    for (; i < n; ++i) {
        s[0] += x[i];
        lo[0] = x[i] < lo[0] ? x[i] : lo[0];
        hi[0] = x[i] > hi[0] ? x[i] : hi[0];
    }
    return {(s[0] + s[1]) + (s[2] + s[3]), std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])),
            std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]))};
}

struct SecondPass { double dev, sq; };  // sums of d and d^2, d = x - mean

SecondPass second_pass(const double* x, std::size_t n, double mean) {
    if (n > kLeaf) {
        const std::size_t half = n / 2;
        const SecondPass a = second_pass(x, half, mean);
        const SecondPass b = second_pass(x + half, n - half, mean);
        return {a.dev + b.dev, a.sq + b.sq};
    }
    double d[4] = {0.0, 0.0, 0.0, 0.0};
    double q[4] = {0.0, 0.0, 0.0, 0.0};
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; ++l) {
            const double v = x[i + l] - mean;
            d[l] += v;
            q[l] += v * v;
        }
    }
    for (; i < n; ++i) {
        const double v = x[i] - mean;
        d[0] += v;
        q[0] += v * v;
    }
    return {(d[0] + d[1]) + (d[2] + d[3]), (q[0] + q[1]) + (q[2] + q[3])};
}

}  // namespace

Moments Moments::of(std::span<const double> values) {
    Moments m;
    const std::size_t n = values.size();
    if (n == 0) return m;
    const double* x = values.data();
    const double dn = static_cast<double>(n);

    // Corrected two-pass (Chan, Golub & LeVeque): the deviations' own sum
    // measures the error of the first-pass mean and removes it from both the
    // mean and m2.
    const FirstPass p1 = first_pass(x, n);
    const double mean0 = p1.sum / dn;
    const SecondPass p2 = second_pass(x, n, mean0);
    const double dev = p2.dev;
    const double sq = p2.sq;

    m.n_ = n;
    m.mean_ = mean0 + dev / dn;
    m.m2_ = sq - dev * dev / dn;
    if (m.m2_ < 0.0) m.m2_ = 0.0;  // only reachable through rounding
    m.min_ = p1.lo;
    m.max_ = p1.hi;
    return m;
}

void Moments::add(double x) {
    if (n_ == 0) {
        *this = Moments::from_state({1, x, 0.0, x, x});
        return;
    }
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
    min_ = x < min_ ? x : min_;
    max_ = x > max_ ? x : max_;
}

void Moments::merge(const Moments& other) {
    if (other.n_ == 0) return;
    if (n_ == 0) {
        *this = other;
        return;
    }
    const double na = static_cast<double>(n_);
    const double nb = static_cast<double>(other.n_);
    const std::uint64_t n = n_ + other.n_;
    const double dn = static_cast<double>(n);
    const double delta = other.mean_ - mean_;
    mean_ += delta * (nb / dn);
    m2_ += other.m2_ + delta * delta * (na * nb / dn);
    n_ = n;
    min_ = other.min_ < min_ ? other.min_ : min_;
    max_ = other.max_ > max_ ? other.max_ : max_;
}

double Moments::mean() const noexcept { return n_ == 0 ? kNaN : mean_; }

double Moments::variance() const noexcept {
    return n_ < 2 ? kNaN : m2_ / static_cast<double>(n_ - 1);
}

double Moments::std_dev() const noexcept { return std::sqrt(variance()); }

double Moments::std_error() const noexcept {
    return n_ < 2 ? kNaN : std_dev() / std::sqrt(static_cast<double>(n_));
}

double Moments::min() const noexcept { return n_ == 0 ? kNaN : min_; }
double Moments::max() const noexcept { return n_ == 0 ? kNaN : max_; }

Moments::State Moments::state() const noexcept { return {n_, mean_, m2_, min_, max_}; }

Moments Moments::from_state(const State& s) noexcept {
    Moments m;
    m.n_ = s.n;
    m.mean_ = s.mean;
    m.m2_ = s.m2;
    m.min_ = s.min;
    m.max_ = s.max;
    return m;
}

}  // namespace flopcast::stats
