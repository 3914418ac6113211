// Ranks, Pearson and partial correlations against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "engine/sensitivity/rank_correlation.hpp"

using namespace flopcast::sensitivity;

TEST_CASE("ranks: 1..n, ties share their mean rank", "[rank]") {
    const std::vector<double> x = {3.0, 1.0, 4.0, 1.0, 5.0, -INFINITY, INFINITY};
    CHECK(ranks(x) == std::vector<double>{4.0, 2.5, 5.0, 2.5, 6.0, 1.0, 7.0});
}

TEST_CASE("pearson: +-1 for linear relations, NaN for a constant", "[rank]") {
    const std::vector<double> x = {1, 2, 3, 4}, y = {2, 4, 6, 8}, z = {4, 3, 2, 1}, c = {5, 5, 5, 5};
    CHECK(pearson(x, y) == Approx(1.0));
    CHECK(pearson(x, z) == Approx(-1.0));
    CHECK(std::isnan(pearson(x, c)));
}

TEST_CASE("partial correlations: the textbook formula for three variables", "[rank]") {
    // r_xy.z = (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2)), and the same for z.
    const double rxy = 0.6, rxz = 0.3, ryz = 0.5;
    // Variables in order x, z, y (y, the output, last).
    const std::vector<double> c = {1, rxz, rxy, rxz, 1, ryz, rxy, ryz, 1};
    const auto p = partial_correlations(c, 3);
    REQUIRE(p.size() == 2);
    CHECK(p[0] == Approx((rxy - rxz * ryz) / std::sqrt((1 - rxz * rxz) * (1 - ryz * ryz))));
    CHECK(p[1] == Approx((ryz - rxz * rxy) / std::sqrt((1 - rxz * rxz) * (1 - rxy * rxy))));
    // Independent inputs: the partial correlations exceed the plain ones.
    const std::vector<double> ind = {1, 0, 0.6, 0, 1, 0.6, 0.6, 0.6, 1};
    const auto q = partial_correlations(ind, 3);
    CHECK(q[0] == Approx(0.6 / std::sqrt(1 - 0.36)));
}

TEST_CASE("partial correlations: NaN when an input is a copy of another", "[rank]") {
    const std::vector<double> c = {1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1};
    const auto p = partial_correlations(c, 3);
    CHECK(std::isnan(p[0]));
    CHECK(std::isnan(p[1]));
}
