#pragma once
// The statistics of one output in one year: moments, quantile sketch and the
// count of non-finite values, which never enter the other two.
//
// The parts are also usable on their own, which is how the engine combines
// them deterministically: per block, drop_non_finite() then Moments::of() on
// the finite values (block Moments merged in block order), and
// QuantileSketch::add() into per-thread sketches merged in any order; the
// final parts are then assembled with the constructor below.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/stats/moments.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::stats {

class SeriesStats {
public:
    SeriesStats() = default;
    SeriesStats(Moments moments, QuantileSketch sketch, NonFiniteCounts non_finite)
        : moments_(moments), sketch_(std::move(sketch)), non_finite_(non_finite) {}

    // Counts NaN and +-inf in non_finite(); the finite values go, as one
    // block, into the moments (Moments::of, then merged) and the sketch.
    void add(std::span<const double> values);

    // Sketch and counts merge exactly; the moments' bits depend on the merge
    // order (see Moments).
    void merge(const SeriesStats& other);

    [[nodiscard]] const Moments& moments() const noexcept { return moments_; }
    [[nodiscard]] const QuantileSketch& sketch() const noexcept { return sketch_; }
    [[nodiscard]] const NonFiniteCounts& non_finite() const noexcept { return non_finite_; }

    // Finite values counted (excludes non_finite().total()).
    [[nodiscard]] std::uint64_t count() const noexcept { return moments_.count(); }
    [[nodiscard]] double mean() const noexcept { return moments_.mean(); }
    [[nodiscard]] double quantile(double p) const { return sketch_.quantile(p); }

private:
    Moments moments_;
    QuantileSketch sketch_;
    NonFiniteCounts non_finite_;
    std::vector<double> scratch_;  // reused buffer for blocks with non-finite values
};

}  // namespace flopcast::stats
