// Latin hypercube strata and the Sobol sequence against the published one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "distributions/sampling/uniform_designs.hpp"

using namespace flopcast;

TEST_CASE("Sobol: the unrandomized first points equal the published Joe-Kuo sequence", "[sampling][sobol]") {
    // Joe and Kuo's new-joe-kuo-6.21201 direction numbers, first 9 points in
    // 3 dimensions (as printed by scipy.stats.qmc.Sobol(3, scramble=False)).
    const double published[9][3] = {{0, 0, 0},          {0.5, 0.5, 0.5},       {0.75, 0.25, 0.25},
                                    {0.25, 0.75, 0.75}, {0.375, 0.375, 0.625}, {0.875, 0.875, 0.125},
                                    {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375}, {0.1875, 0.3125, 0.9375}};
    const auto v = sampling::SobolDesign::raw_points(3, 9);
    for (int i = 0; i < 9; ++i)
        for (int d = 0; d < 3; ++d) CHECK(v[i * 3 + d] == published[i][d]);
}

TEST_CASE("Sobol with a digital shift: 2^m points keep one point in every dyadic interval", "[sampling][sobol]") {
    // A digital shift maps each elementary interval [k/2^m, (k+1)/2^m) of a
    // coordinate to another one, so the first 2^m points of a shifted
    // sequence still fill every one exactly once, in every dimension.
    constexpr std::size_t dims = 5, n = 1024;
    sampling::SobolDesign design(dims, 7, 3);
    std::vector<double> u(dims * n);
    design.fill(u, 0, n);
    for (std::size_t d = 0; d < dims; ++d) {
        std::vector<int> hits(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            REQUIRE(u[d * n + i] > 0.0);
            REQUIRE(u[d * n + i] < 1.0);
            ++hits[static_cast<std::size_t>(u[d * n + i] * n)];
        }
        CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
    // Filling from the middle of the sequence continues it exactly.
    std::vector<double> part(dims * 24);
    design.fill(part, 1000, 24);
    for (std::size_t d = 0; d < dims; ++d)
        for (std::size_t i = 0; i < 24; ++i) CHECK(part[d * 24 + i] == u[d * n + 1000 + i]);
}

TEST_CASE("Sobol replicates are shifted differently; the same replicate replays", "[sampling][sobol]") {
    std::vector<double> a(2 * 8), b(2 * 8), c(2 * 8);
    sampling::SobolDesign(2, 1, 0).fill(a, 0, 8);
    sampling::SobolDesign(2, 1, 0).fill(b, 0, 8);
    sampling::SobolDesign(2, 1, 1).fill(c, 0, 8);
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("Latin hypercube: each of the n strata of every dimension holds exactly one point", "[sampling][lhs]") {
    constexpr std::size_t dims = 7, n = 2048;
    dist::Rng rng(123);
    std::vector<double> u(dims * n);
    sampling::latin_hypercube(u, dims, n, rng);
    for (std::size_t d = 0; d < dims; ++d) {
        std::vector<int> hits(n, 0);
        for (std::size_t i = 0; i < n; ++i) ++hits[static_cast<std::size_t>(u[d * n + i] * n)];
        CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
    // Dimensions are paired at random: the strata of two dimensions are not
    // in the same order (probability 1/n! that they would be).
    CHECK(std::floor(u[0] * n) != std::floor(u[n] * n));
}
