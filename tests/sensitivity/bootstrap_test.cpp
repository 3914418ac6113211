// The Poisson bootstrap's weights and the percentile interval.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/sensitivity/bootstrap.hpp"

using namespace flopcast::sensitivity;

TEST_CASE("Poisson weights: mean 1, variance 1, a function of (seed, block) only", "[bootstrap]") {
    const std::size_t R = 200, n = 2048;
    std::vector<double> w(R * n), again(R * n), other(R * n);
    poisson_weights(7, 3, R, n, w);
    poisson_weights(7, 3, R, n, again);
    poisson_weights(7, 4, R, n, other);
    CHECK(w == again);
    CHECK(w != other);
    double sum = 0, sq = 0;
    for (double v : w) {
        CHECK(v == std::floor(v));
        sum += v;
        sq += v * v;
    }
    const double mean = sum / static_cast<double>(w.size()), var = sq / static_cast<double>(w.size()) - mean * mean;
    CHECK(mean == Approx(1.0).margin(0.01));  // standard error 1 / sqrt(409600) = 0.0016
    CHECK(var == Approx(1.0).margin(0.02));
}

TEST_CASE("bootstrap units: at least 512 units, at most 16 rows, dividing the block", "[bootstrap]") {
    CHECK(bootstrap_unit(100) == 1);
    CHECK(bootstrap_unit(1023) == 1);
    CHECK(bootstrap_unit(1024) == 2);
    CHECK(bootstrap_unit(4096) == 8);
    CHECK(bootstrap_unit(8192) == 16);
    CHECK(bootstrap_unit(1u << 30) == 16);
}

TEST_CASE("percentile interval: interpolated order statistics of the finite values", "[bootstrap]") {
    std::vector<double> v;
    for (int i = 0; i <= 100; ++i) v.push_back(100 - i);
    v.push_back(std::numeric_limits<double>::quiet_NaN());
    const Interval i = percentile_interval(v, 0.9);
    CHECK(i.low == Approx(5.0));
    CHECK(i.high == Approx(95.0));
    std::vector<double> none = {std::numeric_limits<double>::quiet_NaN()};
    CHECK(std::isnan(percentile_interval(none, 0.95).low));
}
