// Weighted moments, weight totals and the weighted sketch: known small cases,
// equal weights reduce to the unweighted statistics, merges are exact.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "engine/stats/quantile_sketch.hpp"
#include "engine/stats/weighted_moments.hpp"
#include "engine/stats/weighted_sketch.hpp"

using namespace flopcast::stats;

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("weighted moments of a small hand-computed sample", "[weighted]") {
    // Values 1, 2, 4 with weights 1, 1, 2: W = 4, mean = (1 + 2 + 8) / 4 = 2.75,
    // m2 = (1.75^2 + 0.75^2 + 2 * 1.25^2) = 6.75, W2 = 6, variance 6.75 / (4 - 6/4) = 2.7.
    const std::vector<double> x{1, 2, 4}, w{0.5, 0.5, 1.0};
    const auto m = WeightedMoments::of(x, w, std::log(2.0));
    CHECK(m.count() == 3);
    CHECK(m.mean() == Approx(2.75).epsilon(1e-15));
    CHECK(m.variance() == Approx(2.7).epsilon(1e-14));
    CHECK(m.ess() == Approx(16.0 / 6.0).epsilon(1e-15));
    CHECK(m.min() == 1.0);
    CHECK(m.max() == 4.0);
}

TEST_CASE("weighted moments skip a zero-weight value however far it lies", "[weighted]") {
    // Found by review: the branch-free pass multiplied the zero weight by
    // (x - mean)^2 = inf for x = 1e200, and 0 * inf made the variance NaN.
    // The world is excluded, so the result is that of the three others
    // (mean 2, m2 2, W 3, W2 3: variance 2 / (3 - 1) = 1), the bits those
    // of the path that skips by a branch (an inf in the same slot forces it).
    const std::vector<double> w{1, 1, 1, 0};
    const auto far = WeightedMoments::of(std::vector<double>{1, 2, 3, 1e200}, w, 0.0);
    const auto careful = WeightedMoments::of(std::vector<double>{1, 2, 3, std::numeric_limits<double>::infinity()}, w, 0.0);
    CHECK(far.count() == 3);
    CHECK(far.mean() == 2.0);
    CHECK(far.variance() == 1.0);
    CHECK(far.max() == 3.0);
    const auto a = far.state(), b = careful.state();
    CHECK(std::memcmp(&a, &b, sizeof a) == 0);  // every field, bit for bit
}

TEST_CASE("weighted moments with equal weights are the unweighted ones, and merge across log-scales", "[weighted]") {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> d(3.0, 2.0);
    std::vector<double> x(1000);
    for (auto& v : x) v = d(rng);
    const std::vector<double> ones(x.size(), 1.0);
    const auto all = WeightedMoments::of(x, ones, 0.0);
    double mean = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    double m2 = 0;
    for (double v : x) m2 += (v - mean) * (v - mean);
    CHECK(all.mean() == Approx(mean).epsilon(1e-13));
    CHECK(all.variance() == Approx(m2 / 999.0).epsilon(1e-12));
    CHECK(all.ess() == Approx(1000.0).epsilon(1e-13));
    // Two halves with log-scales 700 apart (weights e^-700 relative: no
    // underflow in log space) merge to the first half's moments, nearly.
    const std::span<const double> a(x.data(), 500), b(x.data() + 500, 500);
    const std::vector<double> h(500, 1.0);
    auto left = WeightedMoments::of(a, h, 0.0);
    left.merge(WeightedMoments::of(b, h, -700.0));
    CHECK(left.mean() == Approx(WeightedMoments::of(a, h, 0.0).mean()).epsilon(1e-13));
    CHECK(left.count() == 1000);
}

TEST_CASE("weight totals: Kish's ESS and the log mean weight, with every weight underflowing", "[weighted]") {
    // Log-weights -1000 and -1001 (exp underflows to 0 in double): the sums
    // stay exact in log space.
    const std::vector<double> lw{-1000.0, -1001.0, -kInf};
    const auto t = WeightTotals::of(lw);
    const double w1 = 1.0, w2 = std::exp(-1.0);
    CHECK(t.count() == 3);
    CHECK(t.ess() == Approx((w1 + w2) * (w1 + w2) / (w1 * w1 + w2 * w2)).epsilon(1e-15));
    CHECK(t.log_mean_weight() == Approx(-1000.0 + std::log(w1 + w2) - std::log(3.0)).epsilon(1e-15));
    const std::vector<double> none{-kInf, -kInf};
    const auto z = WeightTotals::of(none);
    CHECK(z.all_zero());
    CHECK(z.ess() == 0.0);
    CHECK(z.log_mean_weight() == -kInf);
    auto merged = z;
    merged.merge(t);
    CHECK(merged.count() == 5);
    CHECK(same_bits(merged.ess(), t.ess()));
    const auto back = WeightTotals::from_state(merged.state());
    CHECK(same_bits(back.log_mean_weight(), merged.log_mean_weight()));
}

