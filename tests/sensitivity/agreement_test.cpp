// On a linear model with independent inputs every method must rank the
// inputs alike, and the one-at-a-time and variance answers are known exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "benchmark_scenarios.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/morris.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/tornado.hpp"

using namespace flopcast;

namespace {

// Factor names by decreasing key in year t.
std::vector<std::string> ranking(const std::vector<sensitivity::Factor>& factors, const std::vector<double>& grid,
                                 std::size_t width, std::size_t t, bool absolute = false) {
    std::vector<std::size_t> order(factors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto key = [&](std::size_t f) { return absolute ? std::fabs(grid[f * width + t]) : grid[f * width + t]; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
    std::vector<std::string> names;
    for (std::size_t f : order) names.push_back(factors[f].name);
    return names;
}

const std::vector<std::string> kExpected = {"a", "b", "c", "e", "d"};

}  // namespace

TEST_CASE("linear model: Spearman, PRCC, tornado, Sobol and Morris rank a > b > c > e > d in every year",
          "[agreement]") {
    const auto s = testing::benchmark("linear");
    const auto factors = testing::every_input(s);
    REQUIRE(factors.size() == 5);  // the constant k is left out; e's three years are one factor
    const std::size_t years = s.years.size();

    sensitivity::CorrelationOptions co;
    co.samples = 20000;
    co.seed = s.seed;
    co.outputs = {0};
    const auto corr = sensitivity::rank_correlations(s, factors, co);
    sensitivity::TornadoOptions to;
    to.outputs = {0};
    const auto tor = sensitivity::tornado(s, factors, to);
    sensitivity::SobolOptions so;
    so.rows = 16384;
    so.seed = s.seed;
    so.outputs = {0};
    const auto sob = sensitivity::sobol_indices(s, factors, so);
    sensitivity::MorrisOptions mo;
    mo.seed = s.seed;
    mo.outputs = {0};
    const auto mor = sensitivity::morris(s, factors, mo);

    for (std::size_t t = 0; t < years; ++t) {
        INFO("year " << s.years[t]);
        CHECK(ranking(factors, corr.outputs[0].spearman, years, t, true) == kExpected);
        CHECK(ranking(factors, corr.outputs[0].prcc, years, t, true) == kExpected);
        CHECK(ranking(factors, tor.outputs[0].swing, years, t) == kExpected);
        CHECK(ranking(factors, sob.outputs[0].total, years, t) == kExpected);
        CHECK(ranking(factors, sob.outputs[0].first, years, t) == kExpected);
        CHECK(ranking(factors, mor.outputs[0].mu_star, years, t) == kExpected);
    }
}

TEST_CASE("linear model: tornado settings and Sobol indices match the exact values", "[agreement][tornado]") {
    const auto s = testing::benchmark("linear");
    const auto factors = testing::every_input(s);
    sensitivity::TornadoOptions to;
    to.outputs = {0};
    const auto tor = sensitivity::tornado(s, factors, to);
    const auto& o = tor.outputs.at(0);
    const std::size_t W = s.years.size();
    // y = 4 a + b + 2 c + d + e + 3 t: at the medians (0, 3, 1, 0, 0) y = 5 + 3 t.
    const double z90 = 1.2815515655446004;
    const double swing[] = {4 * 2 * z90, 4.8, 2 * 2 * (1 - std::sqrt(0.2)), 2 * 0.1 * z90, 2 * 0.5 * z90};
    for (std::size_t t = 0; t < W; ++t) {
        CHECK(o.baseline[t] == Approx(5.0 + 3.0 * static_cast<double>(t)));
        for (std::size_t f = 0; f < 5; ++f) CHECK(o.swing[f * W + t] == Approx(swing[f]).epsilon(1e-9));
        // a moves y up with it: low below the baseline, high above.
        CHECK(o.low[0 * W + t] < o.baseline[t]);
        CHECK(o.high[0 * W + t] > o.baseline[t]);
    }
    CHECK(tor.evaluations == 11u);

    // Sobol: for a linear model first = total = share of the variance.
    sensitivity::SobolOptions so;
    so.rows = 65536;
    so.seed = s.seed;
    so.outputs = {0};
    const auto sob = sensitivity::sobol_indices(s, factors, so);
    const double var[] = {16.0, 3.0, 4.0 / 6.0, 0.01, 0.25};
    const double v = 16.0 + 3.0 + 4.0 / 6.0 + 0.01 + 0.25;
    for (std::size_t t = 0; t < W; ++t)
        for (std::size_t f = 0; f < 5; ++f) {
            INFO(factors[f].name << " in " << s.years[t]);
            CHECK(std::fabs(sob.outputs[0].first[f * W + t] - var[f] / v) < 0.02);
            CHECK(std::fabs(sob.outputs[0].total[f * W + t] - var[f] / v) < 0.02);
        }
}
