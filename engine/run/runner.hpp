#pragma once
// Runs a scenario: blocks of samples drawn and evaluated in parallel with
// oneTBB, statistics merged in block order, kept samples streamed out in
// sample order. Results are bit-identical for any thread count.
#include <cstddef>
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/run/run_state.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::run {

// Receives kept samples in sample order, one wave at a time. values holds
// count rows of `width` numbers (width = years for a yearly output, else 1).
class SampleSink {
public:
    virtual ~SampleSink() = default;
    virtual void write(std::size_t output, std::uint64_t first_sample, std::size_t count,
                       std::size_t width, std::span<const double> values) = 0;
};

struct RunOptions {
    std::uint64_t samples = 0;  // 0: the scenario's own count
    std::uint64_t seed = 0;     // used as given
    int threads = 0;            // 0: all cores
    bool keep_all = false;      // keep every output's samples, not only those marked keep
    // Called on the calling thread after each wave: samples done so far.
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    // Called after a wave when `checkpoint_every` seconds have passed since
    // the last call, and when the run stops early, with the state so far.
    std::function<void(const RunState&)> checkpoint;
    double checkpoint_every = 300.0;
    // Checked between waves: when it becomes true the run stops after the
    // wave in flight, calls `checkpoint`, and returns the partial state.
    const std::atomic<bool>* stop = nullptr;
    // Precision runs (see precision.hpp): the series kept per group, and the
    // judge, called on the calling thread with the state after each wave
    // where is_precision_check(next_block) holds. When it returns true the
    // run ends there (no checkpoint: it is finished).
    std::vector<std::size_t> precision_series;
    // Those of them whose posterior (weighted) sketch is kept per group too:
    // targets on posterior quantiles; a subset of precision_series.
    std::vector<std::size_t> posterior_precision_series;
    std::function<bool(const RunState&)> until;
};

// Throws std::runtime_error only for internal failures; the scenario was
// checked when it was loaded.
[[nodiscard]] RunResult run_scenario(const scenario::Model& s, const RunOptions& options,
                                     SampleSink* sink = nullptr);

// Runs only blocks [first_block, end_block) of the run's blocks and returns
// their mergeable state: the unit of shards, MPI ranks and checkpoints.
// Kept samples go to the sink with their global sample numbers.
[[nodiscard]] RunState run_blocks(const scenario::Model& s, const RunOptions& options,
                                  std::uint64_t first_block, std::uint64_t end_block, SampleSink* sink = nullptr);

// Continues a saved state (a checkpoint) up to end_block: the result is the
// bits an uninterrupted run_blocks would have given.
[[nodiscard]] RunState resume_blocks(const scenario::Model& s, const RunOptions& options, const RunState& saved,
                                     std::uint64_t end_block, SampleSink* sink = nullptr);

[[nodiscard]] std::uint64_t block_count(std::uint64_t samples);
[[nodiscard]] int thread_count(const RunOptions& options);

// Independent groups of blocks the statistics are also kept for: the
// scenario's replicates under Sobol sampling (whose points are not
// independent within a replicate, so only replicates give an error bar);
// kPrecisionGroups for a precision run (options.precision_series); otherwise
// 1, the run itself. Separate sketches per group cost cache misses on every
// sample (measured: -40 % throughput with 8 groups of every series), so a
// precision run keeps groups only for the series its targets name.
[[nodiscard]] std::size_t group_count(const scenario::Model& s, const RunOptions& options = {});
// The series kept per group: all of them under Sobol, else the precision
// series (empty when group_count is 1).
[[nodiscard]] std::vector<std::size_t> grouped_series(const scenario::Model& s, const RunOptions& options = {});

// Whether output k of the scenario is kept under these options.
[[nodiscard]] bool is_kept(const scenario::Model& s, const RunOptions& options, std::size_t k);

}  // namespace flopcast::run
