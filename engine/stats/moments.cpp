#include "engine/stats/moments.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <cmath>
#include <cstddef>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flopcast::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sums are pairwise, with four interleaved accumulators at the leaves: the
// rounding error grows with log(n) rather than n, and the independent
// accumulators break the add latency chain. The split points depend only on
// n, so the result is the same bits on every run and thread count.
constexpr std::size_t kLeaf = 128;

// Lane l of the leaves accumulates the values i with i % 4 == l, the tail
// goes to lane 0, and the lanes combine as (0 + 1) + (2 + 3): the same
// operations in the same order whether the lanes are scalars or SSE2 pairs,
// so the bits do not depend on the instruction set. With SSE2 (every x86-64)
// the lanes are written as two vector registers because the scalar form was
// not vectorized; min and max use minpd/maxpd, which compute exactly
// v < lo ? v : lo and v > hi ? v : hi.
struct Lanes {
    double v[4];
};

struct FirstPass { double sum, lo, hi; std::uint64_t bad; };  // bad: OR of the bits of x - x

// Sums, minima, maxima and the OR of x - x (+0, all bits clear, for every
// finite x and NaN otherwise) of the first n - n % 4 values, in four lanes.
void first_lanes(const double* x, std::size_t n, Lanes& s, Lanes& lo, Lanes& hi, std::uint64_t& bad) {
    std::size_t i = 0;
#if defined(__SSE2__)
    __m128d s01 = _mm_loadu_pd(s.v), s23 = _mm_loadu_pd(s.v + 2);
    __m128d lo01 = _mm_loadu_pd(lo.v), lo23 = _mm_loadu_pd(lo.v + 2);
    __m128d hi01 = _mm_loadu_pd(hi.v), hi23 = _mm_loadu_pd(hi.v + 2);
    __m128d b01 = _mm_setzero_pd(), b23 = _mm_setzero_pd();
    for (; i + 4 <= n; i += 4) {
        const __m128d a = _mm_loadu_pd(x + i), c = _mm_loadu_pd(x + i + 2);
        s01 = _mm_add_pd(s01, a);
        s23 = _mm_add_pd(s23, c);
        lo01 = _mm_min_pd(a, lo01);  // a < lo ? a : lo
        lo23 = _mm_min_pd(c, lo23);
        hi01 = _mm_max_pd(a, hi01);  // a > hi ? a : hi
        hi23 = _mm_max_pd(c, hi23);
        b01 = _mm_or_pd(b01, _mm_sub_pd(a, a));
        b23 = _mm_or_pd(b23, _mm_sub_pd(c, c));
    }
    _mm_storeu_pd(s.v, s01);
    _mm_storeu_pd(s.v + 2, s23);
    _mm_storeu_pd(lo.v, lo01);
    _mm_storeu_pd(lo.v + 2, lo23);
    _mm_storeu_pd(hi.v, hi01);
    _mm_storeu_pd(hi.v + 2, hi23);
    double b[4];
    _mm_storeu_pd(b, b01);
    _mm_storeu_pd(b + 2, b23);
    for (const double v : b) bad |= std::bit_cast<std::uint64_t>(v);
#else
    for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; ++l) {
            const double v = x[i + l];
            s.v[l] += v;
            lo.v[l] = v < lo.v[l] ? v : lo.v[l];
            hi.v[l] = v > hi.v[l] ? v : hi.v[l];
            bad |= std::bit_cast<std::uint64_t>(v - v);
        }
    }
#endif
}

FirstPass first_pass(const double* x, std::size_t n) {
    if (n > kLeaf) {
        const std::size_t half = n / 2;
        const FirstPass a = first_pass(x, half);
        const FirstPass b = first_pass(x + half, n - half);
        return {a.sum + b.sum, b.lo < a.lo ? b.lo : a.lo, b.hi > a.hi ? b.hi : a.hi, a.bad | b.bad};
    }
    Lanes s{{0.0, 0.0, 0.0, 0.0}};
    Lanes lo{{x[0], x[0], x[0], x[0]}}, hi = lo;
    std::uint64_t bad = 0;
    first_lanes(x, n, s, lo, hi, bad);
    for (std::size_t i = n - n % 4; i < n; ++i) {
        s.v[0] += x[i];
        lo.v[0] = x[i] < lo.v[0] ? x[i] : lo.v[0];
        hi.v[0] = x[i] > hi.v[0] ? x[i] : hi.v[0];
        bad |= std::bit_cast<std::uint64_t>(x[i] - x[i]);
    }
    return {(s.v[0] + s.v[1]) + (s.v[2] + s.v[3]), std::min(std::min(lo.v[0], lo.v[1]), std::min(lo.v[2], lo.v[3])),
            std::max(std::max(hi.v[0], hi.v[1]), std::max(hi.v[2], hi.v[3])), bad};
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
#if defined(__SSE2__)
    const __m128d m = _mm_set1_pd(mean);
    __m128d d01 = _mm_setzero_pd(), d23 = _mm_setzero_pd(), q01 = _mm_setzero_pd(), q23 = _mm_setzero_pd();
    for (; i + 4 <= n; i += 4) {
        const __m128d a = _mm_sub_pd(_mm_loadu_pd(x + i), m), c = _mm_sub_pd(_mm_loadu_pd(x + i + 2), m);
        d01 = _mm_add_pd(d01, a);
        d23 = _mm_add_pd(d23, c);
        q01 = _mm_add_pd(q01, _mm_mul_pd(a, a));
        q23 = _mm_add_pd(q23, _mm_mul_pd(c, c));
    }
    _mm_storeu_pd(d, d01);
    _mm_storeu_pd(d + 2, d23);
    _mm_storeu_pd(q, q01);
    _mm_storeu_pd(q + 2, q23);
#else
    for (; i + 4 <= n; i += 4) {
        for (int l = 0; l < 4; ++l) {
            const double v = x[i + l] - mean;
            d[l] += v;
            q[l] += v * v;
        }
    }
#endif
    for (; i < n; ++i) {
        const double v = x[i] - mean;
        d[0] += v;
        q[0] += v * v;
    }
    return {(d[0] + d[1]) + (d[2] + d[3]), (q[0] + q[1]) + (q[2] + q[3])};
}

}  // namespace

Moments::Scan Moments::scan(std::span<const double> values) {
    if (values.empty()) return {0.0, kNaN, kNaN, true};
    const FirstPass p = first_pass(values.data(), values.size());
    return {p.sum, p.lo, p.hi, p.bad == 0};
}

Moments Moments::of(std::span<const double> values) { return of(values, scan(values)); }

Moments Moments::of(std::span<const double> values, const Scan& p1) {
    Moments m;
    const std::size_t n = values.size();
    if (n == 0) return m;
    const double* x = values.data();
    const double dn = static_cast<double>(n);

    // Corrected two-pass (Chan, Golub & LeVeque): the deviations' own sum
    // measures the error of the first-pass mean and removes it from both the
    // mean and m2.
    const double mean0 = p1.sum / dn;
    const SecondPass p2 = second_pass(x, n, mean0);
    const double dev = p2.dev;
    const double sq = p2.sq;

    m.n_ = n;
    m.mean_ = mean0 + dev / dn;
    m.m2_ = sq - dev * dev / dn;
    if (m.m2_ < 0.0) m.m2_ = 0.0;  // only reachable through rounding
    m.min_ = p1.min;
    m.max_ = p1.max;
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
