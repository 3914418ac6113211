#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/stats/quantile_sketch.hpp"
#include "samples.hpp"

using flopcast::stats::QuantileSketch;
namespace t = flopcast::stats::testing;

namespace {

using Buckets = std::vector<QuantileSketch::Bucket>;

bool same_buckets(const Buckets& a, const Buckets& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto& x, const auto& y) { return x.key == y.key && x.count == y.count; });
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Feeds the sketch in engine-sized blocks.
QuantileSketch sketch_of(std::span<const double> v, std::size_t block = 1024) {
    QuantileSketch s;
    for (std::size_t i = 0; i < v.size(); i += block) s.add(v.subspan(i, std::min(block, v.size() - i)));
    return s;
}

// Largest |sketch - exact| / |exact| over p = 0, 1/1000, ..., 1 and the
// standard levels; exact zero must come back as exactly zero.
double worst_relative_error(const QuantileSketch& s, std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::vector<double> levels = t::kLevels;
    for (int i = 0; i <= 1000; ++i) levels.push_back(i / 1000.0);
    double worst = 0.0;
    for (const double p : levels) {
        const double exact = t::exact_quantile(v, p);
        const double got = s.quantile(p);
        const double err = exact == 0.0 ? (got == 0.0 ? 0.0 : 1.0) : std::abs(got - exact) / std::abs(exact);
        worst = std::max(worst, err);
    }
    return worst;
}

}  // namespace

TEST_CASE("Sketch quantiles are within 0.1% of the exact order statistics", "[sketch]") {
    struct Case { std::string name; std::vector<double> values; };
    const std::vector<Case> cases = {
        {"lognormal sigma 2", t::lognormal_samples(1'000'000, 2.0, 1)},
        {"normal around zero", t::normal_samples(1'000'000, 0.0, 1.0, 2)},
        {"zeros and a cap", t::capped_losses(1'000'000, 3)},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const QuantileSketch s = sketch_of(c.values);
        REQUIRE(s.count() == c.values.size());
        std::vector<double> sorted = c.values;
        std::sort(sorted.begin(), sorted.end());
        for (const double p : t::kLevels) {
            INFO("p = " << p);
            const double exact = t::exact_quantile(sorted, p);
            CHECK(std::abs(s.quantile(p) - exact) <= 1e-3 * std::abs(exact));
        }
        // Extremes are exact; so are the atoms at 0 and at the cap.
        CHECK(s.quantile(0.0) == sorted.front());
        CHECK(s.quantile(1.0) == sorted.back());
        CHECK(s.min() == sorted.front());
        CHECK(s.max() == sorted.back());
        CHECK(worst_relative_error(s, c.values) <= 1e-3);
    }
    const QuantileSketch losses = sketch_of(cases[2].values);
    CHECK(losses.quantile(0.10) == 0.0);
    CHECK(losses.quantile(0.25) == 0.0);
    CHECK(losses.quantile(0.99) == 10.0);
}

TEST_CASE("Every bucket's representative is within 2^-10 of its values", "[sketch]") {
    // Puts x between a smaller and a larger neighbour so the median is x's
    // bucket representative (not clamped to the exact extremes), for the
    // lowest and highest value of every one of the 512 buckets of an octave,
    // on both signs, across the normal range.
    auto representative = [](double x) {
        QuantileSketch s;
        const double big = std::abs(x) <= std::numeric_limits<double>::max() / 4 ? 4 * x : x;
        const std::vector<double> v = {x * 0.25, x, x, x, big};
        s.add(v);
        return s.quantile(0.5);
    };
    double worst = 0.0;
    for (const int e : {-1022, -500, -1, 0, 1, 52, 700, 1023}) {
        for (int m = 0; m < 512; ++m) {
            const double lower = std::ldexp(1.0 + m / 512.0, e);
            const double upper_exclusive = std::ldexp(1.0 + (m + 1) / 512.0, e);
            const double top = std::nextafter(upper_exclusive, 0.0);
            for (const double x : {lower, top, -lower, -top}) {
                const double err = std::abs(representative(x) - x) / std::abs(x);
                worst = std::max(worst, err);
            }
        }
    }
    CHECK(worst <= std::ldexp(1.0, -10));
    CHECK(worst >= 0.99 * std::ldexp(1.0, -10));  // the bound is tight: buckets are 2^-9 wide
}

