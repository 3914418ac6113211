#pragma once
// Runs an element-wise kernel at every level, for the tests: W = 2 in an
// SSE2 function, W = 4 in an AVX2 one and W = 8 in an AVX-512 one (where
// the CPU has them).
#include <cstddef>
#include <vector>

#include "engine/simd/lanes.hpp"

namespace flopcast::simd::testing {

// Which levels this machine can run (SSE2 always).
inline std::vector<Level> levels() {
    std::vector<Level> out{Level::Sse2};
    if (available(Level::Avx2)) out.push_back(Level::Avx2);
    if (available(Level::Avx512)) out.push_back(Level::Avx512);
    return out;
}

}  // namespace flopcast::simd::testing

// Defines NAME(level, in, out, n) applying KERNEL<W> to every element.
#if FLOPCAST_HAVE_AVX512_VARIANTS
#define FLOPCAST_TEST_KERNEL_AVX512(NAME, KERNEL)                                                           \
    [[gnu::flatten]] FLOPCAST_TARGET_AVX512 static void NAME##_avx512(const double* in, double* out, std::size_t n) { \
        flopcast::simd::each<8>(in, out, n, 0.5, [](flopcast::simd::Lanes<8>::D x) __attribute__((always_inline)) { \
            return KERNEL<8>(x);                                                                            \
        });                                                                                                 \
    }
#define FLOPCAST_TEST_RUN_AVX512(NAME) NAME##_avx512(in.data(), out.data(), in.size())
#else
#define FLOPCAST_TEST_KERNEL_AVX512(NAME, KERNEL)
#define FLOPCAST_TEST_RUN_AVX512(NAME) NAME##_sse2(in.data(), out.data(), in.size())  // never: not available()
#endif
#if FLOPCAST_HAVE_AVX2_VARIANTS
#define FLOPCAST_TEST_KERNEL(NAME, KERNEL)                                                                  \
    [[gnu::flatten]] static void NAME##_sse2(const double* in, double* out, std::size_t n) {                \
        flopcast::simd::each<2>(in, out, n, 0.5, [](flopcast::simd::Lanes<2>::D x) { return KERNEL<2>(x); }); \
    }                                                                                                       \
    [[gnu::flatten]] FLOPCAST_TARGET_AVX2 static void NAME##_avx2(const double* in, double* out, std::size_t n) { \
        flopcast::simd::each<4>(in, out, n, 0.5, [](flopcast::simd::Lanes<4>::D x) __attribute__((always_inline)) { \
            return KERNEL<4>(x);                                                                            \
        });                                                                                                 \
    }                                                                                                       \
    FLOPCAST_TEST_KERNEL_AVX512(NAME, KERNEL)                                                               \
    static std::vector<double> NAME(flopcast::simd::Level level, const std::vector<double>& in) {           \
        std::vector<double> out(in.size());                                                                 \
        if (level == flopcast::simd::Level::Avx512) FLOPCAST_TEST_RUN_AVX512(NAME);                          \
        else if (level == flopcast::simd::Level::Avx2) NAME##_avx2(in.data(), out.data(), in.size());       \
        else NAME##_sse2(in.data(), out.data(), in.size());                                                 \
        return out;                                                                                         \
    }
#else
#define FLOPCAST_TEST_KERNEL(NAME, KERNEL)                                                                  \
    [[gnu::flatten]] static void NAME##_sse2(const double* in, double* out, std::size_t n) {                \
        flopcast::simd::each<2>(in, out, n, 0.5, [](flopcast::simd::Lanes<2>::D x) { return KERNEL<2>(x); }); \
    }                                                                                                       \
    static std::vector<double> NAME(flopcast::simd::Level, const std::vector<double>& in) {                \
        std::vector<double> out(in.size());                                                                 \
        NAME##_sse2(in.data(), out.data(), in.size());                                                      \
        return out;                                                                                         \
    }
#endif
