#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/stats/moments.hpp"
#include "samples.hpp"

using flopcast::stats::Moments;
namespace t = flopcast::stats::testing;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_state(const Moments& a, const Moments& b) {
    const auto x = a.state(), y = b.state();
    return x.n == y.n && same_bits(x.mean, y.mean) && same_bits(x.m2, y.m2) &&
           same_bits(x.min, y.min) && same_bits(x.max, y.max);
}

double rel(double got, double want) { return std::abs(got - want) / std::abs(want); }

// Neumaier's compensated sum: error about one rounding of the result,
// independent of n, so it serves as the exact reference here.
template <class F>
double accurate_sum(const std::vector<double>& v, F f) {
    double s = 0.0, c = 0.0;
    for (const double x : v) {
        const double y = f(x);
        const double t = s + y;
        c += std::abs(s) >= std::abs(y) ? (s - t) + y : (y - t) + s;
        s = t;
    }
    return s + c;
}

}  // namespace

TEST_CASE("Moments of a small hand-computed sample", "[moments]") {
    // mean 5; deviations -3 -1 -1 -1 0 0 2 4; m2 = 9+1+1+1+0+0+4+16 = 32.
    const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
    const Moments m = Moments::of(v);
    // Every intermediate is a small integer, so the two-pass result is exact.
    CHECK(m.count() == 8);
    CHECK(m.mean() == 5.0);
    CHECK(m.m2() == 32.0);
    CHECK(m.variance() == 32.0 / 7.0);
    CHECK(m.std_dev() == std::sqrt(32.0 / 7.0));
    CHECK(m.std_error() == std::sqrt(32.0 / 7.0) / std::sqrt(8.0));
    CHECK(m.min() == 2.0);
    CHECK(m.max() == 9.0);

    // Welford (add) and a merge of two parts divide by 3, 5, 6, 7 on the way;
    // each of the < 10 updates rounds by a few ulps, so 1e-14 is generous.
    Moments w;
    for (const double x : v) w.add(x);
    Moments parts = Moments::of(std::span(v).first(3));
    parts.merge(Moments::of(std::span(v).subspan(3)));
    for (const Moments& r : {w, parts}) {
        CHECK(r.count() == 8);
        CHECK(r.mean() == Approx(5.0).epsilon(1e-14));
        CHECK(r.m2() == Approx(32.0).epsilon(1e-14));
        CHECK(r.min() == 2.0);
        CHECK(r.max() == 9.0);
    }
}

TEST_CASE("Moments two-pass is exact around a large offset", "[moments]") {
    // A naive sum of squares loses every digit here (x^2 ~ 1e18 while the
    // deviations squared are ~10); the two-pass deviations are exact integers.
    const std::vector<double> v = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    const Moments m = Moments::of(v);
    CHECK(m.mean() == 1e9 + 10);
    CHECK(m.m2() == 90.0);
    CHECK(m.variance() == 30.0);
}

TEST_CASE("Moments of empty and one-element samples", "[moments]") {
    const Moments empty = Moments::of({});
    CHECK(empty.count() == 0);
    CHECK(std::isnan(empty.mean()));
    CHECK(std::isnan(empty.variance()));
    CHECK(std::isnan(empty.std_dev()));
    CHECK(std::isnan(empty.std_error()));
    CHECK(std::isnan(empty.min()));
    CHECK(std::isnan(empty.max()));
    CHECK(same_state(empty, Moments{}));

    const std::vector<double> one_value = {-2.5};
    const Moments one = Moments::of(one_value);
    CHECK(one.count() == 1);
    CHECK(one.mean() == -2.5);
    CHECK(one.m2() == 0.0);
    CHECK(std::isnan(one.variance()));
    CHECK(std::isnan(one.std_dev()));
    CHECK(std::isnan(one.std_error()));
    CHECK(one.min() == -2.5);
    CHECK(one.max() == -2.5);

    Moments added;
    added.add(-2.5);
    CHECK(same_state(added, one));

    // Merging with an empty accumulator is the identity, on either side.
    Moments a = one;
    a.merge(Moments{});
    CHECK(same_state(a, one));
    Moments b;
    b.merge(one);
    CHECK(same_state(b, one));
}

TEST_CASE("Moments state round-trips exactly", "[moments]") {
    const auto v = t::lognormal_samples(1000, 1.0, 7);
    const Moments m = Moments::of(v);
    CHECK(same_state(Moments::from_state(m.state()), m));
}

TEST_CASE("Moments merged from blocks agree with a single pass", "[moments][merge]") {
    const auto v = t::lognormal_samples(1'000'000, 1.0, 11);
    const std::size_t block = 1024;

    auto merged_blocks = [&] {
        Moments total;
        for (std::size_t i = 0; i < v.size(); i += block)
            total.merge(Moments::of(std::span(v).subspan(i, std::min(block, v.size() - i))));
        return total;
    };
    const Moments blocks = merged_blocks();
    const Moments single = Moments::of(v);

    // Reference: compensated two-pass sums, accurate to about one rounding.
    const double n = static_cast<double>(v.size());
    const double mean = accurate_sum(v, [](double x) { return x; }) / n;
    const double m2 = accurate_sum(v, [mean](double x) { return (x - mean) * (x - mean); });

    // Tolerance: the data are positive, so sums are well conditioned. A block
    // (1024 values, pairwise with leaves of 4 x 32) has relative error below
    // ~40 ulps; each of the 977 sequential merges adds a few roundings of the
    // current mean and m2 (all m2 terms are non-negative), so the total is
    // below ~977 * 4 * 1.1e-16 = 4.3e-13 < 1e-12. The single pass over 1e6
    // values is pairwise: below ~(32 + 3 + log2(1e6 / 128)) ulps, far inside.
    CHECK(blocks.count() == v.size());
    CHECK(rel(blocks.mean(), mean) <= 1e-12);
    CHECK(rel(blocks.m2(), m2) <= 1e-12);
    CHECK(rel(single.mean(), mean) <= 1e-12);
    CHECK(rel(single.m2(), m2) <= 1e-12);
    CHECK(blocks.min() == single.min());
    CHECK(blocks.max() == single.max());
    CHECK(blocks.min() == *std::min_element(v.begin(), v.end()));
    CHECK(blocks.max() == *std::max_element(v.begin(), v.end()));

    // Same merge order, same bits.
    CHECK(same_state(merged_blocks(), blocks));
}

TEST_CASE("Moments merged from uneven blocks agree with Welford", "[moments][merge]") {
    // Mean far from zero and uneven block sizes (1..2999) exercise the Chan
    // update's weights; Welford over 2e5 values has relative error well below
    // 2e5 * 4 ulps ~ 1e-10 on positive data.
    const auto v = t::normal_samples(200'000, 100.0, 15.0, 5);
    boost::random::mt19937_64 rng(3);
    Moments blocks, welford;
    for (const double x : v) welford.add(x);
    for (std::size_t i = 0; i < v.size();) {
        const std::size_t len = std::min<std::size_t>(1 + rng() % 2999, v.size() - i);
        blocks.merge(Moments::of(std::span(v).subspan(i, len)));
        i += len;
    }
    CHECK(blocks.count() == welford.count());
    CHECK(rel(blocks.mean(), welford.mean()) <= 1e-10);
    CHECK(rel(blocks.variance(), welford.variance()) <= 1e-10);
    CHECK(blocks.variance() == Approx(225.0).epsilon(0.01));  // sd 15, n = 2e5
}
