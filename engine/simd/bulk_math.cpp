// The array forms of bulk_math.hpp: vector_math.hpp's exp and log through
// lanes.hpp's each(), an SSE2 and an AVX2 function apiece.
#include "engine/simd/bulk_math.hpp"

#include <stdexcept>
#include <string>

#include "engine/simd/vector_math.hpp"

namespace flopcast::simd {
namespace {

template <int W>
[[gnu::always_inline]] inline void exp_all(const double* x, double* out, std::size_t n) {
    each<W>(x, out, n, 0.0, [](typename Lanes<W>::D v) __attribute__((always_inline)) { return exp<W>(v); });
}
template <int W>
[[gnu::always_inline]] inline void log_all(const double* x, double* out, std::size_t n) {
    each<W>(x, out, n, 1.0, [](typename Lanes<W>::D v) __attribute__((always_inline)) { return log<W>(v); });
}

[[gnu::flatten]] void exp_sse2(const double* x, double* out, std::size_t n) { exp_all<2>(x, out, n); }
[[gnu::flatten]] void log_sse2(const double* x, double* out, std::size_t n) { log_all<2>(x, out, n); }
#if FLOPCAST_HAVE_AVX2_VARIANTS
[[gnu::flatten]] FLOPCAST_TARGET_AVX2 void exp_avx2(const double* x, double* out, std::size_t n) { exp_all<4>(x, out, n); }
[[gnu::flatten]] FLOPCAST_TARGET_AVX2 void log_avx2(const double* x, double* out, std::size_t n) { log_all<4>(x, out, n); }
#endif

using Pass = void (*)(const double* x, double* out, std::size_t n);

// Checks the arguments, then runs the level's pass (AVX2's where the level
// is wider: there are no AVX-512 ones).
void run(std::span<const double> x, std::span<double> out, Level level, const char* what, Pass sse2, Pass avx2) {
    if (x.size() != out.size()) throw std::invalid_argument(std::string(what) + ": x and out differ in length");
    if (!available(level)) throw std::invalid_argument(std::string("this CPU cannot run the ") + name(level) + " loops");
    (level != Level::Sse2 && avx2 ? avx2 : sse2)(x.data(), out.data(), x.size());
}

}  // namespace

#if FLOPCAST_HAVE_AVX2_VARIANTS
void exp(std::span<const double> x, std::span<double> out, Level level) { run(x, out, level, "simd::exp", exp_sse2, exp_avx2); }
void log(std::span<const double> x, std::span<double> out, Level level) { run(x, out, level, "simd::log", log_sse2, log_avx2); }
#else
void exp(std::span<const double> x, std::span<double> out, Level level) { run(x, out, level, "simd::exp", exp_sse2, nullptr); }
void log(std::span<const double> x, std::span<double> out, Level level) { run(x, out, level, "simd::log", log_sse2, nullptr); }
#endif

}  // namespace flopcast::simd
