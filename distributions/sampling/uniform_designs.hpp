#pragma once
// Space-filling designs for one block: uniforms in (0, 1), one row per
// dimension, that inverse-CDF sampling turns into any distribution.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <boost/random/sobol.hpp>

#include "distributions/random_engine.hpp"

namespace flopcast::sampling {

// Latin hypercube over one block: in every row (dimension) of n points, each
// of the n strata [k/n, (k+1)/n) holds exactly one point, at a uniform
// position within it; strata are matched across dimensions by independent
// random permutations. out has dims rows of n.
void latin_hypercube(std::span<double> out, std::size_t dims, std::size_t n, dist::Rng& rng);

// A randomized Sobol sequence (Boost's Joe-Kuo direction numbers, up to 3667
// dimensions), randomized by a random digital shift: every coordinate's bits
// are XORed with a shift drawn once per replicate, which keeps the
// sequence's stratification and makes each replicate an unbiased estimate,
// so independent replicates give an error bar.
class SobolDesign {
public:
    SobolDesign(std::size_t dims, std::uint64_t seed, std::uint64_t replicate);

    // Points first, first + 1, ..., first + n - 1 of this replicate's
    // sequence into out (dims rows of n). Point 0 is the origin (shifted).
    void fill(std::span<double> out, std::uint64_t first, std::size_t n);

    // The unrandomized points 0..count-1 (no shift; point 0 is the origin),
    // row-major [point][dimension], for checking against the published sequence.
    [[nodiscard]] static std::vector<double> raw_points(std::size_t dims, std::size_t count);

    static constexpr std::size_t kMaxDimensions = 3667;

private:
    boost::random::sobol engine_;
    std::vector<std::uint64_t> shift_;
};

}  // namespace flopcast::sampling
