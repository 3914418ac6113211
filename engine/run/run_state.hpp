#pragma once
// The whole mergeable state of a run, or of a range of its blocks: what a
// shard writes, what MPI ranks send to rank 0, what a checkpoint saves.
//
// Moments are held as OrderedReduction nodes over block numbers, sketches and
// non-finite counts as integers, so states of consecutive block ranges merge
// into exactly the bits of one process running them all.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/run/posterior_state.hpp"
#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/ordered_reduction.hpp"
#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::run {

// One output in one year: its accumulators. A BlockAccumulator
// (series_accumulator.hpp): a block added, appended in block order, saved
// and read back.
struct SeriesState {
    stats::OrderedReduction<stats::Moments> moments;
    stats::NonFiniteCounts non_finite;
    stats::QuantileSketch sketch;

    // A block's part merged in block order (floating point) ...
    struct Block {
        stats::Moments moments;
        stats::NonFiniteCounts non_finite;
    };
    // ... and the part a thread keeps (integer counts, merged in any order).
    using Kept = stats::QuantileSketch;
    // What the block step reuses (a thread's own).
    struct Context {
        std::vector<double> scratch;
    };
    // One series' values of one block: their moments and non-finite counts
    // returned, the finite values added to `kept` (stats::block_stats).
    [[nodiscard]] static Block add_block(std::span<const double> values, Context& c, Kept& kept);
    void push(const Block& b) {
        moments.push(b.moments);
        non_finite.merge(b.non_finite);
    }
    void merge(const Kept& kept) { sketch.merge(kept); }

    void append(const SeriesState& later);
    void put(StateWriter& w) const;
    [[nodiscard]] static SeriesState get(StateReader& r);
};

struct RunState {
    std::uint64_t first_block = 0;  // the range this state covers: [first_block, next_block)
    std::uint64_t next_block = 0;
    std::size_t groups = 1;                 // block b is in group b mod groups
    std::vector<SeriesState> series;        // per output and year
    // The series also kept per group (when groups > 1), sorted: every series
    // under Sobol sampling (its replicates), only those a precision target
    // names otherwise (see precision.hpp). group_series[g * grouped.size() + i]
    // belongs to series grouped[i].
    std::vector<std::size_t> grouped;
    std::vector<SeriesState> group_series;
    // The weighted statistics, when the scenario has observations.
    std::optional<PosteriorState> posterior;

    // An empty state for blocks starting at first_block; grouped empty means
    // every series (when groups > 1).
    static RunState empty(std::size_t series_count, std::size_t groups, std::uint64_t first_block,
                          std::vector<std::size_t> grouped = {});
};

// A saved state that cannot be read back: truncated, corrupt or not flopcast's.
class StateError : public std::runtime_error {
public:
    explicit StateError(const std::string& m) : std::runtime_error(m) {}
};

// Bytes in a versioned little-endian format ("FLCSTATE", version, ranges,
// then every series' reduction nodes, non-finite counts and sketch buckets;
// format 3 then the posterior, format 4 the posterior with its groups (a
// run with --until posterior:...), format 2 is written when there is none,
// so the states of runs without observations are the bytes they always were).
[[nodiscard]] std::vector<std::uint8_t> serialize(const RunState& state);
[[nodiscard]] RunState deserialize(std::span<const std::uint8_t> bytes);

// Appends `later`, which must start where `state` ends (later.first_block ==
// state.next_block). Throws StateError otherwise.
void append(RunState& state, const RunState& later);

// The run's statistics, in the form the result file and the summary use.
[[nodiscard]] RunResult to_result(const scenario::Model& s, const RunState& state, std::uint64_t samples);

// Series layout shared by the runner and the states: output k's series start
// at first_series(k) and there are width(k) of them (years, or 1).
struct SeriesLayout {
    std::vector<std::size_t> first, width;
    std::size_t count = 0;
    explicit SeriesLayout(const scenario::Model& s);
};

}  // namespace flopcast::run