TEST_CASE("Sub-normal values keep the relative error bound", "[sketch]") {
    // |x| = m * 2^-1074: every m up to 2^14 (buckets narrower than, equal to
    // and wider than the spacing 2^-1074), then random m up to 2^52.
    std::vector<std::uint64_t> ms;
    for (std::uint64_t m = 1; m <= (1u << 14); ++m) ms.push_back(m);
    boost::random::mt19937_64 rng(9);
    for (int i = 0; i < 20000; ++i) ms.push_back(1 + rng() % ((std::uint64_t{1} << 52) - 1));

    std::vector<double> v;
    for (const std::uint64_t m : ms) {
        const double x = std::bit_cast<double>(m);
        REQUIRE(std::fpclassify(x) == FP_SUBNORMAL);
        v.push_back(x);
        v.push_back(-x);
    }
    v.push_back(0.0);
    v.push_back(std::numeric_limits<double>::min());  // smallest normal
    const QuantileSketch s = sketch_of(v);
    CHECK(worst_relative_error(s, v) <= 1e-3);

    // Individually too: each alone between neighbours, as above.
    double worst = 0.0;
    for (const std::uint64_t m : ms) {
        const double x = std::bit_cast<double>(m);
        QuantileSketch one;
        const std::vector<double> w = {x * 0.25, x, x, x, x * 4};
        one.add(w);
        worst = std::max(worst, std::abs(one.quantile(0.5) - x) / x);
    }
    CHECK(worst <= std::ldexp(1.0, -10));
}

