#include <cmath>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include "engine/stats/batch_means.hpp"
#include "engine/stats/quantile_sketch.hpp"

using flopcast::stats::batch_means;
using flopcast::stats::student_t_factor;

TEST_CASE("student_t_factor matches published t quantiles", "[batch_means]") {
    // Tables (e.g. NIST/SEMATECH 1.3.6.7.2) give t_{0.975, 31} = 2.040 and
    // t_{0.975, 1} = 12.706, t_{0.95, 9} = 1.833 (two-sided 90 %).
    CHECK(student_t_factor(31, 0.95) == Approx(2.0395).margin(5e-4));
    CHECK(student_t_factor(1, 0.95) == Approx(12.706).margin(5e-3));
    CHECK(student_t_factor(9, 0.90) == Approx(1.833).margin(5e-4));
    CHECK_THROWS_AS(student_t_factor(0.5, 0.95), std::invalid_argument);
    CHECK_THROWS_AS(student_t_factor(5, 1.0), std::invalid_argument);
}

TEST_CASE("batch_means: mean, standard error and half-width of a small set", "[batch_means]") {
    const std::vector<double> x{1.0, 2.0, 3.0, 4.0};
    const auto r = batch_means(x, 0.95);
    CHECK(r.mean == 2.5);
    // s^2 = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; SE = sqrt(5/3 / 4).
    CHECK(r.std_error == Approx(std::sqrt(5.0 / 12.0)).epsilon(1e-15));
    CHECK(r.half_width == Approx(student_t_factor(3, 0.95) * std::sqrt(5.0 / 12.0)).epsilon(1e-15));
    CHECK_THROWS_AS(batch_means(std::vector<double>{1.0}, 0.95), std::invalid_argument);
    CHECK_THROWS_AS(batch_means(std::vector<double>{1.0, NAN}, 0.95), std::invalid_argument);
}

TEST_CASE("batch-means intervals of a median cover the truth at their nominal rate", "[batch_means]") {
    // 2000 runs, each of 32 groups of 512 standard normals; the interval for
    // the median (truth 0) from the groups' sketch medians. Coverage is a
    // binomial proportion: its standard error at the nominal 0.95 is
    // sqrt(0.95 * 0.05 / 2000) = 0.0049, so 5 SE is 0.024. Group medians of
    // 512 normals are close to normal, so the t interval should be within
    // that of 0.95; an interval using the pooled-sample SE instead of the
    // groups' spread, or z instead of t with a wrong factor, would not
    // (e.g. omitting the 1/sqrt(G) gives coverage 1.0, a sqrt(G) too many
    // gives ~0.2).
    boost::random::mt19937_64 rng(20261124);
    boost::random::normal_distribution<double> normal;
    constexpr int runs = 2000, groups = 32, per_group = 512;
    int covered = 0;
    std::vector<double> medians(groups);
    for (int r = 0; r < runs; ++r) {
        for (int g = 0; g < groups; ++g) {
            flopcast::stats::QuantileSketch sketch;
            for (int i = 0; i < per_group; ++i) sketch.add(normal(rng));
            medians[g] = sketch.quantile(0.5);
        }
        const auto ci = batch_means(medians, 0.95);
        if (std::abs(ci.mean) <= ci.half_width) ++covered;
    }
    const double coverage = static_cast<double>(covered) / runs;
    CHECK(coverage == Approx(0.95).margin(0.024));
}
