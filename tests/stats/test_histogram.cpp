#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/stats/quantile_sketch.hpp"
#include "samples.hpp"

using flopcast::stats::Histogram;
using flopcast::stats::QuantileSketch;
namespace t = flopcast::stats::testing;

namespace {

QuantileSketch sketch_of(const std::vector<double>& v) {
    QuantileSketch s;
    s.add(v);
    return s;
}

// Exact per-bin counts of the raw values with the histogram's own edges
// (bin i: edges[i] <= v < edges[i + 1], the last bin closed).
std::vector<std::uint64_t> exact_counts(const std::vector<double>& v, const std::vector<double>& edges) {
    std::vector<std::uint64_t> c(edges.size() - 1, 0);
    for (const double x : v) {
        if (x < edges.front() || x > edges.back()) continue;
        const auto i = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()) - 1;
        ++c[std::min(i, c.size() - 1)];
    }
    return c;
}

std::uint64_t total(const std::vector<std::uint64_t>& c) { return std::accumulate(c.begin(), c.end(), std::uint64_t{0}); }

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("Histogram of atoms on a linear axis", "[histogram]") {
    // i repeated i times for i = 1..10, plus values outside [0.5, 10.5].
    std::vector<double> v = {0.0, 0.0, 0.0, 11.0, 11.0, -3.0};
    for (int i = 1; i <= 10; ++i) v.insert(v.end(), static_cast<std::size_t>(i), static_cast<double>(i));
    const Histogram h = sketch_of(v).histogram(0.5, 10.5, 10, false);
    CHECK_FALSE(h.log_axis);
    REQUIRE(h.counts.size() == 10);
    REQUIRE(h.edges.size() == 11);
    for (int i = 0; i <= 10; ++i) CHECK(h.edges[static_cast<std::size_t>(i)] == 0.5 + i);
    for (int i = 1; i <= 10; ++i) CHECK(h.counts[static_cast<std::size_t>(i - 1)] == static_cast<std::uint64_t>(i));
    CHECK(total(h.counts) == 55);
}

TEST_CASE("Histogram of atoms on a log axis", "[histogram]") {
    // 10^j repeated j + 4 times, j = -3..3; one bin per decade, centred.
    std::vector<double> v = {1e-5, 1e5};
    for (int j = -3; j <= 3; ++j) v.insert(v.end(), static_cast<std::size_t>(j + 4), std::pow(10.0, j));
    const Histogram h = sketch_of(v).histogram(std::pow(10.0, -3.5), std::pow(10.0, 3.5), 7, true);
    CHECK(h.log_axis);
    REQUIRE(h.counts.size() == 7);
    for (int i = 0; i <= 7; ++i)
        CHECK(h.edges[static_cast<std::size_t>(i)] == Approx(std::pow(10.0, i - 3.5)).epsilon(1e-12));
    for (int j = -3; j <= 3; ++j) CHECK(h.counts[static_cast<std::size_t>(j + 3)] == static_cast<std::uint64_t>(j + 4));
    CHECK(total(h.counts) == 28);
}

TEST_CASE("Histogram with bucket-aligned edges counts exactly", "[histogram]") {
    // Edges that are zero or signed dyadic numbers with few bits are bucket
    // bounds, so each bucket falls wholly in one bin and the counts equal the
    // exact counts of the raw values.
    const auto ln = t::lognormal_samples(1'000'000, 1.0, 51);
    const QuantileSketch s = sketch_of(ln);

    SECTION("log axis, one bin per octave over [2^-4, 2^4]") {
        const Histogram h = s.histogram(0.0625, 16.0, 8, true);
        for (int i = 0; i <= 8; ++i) CHECK(h.edges[static_cast<std::size_t>(i)] == std::ldexp(1.0, i - 4));
        const auto exact = exact_counts(ln, h.edges);
        CHECK(h.counts == exact);
        CHECK(total(h.counts) == static_cast<std::uint64_t>(std::count_if(
                                     ln.begin(), ln.end(), [](double x) { return x >= 0.0625 && x < 16.0; })));
        // And where the lognormal puts them: n (Phi(ln b) - Phi(ln a)), within
        // 5 binomial standard deviations (the seed is fixed, so this is not
        // a flaky check).
        const double n = static_cast<double>(ln.size());
        for (std::size_t i = 0; i < 8; ++i) {
            const double prob = normal_cdf(std::log(h.edges[i + 1])) - normal_cdf(std::log(h.edges[i]));
            INFO("bin " << i);
            CHECK(std::abs(static_cast<double>(h.counts[i]) - n * prob) <= 5.0 * std::sqrt(n * prob * (1 - prob)));
        }
    }
    SECTION("linear axis, 32 bins over [0, 8]") {
        const Histogram h = s.histogram(0.0, 8.0, 32, false);
        for (int i = 0; i <= 32; ++i) CHECK(h.edges[static_cast<std::size_t>(i)] == 0.25 * i);
        CHECK(h.counts == exact_counts(ln, h.edges));
    }
    SECTION("linear axis across zero") {
        auto v = t::normal_samples(1'000'000, 0.0, 1.0, 52);
        v.insert(v.end(), 1000, 0.0);
        const Histogram h = sketch_of(v).histogram(-4.0, 4.0, 32, false);
        CHECK(h.counts == exact_counts(v, h.edges));
        CHECK(h.counts[16] >= 1000);  // the zeros, in [0, 0.25)
    }
}

TEST_CASE("Histogram with arbitrary edges misplaces only values within 0.1% of an edge", "[histogram]") {
    const auto v = t::lognormal_samples(1'000'000, 1.0, 53);
    const QuantileSketch s = sketch_of(v);
    for (const bool log_axis : {false, true}) {
        INFO("log axis " << log_axis);
        const Histogram h = s.histogram(0.3, 7.7, 37, log_axis);
        const auto exact = exact_counts(v, h.edges);
        // Values within 0.1 % of each edge: the only ones a bucket may carry
        // across it.
        std::vector<std::uint64_t> near(h.edges.size(), 0);
        for (const double x : v)
            for (std::size_t e = 0; e < h.edges.size(); ++e)
                if (std::abs(x - h.edges[e]) <= 1e-3 * h.edges[e]) ++near[e];
        std::uint64_t all_near = 0;
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            const auto diff = static_cast<std::int64_t>(h.counts[i]) - static_cast<std::int64_t>(exact[i]);
            CHECK(static_cast<std::uint64_t>(std::abs(diff)) <= near[i] + near[i + 1]);
            all_near += near[i];
        }
        CHECK(all_near > 0);  // the edges do cut buckets, so the bound is exercised
        const auto diff_total = static_cast<std::int64_t>(total(h.counts)) - static_cast<std::int64_t>(total(exact));
        CHECK(static_cast<std::uint64_t>(std::abs(diff_total)) <= near.front() + near.back());
    }
}

TEST_CASE("Histogram refuses bad ranges", "[histogram]") {
    const QuantileSketch s = sketch_of({1.0, 2.0});
    CHECK_THROWS_AS(s.histogram(1.0, 1.0, 4, false), std::invalid_argument);
    CHECK_THROWS_AS(s.histogram(2.0, 1.0, 4, false), std::invalid_argument);
    CHECK_THROWS_AS(s.histogram(0.0, 1.0, 4, true), std::invalid_argument);
    CHECK_THROWS_AS(s.histogram(0.0, 1.0, 0, false), std::invalid_argument);
    const Histogram empty = QuantileSketch{}.histogram(0.0, 1.0, 3, false);
    CHECK(empty.counts == std::vector<std::uint64_t>(3, 0));
}
