#pragma once
// The Poisson bootstrap: a streaming bootstrap that needs no row kept.
//
// The ordinary bootstrap draws N rows with replacement, so row i appears
// Binomial(N, 1/N) times in a replicate; the Poisson bootstrap gives it
// Poisson(1) weights instead (the limit for large N; Hanley and MacGibbon
// 2006; Chamandy et al. 2012). Each row's weight in replicate r is then a
// function of (seed, row block, r, row) only, so a replicate is a weighted
// sum accumulated block by block like the point estimate, in bounded memory,
// with the same bits at any thread count.
//
// The weights go to units of a few consecutive rows rather than to single
// rows (bootstrap_unit): rows are independent, so units are too, and a
// replicate costs `unit` times less. Units never straddle a block.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace flopcast::sensitivity {

// Rows per bootstrap unit for a design of N rows: 16, or fewer so that there
// are at least 512 units (single rows below 1024 rows). A power of two, so it
// divides the block size; a function of N only.
[[nodiscard]] std::size_t bootstrap_unit(std::uint64_t rows);

// Weights of units 0..n-1 of block `block` for replicates 0..R-1 into out
// (R rows of n: out[r * n + i]), Poisson(1) by inversion, from a stream
// separate from every block's design stream.
void poisson_weights(std::uint64_t seed, std::uint64_t block, std::size_t replicates, std::size_t n,
                     std::span<double> out);

struct Interval {
    double low, high;  // NaN when no replicate gave a finite value
};

// The percentile interval: the (1 - confidence) / 2 and (1 + confidence) / 2
// quantiles of the finite replicate estimates (linear interpolation between
// order statistics). `estimates` is reordered.
[[nodiscard]] Interval percentile_interval(std::vector<double>& estimates, double confidence);

}  // namespace flopcast::sensitivity
