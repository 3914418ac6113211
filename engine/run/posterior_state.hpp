#pragma once
// The weighted (posterior) half of a run's mergeable state, present when the
// scenario has observations: per series the same two kinds of accumulators
// as the prior (moments merged along the fixed tree over blocks, a sketch
// with integer masses merged in any order), plus the totals of the weights,
// all observations together and each alone (for the effective sample sizes
// and the log of the mean weight).
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/ordered_reduction.hpp"
#include "engine/stats/weighted_moments.hpp"
#include "engine/stats/weighted_sketch.hpp"

namespace flopcast::run {

class StateWriter;
class StateReader;

// One output in one year, weighted: the posterior's BlockAccumulator
// (series_accumulator.hpp), the prior's SeriesState without the non-finite
// counts (a non-finite value's world is the prior's to count).
struct WeightedSeriesState {
    stats::OrderedReduction<stats::WeightedMoments> moments;
    stats::WeightedSketch sketch;

    using Block = stats::WeightedMoments;  // merged in block order
    using Kept = stats::WeightedSketch;    // a thread's, integer masses
    // What every series of a block shares, found once per block
    // (posterior_blocks.cpp): its worlds' weights ...
    struct Context {
        std::span<const double> scaled;        // exp(log-weight - top): the block's largest is 1
        double top = -std::numeric_limits<double>::infinity();  // the largest log-weight; -inf: none weighted
        stats::WeightedMoments::BlockWeights scaled_sums;
        std::span<const std::uint64_t> fixed;  // the sketch's fixed-point weights
        stats::WeightedSketch::BlockWeights fixed_sums;
        // ... and, set per series, its prior moments of the block: when they
        // count every value (all finite), their extremes spare a scan.
        const stats::Moments* prior = nullptr;
    };
    // One series' values of one block: their weighted moments returned, the
    // values added to `kept` with their fixed-point weights.
    [[nodiscard]] static Block add_block(std::span<const double> values, Context& c, Kept& kept);
    void push(const Block& b) { moments.push(b); }
    void merge(const Kept& kept) { sketch.merge(kept); }

    void append(const WeightedSeriesState& later);
    void put(StateWriter& w) const;
    [[nodiscard]] static WeightedSeriesState get(StateReader& r);
};

struct PosteriorState {
    stats::OrderedReduction<stats::WeightTotals> totals;             // every observation together
    std::vector<stats::OrderedReduction<stats::WeightTotals>> each;  // [observation], each alone
    std::vector<WeightedSeriesState> series;                        // as RunState::series
    // For --until targets on posterior quantiles (precision.hpp): the sorted
    // series whose weighted sketch is also kept per group of blocks (block b
    // in group b mod groups, the prior's groups); group_sketches[g *
    // grouped.size() + i] belongs to series grouped[i]. Empty otherwise.
    std::size_t groups = 1;
    std::vector<std::size_t> grouped;
    std::vector<stats::WeightedSketch> group_sketches;

    [[nodiscard]] static PosteriorState empty(std::size_t series, std::size_t observations, std::uint64_t first_block,
                                              std::size_t groups = 1, std::vector<std::size_t> grouped = {});
};

// The state bytes of a posterior (after the prior's series; see run_state.cpp);
// the groups only when `with_groups` (state format 4).
void put_posterior(StateWriter& w, const PosteriorState& p, bool with_groups);
[[nodiscard]] PosteriorState get_posterior(StateReader& r, bool with_groups);
// Appends `later` (the next blocks); throws StateError when they do not fit.
void append_posterior(PosteriorState& p, const PosteriorState& later);

// The posterior statistics in the form the result file and the summary use;
// layout as RunState::series (output k's series start at first[k]).
[[nodiscard]] PosteriorResult to_posterior_result(const PosteriorState& p, const std::vector<std::size_t>& first,
                                                  const std::vector<std::size_t>& width);

}  // namespace flopcast::run
