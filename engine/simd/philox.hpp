#pragma once
// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011; Random123's philox4x32), W counters at a time,
// turned into uniform doubles.
//
// A counter-based generator: output j of a stream is a pure function of
// (key, counter j), so a block's stream starts anywhere at no cost (no
// seeding, no skip-ahead) and every lane computes its own counter with
// 32 x 32 -> 64-bit products, which SSE2, AVX2 and AVX-512 have (pmuludq). Integer
// operations only, so the bits are those of Random123's scalar code at any
// W (tested against it: tests/simd/philox_test.cpp).
//
// Layout of one stream (key, c2, c3): call j has the counter (j, 0, c2, c3)
// and gives two 64-bit words, w0 = x1:x0 and w1 = x3:x2. Values come in
// groups of 16 from 8 calls: value 16 g + l (l < 8) is w0 of call 8 g + l,
// value 16 g + 8 + l is w1 of the same call. Fixed, so it does not depend
// on W (2, 4 and 8 all divide 8), and value i can be recomputed alone.
//
// A word w becomes ((w >> 12) + 1/2) 2^-52: the centre of one of 2^52 equal
// cells of (0, 1), never 0 or 1, and 1 - u is exact, so quantile functions
// get both tails to the same resolution.
#include <cstddef>
#include <cstdint>

#include "engine/simd/lanes.hpp"

namespace flopcast::simd {

inline constexpr std::size_t kPhiloxGroup = 16;  // values per group of 8 calls

struct PhiloxStream {
    std::uint32_t k0, k1;  // key
    std::uint32_t c2, c3;  // the counter's fixed words
};

// The round keys of a stream: the key's Weyl sequence, mod 2^32, broadcast.
template <int W>
struct PhiloxKeys {
    typename Lanes<W>::U k0[10], k1[10];
    explicit PhiloxKeys(const PhiloxStream& s) {
        for (std::uint32_t round = 0; round < 10; ++round) {
            k0[round] = splat_u<W>(static_cast<std::uint32_t>(s.k0 + round * 0x9E3779B9u));
            k1[round] = splat_u<W>(static_cast<std::uint32_t>(s.k1 + round * 0xBB67AE85u));
        }
    }
};

// The 4 words of Philox4x32-10 for counters (c0 lanes, 0, s.c2, s.c3), each
// in the low half of a 64-bit lane. Between rounds the high halves are left
// unmasked: pmuludq reads only the low 32 bits, and the words are masked
// once at the end.
template <int W>
[[gnu::always_inline]] inline void philox4x32_10(typename Lanes<W>::U c0, const PhiloxStream& s, const PhiloxKeys<W>& keys,
                                                 typename Lanes<W>::U x[4]) {
    using U = typename Lanes<W>::U;
    const U m0 = splat_u<W>(0xD2511F53u), m1 = splat_u<W>(0xCD9E8D57u), low = splat_u<W>(0xffffffffu);
    U x0 = c0, x1 = splat_u<W>(0), x2 = splat_u<W>(s.c2), x3 = splat_u<W>(s.c3);
    for (int round = 0; round < 10; ++round) {
        const U p0 = mul32(x0, m0), p1 = mul32(x2, m1);
        x0 = (p1 >> 32) ^ x1 ^ keys.k0[round];
        x2 = (p0 >> 32) ^ x3 ^ keys.k1[round];
        x1 = p1;
        x3 = p0;
    }
    x[0] = x0 & low, x[1] = x1 & low, x[2] = x2 & low, x[3] = x3 & low;
}
template <int W>
[[gnu::always_inline]] inline void philox4x32_10(typename Lanes<W>::U c0, const PhiloxStream& s, typename Lanes<W>::U x[4]) {
    philox4x32_10<W>(c0, s, PhiloxKeys<W>(s), x);
}

template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D unit_interval(typename Lanes<W>::U lo32, typename Lanes<W>::U hi32) {
    const typename Lanes<W>::U w = (hi32 << 32) | lo32;
    return from_bits<W>((w >> 12) | 0x3ff0000000000000ULL) - (1.0 - 0x1p-53);
}

// Values [16 g, 16 g + 16) of stream s into out[0, 16).
template <int W>
[[gnu::always_inline]] inline void philox_group(const PhiloxStream& s, const PhiloxKeys<W>& keys, std::uint64_t g,
                                                double* out) {
    using U = typename Lanes<W>::U;
    U lane{};
    for (int l = 0; l < W; ++l) lane[l] = static_cast<std::uint64_t>(l);
    for (int l = 0; l < 8; l += W) {
        U x[4];
        philox4x32_10<W>(lane + (8 * g + l), s, keys, x);
        store<W>(out + l, unit_interval<W>(x[0], x[1]));
        store<W>(out + 8 + l, unit_interval<W>(x[2], x[3]));
    }
}

// Values [first, first + n) of stream s into out. Call indices are 32 bits:
// a stream has 2^36 values (far more than a block uses).
template <int W>
[[gnu::always_inline]] inline void philox_uniforms(const PhiloxStream& s, std::uint64_t first, double* out, std::size_t n) {
    const PhiloxKeys<W> keys(s);
    std::size_t i = 0;
    // Whole groups straight into out, partial ones through a buffer.
    while (i < n) {
        const std::uint64_t at = first + i;
        const std::uint64_t g = at / kPhiloxGroup;
        const std::size_t skip = at % kPhiloxGroup;
        if (skip == 0 && n - i >= kPhiloxGroup) {
            philox_group<W>(s, keys, g, out + i);
            i += kPhiloxGroup;
        } else {
            double buf[kPhiloxGroup];
            philox_group<W>(s, keys, g, buf);
            for (std::size_t l = skip; l < kPhiloxGroup && i < n; ++l) out[i++] = buf[l];
        }
    }
}

// Dispatch by level (uniforms.cpp).
void uniforms(const PhiloxStream& s, std::uint64_t first, double* out, std::size_t n, Level level);
inline void uniforms(const PhiloxStream& s, std::uint64_t first, double* out, std::size_t n) {
    uniforms(s, first, out, n, draw_level());
}

}  // namespace flopcast::simd
