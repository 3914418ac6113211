#pragma once
// Which vector instructions the engine's hot loops use: AVX2 when the CPU
// has it, SSE2 (every x86-64) otherwise. Loops with a wider variant (the
// formula tapes, the statistics' passes) carry both and pick one per call
// of this, so one binary serves every machine.
//
// The choice never changes a result: the variants perform the same IEEE-754
// operations (+ - * / sqrt, comparisons; no fused multiply-add) on the same
// values in the same order, lane for lane, and each of those operations is
// correctly rounded whatever the vector width. Tests run both and compare
// the bits. FLOPCAST_SIMD=sse2 in the environment forces the SSE2 loops
// (for those tests, or to rule the wide loops out); any other value, or
// none, picks by the CPU.
//
// The draws' kernels alone (Philox uniforms and the bulk quantiles,
// engine/simd/) also have an AVX-512 level, 8 lanes, with the same bits as
// the other two: draw_level() picks it where the CPU has AVX-512F and DQ,
// and the Philox uniforms use it (the bulk quantiles measured slower at
// AVX-512 and keep to level(): bulk_apply.hpp). The rest keeps to level(),
// whose loops have no AVX-512 variant. FLOPCAST_SIMD=avx2 keeps the draws
// at AVX2 (to compare the two).
#include <cstdlib>
#include <string_view>

namespace flopcast::simd {

enum class Level { Sse2, Avx2, Avx512 };

// The AVX-512 variants are built by GCC only: clang refuses 512-bit vector
// arguments between the inlined helpers of a function without the AVX-512
// target ("changes the ABI"), and its one build here (scripts/fuzz.sh, the
// fuzzers) tests parsing, not the draws. Without them the draws keep to
// AVX2, with the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FLOPCAST_HAVE_AVX512_VARIANTS 1
#else
#define FLOPCAST_HAVE_AVX512_VARIANTS 0
#endif

// Whether this CPU (and this build) can run the loops of `l`.
[[nodiscard]] inline bool available(Level l) noexcept {
    if (l == Level::Sse2) return true;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    // libgcc's checks include the OS's saving of the wide registers (XGETBV).
    if (l == Level::Avx512)
        return FLOPCAST_HAVE_AVX512_VARIANTS && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
    return __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

namespace detail {
inline Level detect() noexcept {
    const char* forced = std::getenv("FLOPCAST_SIMD");
    if (forced && std::string_view(forced) == "sse2") return Level::Sse2;
    return available(Level::Avx2) ? Level::Avx2 : Level::Sse2;
}
inline Level detect_draws() noexcept {
    const char* forced = std::getenv("FLOPCAST_SIMD");
    const bool narrow = forced && std::string_view(forced) == "avx2";
    const Level general = detect();
    return general == Level::Avx2 && !narrow && available(Level::Avx512) ? Level::Avx512 : general;
}
}  // namespace detail

// Decided once per process, on first use.
[[nodiscard]] inline Level level() noexcept {
    static const Level chosen = detail::detect();
    return chosen;
}

// The level of the Philox uniforms (philox.hpp's uniforms()): level(),
// or AVX-512 where the CPU has it and AVX2 is not forced.
[[nodiscard]] inline Level draw_level() noexcept {
    static const Level chosen = detail::detect_draws();
    return chosen;
}

[[nodiscard]] inline const char* name(Level l) noexcept {
    return l == Level::Avx512 ? "avx512" : l == Level::Avx2 ? "avx2" : "sse2";
}

}  // namespace flopcast::simd

// Marks a function to be compiled for AVX2 (and only called when level() is
// Avx2). Empty where the compiler or the target cannot do it: the callers
// then keep to the SSE2 variants.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FLOPCAST_HAVE_AVX2_VARIANTS 1
#define FLOPCAST_TARGET_AVX2 __attribute__((target("avx2")))
#define FLOPCAST_TARGET_AVX512 __attribute__((target("avx512f,avx512dq")))
#else
#define FLOPCAST_HAVE_AVX2_VARIANTS 0
#define FLOPCAST_TARGET_AVX2
#define FLOPCAST_TARGET_AVX512
#endif
