#pragma once
// Normal scores, the scale on which dependence acts (a correlated group's
// Gaussian copula, a per-year input's AR(1)): uniforms to scores by the
// vectorised Phi^-1, scores back to uniforms by Phi. One copy, shared by
// run::InputSampler and sensitivity::DesignMap, so a design point means what
// a sample of `flopcast run` means.
#include <cmath>
#include <cstddef>

#include "distributions/bulk_quantile.hpp"
#include "engine/simd/bulk_apply.hpp"

namespace flopcast::run {

[[nodiscard]] inline double normal_cdf(double z) { return 0.5 * std::erfc(-z * M_SQRT1_2); }

// Phi^-1 of n values in place (the normal kernel with mean 0 and sd 1: z itself).
inline void normal_quantiles(double* u, std::size_t n) {
    const dist::BulkQuantile standard(dist::BulkQuantile::normal, {0.0, 1.0, 0.0});
    simd::apply_quantile(standard, {u, n}, {u, n});
}

// Keeps a uniform strictly inside (0, 1): Phi of a large normal score rounds
// to 1, and a quantile at 1 is the top of the support (infinite for many).
[[nodiscard]] inline double clamp_open(double u) {
    constexpr double lo = 0x1.0p-60, hi = 1.0 - 0x1.0p-53;
    return u < lo ? lo : (u > hi ? hi : u);
}

// Normal scores of successive years (rows of n) made AR(1) with lag-one
// correlation phi: z_t = phi z_{t-1} + sqrt(1 - phi^2) e_t keeps each year
// standard normal.
inline void ar1(double* z, std::size_t years, std::size_t n, double phi) {
    const double c = std::sqrt(1.0 - phi * phi);
    for (std::size_t t = 1; t < years; ++t)
        for (std::size_t i = 0; i < n; ++i) z[t * n + i] = phi * z[(t - 1) * n + i] + c * z[t * n + i];
}

}  // namespace flopcast::run
