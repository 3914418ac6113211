#pragma once
// From a design in the unit hypercube to the model's inputs, and from input
// values into a Workspace.
//
// Dimensions are those of run::InputSampler: one per input, one per year for
// a per-year input, inputs in the order they are drawn (sorted by name),
// years in order. A design holds one row of n values per dimension. Each
// uniform u becomes its input by the input's quantile function, so a point of
// the hypercube is a point of the input space whatever the distributions.
#include <cstddef>
#include <span>
#include <vector>

#include "engine/formula/program.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/factors.hpp"

namespace flopcast::sensitivity {

class DesignMap {
public:
    explicit DesignMap(const scenario::Model& s);

    [[nodiscard]] std::size_t dimensions() const noexcept { return dims_; }
    [[nodiscard]] std::size_t first_dimension(std::size_t input) const { return first_dim_.at(input); }
    // The dimensions one factor moves: all the years of all its inputs.
    [[nodiscard]] std::vector<std::size_t> dimensions_of(const Factor& f) const;

    enum class Dependence {
        Keep,    // a per-year input's year correlation and [correlation] act as in a run
        Ignore,  // every dimension by its own quantile (one-at-a-time settings)
    };

    // In place: row d of `u` (n uniforms strictly inside (0, 1)) becomes the
    // values of dimension d. With Keep, dependence acts on normal scores, so
    // every input keeps its marginal; rows of correlated inputs must come
    // from one design point (see require_independent_factors).
    void to_values(std::span<double> u, std::size_t n, Dependence dependence, std::vector<double>& scratch) const;

    // Copies input values into ws: dimension d from rows[d][0..n). Samples
    // n.. of the workspace keep what they held.
    void load(std::span<const double* const> rows, std::size_t n, formula::Workspace& ws) const;

private:
    const scenario::Model& s_;
    std::size_t dims_ = 0;
    std::vector<std::size_t> first_dim_;
    std::vector<int> dim_quantity_;     // per dimension: the input's quantity
    std::vector<std::size_t> dim_year_; // per dimension: the year index (0 for a scalar input)
};

// 53 random bits to a double strictly inside (0, 1): the centre of one of
// 2^53 equal cells, so no quantile is ever asked for 0 or 1.
[[nodiscard]] inline double unit_from_bits(std::uint64_t bits) {
    return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace flopcast::sensitivity
