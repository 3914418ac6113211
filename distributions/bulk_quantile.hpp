#pragma once
// A distribution's quantile function applied to a whole array of uniforms
// at vector speed: what Monte Carlo draws, Latin hypercube and Sobol designs
// use for every family whose quantile vectorizes (normal, lognormal,
// uniform, loguniform, triangular, exponential, Weibull, and each of them
// truncated and / or clipped). The catalogue (factory.cpp) gives each family
// its kernel; bulk_quantile() in factory.hpp builds one for a distribution,
// or nothing when the family has none (its draws then keep Boost.Random).
//
// Same bits at every SIMD level (SSE2, AVX2), thread and process count: the
// kernels are element-wise (engine/simd/lanes.hpp) and use exp, log and
// Phi^-1 of engine/simd/vector_math.hpp, never the C library's. They agree
// with the scalar quantile() to a few ulps, not bit for bit (measured in
// tests/distributions/test_bulk_quantile.cpp).
#include <array>
#include <cstddef>
#include <span>

#include "engine/simd/simd_level.hpp"

namespace flopcast::dist {

class BulkQuantile {
public:
    // out[i] = Q(u[i]) for the family's parameters p; u in [0, 1].
    using Kernel = void (*)(const double* p, const double* u, double* out, std::size_t n);
    struct Kernels {
        Kernel sse2;
        Kernel avx2;  // null where the build has no AVX2 variants
    };
    // The kernels of each family (bulk_kernels.cpp), for the catalogue's rows.
    static const Kernels normal, lognormal, uniform, loguniform, triangular, exponential, weibull;

    BulkQuantile(const Kernels& kernels, std::array<double, 3> parameters) : kernels_(&kernels), p_(parameters) {}

    // Truncation by inverse CDF (truncated.hpp): the kernel's argument becomes
    // min(f_lo + u (f_hi - f_lo), f_hi) and its result is clamped to [lo, hi].
    // Returns false (and changes nothing) if already truncated.
    bool truncate(double f_lo, double f_hi, double lo, double hi);
    // std::clamp(x, lo, hi) of every result, after any earlier one.
    void clamp(double lo, double hi);

    // out[i] = Q(u[i]); out may be u.
    void apply(std::span<const double> u, std::span<double> out, simd::Level level) const;
    void apply(std::span<const double> u, std::span<double> out) const { apply(u, out, simd::level()); }

private:
    struct Bounds {
        double lo, hi;
    };
    const Kernels* kernels_;
    std::array<double, 3> p_;
    bool truncated_ = false;
    double f_lo_ = 0, f_hi_ = 1;
    std::array<Bounds, 2> clamps_{};
    std::size_t clamp_count_ = 0;
};

}  // namespace flopcast::dist