TEST_CASE("weighted sketch: equal weights give the unweighted sketch's quantiles", "[weighted]") {
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> d(0.0, 1.0);
    std::vector<double> x(20000);
    for (auto& v : x) v = d(rng);
    QuantileSketch plain;
    plain.add(x);
    WeightedSketch ws;
    const std::vector<std::uint64_t> q(x.size(), WeightedSketch::fixed_weight(0.0));
    ws.add(x, q);
    for (double p : {0.001, 0.05, 0.25, 0.5, 0.9, 0.999}) CHECK(same_bits(ws.quantile(p), plain.quantile(p)));
    CHECK(ws.quantile(0.0) == plain.min());
    CHECK(ws.quantile(1.0) == plain.max());
    CHECK(ws.count() == x.size());
}

TEST_CASE("weighted sketch: a weight of 3 counts as three copies, and merges in any order give the same bits", "[weighted]") {
    // Values 1 (weight 1/3) and 2 (weight 1): a quarter of the mass on 1.
    // Quantiles are bucket midpoints clamped to [min, max]: within 0.1 %.
    WeightedSketch s;
    s.add(1.0, WeightedSketch::fixed_weight(std::log(1.0 / 3.0)));
    s.add(2.0, WeightedSketch::fixed_weight(0.0));
    CHECK(s.quantile(0.24) == Approx(1.0).epsilon(QuantileSketch::kRelativeError));
    CHECK(s.quantile(0.26) == 2.0);  // the maximum clamps the bucket's midpoint
    CHECK(s.share_above(1.5) == Approx(0.75).epsilon(1e-15));

    std::mt19937_64 rng(3);
    std::normal_distribution<double> d(0.0, 1.0);
    std::uniform_real_distribution<double> u(-30.0, 0.0);
    std::vector<WeightedSketch> parts(7);
    WeightedSketch whole;
    for (int i = 0; i < 7000; ++i) {
        const double v = d(rng);
        const auto w = WeightedSketch::fixed_weight(u(rng));
        parts[static_cast<std::size_t>(i % 7)].add(v, w);
        whole.add(v, w);
    }
    WeightedSketch forward, backward;
    for (std::size_t i = 0; i < parts.size(); ++i) forward.merge(parts[i]);
    for (std::size_t i = parts.size(); i-- > 0;) backward.merge(parts[i]);
    CHECK(forward.total() == whole.total());
    CHECK(backward.total() == whole.total());
    for (double p : {0.01, 0.5, 0.99}) {
        CHECK(same_bits(forward.quantile(p), whole.quantile(p)));
        CHECK(same_bits(backward.quantile(p), whole.quantile(p)));
    }
    const auto b = whole.buckets();
    const auto restored = WeightedSketch::from_buckets(b, whole.count(), whole.min(), whole.max());
    CHECK(restored.total() == whole.total());
    CHECK(same_bits(restored.quantile(0.3), whole.quantile(0.3)));
}

TEST_CASE("weighted sketch: weights below 2^-63 count as zero, an empty sketch has NaN quantiles", "[weighted]") {
    CHECK(WeightedSketch::fixed_weight(-kInf) == 0);
    CHECK(WeightedSketch::fixed_weight(std::numeric_limits<double>::quiet_NaN()) == 0);
    CHECK(WeightedSketch::fixed_weight(-44.0) == 0);  // e^-44 2^62 = 3.6e-1 rounds to 0
    CHECK(WeightedSketch::fixed_weight(-40.0) > 0);
    CHECK(WeightedSketch::fixed_weight(0.0) == (std::uint64_t{1} << 62));
    WeightedSketch s;
    s.add(1.0, 0);
    CHECK(s.count() == 0);
    CHECK(std::isnan(s.quantile(0.5)));
    CHECK_THROWS_AS(s.quantile(1.5), std::invalid_argument);
}

