#include "engine/run/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/formula/program.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/input_sampler.hpp"
#include "engine/run/parallel_blocks.hpp"
#include "engine/run/precision.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/quantile_sketch.hpp"
#include "engine/run/posterior_blocks.hpp"

namespace flopcast::run {
namespace {

// What one thread reuses from block to block.
struct ThreadState {
    formula::Workspace workspace;
    SamplerScratch sampler;
    // [series] for series not kept per group, then [group][grouped] for
    // those that are; merged at the end, exactly.
    std::vector<SeriesState::Kept> sketches;
    SeriesState::Context prior;
    PosteriorScratch posterior;  // weighted sketches and log-weights (observations only)
};

// The per-block results that must be merged in block order.
struct BlockSlot {
    std::vector<SeriesState::Block> series;  // per series
    PosteriorSlot posterior;                 // observations only
};

}  // namespace

std::size_t group_count(const scenario::Model& s, const RunOptions& options) {
    if (s.design == scenario::Sampling::Sobol) return static_cast<std::size_t>(s.replicates);
    return options.precision_series.empty() ? 1 : kPrecisionGroups;
}

std::vector<std::size_t> grouped_series(const scenario::Model& s, const RunOptions& options) {
    if (group_count(s, options) == 1) return {};
    if (s.design != scenario::Sampling::Sobol) return options.precision_series;
    std::vector<std::size_t> all(SeriesLayout(s).count);
    for (std::size_t j = 0; j < all.size(); ++j) all[j] = j;
    return all;
}

bool is_kept(const scenario::Model& s, const RunOptions& options, std::size_t k) {
    return options.keep_all || s.outputs.at(k).keep;
}

std::uint64_t block_count(std::uint64_t samples) { return (samples + kBlockSize - 1) / kBlockSize; }

int thread_count(const RunOptions& options) {
    return options.threads > 0 ? options.threads : tbb::info::default_concurrency();
}

namespace {

RunState run_range(const scenario::Model& s, const RunOptions& options, RunState state, std::uint64_t end_block,
                   SampleSink* sink);

}  // namespace

RunState run_blocks(const scenario::Model& s, const RunOptions& options, std::uint64_t first_block,
                    std::uint64_t end_block, SampleSink* sink) {
    const std::uint64_t total = options.samples ? options.samples : s.samples;
    end_block = std::min(end_block, block_count(total));
    first_block = std::min(first_block, end_block);
    RunState empty =
        RunState::empty(SeriesLayout(s).count, group_count(s, options), first_block, grouped_series(s, options));
    if (!s.observations.empty())
        empty.posterior = PosteriorState::empty(SeriesLayout(s).count, s.observations.size(), first_block,
                                                empty.groups, options.posterior_precision_series);
    return run_range(s, options, std::move(empty), end_block, sink);
}

RunState resume_blocks(const scenario::Model& s, const RunOptions& options, const RunState& saved,
                       std::uint64_t end_block, SampleSink* sink) {
    if (saved.series.size() != SeriesLayout(s).count || saved.groups != group_count(s, options) ||
        (saved.groups > 1 && saved.grouped != grouped_series(s, options)) ||
        saved.posterior.has_value() != !s.observations.empty() ||
        (saved.posterior && (saved.posterior->each.size() != s.observations.size() ||
                             saved.posterior->grouped != options.posterior_precision_series)))
        throw StateError("the saved state does not belong to this scenario");
    const std::uint64_t total = options.samples ? options.samples : s.samples;
    return run_range(s, options, saved, std::min(end_block, block_count(total)), sink);
}

namespace {

// Adds the threads' sketches to a copy of the state: the state as of now,
// without disturbing the running accumulators.
// With grouped_only, only the grouped series' sketches are brought up to
// date: all a precision check reads, at a fraction of the cost.
template <class States>
RunState snapshot(const RunState& state, States& states, bool grouped_only = false) {
    RunState copy = state;
    const std::size_t series = state.series.size(), ng = state.grouped.size();
    for (auto& own : states) {
        if (!own) continue;
        const auto& st = *own;
        if (!grouped_only)
            for (std::size_t j = 0; j < series; ++j) copy.series[j].merge(st.sketches[j]);
        for (std::size_t i = 0; i < state.groups * ng; ++i) {
            copy.series[state.grouped[i % ng]].merge(st.sketches[series + i]);
            copy.group_series[i].merge(st.sketches[series + i]);
        }
        if (copy.posterior) merge_sketches(*copy.posterior, st.posterior, grouped_only);
    }
    return copy;
}

RunState run_range(const scenario::Model& s, const RunOptions& options, RunState state, std::uint64_t end_block,
                   SampleSink* sink) {
    const std::uint64_t first_block = state.next_block;
    const formula::Program& prog = s.program;
    const std::uint64_t total = options.samples ? options.samples : s.samples;
    const std::uint64_t seed = options.seed;
    const SeriesLayout layout(s);
    const std::size_t outputs = s.outputs.size(), series = layout.count;
    const std::size_t groups = state.groups, ng = state.grouped.size();
    // Where series j's values go in a thread's sketches, for a block of group g.
    std::vector<std::size_t> grouped_at(series, SIZE_MAX);
    for (std::size_t i = 0; i < ng; ++i) grouped_at[state.grouped[i]] = i;
    const auto sketch_slot = [&](std::size_t j, std::size_t g) {
        return grouped_at[j] == SIZE_MAX ? j : series + g * ng + grouped_at[j];
    };

    std::vector<BlockSlot> slots(kWaveBlocks);
    for (auto& slot : slots) {
        slot.series.resize(series);
        if (state.posterior) slot.posterior.resize(series, s.observations.size());
    }
    // Kept samples of one wave, row-major [sample][year], per output.
    std::vector<std::vector<double>> kept(outputs);
    for (std::size_t k = 0; k < outputs; ++k)
        if (sink && is_kept(s, options, k)) kept[k].resize(kWaveBlocks * kBlockSize * layout.width[k]);
    // Log-weights of one wave's samples, kept beside the kept samples.
    const bool keep_weights = state.posterior && sink &&
                              std::any_of(kept.begin(), kept.end(), [](const auto& v) { return !v.empty(); });
    std::vector<double> kept_log_weight(keep_weights ? kWaveBlocks * kBlockSize : 0);

    const InputSampler sampler(s, seed);
    const int threads = thread_count(options);
    // One scratch state per worker (see parallel_blocks), built on first use.
    std::vector<std::optional<ThreadState>> states(static_cast<std::size_t>(threads));
    // Lift oneTBB's default cap (the core count) so --threads 8 on two cores
    // really runs eight threads: the determinism tests depend on it.
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);

