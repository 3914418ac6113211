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

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/run/block_stream.hpp"
#include "engine/run/tsan_annotations.hpp"

namespace flopcast::sensitivity {

// Called on the calling thread after each wave: blocks done so far.
using BlockProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// The threads to use: `threads`, or all cores when 0.
[[nodiscard]] inline int thread_count(int threads) {
    return threads > 0 ? threads : tbb::info::default_concurrency();
}

// evaluate(block, slot) for blocks 0..blocks-1, in parallel on `threads`
// threads; merge(block, slot) on the calling thread in block order. A Slot is
// reused from wave to wave, so evaluate must overwrite all of it.
template <class Slot, class Evaluate, class Merge>
void for_each_block(std::uint64_t blocks, int threads, const Slot& prototype, Evaluate evaluate, Merge merge,
                    const BlockProgress& progress = {}) {
    const int n = thread_count(threads);
    // Lift oneTBB's default cap (the core count) so 8 threads on two cores
    // really run eight: the determinism tests depend on it.
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(n));
    tbb::task_arena arena(n);
    std::vector<Slot> slots(static_cast<std::size_t>(std::min<std::uint64_t>(blocks, run::kWaveBlocks)), prototype);
    for (std::uint64_t wave = 0; wave < blocks; wave += run::kWaveBlocks) {
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(run::kWaveBlocks, blocks - wave));
        [[maybe_unused]] int wave_edge = 0;  // an address for the TSan annotations only
        FLOPCAST_TSAN_RELEASE(&wave_edge);
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1), [&](const tbb::blocked_range<std::size_t>& r) {
                FLOPCAST_TSAN_ACQUIRE(&wave_edge);
                for (std::size_t b = r.begin(); b != r.end(); ++b) evaluate(wave + b, slots[b]);
                FLOPCAST_TSAN_RELEASE(&wave_edge);
            });
        });
        FLOPCAST_TSAN_ACQUIRE(&wave_edge);
        for (std::size_t b = 0; b < count; ++b) merge(wave + b, slots[b]);
        if (progress) progress(wave + count, blocks);
    }
}

}  // namespace flopcast::sensitivity