TEST_CASE("Sketch merge equals the sketch of the whole, in any order", "[sketch][merge]") {
    // Negative, zero, positive and sub-normal values.
    std::vector<double> v = t::normal_samples(500'000, 0.0, 3.0, 21);
    const auto losses = t::capped_losses(500'000, 22);
    v.insert(v.end(), losses.begin(), losses.end());
    v.push_back(std::bit_cast<double>(std::uint64_t{12345}));
    v.push_back(-0.0);
    t::shuffle(v, 23);

    const std::span<const double> all(v);
    const QuantileSketch whole = sketch_of(all);
    const QuantileSketch first = sketch_of(all.first(v.size() / 3));
    const QuantileSketch second = sketch_of(all.subspan(v.size() / 3));

    QuantileSketch ab = first;
    ab.merge(second);
    QuantileSketch ba = second;
    ba.merge(first);
    for (const QuantileSketch* m : {&ab, &ba}) {
        CHECK(same_buckets(m->buckets(), whole.buckets()));
        CHECK(m->count() == whole.count());
        CHECK(same_bits(m->min(), whole.min()));
        CHECK(same_bits(m->max(), whole.max()));
        for (const double p : t::kLevels) CHECK(same_bits(m->quantile(p), whole.quantile(p)));
    }

    // Many per-thread sketches filled round-robin from blocks, merged
    // forwards and backwards.
    std::vector<QuantileSketch> threads(7);
    for (std::size_t i = 0, b = 0; i < v.size(); i += 1000, ++b)
        threads[b % threads.size()].add(all.subspan(i, std::min<std::size_t>(1000, v.size() - i)));
    QuantileSketch forward, backward;
    for (std::size_t i = 0; i < threads.size(); ++i) {
        forward.merge(threads[i]);
        backward.merge(threads[threads.size() - 1 - i]);
    }
    CHECK(same_buckets(forward.buckets(), whole.buckets()));
    CHECK(same_buckets(backward.buckets(), whole.buckets()));
    CHECK(same_bits(forward.min(), whole.min()));
    CHECK(same_bits(backward.max(), whole.max()));

    // A -0 recorded as the minimum would make min() depend on order.
    const std::vector<double> zeros = {0.0, -0.0, 1.0};
    QuantileSketch z;
    z.add(zeros);
    CHECK(same_bits(z.min(), 0.0));
}

TEST_CASE("Sketch buckets round-trip exactly", "[sketch]") {
    std::vector<double> v = t::normal_samples(100'000, 1.0, 5.0, 31);
    v.push_back(0.0);
    v.push_back(std::bit_cast<double>(std::uint64_t{777}));
    v.push_back(-1e300);
    v.push_back(1e-300);
    const QuantileSketch s = sketch_of(v);
    const auto b = s.buckets();
    REQUIRE(std::is_sorted(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.key < y.key; }));

    const QuantileSketch exact = QuantileSketch::from_buckets(b, s.min(), s.max());
    CHECK(same_buckets(exact.buckets(), b));
    CHECK(exact.count() == s.count());
    CHECK(same_bits(exact.min(), s.min()));
    CHECK(same_bits(exact.max(), s.max()));
    // (The values span ~1300 octaves, so each walk covers ~1.3e6 slots: 101 levels.)
    for (int i = 0; i <= 100; ++i) CHECK(same_bits(exact.quantile(i / 100.0), s.quantile(i / 100.0)));

    // Without min and max: the same buckets, extremes within the bound.
    const QuantileSketch counts_only = QuantileSketch::from_buckets(b);
    CHECK(same_buckets(counts_only.buckets(), b));
    CHECK(counts_only.count() == s.count());
    CHECK(std::abs(counts_only.quantile(0.0) - s.min()) <= 1e-3 * std::abs(s.min()));
    CHECK(std::abs(counts_only.quantile(1.0) - s.max()) <= 1e-3 * std::abs(s.max()));

    // Any order, repeated keys add up.
    Buckets shuffled = b;
    t::shuffle(shuffled, 32);
    shuffled.push_back({-600, 0});  // a zero count changes nothing
    CHECK(same_buckets(QuantileSketch::from_buckets(shuffled, s.min(), s.max()).buckets(), b));
    const std::vector<QuantileSketch::Bucket> twice = {{600, 2}, {600, 3}};
    const auto five = QuantileSketch::from_buckets(twice).buckets();
    REQUIRE(five.size() == 1);
    CHECK(five[0].count == 5);

    // Invalid input is refused.
    const std::vector<QuantileSketch::Bucket> bad_key = {{1, 1}};
    CHECK_THROWS_AS(QuantileSketch::from_buckets(bad_key), std::invalid_argument);
    const std::vector<QuantileSketch::Bucket> too_big = {{std::int64_t{1} << 40, 1}};
    CHECK_THROWS_AS(QuantileSketch::from_buckets(too_big), std::invalid_argument);
    CHECK_THROWS_AS(QuantileSketch::from_buckets(b, s.min() * 2, s.max()), std::invalid_argument);
    CHECK_THROWS_AS(QuantileSketch::from_buckets(b, s.min(), s.max() / 2), std::invalid_argument);

    CHECK(QuantileSketch::from_buckets({}).count() == 0);
}

TEST_CASE("Sketch memory depends on the decades covered, not the sample count", "[sketch][memory]") {
    // Values in [1, 1e6) lie in the octaves [2^0, 2^20) (2^19 < 1e6 < 2^20):
    // at most 20 * 512 = 10240 keys, so at most 2 * 10240 + 64 slots (header).
    constexpr std::int64_t kKeySpanBound = 20 * 512;
    constexpr std::size_t kSlotBound = 2 * kKeySpanBound + 64;

    QuantileSketch s = sketch_of(t::six_decades(1'000'000, 41));
    const auto b = s.buckets();
    CHECK(b.back().key - b.front().key + 1 <= kKeySpanBound);
    CHECK(s.allocated_buckets() <= kSlotBound);
    CHECK(s.allocated_buckets() >= static_cast<std::size_t>(b.back().key - b.front().key + 1));

    // A million more values in the same range allocate nothing.
    const std::size_t before = s.allocated_buckets();
    s.add(t::six_decades(1'000'000, 42));
    CHECK(s.allocated_buckets() == before);

    // Sorted input grows the store one end at a time: still bounded.
    auto sorted = t::six_decades(200'000, 43);
    std::sort(sorted.begin(), sorted.end());
    const QuantileSketch grown = sketch_of(sorted);
    CHECK(grown.allocated_buckets() <= kSlotBound);
}

TEST_CASE("Sketch refuses non-finite values and bad levels", "[sketch]") {
    const double inf = std::numeric_limits<double>::infinity();
    for (const double bad : {std::numeric_limits<double>::quiet_NaN(), inf, -inf}) {
        QuantileSketch s;
        const std::vector<double> v = {1.0, 2.0, bad, 3.0};
        CHECK_THROWS_AS(s.add(v), std::invalid_argument);
        CHECK(s.count() == 2);  // the values before it stay counted
        CHECK(s.max() == 2.0);
        CHECK_THROWS_AS(s.add(bad), std::invalid_argument);
    }

    QuantileSketch empty;
    CHECK(empty.count() == 0);
    CHECK(std::isnan(empty.quantile(0.5)));
    CHECK(std::isnan(empty.min()));
    CHECK(empty.buckets().empty());

    QuantileSketch s;
    s.add(1.0);
    CHECK(s.quantile(0.3) == 1.0);
    CHECK_THROWS_AS(s.quantile(-0.01), std::invalid_argument);
    CHECK_THROWS_AS(s.quantile(1.01), std::invalid_argument);
    CHECK_THROWS_AS(s.quantile(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
}