    auto run_block = [&](std::uint64_t block, BlockSlot& slot, std::size_t wave_offset, std::size_t worker) {
        auto& own = states.at(worker);
        if (!own) {
            own.emplace(ThreadState{formula::Workspace(prog, kBlockSize), {}, std::vector<SeriesState::Kept>(series + groups * ng), {}, {}});
            if (state.posterior) own->posterior = posterior_scratch(*state.posterior);
        }
        ThreadState& st = *own;
        formula::Workspace& ws = st.workspace;
        // Every input for the whole block, from the block's own stream or
        // design points, whichever thread runs it.
        sampler.draw(block, ws, st.sampler);
        prog.evaluate(ws);
        // The last block is drawn in full, so sample i is the same whatever
        // the total, and only its first n samples are counted.
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockSize, total - block * kBlockSize));
        for (std::size_t k = 0; k < outputs; ++k) {
            for (std::size_t t = 0; t < layout.width[k]; ++t) {
                const std::size_t j = layout.first[k] + t;
                const auto all = std::span<const double>(ws.values(s.outputs[k].quantity, t)).first(n);
                slot.series[j] = SeriesState::add_block(all, st.prior, st.sketches[sketch_slot(j, block % groups)]);
            }
            if (!kept[k].empty()) {
                const std::size_t w = layout.width[k];
                double* out = kept[k].data() + wave_offset * w;
                for (std::size_t t = 0; t < w; ++t) {
                    const auto v = ws.values(s.outputs[k].quantity, t);
                    for (std::size_t i = 0; i < n; ++i) out[i * w + t] = v[i];
                }
            }
        }
        // The observations' weights of these worlds, and the weighted statistics.
        if (state.posterior) {
            posterior_block(s, layout, ws, n, block % groups, slot.series, st.posterior, slot.posterior);
            if (!kept_log_weight.empty())
                std::copy_n(st.posterior.log_weight.begin(), n, kept_log_weight.begin() + static_cast<std::ptrdiff_t>(wave_offset));
        }
    };

    auto last_checkpoint = std::chrono::steady_clock::now();
    bool precise = false;
    for (std::uint64_t wave = first_block; wave < end_block; wave += kWaveBlocks) {
        if (options.stop && options.stop->load()) break;
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(kWaveBlocks, end_block - wave));
        parallel_blocks(arena, threads, count,
                        [&](std::size_t b, std::size_t worker) { run_block(wave + b, slots[b], b * kBlockSize, worker); });
        // Merge in block order along the fixed tree of OrderedReduction: the
        // bits never depend on which thread finished first, nor on waves.
        for (std::size_t b = 0; b < count; ++b) {
            const std::size_t g = (wave + b) % groups;
            for (std::size_t j = 0; j < series; ++j) state.series[j].push(slots[b].series[j]);
            for (std::size_t i = 0; i < ng; ++i) state.group_series[g * ng + i].push(slots[b].series[state.grouped[i]]);
            if (state.posterior) push_block(*state.posterior, slots[b].posterior);
        }
        const std::uint64_t first = wave * kBlockSize;
        const std::uint64_t done = std::min<std::uint64_t>(total, (wave + count) * kBlockSize);
        for (std::size_t k = 0; k < outputs; ++k)
            if (!kept[k].empty())
                sink->write(k, first, static_cast<std::size_t>(done - first), layout.width[k],
                            std::span<const double>(kept[k]).first(static_cast<std::size_t>(done - first) * layout.width[k]));
        if (!kept_log_weight.empty())  // the stream after the outputs': /samples/log_weight
            sink->write(outputs, first, static_cast<std::size_t>(done - first), 1,
                        std::span<const double>(kept_log_weight).first(static_cast<std::size_t>(done - first)));
        state.next_block = wave + count;
        if (options.progress) options.progress(done - first_block * kBlockSize, std::min(total, end_block * kBlockSize) - first_block * kBlockSize);
        if (options.until && is_precision_check(state.next_block) && options.until(snapshot(state, states, true))) {
            precise = true;
            break;
        }
        const auto now = std::chrono::steady_clock::now();
        if (options.checkpoint && state.next_block < end_block &&
            std::chrono::duration<double>(now - last_checkpoint).count() >= options.checkpoint_every) {
            options.checkpoint(snapshot(state, states));
            last_checkpoint = now;
        }
    }

    // Integer bucket counts: the merge order is irrelevant.
    RunState result = snapshot(state, states);
    if (options.checkpoint && !precise && result.next_block < end_block) options.checkpoint(result);  // interrupted
    return result;
}

}  // namespace

RunResult run_scenario(const scenario::Model& s, const RunOptions& options, SampleSink* sink) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t total = options.samples ? options.samples : s.samples;
    const RunState state = run_blocks(s, options, 0, block_count(total), sink);
    RunResult result = to_result(s, state, total);
    result.threads = thread_count(options);
    result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace flopcast::run
