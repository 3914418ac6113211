#pragma once
// The statistics of one block of one output series, in as few passes over
// the block as the results allow.
//
// Equivalent to
//     finite = drop_non_finite(values, scratch, non_finite);
//     moments = Moments::of(finite);
//     sketch.add(finite);
// (the same bits and counts), but the first pass of the moments also finds
// whether all values are finite and their minimum and maximum, which the
// sketch then uses to cover its buckets once per block (add_block) instead of
// checking every value.
#include <span>
#include <vector>

#include "engine/stats/moments.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::stats {

// Returns the moments of the finite values; non-finite ones are added to
// `non_finite`, finite ones to `sketch`. `scratch` is reused across calls.
[[nodiscard]] Moments block_stats(std::span<const double> values, std::vector<double>& scratch,
                                  NonFiniteCounts& non_finite, QuantileSketch& sketch);

}  // namespace flopcast::stats
