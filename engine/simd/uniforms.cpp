#include <stdexcept>
#include <string>

#include "engine/simd/philox.hpp"

namespace flopcast::simd {
namespace {

[[gnu::flatten]] void uniforms_sse2(const PhiloxStream& s, std::uint64_t first, double* out, std::size_t n) {
    philox_uniforms<2>(s, first, out, n);
}

#if FLOPCAST_HAVE_AVX2_VARIANTS
[[gnu::flatten]] FLOPCAST_TARGET_AVX2 void uniforms_avx2(const PhiloxStream& s, std::uint64_t first, double* out,
                                                         std::size_t n) {
    philox_uniforms<4>(s, first, out, n);
}
#endif
#if FLOPCAST_HAVE_AVX512_VARIANTS
[[gnu::flatten]] FLOPCAST_TARGET_AVX512 void uniforms_avx512(const PhiloxStream& s, std::uint64_t first, double* out,
                                                             std::size_t n) {
    philox_uniforms<8>(s, first, out, n);
}
#endif

}  // namespace

void uniforms(const PhiloxStream& s, std::uint64_t first, double* out, std::size_t n, Level level) {
    if (!available(level)) throw std::invalid_argument(std::string("this CPU cannot run the ") + name(level) + " loops");
#if FLOPCAST_HAVE_AVX512_VARIANTS
    if (level == Level::Avx512) return uniforms_avx512(s, first, out, n);
#endif
#if FLOPCAST_HAVE_AVX2_VARIANTS
    if (level == Level::Avx2) return uniforms_avx2(s, first, out, n);
#endif
    uniforms_sse2(s, first, out, n);
}

}  // namespace flopcast::simd
