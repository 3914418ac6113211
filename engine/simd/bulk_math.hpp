#pragma once
// exp and log over whole arrays at vector speed, for the engine's own
// element-wise passes (the posterior's weights: run/posterior_blocks.cpp).
// They are vector_math.hpp's fdlibm forms, so a value's bits are the same at
// every SIMD level and on every machine: the C library's exp and log pick
// their code by CPU (with FMA or without) and promise no such thing.
#include <span>

#include "engine/simd/simd_level.hpp"

namespace flopcast::simd {

// out[i] = exp(x[i]) (0 for -inf, and for x below about -745); out may be x.
void exp(std::span<const double> x, std::span<double> out, Level level);
inline void exp(std::span<const double> x, std::span<double> out) { exp(x, out, level()); }
// out[i] = log(x[i]) (-inf at 0, NaN below 0); out may be x.
void log(std::span<const double> x, std::span<double> out, Level level);
inline void log(std::span<const double> x, std::span<double> out) { log(x, out, level()); }

}  // namespace flopcast::simd
