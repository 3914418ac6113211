#include "engine/stats/series_stats.hpp"

namespace flopcast::stats {

void SeriesStats::add(std::span<const double> values) {
    const std::span<const double> finite = drop_non_finite(values, scratch_, non_finite_);
    moments_.merge(Moments::of(finite));
    sketch_.add(finite);
}

void SeriesStats::merge(const SeriesStats& other) {
    moments_.merge(other.moments_);
    sketch_.merge(other.sketch_);
    non_finite_.merge(other.non_finite_);
}

}  // namespace flopcast::stats
