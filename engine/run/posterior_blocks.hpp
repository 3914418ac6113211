#pragma once
// The runner's posterior work for one block: each world's log-weight from
// the observations, and the weighted statistics of every series, split like
// the prior's into what is merged in block order (PosteriorSlot: weight
// totals and weighted moments, floating point) and what each thread keeps
// (PosteriorScratch: weighted sketches, integer masses, merged in any order).
#include <cstddef>
#include <span>
#include <vector>

#include "engine/formula/program.hpp"
#include "engine/run/posterior_state.hpp"
#include "engine/run/run_state.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/weighted_moments.hpp"
#include "engine/stats/weighted_sketch.hpp"

namespace flopcast::run {

struct PosteriorScratch {
    // Per series not grouped, then [group][grouped] for the series a
    // posterior --until target names (PosteriorState::grouped), as the
    // prior's thread sketches (runner.cpp).
    std::vector<stats::WeightedSketch> sketches;
    std::vector<std::size_t> grouped_at;          // per series: index in grouped, or SIZE_MAX
    std::size_t grouped_count = 0;
    std::vector<double> log_weight;               // the block's, all observations (first n valid)
    std::vector<double> own;                      // one observation's
    std::vector<double> scaled;                   // exp(log_weight - block maximum)
    std::vector<std::uint64_t> fixed;             // WeightedSketch::fixed_weight(log_weight)
};

struct PosteriorSlot {
    stats::WeightTotals totals;
    std::vector<stats::WeightTotals> each;              // per observation
    std::vector<WeightedSeriesState::Block> series;     // per series
    void resize(std::size_t series_count, std::size_t observations) {
        series.resize(series_count);
        each.resize(observations);
    }
};

// The first n worlds of the evaluated block in `ws`: log-weights summed over
// the observations in the scenario's order (so the bits never depend on the
// thread), then their totals, and every series' WeightedSeriesState block
// (its sketch part into the thread's sketch for the block's group when the
// series is grouped, as the prior's). `prior` is the block's prior part per
// series: where its moments count all n values (all finite) their extremes
// spare the weighted passes a scan.
void posterior_block(const scenario::Model& s, const SeriesLayout& layout, const formula::Workspace& ws,
                     std::size_t n, std::size_t group, std::span<const SeriesState::Block> prior,
                     PosteriorScratch& scratch, PosteriorSlot& slot);

// Pushes a block's slot into the state's reductions (in block order).
void push_block(PosteriorState& state, const PosteriorSlot& slot);

// Adds a thread's weighted sketches to the state's (a grouped series' from
// its groups'): with grouped_only, only those a precision check reads (the
// grouped series' and their groups').
void merge_sketches(PosteriorState& state, const PosteriorScratch& scratch, bool grouped_only = false);
// A thread's scratch for this state: its sketches and group map.
[[nodiscard]] PosteriorScratch posterior_scratch(const PosteriorState& state);

}  // namespace flopcast::run
