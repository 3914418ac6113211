#include "engine/run/runner.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/formula/program.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/input_sampler.hpp"
#include "engine/run/tsan_annotations.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/ordered_reduction.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::run {
namespace {

// What one thread reuses from block to block.
struct ThreadState {
    formula::Workspace workspace;
    SamplerScratch sampler;
    std::vector<stats::QuantileSketch> sketches;  // [group][series]; merged at the end, exactly
    std::vector<double> scratch;
};

// The per-block results that must be merged in block order.
struct BlockSlot {
    std::vector<stats::Moments> moments;          // per series
    std::vector<stats::NonFiniteCounts> non_finite;
};

}  // namespace

std::size_t group_count(const scenario::Scenario& s) {
    return s.design == scenario::Sampling::Sobol ? static_cast<std::size_t>(s.replicates) : 1;
}

bool is_kept(const scenario::Scenario& s, const RunOptions& options, std::size_t k) {
    return options.keep_all || s.outputs.at(k).keep;
}

RunResult run_scenario(const scenario::Scenario& s, const RunOptions& options, SampleSink* sink) {
    const auto start = std::chrono::steady_clock::now();
    const formula::Program& prog = s.program;
    const std::uint64_t total = options.samples ? options.samples : s.samples;
    const std::uint64_t seed = options.seed;
    const std::uint64_t blocks = (total + kBlockSize - 1) / kBlockSize;
    const std::size_t years = prog.year_count();

    // Series: one per output and year (or one for a scalar output).
    const std::size_t outputs = s.outputs.size();
    std::vector<std::size_t> first_series(outputs), width(outputs);
    std::size_t series = 0;
    for (std::size_t k = 0; k < outputs; ++k) {
        first_series[k] = series;
        width[k] = prog.shape(s.outputs[k].quantity) == formula::Shape::Yearly ? years : 1;
        series += width[k];
    }

    std::vector<BlockSlot> slots(kWaveBlocks);
    for (auto& slot : slots) {
        slot.moments.resize(series);
        slot.non_finite.resize(series);
    }
    // Kept samples of one wave, row-major [sample][year], per output.
    std::vector<std::vector<double>> kept(outputs);
    for (std::size_t k = 0; k < outputs; ++k)
        if (sink && is_kept(s, options, k)) kept[k].resize(kWaveBlocks * kBlockSize * width[k]);

    const InputSampler sampler(s, seed);
    const std::size_t groups = group_count(s);
    tbb::enumerable_thread_specific<ThreadState> states([&] {
        return ThreadState{formula::Workspace(prog, kBlockSize), {}, std::vector<stats::QuantileSketch>(groups * series), {}};
    });

    // Per group of blocks, and for the whole run; merged in block order.
    // Block moments are merged along a fixed tree over block numbers
    // (OrderedReduction), so neither the thread count nor a future split into
    // shards or resumed runs can change the bits.
    std::vector<stats::OrderedReduction<stats::Moments>> moments(series);
    std::vector<stats::NonFiniteCounts> non_finite(series);
    std::vector<stats::OrderedReduction<stats::Moments>> group_moments(groups * series);
    std::vector<stats::NonFiniteCounts> group_non_finite(groups * series);

    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
    // Lift oneTBB's default cap (the core count) so --threads 8 on two cores
    // really runs eight threads: the determinism tests depend on it.
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);

    auto run_block = [&](std::uint64_t block, BlockSlot& slot, std::size_t wave_offset) {
        ThreadState& st = states.local();
        formula::Workspace& ws = st.workspace;
        // Every input for the whole block, from the block's own stream or
        // design points, whichever thread runs it.
        sampler.draw(block, ws, st.sampler);
        prog.evaluate(ws);
        // The last block is drawn in full, so sample i is the same whatever
        // the total, and only its first n samples are counted.
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockSize, total - block * kBlockSize));
        for (std::size_t k = 0; k < outputs; ++k) {
            for (std::size_t t = 0; t < width[k]; ++t) {
                const std::size_t j = first_series[k] + t;
                slot.non_finite[j] = {};
                const auto all = std::span<const double>(ws.values(s.outputs[k].quantity, t)).first(n);
                const auto finite = stats::drop_non_finite(all, st.scratch, slot.non_finite[j]);
                slot.moments[j] = stats::Moments::of(finite);
                st.sketches[(block % groups) * series + j].add(finite);
            }
            if (!kept[k].empty()) {
                double* out = kept[k].data() + wave_offset * width[k];
                for (std::size_t t = 0; t < width[k]; ++t) {
                    const auto v = ws.values(s.outputs[k].quantity, t);
                    for (std::size_t i = 0; i < n; ++i) out[i * width[k] + t] = v[i];
                }
            }
        }
    };

    for (std::uint64_t wave = 0; wave < blocks; wave += kWaveBlocks) {
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(kWaveBlocks, blocks - wave));
        [[maybe_unused]] int wave_edge = 0;  // an address for the TSan annotations only
        FLOPCAST_TSAN_RELEASE(&wave_edge);
        arena.execute([&] {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1), [&](const tbb::blocked_range<std::size_t>& r) {
                FLOPCAST_TSAN_ACQUIRE(&wave_edge);
                for (std::size_t b = r.begin(); b != r.end(); ++b) run_block(wave + b, slots[b], b * kBlockSize);
                FLOPCAST_TSAN_RELEASE(&wave_edge);
            });
        });
        FLOPCAST_TSAN_ACQUIRE(&wave_edge);
        // Merge in block order: the floating-point sums then never depend on
        // which thread finished first (and, by the fixed tree, not on waves).
        for (std::size_t b = 0; b < count; ++b) {
            const std::size_t g = (wave + b) % groups;
            for (std::size_t j = 0; j < series; ++j) {
                moments[j].push(slots[b].moments[j]);
                non_finite[j].merge(slots[b].non_finite[j]);
                group_moments[g * series + j].push(slots[b].moments[j]);
                group_non_finite[g * series + j].merge(slots[b].non_finite[j]);
            }
        }
        const std::uint64_t first = wave * kBlockSize;
        const std::uint64_t done = std::min<std::uint64_t>(total, (wave + count) * kBlockSize);
        for (std::size_t k = 0; k < outputs; ++k)
            if (!kept[k].empty())
                sink->write(k, first, static_cast<std::size_t>(done - first), width[k],
                            std::span<const double>(kept[k]).first(static_cast<std::size_t>(done - first) * width[k]));
        if (options.progress) options.progress(done, total);
    }

    // Integer bucket counts: the merge order is irrelevant.
    std::vector<stats::QuantileSketch> group_sketches(groups * series), sketches(series);
    for (auto& st : states)
        for (std::size_t i = 0; i < groups * series; ++i) group_sketches[i].merge(st.sketches[i]);
    for (std::size_t i = 0; i < groups * series; ++i) sketches[i % series].merge(group_sketches[i]);

    RunResult result;
    result.samples = total;
    result.threads = threads;
    for (std::size_t k = 0; k < outputs; ++k) {
        OutputResult o;
        o.name = s.outputs[k].name;
        o.yearly = width[k] > 1 || prog.shape(s.outputs[k].quantity) == formula::Shape::Yearly;
        for (std::size_t t = 0; t < width[k]; ++t) {
            const std::size_t j = first_series[k] + t;
            o.series.emplace_back(moments[j].result(), std::move(sketches[j]), non_finite[j]);
        }
        if (groups > 1) o.groups.resize(groups);
        for (std::size_t g = 0; g < groups && groups > 1; ++g)
            for (std::size_t t = 0; t < width[k]; ++t) {
                const std::size_t i = g * series + first_series[k] + t;
                o.groups[g].emplace_back(group_moments[i].result(), std::move(group_sketches[i]), group_non_finite[i]);
            }
        result.outputs.push_back(std::move(o));
    }
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace flopcast::run