TEST_CASE("weighted sketch: a block of positive values gives the bits of adding them one at a time", "[weighted]") {
    std::mt19937_64 rng(8);
    std::lognormal_distribution<double> d(10.0, 3.0);
    std::uniform_real_distribution<double> u(-60.0, 0.0);
    std::vector<double> x(2048);
    std::vector<std::uint64_t> w(x.size());
    WeightedSketch one;
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = d(rng);
        w[i] = i % 5 == 0 ? 0 : WeightedSketch::fixed_weight(u(rng));
        one.add(x[i], w[i]);
        // The fast path's keys are QuantileSketch's.
        REQUIRE(QuantileSketch::bucket_key(x[i]) ==
                static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(x[i]) >> 43) + 52 * 512);
    }
    WeightedSketch block;
    block.add(x, w);
    CHECK(block.total() == one.total());
    CHECK(block.count() == one.count());
    CHECK(block.min() == one.min());
    CHECK(block.max() == one.max());
    const auto a = block.buckets(), b = one.buckets();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].key == b[i].key);
        CHECK(a[i].low == b[i].low);
        CHECK(a[i].high == b[i].high);
    }
    // A block with a negative value and a NaN takes the careful path.
    x[3] = -2.0;
    x[4] = std::numeric_limits<double>::quiet_NaN();
    WeightedSketch mixed;
    mixed.add(x, w);
    CHECK(mixed.min() == (w[3] ? -2.0 : one.min()));
}

// The runner's per-block fast paths (weights summarised once per block, the
// prior scan's extremes) must give exactly the bits of the plain ones, for
// positive values, mixed signs with zeros, and partly or wholly zero weights.
TEST_CASE("weighted sketch and moments: the block fast paths give the plain paths' bits", "[weighted]") {
    std::mt19937_64 rng(19);
    std::lognormal_distribution<double> d(3.0, 2.0);
    std::uniform_real_distribution<double> u(-60.0, 0.0);
    for (int variant = 0; variant < 4; ++variant) {
        WeightedSketch plain, fast;
        WeightedMoments plain_m, fast_m;
        for (int block = 0; block < 6; ++block) {
            std::vector<double> x(2048), scaled(x.size());
            std::vector<std::uint64_t> w(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) {
                x[i] = d(rng);
                if (variant >= 2 && i % 7 == 0) x[i] = -x[i];  // a growth rate's negatives
                if (variant == 3 && i % 11 == 0) x[i] = (i % 22 == 0) ? 0.0 : -0.0;
                const double lw = variant == 1 && block == 2 ? -80.0 : u(rng);  // block 2: no weight at all
                w[i] = WeightedSketch::fixed_weight(lw);
                scaled[i] = variant == 0 && i % 3 == 0 ? 0.0 : std::exp(lw);
            }
            const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
            plain.add(x, w);
            fast.add_block(x, w, WeightedSketch::summarise(w), *lo, *hi);
            const auto m0 = WeightedMoments::of(x, scaled, -1.5);
            const auto m1 = WeightedMoments::of_block(x, scaled, WeightedMoments::summarise(scaled), -1.5, *lo, *hi);
            const auto s0 = m0.state(), s1 = m1.state();
            CHECK(s0.n == s1.n);
            CHECK(same_bits(s0.sum_w, s1.sum_w));
            CHECK(same_bits(s0.sum_w2, s1.sum_w2));
            CHECK(same_bits(s0.mean, s1.mean));
            CHECK(same_bits(s0.m2, s1.m2));
            CHECK(same_bits(s0.min, s1.min));
            CHECK(same_bits(s0.max, s1.max));
            plain_m.merge(m0);
            fast_m.merge(m1);
        }
        INFO("variant " << variant);
        CHECK(fast.total() == plain.total());
        CHECK(fast.count() == plain.count());
        CHECK(same_bits(fast.min(), plain.min()));
        CHECK(same_bits(fast.max(), plain.max()));
        const auto a = fast.buckets(), b = plain.buckets();
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].key == b[i].key);
            CHECK(a[i].low == b[i].low);
            CHECK(a[i].high == b[i].high);
        }
        CHECK(same_bits(fast_m.mean(), plain_m.mean()));
        CHECK(same_bits(fast_m.variance(), plain_m.variance()));
    }
}
