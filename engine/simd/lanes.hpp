#pragma once
// W doubles (or 64-bit integers) at a time, as GCC's generic vectors: the
// element-wise kernels (vector_math.hpp, philox.hpp) are written once on
// Lanes<W> and compiled for W = 2 in SSE2 functions, W = 4 in AVX2
// functions and (the draws' kernels only) W = 8 in AVX-512 ones
// (simd_level.hpp). Every operation acts on each lane alone, with
// the same IEEE-754 operation (+ - * / sqrt, comparisons, bit operations;
// never a fused multiply-add: -ffp-contract=off), so a lane's bits do not
// depend on W nor on its neighbours.
//
// Only what the kernels need: loads, stores, broadcasts, select, square
// root, "any lane", and 32 x 32 -> 64-bit products. The helpers for W = 4
// carry the AVX2 target and are inlined into AVX2 callers only.
#include <cstdint>
#include <cstring>

#include <immintrin.h>

#include "engine/simd/simd_level.hpp"

namespace flopcast::simd {

template <int W>
struct Lanes;  // W = 2 (SSE2), 4 (AVX2) or 8 (AVX-512); D: doubles, I: comparison masks (0 / -1 lanes), U: bits
template <>
struct Lanes<2> {
    typedef double D __attribute__((vector_size(16)));
    typedef std::int64_t I __attribute__((vector_size(16)));
    typedef std::uint64_t U __attribute__((vector_size(16)));
};
template <>
struct Lanes<4> {
    typedef double D __attribute__((vector_size(32)));
    typedef std::int64_t I __attribute__((vector_size(32)));
    typedef std::uint64_t U __attribute__((vector_size(32)));
};

template <>
struct Lanes<8> {
    typedef double D __attribute__((vector_size(64)));
    typedef std::int64_t I __attribute__((vector_size(64)));
    typedef std::uint64_t U __attribute__((vector_size(64)));
};

template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D load(const double* p) {
    typename Lanes<W>::D v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <int W>
[[gnu::always_inline]] inline void store(double* p, typename Lanes<W>::D v) {
    std::memcpy(p, &v, sizeof v);
}
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D splat(double x) {
    return typename Lanes<W>::D{} + x;
}
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::U splat_u(std::uint64_t x) {
    return typename Lanes<W>::U{} + x;
}

// Bit reinterpretations (GCC: a cast between vectors of one size keeps the bits).
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::U bits(typename Lanes<W>::D v) {
    return (typename Lanes<W>::U)v;
}
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D from_bits(typename Lanes<W>::U v) {
    return (typename Lanes<W>::D)v;
}

// Lane by lane: mask ? a : b (mask lanes all ones or all zeros).
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D select(typename Lanes<W>::I mask, typename Lanes<W>::D a,
                                                          typename Lanes<W>::D b) {
    return mask ? a : b;
}

// ---- the helpers that need the instruction set -----------------------------------

[[gnu::always_inline]] inline Lanes<2>::D sqrt(Lanes<2>::D v) { return (Lanes<2>::D)_mm_sqrt_pd((__m128d)v); }
[[gnu::always_inline]] inline bool any(Lanes<2>::I m) { return _mm_movemask_pd((__m128d)m) != 0; }
// Bit l set where lane l of the mask is.
[[gnu::always_inline]] inline unsigned mask_bits(Lanes<2>::I m) { return static_cast<unsigned>(_mm_movemask_pd((__m128d)m)); }
// (a mod 2^32) * (b mod 2^32), full 64-bit products.
[[gnu::always_inline]] inline Lanes<2>::U mul32(Lanes<2>::U a, Lanes<2>::U b) {
    return (Lanes<2>::U)_mm_mul_epu32((__m128i)a, (__m128i)b);
}

#if FLOPCAST_HAVE_AVX2_VARIANTS
FLOPCAST_TARGET_AVX2 inline Lanes<4>::D sqrt(Lanes<4>::D v) {
    return (Lanes<4>::D)_mm256_sqrt_pd((__m256d)v);
}
FLOPCAST_TARGET_AVX2 inline bool any(Lanes<4>::I m) {
    return _mm256_movemask_pd((__m256d)m) != 0;
}
FLOPCAST_TARGET_AVX2 inline unsigned mask_bits(Lanes<4>::I m) {
    return static_cast<unsigned>(_mm256_movemask_pd((__m256d)m));
}
FLOPCAST_TARGET_AVX2 inline Lanes<4>::U mul32(Lanes<4>::U a, Lanes<4>::U b) {
    return (Lanes<4>::U)_mm256_mul_epu32((__m256i)a, (__m256i)b);
}

#endif
#if FLOPCAST_HAVE_AVX512_VARIANTS
// The zero-masked forms, all lanes kept: the same instructions, but GCC 12's
// plain ones pass an "undefined" register that -Wmaybe-uninitialized flags.
FLOPCAST_TARGET_AVX512 inline Lanes<8>::D sqrt(Lanes<8>::D v) {
    return (Lanes<8>::D)_mm512_maskz_sqrt_pd(0xff, (__m512d)v);
}
FLOPCAST_TARGET_AVX512 inline unsigned mask_bits(Lanes<8>::I m) {
    return static_cast<unsigned>(_mm512_test_epi64_mask((__m512i)m, (__m512i)m));
}
FLOPCAST_TARGET_AVX512 inline bool any(Lanes<8>::I m) { return mask_bits(m) != 0; }
FLOPCAST_TARGET_AVX512 inline Lanes<8>::U mul32(Lanes<8>::U a, Lanes<8>::U b) {
    return (Lanes<8>::U)_mm512_maskz_mul_epu32(0xff, (__m512i)a, (__m512i)b);
}
#endif

// Applies the element-wise kernel f (Lanes<W>::D -> Lanes<W>::D) to in[0, n)
// into out (which may be in). The last n mod W values go through one padded
// vector, padded with `pad` (a value inside f's domain): f is element-wise,
// so they get the bits they would get in a full vector.
template <int W, class F>
[[gnu::always_inline]] inline void each(const double* in, double* out, std::size_t n, double pad, F f) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store<W>(out + i, f(load<W>(in + i)));
    if (i < n) {
        double buf[W];
        for (int l = 0; l < W; ++l) buf[l] = i + l < n ? in[i + l] : pad;
        store<W>(buf, f(load<W>(buf)));
        for (std::size_t l = 0; i + l < n; ++l) out[i + l] = buf[l];
    }
}

}  // namespace flopcast::simd
