// The kernels of bulk_apply.hpp, one element-wise function per family of
// distributions/bulk_quantile.hpp, written once on Lanes<W> and compiled for
// SSE2 (W = 2), AVX2 (W = 4) and AVX-512 (W = 8). Each follows the formula of the family's
// scalar quantile() (Boost.Math's, or the class's own) with exp, log and
// Phi^-1 from vector_math.hpp, and the same endpoint values.
#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "engine/simd/bulk_apply.hpp"
#include "engine/simd/vector_math.hpp"

namespace flopcast::simd {
namespace {

using Family = dist::BulkQuantile::Family;

// mean + sd Phi^-1(u), a chunk at a time (the scores, then the affine map, in L1).
template <int W>
[[gnu::always_inline]] inline void normal(const double* p, const double* u, double* out, std::size_t n) {
    const double mean = p[0], sd = p[1];
    normal_quantiles<W>(u, out, n);
    each<W>(out, out, n, 0.0,
                  [=](typename Lanes<W>::D z) __attribute__((always_inline)) { return mean + sd * z; });
}

// exp(mu + sigma Phi^-1(u)): 0 at u = 0, inf at u = 1.
template <int W>
[[gnu::always_inline]] inline void lognormal(const double* p, const double* u, double* out, std::size_t n) {
    const double mu = p[0], sigma = p[1];
    for (std::size_t at = 0; at < n; at += kNormalChunk) {
        const std::size_t m = n - at < kNormalChunk ? n - at : kNormalChunk;
        normal_quantiles<W>(u + at, out + at, m);
        each<W>(out + at, out + at, m, 0.0, [=](typename Lanes<W>::D z) __attribute__((always_inline)) {
            return exp<W>(mu + sigma * z);
        });
    }
}

// Boost.Math's: u (max - min) + min, max at u = 1. p = {min, max - min, max}.
template <int W>
[[gnu::always_inline]] inline void uniform(const double* p, const double* u, double* out, std::size_t n) {
    const double min = p[0], width = p[1], max = p[2];
    each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        return select<W>(x >= 1.0, splat<W>(max), x * width + min);
    });
}

// Loguniform::quantile: clamp(min exp(u L), min, max), max at u = 1. p = {min, L, max}.
template <int W>
[[gnu::always_inline]] inline void loguniform(const double* p, const double* u, double* out, std::size_t n) {
    const double min = p[0], range = p[1], max = p[2];
    each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto lo = splat<W>(min), hi = splat<W>(max);
        auto y = min * exp<W>(x * range);
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
    each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto below = sqrt(left * x) + lower;
        const auto above = upper - sqrt(right * (1.0 - x));
        auto y = select<W>(x < p0, below, select<W>(x == p0, splat<W>(mode), above));
        y = select<W>(x <= 0.0, splat<W>(lower), y);
        return select<W>(x >= 1.0, splat<W>(upper), y);
    });
}

// Boost.Math's -log1p(-u) / rate, by neg_log1m.
template <int W>
[[gnu::always_inline]] inline void exponential(const double* p, const double* u, double* out, std::size_t n) {
    const double rate = p[0];
    each<W>(u, out, n, 0.5,
                  [=](typename Lanes<W>::D x) __attribute__((always_inline)) { return neg_log1m<W>(x) / rate; });
}

// scale (-log(1 - u))^(1 / shape), the power as exp(log(.) / shape). p = {shape, scale}.
template <int W>
[[gnu::always_inline]] inline void weibull(const double* p, const double* u, double* out, std::size_t n) {
    const double shape = p[0], scale = p[1];
    each<W>(u, out, n, 0.5, [=](typename Lanes<W>::D x) __attribute__((always_inline)) {
        const auto e = neg_log1m<W>(x);
        return scale * exp<W>(log<W>(e) / shape);
    });
}

// p: the parameters; out[i] = Q(u[i]).
using Kernel = void (*)(const double* p, const double* u, double* out, std::size_t n);
struct Kernels {
    Kernel sse2;
    Kernel avx2;    // null where the build has no AVX2 variants
    Kernel avx512;  // likewise
};

