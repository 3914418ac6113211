#pragma once
// The block machinery of run::run_scenario, for designs: blocks evaluated in
// parallel in waves of run::kWaveBlocks inside a task arena, each writing only
// its own slot, then merged on the calling thread in block order. What a block
// computes depends only on its number, and the merge order only on block
// numbers, so results are bit-identical at any thread count.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/run/block_stream.hpp"
#include "engine/run/parallel_blocks.hpp"

namespace flopcast::sensitivity {

// Called on the calling thread after each wave: blocks done so far.
using BlockProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// The threads to use: `threads`, or all cores when 0.
[[nodiscard]] inline int thread_count(int threads) {
    return threads > 0 ? threads : tbb::info::default_concurrency();
}

// evaluate(block, slot) for blocks first..end-1, in parallel on `threads`
// threads; merge(block, slot) on the calling thread in block order. A Slot is
// reused from wave to wave, so evaluate must overwrite all of it. A wave of
// fewer blocks bounds the memory of large slots; when merge feeds an
// OrderedReduction, the wave size (and where the range starts: a shard, an
// MPI rank) changes no bit. progress gets blocks done and total in the range.
template <class Slot, class Evaluate, class Merge>
void for_each_block_in(std::uint64_t first, std::uint64_t end, int threads, const Slot& prototype, Evaluate evaluate,
                       Merge merge, const BlockProgress& progress = {}, std::size_t wave_blocks = run::kWaveBlocks) {
    const int n = thread_count(threads);
    const std::uint64_t blocks = end > first ? end - first : 0;
    // Lift oneTBB's default cap (the core count) so 8 threads on two cores
    // really run eight: the determinism tests depend on it.
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n));
    tbb::task_arena arena(n);
    wave_blocks = std::max<std::size_t>(wave_blocks, 1);
    std::vector<Slot> slots(static_cast<std::size_t>(std::min<std::uint64_t>(blocks, wave_blocks)), prototype);
    for (std::uint64_t wave = 0; wave < blocks; wave += wave_blocks) {
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(wave_blocks, blocks - wave));
        run::parallel_blocks(arena, n, count, [&](std::size_t b, std::size_t) { evaluate(first + wave + b, slots[b]); });
        for (std::size_t b = 0; b < count; ++b) merge(first + wave + b, slots[b]);
        if (progress) progress(wave + count, blocks);
    }
}

// for_each_block_in over blocks 0..blocks-1.
template <class Slot, class Evaluate, class Merge>
void for_each_block(std::uint64_t blocks, int threads, const Slot& prototype, Evaluate evaluate, Merge merge,
                    const BlockProgress& progress = {}, std::size_t wave_blocks = run::kWaveBlocks) {
    for_each_block_in(0, blocks, threads, prototype, evaluate, merge, progress, wave_blocks);
}

}  // namespace flopcast::sensitivity
