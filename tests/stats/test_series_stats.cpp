#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/stats/non_finite.hpp"
#include "engine/stats/series_stats.hpp"
#include "samples.hpp"

using namespace flopcast::stats;
namespace t = flopcast::stats::testing;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_moments(const Moments& a, const Moments& b) {
    const auto x = a.state(), y = b.state();
    return x.n == y.n && same_bits(x.mean, y.mean) && same_bits(x.m2, y.m2) &&
           same_bits(x.min, y.min) && same_bits(x.max, y.max);
}

bool same_buckets(const QuantileSketch& a, const QuantileSketch& b) {
    const auto x = a.buckets(), y = b.buckets();
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](const auto& p, const auto& q) { return p.key == q.key && p.count == q.count; });
}

}  // namespace

TEST_CASE("SeriesStats counts NaN and infinities and keeps them out", "[series]") {
    const std::vector<double> v = {1.0, kNaN, 2.0, kInf, 3.0, -kInf, -kNaN, 4.0, kInf};
    const std::vector<double> finite = {1.0, 2.0, 3.0, 4.0};
    SeriesStats s;
    s.add(v);
    CHECK(s.non_finite() == NonFiniteCounts{2, 2, 1});
    CHECK(s.non_finite().total() == 5);
    CHECK(s.count() == 4);
    CHECK(s.mean() == 2.5);
    CHECK(s.quantile(0.0) == 1.0);
    CHECK(s.quantile(1.0) == 4.0);
    CHECK(s.sketch().count() == 4);
    CHECK(same_moments(s.moments(), Moments::of(finite)));
    QuantileSketch direct;
    direct.add(finite);
    CHECK(same_buckets(s.sketch(), direct));

    // A block of only non-finite values changes the counts and nothing else.
    const std::vector<double> bad = {kNaN, kInf};
    s.add(bad);
    CHECK(s.non_finite() == NonFiniteCounts{3, 3, 1});
    CHECK(s.count() == 4);
    CHECK(same_moments(s.moments(), Moments::of(finite)));
}

TEST_CASE("SeriesStats on large blocks equals its parts", "[series]") {
    auto v = t::lognormal_samples(100'000, 1.0, 61);
    for (std::size_t i = 0; i < v.size(); i += 997) v[i] = (i % 3 == 0) ? kNaN : (i % 3 == 1 ? kInf : -kInf);

    SeriesStats whole, first, second;
    Moments blocks;
    QuantileSketch sketch;
    NonFiniteCounts counts;
    std::vector<double> scratch;
    const std::span<const double> all(v);
    for (std::size_t i = 0; i < v.size(); i += 1024) {
        const auto block = all.subspan(i, std::min<std::size_t>(1024, v.size() - i));
        whole.add(block);
        (i < v.size() / 2 ? first : second).add(block);
        // What the engine does with the parts.
        const auto finite = drop_non_finite(block, scratch, counts);
        blocks.merge(Moments::of(finite));
        sketch.add(finite);
    }
    CHECK(whole.non_finite().total() == (v.size() + 996) / 997);
    CHECK(whole.non_finite() == counts);
    CHECK(same_moments(whole.moments(), blocks));
    CHECK(same_buckets(whole.sketch(), sketch));
    CHECK(std::isfinite(whole.mean()));

    first.merge(second);
    CHECK(first.non_finite() == whole.non_finite());
    // The merge tree differs ((b0..b48) + (b49..b97) versus one chain), so the
    // bits may too; ~100 merges of a few roundings each stay far below 1e-12.
    CHECK(first.count() == whole.count());
    CHECK(std::abs(first.mean() - whole.mean()) <= 1e-12 * std::abs(whole.mean()));
    CHECK(std::abs(first.moments().m2() - whole.moments().m2()) <= 1e-12 * whole.moments().m2());
    CHECK(same_buckets(first.sketch(), whole.sketch()));

    const SeriesStats assembled(blocks, sketch, counts);
    CHECK(same_moments(assembled.moments(), whole.moments()));
}

TEST_CASE("drop_non_finite passes all-finite blocks through untouched", "[series]") {
    const std::vector<double> v = {1.0, -2.0, 0.0, 1e308, 5e-324};
    std::vector<double> scratch;
    NonFiniteCounts counts;
    const auto out = drop_non_finite(v, scratch, counts);
    CHECK(out.data() == v.data());
    CHECK(out.size() == v.size());
    CHECK(scratch.empty());
    CHECK(counts.total() == 0);

    const std::vector<double> w = {kNaN, 7.0, -kInf};
    const auto kept = drop_non_finite(w, scratch, counts);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0] == 7.0);
    CHECK(counts == NonFiniteCounts{1, 0, 1});
}
