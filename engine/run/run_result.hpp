#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/stats/series_stats.hpp"
#include "engine/stats/weighted_moments.hpp"
#include "engine/stats/weighted_sketch.hpp"

namespace flopcast::run {

// The merged statistics of one output: one SeriesStats per year, or a single
// one for an output with one value per trajectory (a CAGR, say).
struct OutputResult {
    std::string name;
    bool yearly = false;
    std::vector<stats::SeriesStats> series;
    // The same statistics for each independent group of blocks (block b is in
    // group b mod G): the spread between groups is an error bar for any
    // statistic, quantiles included. groups[g][t].
    std::vector<std::vector<stats::SeriesStats>> groups;
};

// One output in one year, weighted by the observations.
struct PosteriorSeries {
    stats::WeightedMoments moments;
    stats::WeightedSketch sketch;
};

// The statistics conditioned on the scenario's observations.
struct PosteriorResult {
    stats::WeightTotals totals;             // all observations together
    std::vector<stats::WeightTotals> each;  // each observation alone, in the scenario's order
    std::vector<std::vector<PosteriorSeries>> outputs;  // [output][year]
};

struct RunResult {
    std::uint64_t samples = 0;
    std::vector<OutputResult> outputs;  // in the scenario's output order
    std::optional<PosteriorResult> posterior;  // when the scenario has observations
    double wall_seconds = 0.0;
    int threads = 0;
};

}  // namespace flopcast::run
