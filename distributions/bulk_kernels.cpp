// The bulk quantile kernels of bulk_quantile.hpp, one element-wise function
// per family written once on Lanes<W> and compiled for SSE2 (W = 2) and
// AVX2 (W = 4). Each follows the formula of the family's scalar quantile()
// (Boost.Math's, or the class's own) with exp, log and Phi^-1 from
// engine/simd/vector_math.hpp, and the same endpoint values.
#include <limits>

#include "distributions/bulk_quantile.hpp"
#include "engine/simd/vector_math.hpp"

namespace flopcast::dist {
namespace {

using simd::Lanes;
using simd::select;
using simd::splat;

// mean + sd Phi^-1(u), a chunk at a time (the scores, then the affine map, in L1).
template <int W>
[[gnu::always_inline]] inline void normal(const double* p, const double* u, double* out, std::size_t n) {
    const double mean = p[0], sd = p[1];
    simd::normal_quantiles<W>(u, out, n);
    simd::each<W>(out, out, n, 0.0,
                  [=](typename Lanes<W>::D z) __attribute__((always_inline)) { return mean + sd * z; });
}

// exp(mu + sigma Phi^-1(u)): 0 at u = 0, inf at u = 1.
template <int W>
[[gnu::always_inline]] inline void lognormal(const double* p, const double* u, double* out, std::size_t n) {
    const double mu = p[0], sigma = p[1];
    for (std::size_t at = 0; at < n; at += simd::kNormalChunk) {
        const std::size_t m = n - at < simd::kNormalChunk ? n - at : simd::kNormalChunk;
        simd::normal_quantiles<W>(u + at, out + at, m);
        simd::each<W>(out + at, out + at, m, 0.0, [=](typename Lanes<W>::D z) __attribute__((always_inline)) {
            return simd::exp<W>(mu + sigma * z);
        });
    }
}

// Boost.Math's: u (max - min) + min, max at u = 1. p = {min, max - min, max}.
template <int W>
[[gnu::always_inline]] inline void uniform(const double* p, const double* u, double* out, std::size_t n) {
    const double min = p[0], width = p[1], max = p[2];
    simd::each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        return select<W>(x >= 1.0, splat<W>(max), x * width + min);
    });
}

// Loguniform::quantile: clamp(min exp(u L), min, max), max at u = 1. p = {min, L, max}.
template <int W>
[[gnu::always_inline]] inline void loguniform(const double* p, const double* u, double* out, std::size_t n) {
    const double min = p[0], range = p[1], max = p[2];
    simd::each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto lo = splat<W>(min), hi = splat<W>(max);
        auto y = min * simd::exp<W>(x * range);
        y = select<W>(y < lo, lo, select<W>(hi < y, hi, y));
        return select<W>(x >= 1.0, hi, y);
    });
}

// Boost.Math's triangular quantile. p = {min, mode, max}.
template <int W>
[[gnu::always_inline]] inline void triangular(const double* p, const double* u, double* out, std::size_t n) {
    const double lower = p[0], mode = p[1], upper = p[2];
    const double p0 = (mode - lower) / (upper - lower);
    const double left = (upper - lower) * (mode - lower), right = (upper - lower) * (upper - mode);
    simd::each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto below = simd::sqrt(left * x) + lower;
        const auto above = upper - simd::sqrt(right * (1.0 - x));
        auto y = select<W>(x < p0, below, select<W>(x == p0, splat<W>(mode), above));
        y = select<W>(x <= 0.0, splat<W>(lower), y);
        return select<W>(x >= 1.0, splat<W>(upper), y);
    });
}

// Boost.Math's -log1p(-u) / rate, by simd::neg_log1m.
template <int W>
[[gnu::always_inline]] inline void exponential(const double* p, const double* u, double* out, std::size_t n) {
    const double rate = p[0];
    simd::each<W>(u, out, n, 0.5,
                  [=](typename Lanes<W>::D x) __attribute__((always_inline)) { return simd::neg_log1m<W>(x) / rate; });
}

// scale (-log(1 - u))^(1 / shape), the power as exp(log(.) / shape). p = {shape, scale}.
template <int W>
[[gnu::always_inline]] inline void weibull(const double* p, const double* u, double* out, std::size_t n) {
    const double shape = p[0], scale = p[1];
    simd::each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto e = simd::neg_log1m<W>(x);
        return scale * simd::exp<W>(simd::log<W>(e) / shape);
    });
}

}  // namespace

// One SSE2 and one AVX2 function per family, each with its kernel inlined whole.
#if FLOPCAST_HAVE_AVX2_VARIANTS
#define FLOPCAST_BULK_KERNELS(family)                                                                        \
    [[gnu::flatten]] static void family##_sse2(const double* p, const double* u, double* out, std::size_t n) { \
        family<2>(p, u, out, n);                                                                             \
    }                                                                                                        \
    [[gnu::flatten]] FLOPCAST_TARGET_AVX2 static void family##_avx2(const double* p, const double* u,         \
                                                                    double* out, std::size_t n) {            \
        family<4>(p, u, out, n);                                                                             \
    }                                                                                                        \
    const BulkQuantile::Kernels BulkQuantile::family = {family##_sse2, family##_avx2};
#else
#define FLOPCAST_BULK_KERNELS(family)                                                                        \
    [[gnu::flatten]] static void family##_sse2(const double* p, const double* u, double* out, std::size_t n) { \
        family<2>(p, u, out, n);                                                                             \
    }                                                                                                        \
    const BulkQuantile::Kernels BulkQuantile::family = {family##_sse2, nullptr};
#endif

FLOPCAST_BULK_KERNELS(normal)
FLOPCAST_BULK_KERNELS(lognormal)
FLOPCAST_BULK_KERNELS(uniform)
FLOPCAST_BULK_KERNELS(loguniform)
FLOPCAST_BULK_KERNELS(triangular)
FLOPCAST_BULK_KERNELS(exponential)
FLOPCAST_BULK_KERNELS(weibull)

#undef FLOPCAST_BULK_KERNELS

}  // namespace flopcast::dist
