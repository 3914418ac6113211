#pragma once
// Applies a distribution's closed-form quantile (distributions/bulk_quantile.hpp)
// to a whole array of uniforms at vector speed: the kernels of
// bulk_kernels.cpp, one per family, written once on Lanes<W> and compiled
// for SSE2, AVX2 and AVX-512.
//
// Same bits at every SIMD level (SSE2, AVX2, AVX-512), thread and process count: the
// kernels are element-wise (lanes.hpp) and use the exp, log and Phi^-1 of
// vector_math.hpp, never the C library's. They agree with the scalar
// quantile() to a few ulps, not bit for bit (measured in
// tests/simd/bulk_quantile_test.cpp).
#include <span>

#include "distributions/bulk_quantile.hpp"
#include "engine/simd/simd_level.hpp"

namespace flopcast::simd {

// out[i] = Q(u[i]) for u in [0, 1]; out may be u. By default at level(),
// not draw_level(): on this project's AMD EPYC (256-bit units, AVX-512 split
// in two halves) the AVX-512 kernels took longer than the AVX2 ones (the
// transform limit 101 against 91 ns a sample with AVX-512 uniforms,
// docs/performance.md), so they run only when asked for by level, as the
// tests do to check their bits.
void apply_quantile(const dist::BulkQuantile& q, std::span<const double> u, std::span<double> out, Level level);
inline void apply_quantile(const dist::BulkQuantile& q, std::span<const double> u, std::span<double> out) {
    apply_quantile(q, u, out, level());
}

}  // namespace flopcast::simd
