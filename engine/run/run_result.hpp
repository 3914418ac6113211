#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/stats/series_stats.hpp"

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

struct RunResult {
    std::uint64_t samples = 0;
    std::vector<OutputResult> outputs;  // in the scenario's output order
    double wall_seconds = 0.0;
    int threads = 0;
};

}  // namespace flopcast::run
