#include "distributions/sampling/uniform_designs.hpp"

#include <algorithm>
#include <numeric>

#include <boost/random/seed_seq.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace flopcast::sampling {
namespace {

// 53 random bits to a double strictly inside (0, 1): the centre of one of
// 2^53 equal cells, so no quantile is ever asked for 0 or 1.
double to_unit(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

}  // namespace

void latin_hypercube(std::span<double> out, std::size_t dims, std::size_t n, dist::Rng& rng) {
    std::vector<std::uint32_t> perm(n);
    boost::random::uniform_01<double> unit;
    for (std::size_t d = 0; d < dims; ++d) {
        std::iota(perm.begin(), perm.end(), 0u);
        // Fisher-Yates with Boost's integer distribution: the same permutation
        // on every platform (std::shuffle's algorithm is not specified).
        for (std::size_t i = n; i > 1; --i) {
            boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
            std::swap(perm[i - 1], perm[pick(rng)]);
        }
        double* row = out.data() + d * n;
        for (std::size_t i = 0; i < n; ++i) {
            double u = (perm[i] + unit(rng)) / static_cast<double>(n);
            // uniform_01 may return exactly 0; keep strictly inside the stratum.
            if (u <= perm[i] / static_cast<double>(n)) u = (perm[i] + 0.5) / static_cast<double>(n);
            row[i] = u;
        }
    }
}

SobolDesign::SobolDesign(std::size_t dims, std::uint64_t seed, std::uint64_t replicate)
    : engine_(dims), shift_(dims) {
    // The shift's stream is separate from every block's (the tag word differs).
    boost::random::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                                0x50b01u, static_cast<std::uint32_t>(replicate),
                                static_cast<std::uint32_t>(replicate >> 32)};
    dist::Rng rng(seq);
    for (auto& s : shift_) s = rng();
}

void SobolDesign::fill(std::span<double> out, std::uint64_t first, std::size_t n) {
    const std::size_t dims = shift_.size();
    // Point 0 is the origin, which Boost's engine skips; with the shift it is
    // a point like any other, and the first 2^m points of a replicate then
    // form a complete net.
    std::size_t i = 0;
    if (first == 0 && n > 0) {
        for (std::size_t d = 0; d < dims; ++d) out[d * n] = to_unit(shift_[d]);
        i = 1;
    }
    if (i < n) engine_.seed(first + i - 1);
    for (; i < n; ++i)
        for (std::size_t d = 0; d < dims; ++d) out[d * n + i] = to_unit(engine_() ^ shift_[d]);
}

std::vector<double> SobolDesign::raw_points(std::size_t dims, std::size_t count) {
    boost::random::sobol engine(dims);
    std::vector<double> v(dims * count, 0.0);  // point 0: the origin
    for (std::size_t i = dims; i < count * dims; ++i)
        v[i] = static_cast<double>(engine()) * 0x1.0p-64;
    return v;
}

}  // namespace flopcast::sampling
