// The fast paths of the statistics: 32-bit sketch counts and their flush into
// 64-bit ones, QuantileSketch::add_block, Moments::scan and block_stats. Each
// must give exactly what the plain path gives.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/stats/block_stats.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/non_finite.hpp"
#include "engine/stats/quantile_sketch.hpp"
#include "samples.hpp"

using namespace flopcast::stats;
namespace t = flopcast::stats::testing;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_moments(const Moments& a, const Moments& b) {
    const auto x = a.state(), y = b.state();
    return x.n == y.n && same_bits(x.mean, y.mean) && same_bits(x.m2, y.m2) && same_bits(x.min, y.min) &&
           same_bits(x.max, y.max);
}

// Everything a sketch shows: buckets, count, min, max and quantiles, bit for bit.
bool same_sketch(const QuantileSketch& a, const QuantileSketch& b) {
    const auto x = a.buckets(), y = b.buckets();
    bool same = std::equal(x.begin(), x.end(), y.begin(), y.end(),
                           [](const auto& p, const auto& q) { return p.key == q.key && p.count == q.count; });
    same = same && a.count() == b.count() && same_bits(a.min(), b.min()) && same_bits(a.max(), b.max());
    for (const double p : t::kLevels) same = same && same_bits(a.quantile(p), b.quantile(p));
    return same;
}

// Negative, zero (both signs), sub-normal and positive values, shuffled.
std::vector<double> mixed_values(std::size_t n, std::uint64_t seed) {
    std::vector<double> v = t::normal_samples(n, 0.5, 3.0, seed);
    const auto losses = t::capped_losses(n, seed + 1);
    v.insert(v.end(), losses.begin(), losses.end());
    v.push_back(std::bit_cast<double>(std::uint64_t{4242}));
    v.push_back(-std::bit_cast<double>(std::uint64_t{99}));
    v.push_back(-0.0);
    t::shuffle(v, seed + 2);
    return v;
}

}  // namespace