// One SSE2, one AVX2 and one AVX-512 function per family, each with its
// kernel inlined whole (the wide ones where the build has them).
#define FLOPCAST_KERNEL_AT(family, level, W, target)                                                 \
    [[gnu::flatten]] target void family##_##level(const double* p, const double* u, double* out, std::size_t n) { \
        family<W>(p, u, out, n);                                                                     \
    }
#if FLOPCAST_HAVE_AVX512_VARIANTS
#define FLOPCAST_BULK_KERNELS(family)                                \
    FLOPCAST_KERNEL_AT(family, sse2, 2, )                            \
    FLOPCAST_KERNEL_AT(family, avx2, 4, FLOPCAST_TARGET_AVX2)        \
    FLOPCAST_KERNEL_AT(family, avx512, 8, FLOPCAST_TARGET_AVX512)    \
    constexpr Kernels family##_kernels = {family##_sse2, family##_avx2, family##_avx512};
#elif FLOPCAST_HAVE_AVX2_VARIANTS
#define FLOPCAST_BULK_KERNELS(family)                                \
    FLOPCAST_KERNEL_AT(family, sse2, 2, )                            \
    FLOPCAST_KERNEL_AT(family, avx2, 4, FLOPCAST_TARGET_AVX2)        \
    constexpr Kernels family##_kernels = {family##_sse2, family##_avx2, nullptr};
#else
#define FLOPCAST_BULK_KERNELS(family)                                \
    FLOPCAST_KERNEL_AT(family, sse2, 2, )                            \
    constexpr Kernels family##_kernels = {family##_sse2, nullptr, nullptr};
#endif

FLOPCAST_BULK_KERNELS(normal)
FLOPCAST_BULK_KERNELS(lognormal)
FLOPCAST_BULK_KERNELS(uniform)
FLOPCAST_BULK_KERNELS(loguniform)
FLOPCAST_BULK_KERNELS(triangular)
FLOPCAST_BULK_KERNELS(exponential)
FLOPCAST_BULK_KERNELS(weibull)

#undef FLOPCAST_BULK_KERNELS

const Kernels& kernels(Family f) {
    switch (f) {
        case Family::normal: return normal_kernels;
        case Family::lognormal: return lognormal_kernels;
        case Family::uniform: return uniform_kernels;
        case Family::loguniform: return loguniform_kernels;
        case Family::triangular: return triangular_kernels;
        case Family::exponential: return exponential_kernels;
        case Family::weibull: return weibull_kernels;
    }
    throw std::logic_error("apply_quantile: unknown family");
}

}  // namespace

void apply_quantile(const dist::BulkQuantile& q, std::span<const double> u, std::span<double> out, Level level) {
    if (u.size() != out.size()) throw std::invalid_argument("apply_quantile: u and out differ in length");
    if (!available(level)) throw std::invalid_argument(std::string("this CPU cannot run the ") + name(level) + " loops");
    const double* arg = u.data();
    if (q.truncated()) {
        // Truncated::quantile's argument, in place in out.
        const double f_lo = q.f_lo(), f_hi = q.f_hi(), mass = f_hi - f_lo;
        for (std::size_t i = 0; i < u.size(); ++i) out[i] = std::min(f_lo + u[i] * mass, f_hi);
        arg = out.data();
    }
    const Kernels& k = kernels(q.family());
    const Kernel run = level == Level::Avx512 && k.avx512 ? k.avx512 : level == Level::Avx2 && k.avx2 ? k.avx2 : k.sse2;
    run(q.parameters().data(), arg, out.data(), out.size());
    for (std::size_t c = 0; c < q.clamp_count(); ++c) {
        const auto [lo, hi] = q.clamp_at(c);
        for (double& x : out) x = x < lo ? lo : (hi < x ? hi : x);  // std::clamp's order
    }
}

}  // namespace flopcast::simd
