#include "engine/stats/series_stats.hpp"

#include "engine/stats/block_stats.hpp"

namespace flopcast::stats {

void SeriesStats::add(std::span<const double> values) {
    moments_.merge(block_stats(values, scratch_, non_finite_, sketch_));
}

void SeriesStats::merge(const SeriesStats& other) {
    moments_.merge(other.moments_);
    sketch_.merge(other.sketch_);
    non_finite_.merge(other.non_finite_);
}

}  // namespace flopcast::stats