TEST_CASE("32-bit sketch counts flushed into 64-bit ones change no result", "[sketch][flush]") {
    // The engine flushes before 2^32 - 1 values; a tiny limit makes the same
    // code flush every few values, in the middle of blocks and merges.
    const std::vector<double> v = mixed_values(20'000, 51);
    const std::span<const double> all(v);
    // A flush costs a pass over the count arrays (some 10^4 slots here), so
    // the smallest limits run on the first values only.
    for (const std::uint32_t limit : {1u, 7u, 97u, 1000u, 4095u}) {
        INFO("flush limit " << limit);
        const std::span<const double> part = limit < 50 ? all.first(300) : all;
        QuantileSketch plain;
        plain.add(part);
        QuantileSketch s = QuantileSketch::with_flush_limit(limit);
        for (std::size_t i = 0; i < part.size(); i += 2048) {
            s.add(part.subspan(i, std::min<std::size_t>(2048, part.size() - i)));
            CHECK(s.largest_narrow_count() <= limit);  // flushed in time: 32 bits would not overflow
        }
        CHECK(same_sketch(s, plain));
        // Value by value too.
        QuantileSketch one = QuantileSketch::with_flush_limit(limit);
        for (const double x : part) one.add(x);
        CHECK(one.largest_narrow_count() <= limit);
        CHECK(same_sketch(one, plain));
    }

    // One bucket counted far beyond the limit: its count lives in the 64-bit
    // array (a 32-bit count capped at the limit would lose values).
    const std::vector<double> ones(10'000, 1.0), zeros(10'000, 0.0);
    QuantileSketch s = QuantileSketch::with_flush_limit(100);
    for (int r = 0; r < 3; ++r) {
        s.add(ones);
        s.add_block(ones, 1.0, 1.0);
        s.add(zeros);
        CHECK(s.largest_narrow_count() <= 100);
    }
    const auto b = s.buckets();
    REQUIRE(b.size() == 2);
    CHECK(b[0].key == 0);
    CHECK(b[0].count == 30'000);
    CHECK(b[1].count == 60'000);
    CHECK(s.count() == 90'000);
    CHECK(s.quantile(0.5) == 1.0);

    CHECK_THROWS_AS(QuantileSketch::with_flush_limit(0), std::invalid_argument);
}

TEST_CASE("Merges into 32-bit counts and, when they would overflow, into 64-bit ones", "[sketch][flush][merge]") {
    const std::vector<double> v = mixed_values(10'000, 61);
    const std::span<const double> all(v);
    QuantileSketch whole;
    whole.add(all);
    const std::size_t cut = v.size() / 3;

    for (const std::uint32_t limit : {97u, 5'000u, 15'000u, 100'000u}) {
        INFO("flush limit " << limit);
        QuantileSketch a = QuantileSketch::with_flush_limit(limit);
        QuantileSketch b = QuantileSketch::with_flush_limit(limit);
        a.add(all.first(cut));
        b.add(all.subspan(cut));
        QuantileSketch ab = a, ba = b;
        ab.merge(b);
        ba.merge(a);
        CHECK(ab.largest_narrow_count() <= limit);
        CHECK(ba.largest_narrow_count() <= limit);
        CHECK(same_sketch(ab, whole));
        CHECK(same_sketch(ba, whole));
        // A default sketch taking sketches with small limits and the reverse.
        QuantileSketch d;
        d.merge(a);
        d.merge(b);
        CHECK(same_sketch(d, whole));
        QuantileSketch e = QuantileSketch::with_flush_limit(limit);
        e.merge(whole);
        CHECK(e.largest_narrow_count() <= limit);
        CHECK(same_sketch(e, whole));
    }

    // A sketch whose negative store is still empty when it has flushed, then
    // takes negative values in a merge too large for its 32-bit counts.
    const std::vector<double> pos = {1.0, 2.0, 3.0, 4.0}, neg = {-1.0, -2.0, -3.0, -4.0, -5.0};
    QuantileSketch p = QuantileSketch::with_flush_limit(6);
    p.add(pos);
    p.add(pos);  // flushes: 4 + 4 > 6
    QuantileSketch n;
    n.add(neg);
    p.merge(n);  // 5 > 6 - 4: flushes again, into the 64-bit arrays
    CHECK(p.largest_narrow_count() <= 6);
    QuantileSketch want;
    want.add(pos);
    want.add(pos);
    want.add(neg);
    CHECK(same_sketch(p, want));
}

TEST_CASE("add_block equals add, on every kind of block", "[sketch]") {
    const std::vector<double> pos = t::lognormal_samples(50'000, 3.0, 71);
    const std::vector<double> mixed = mixed_values(25'000, 72);
    const std::vector<double> tiny = {std::numeric_limits<double>::min(), 1e-300, 2.5e-308};  // smallest normal
    const std::vector<double> huge = {std::numeric_limits<double>::max(), 1e308, 1.0};
    // Both signs, no zero or sub-normal (the two-sign path), and blocks of one
    // sign only among them.
    std::vector<double> signs = t::normal_samples(20'000, 0.3, 2.0, 73);
    std::fill(signs.begin(), signs.begin() + 2048, 1.5);
    std::fill(signs.begin() + 2048, signs.begin() + 4096, -2.5);
    signs[5000] = -std::numeric_limits<double>::max();
    signs[7000] = std::numeric_limits<double>::min();
    signs[9000] = -std::numeric_limits<double>::min();
    const std::vector<double> negative = {-3.0, -1e-300, -1e300};
    const std::vector<double>& sign_blocks = signs;
    for (const std::vector<double>* v : {&pos, &mixed, &tiny, &huge, &sign_blocks, &negative}) {
        const std::span<const double> all(*v);
        QuantileSketch plain, fast;
        for (std::size_t i = 0; i < all.size(); i += 2048) {
            const auto block = all.subspan(i, std::min<std::size_t>(2048, all.size() - i));
            plain.add(block);
            const auto [lo, hi] = std::minmax_element(block.begin(), block.end());
            fast.add_block(block, *lo, *hi);
        }
        CHECK(same_sketch(fast, plain));
    }
    QuantileSketch empty;
    empty.add_block({}, kNaN, kNaN);
    CHECK(empty.count() == 0);
}

TEST_CASE("Moments: the SSE2 lanes give the bits of the documented scalar order", "[moments]") {
    // moments.cpp: leaves of at most 128 values summed in four lanes (value i
    // into lane i % 4, the tail into lane 0, lanes combined (0 + 1) + (2 + 3)),
    // leaves combined pairwise. This scalar reference is that order written
    // out; the engine's result must not depend on the instruction set.
    struct Ref { double sum, sq, dev; };
    auto lanes = [](const double* x, std::size_t n, double mean, auto&& self) -> Ref {
        if (n > 128) {
            const Ref a = self(x, n / 2, mean, self), b = self(x + n / 2, n - n / 2, mean, self);
            return {a.sum + b.sum, a.sq + b.sq, a.dev + b.dev};
        }
        double s[4] = {}, q[4] = {}, d[4] = {};
        std::size_t i = 0;
        for (; i + 4 <= n; i += 4)
            for (int l = 0; l < 4; ++l) {
                s[l] += x[i + l];
                const double e = x[i + l] - mean;
                d[l] += e;
                q[l] += e * e;
            }
        for (; i < n; ++i) {
            s[0] += x[i];
            const double e = x[i] - mean;
            d[0] += e;
            q[0] += e * e;
        }
        return {(s[0] + s[1]) + (s[2] + s[3]), (q[0] + q[1]) + (q[2] + q[3]), (d[0] + d[1]) + (d[2] + d[3])};
    };
    const std::vector<double> v = t::lognormal_samples(3000, 1.5, 81);
    for (const std::size_t n : {1u, 2u, 3u, 5u, 127u, 128u, 129u, 1000u, 2047u, 2048u, 3000u}) {
        INFO("n " << n);
        const double dn = static_cast<double>(n);
        const double mean0 = lanes(v.data(), n, 0.0, lanes).sum / dn;
        const Ref r = lanes(v.data(), n, mean0, lanes);
        const Moments m = Moments::of(std::span<const double>(v).first(n));
        CHECK(same_bits(m.state().mean, mean0 + r.dev / dn));
        CHECK(same_bits(m.state().m2, std::max(0.0, r.sq - r.dev * r.dev / dn)));
        CHECK(same_bits(m.min(), *std::min_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n))));
        CHECK(same_bits(m.max(), *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n))));
    }
}

TEST_CASE("Moments::scan finds non-finite values anywhere in a block", "[moments]") {
    std::vector<double> v = t::lognormal_samples(2048, 1.0, 91);
    CHECK(Moments::scan(v).finite);
    for (const double bad : {kNaN, -kNaN, kInf, -kInf})
        for (const std::size_t at : {0u, 1u, 2u, 3u, 127u, 128u, 2046u, 2047u}) {
            std::vector<double> w = v;
            w[at] = bad;
            CHECK_FALSE(Moments::scan(w).finite);
            CHECK_FALSE(Moments::scan(std::span<const double>(w).first(at + 1)).finite);
        }
    const Moments::Scan e = Moments::scan({});
    CHECK(e.finite);
    CHECK(e.sum == 0.0);
}

TEST_CASE("block_stats equals drop_non_finite, Moments::of and QuantileSketch::add", "[series]") {
    std::vector<double> v = mixed_values(5'000, 101);
    // Non-finite values in some blocks, one block without finite values.
    for (const std::size_t at : {5u, 2100u, 2101u, 6000u}) v[at] = at % 2 ? kNaN : kInf;
    v[7000] = -kInf;
    std::fill(v.begin() + 8192, v.begin() + 8192 + 2048, kNaN);
    const std::vector<double> positive = t::lognormal_samples(10'000, 2.0, 102);
    for (const std::vector<double>* data : {static_cast<const std::vector<double>*>(&v), &positive}) {
        const std::span<const double> all(*data);
        QuantileSketch plain_sketch, fast_sketch;
        std::vector<double> scratch_a, scratch_b;
        for (std::size_t i = 0; i < all.size(); i += 2048) {
            const auto block = all.subspan(i, std::min<std::size_t>(2048, all.size() - i));
            NonFiniteCounts plain_counts, fast_counts;
            const auto finite = drop_non_finite(block, scratch_a, plain_counts);
            const Moments plain = Moments::of(finite);
            plain_sketch.add(finite);
            const Moments fast = block_stats(block, scratch_b, fast_counts, fast_sketch);
            INFO("block at " << i);
            CHECK(same_moments(fast, plain));
            CHECK(fast_counts == plain_counts);
        }
        CHECK(same_sketch(fast_sketch, plain_sketch));
    }
}
