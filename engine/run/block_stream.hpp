#pragma once
// The random streams of one block of samples.
//
// Block b always draws from engines seeded from (seed, b) alone, reset at the
// start of the block, whichever thread or process runs it. That is what makes
// results independent of the thread count, and lets any sample be replayed
// alone: sample i is sample i % kBlockSize of block i / kBlockSize.
//
// Two kinds of stream: block_engine(seed, b), one per block, for designs that
// draw the whole block at once (Latin hypercube permutations, sensitivity
// designs); and input_engine(seed, b, key), one per input (and year, for
// per-year inputs), for plain Monte Carlo, so that an input's draws depend on
// nothing but the seed, the block and its own name: changing one input's
// distribution (a sweep's variant) leaves every other input's draws as they
// were (common random numbers; docs/sampling.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/random/seed_seq.hpp>

#include "distributions/random_engine.hpp"
#include "engine/simd/philox.hpp"

namespace flopcast::run {

// Fixed: changing it changes every result. 2048 samples amortize the engines'
// seeding (about 5.5 us a block: one seed_seq, or ~17 integer seeds under mc)
// to under 3 ns a sample while one block's working set
// of a typical scenario stays within a core's L2 cache.
inline constexpr std::size_t kBlockSize = 2048;

// Blocks evaluated in parallel between two ordered merges. Fixed, so the merge
// order never depends on the thread count; bounds the memory held for a wave.
inline constexpr std::size_t kWaveBlocks = 32;

[[nodiscard]] inline dist::Rng block_engine(std::uint64_t seed, std::uint64_t block) {
    // seed_seq mixes all four words, so neighbouring seeds or blocks give
    // unrelated streams (seed + block would not).
    boost::random::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                                static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32)};
    return dist::Rng(seq);
}

// SplitMix64's finalizer (Steele, Lea and Flood 2014): a bijection of 64-bit
// words whose every output bit depends on every input bit.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The key of an input's stream: FNV-1a of its name, mixed. Names, not
// positions, so adding, removing or renaming another input moves nothing.
[[nodiscard]] constexpr std::uint64_t input_stream_key(std::string_view name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return mix64(h);
}

// The key of year `year` (calendar year) of a per-year input.
[[nodiscard]] constexpr std::uint64_t input_year_key(std::uint64_t input_key, int year) noexcept {
    return mix64(input_key ^ mix64(static_cast<std::uint64_t>(static_cast<std::int64_t>(year))));
}

// The engine of one input (or one input-year) in block `block`. Seeded with
// one 64-bit word — mt19937_64's own integer seeding, about a tenth of the
// cost of seed_seq (measured: docs/performance.md) — that mixes seed, block
// and key in a chain, so neighbouring seeds, blocks or keys give unrelated
// words and hence unrelated engine states.
[[nodiscard]] inline dist::Rng input_engine(std::uint64_t seed, std::uint64_t block, std::uint64_t key) {
    return dist::Rng(mix64(mix64(mix64(seed) ^ block) ^ key));
}

// The random bits of one input (or input-year) in block `block` when its
// family has a bulk quantile (distributions/bulk_quantile.hpp): a Philox
// stream (engine/simd/philox.hpp) whose key mixes seed and input key and
// whose counter holds the block, so every block of an input has its own
// counters under one key (no two (block, input) pairs can share a stream
// unless two input keys do) and needs no seeding at all.
[[nodiscard]] inline simd::PhiloxStream input_bits(std::uint64_t seed, std::uint64_t block, std::uint64_t key) noexcept {
    const std::uint64_t k = mix64(mix64(seed) ^ key);
    return {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32), static_cast<std::uint32_t>(block),
            static_cast<std::uint32_t>(block >> 32)};
}

}  // namespace flopcast::run
