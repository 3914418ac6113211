// exp, log and Phi^-1 of engine/simd/vector_math.hpp: their error in ulps
// against long double (x87, 64-bit significand: its own error is about
// 2^-11 of a double's ulp, far below what is measured), their special
// values, and the same bits at both levels. The bounds asserted are fdlibm's
// 1 ulp for exp and log, and 8 ulp (under 1e-15 relative) for Wichura's
// AS 241, which is accurate to about 1e-16 in exact arithmetic and loses a
// few ulps more to rounding in its two degree-7 polynomials and division
// (6.4 ulp measured); what was measured is printed and quoted in
// docs/performance.md.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "engine/simd/bulk_math.hpp"
#include "engine/simd/vector_math.hpp"
#include "levels.hpp"

using namespace flopcast::simd;

namespace {

FLOPCAST_TEST_KERNEL(vexp, flopcast::simd::exp)
FLOPCAST_TEST_KERNEL(vlog, flopcast::simd::log)
FLOPCAST_TEST_KERNEL(vphi_inv, flopcast::simd::normal_quantile)
FLOPCAST_TEST_KERNEL(vneg_log1m, flopcast::simd::neg_log1m)

// |x - exact| in units of the ulp of the double nearest exact (the spacing
// of doubles at |exact|; subnormal spacing below 2^-1022).
double ulps(double x, long double exact) {
    const double e = static_cast<double>(exact);
    if (std::isinf(e)) return x == e ? 0 : std::numeric_limits<double>::infinity();
    int exponent = 0;
    std::frexp(e, &exponent);
    const long double ulp = std::ldexp(1.0L, std::max(exponent, -1021) - 53);
    return static_cast<double>(std::fabs(static_cast<long double>(x) - exact) / ulp);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

std::vector<double> uniform_points(double lo, double hi, std::size_t n, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    boost::random::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> x(n);
    for (double& v : x) v = u(rng);
    return x;
}

// Positive doubles with uniformly random bit patterns between two exponents:
// every binade equally often, subnormals included when lo_bits is below 2^52.
std::vector<double> log_spread_points(std::uint64_t lo_bits, std::uint64_t hi_bits, std::size_t n, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    std::vector<double> x(n);
    for (double& v : x) {
        const std::uint64_t b = lo_bits + rng() % (hi_bits - lo_bits);
        std::memcpy(&v, &b, sizeof v);
    }
    return x;
}

}  // namespace

TEST_CASE("vector exp is within 1 ulp of exp over [-745, 709.78], the same bits at every level", "[simd][exp]") {
    std::vector<double> x = uniform_points(-745.1, 709.78, 2'000'000, 1);
    const auto near_zero = uniform_points(-1, 1, 1'000'000, 2);
    x.insert(x.end(), near_zero.begin(), near_zero.end());
    const auto tiny = log_spread_points(0x3c00000000000000ULL, 0x3fe0000000000000ULL, 200'000, 3);  // 2^-63 .. 0.5
    for (double t : tiny) x.push_back(t), x.push_back(-t);
    for (double v : {0.0, -0.0, 1.0, -1.0, 709.78, -708.39, -745.13, 0.5 * M_LN2, -0.5 * M_LN2}) x.push_back(v);
    const auto sse2 = vexp(Level::Sse2, x);
    double worst = 0, at = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = ulps(sse2[i], std::exp(static_cast<long double>(x[i])));
        if (e > worst) worst = e, at = x[i];
    }
    std::printf("vector exp: largest error %.3f ulp at x = %.17g over %zu points\n", worst, at, x.size());
    CHECK(worst <= 1.0);
    for (Level l : testing::levels()) CHECK(same_bits(vexp(l, x), sse2));
}

TEST_CASE("vector exp: special values and the ends of the range", "[simd][exp]") {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> x{inf, -inf, std::nan(""), 710.0, 1e300, -746.0, -1e300, 0.0};
    for (Level l : testing::levels()) {
        const auto y = vexp(l, x);
        CHECK(y[0] == inf);
        CHECK(y[1] == 0.0);
        CHECK(std::isnan(y[2]));
        CHECK(y[3] == inf);
        CHECK(y[4] == inf);
        CHECK(y[5] == 0.0);
        CHECK(y[6] == 0.0);
        CHECK(y[7] == 1.0);
    }
    // Subnormal results are rounded once: exp(-740) against long double.
    const auto y = vexp(Level::Sse2, {-740.0, -744.0});
    CHECK(ulps(y[0], std::exp(-740.0L)) <= 1.0);
    CHECK(ulps(y[1], std::exp(-744.0L)) <= 1.0);
}

TEST_CASE("vector log is within 1 ulp of log over every positive double, the same bits at every level", "[simd][log]") {
    // Every binade from the smallest subnormal to the largest double, plus
    // dense points near 1 (where log is small and fdlibm's f is tiny) and on
    // (0, 1), where the quantiles take it.
    std::vector<double> x = log_spread_points(1, 0x7fefffffffffffffULL, 2'000'000, 4);
    const auto near_one = uniform_points(0.5, 2.0, 1'000'000, 5);
    x.insert(x.end(), near_one.begin(), near_one.end());
    const auto unit = uniform_points(0, 1, 1'000'000, 6);
    x.insert(x.end(), unit.begin(), unit.end());
    for (double v : {1.0, 2.0, 0.5, M_SQRT2, M_SQRT1_2, 1.0 - 0x1p-53, 1.0 + 0x1p-52, 0x1p-1074, 0x1p-1022})
        x.push_back(v);
    const auto sse2 = vlog(Level::Sse2, x);
    double worst = 0, at = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double e = ulps(sse2[i], std::log(static_cast<long double>(x[i])));
        if (e > worst) worst = e, at = x[i];
    }
    std::printf("vector log: largest error %.3f ulp at x = %.17g over %zu points\n", worst, at, x.size());
    CHECK(worst <= 1.0);
    for (Level l : testing::levels()) CHECK(same_bits(vlog(l, x), sse2));
}

TEST_CASE("vector log: special values", "[simd][log]") {
    const double inf = std::numeric_limits<double>::infinity();
    for (Level l : testing::levels()) {
        const auto y = vlog(l, {0.0, -0.0, -1.0, inf, -inf, std::nan(""), 1.0});
        CHECK(y[0] == -inf);
        CHECK(y[1] == -inf);
        CHECK(std::isnan(y[2]));
        CHECK(y[3] == inf);
        CHECK(std::isnan(y[4]));
        CHECK(std::isnan(y[5]));
        CHECK(y[6] == 0.0);
        CHECK(!std::signbit(y[6]));
    }
}

TEST_CASE("array exp and log (bulk_math.hpp) give the element-wise kernels' bits, at every level and length", "[simd][exp][log]") {
    // Lengths 0-9 and 1001 cover every remainder of 2 and 4 lanes, padded
    // or not; in place and not. The reference is the SSE2 kernel of the
    // tests above, whose error those bound.
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> pool = uniform_points(-40, 40, 1001, 7);
    pool[3] = -inf, pool[4] = 0.0, pool[5] = inf, pool[6] = -1.0, pool[7] = std::nan("");
    for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 1001u}) {
        const std::vector<double> x(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
        const auto want_exp = vexp(Level::Sse2, x), want_log = vlog(Level::Sse2, x);
        for (Level l : testing::levels()) {
            std::vector<double> e(n), g = x;
            flopcast::simd::exp(x, e, l);
            flopcast::simd::log(g, g, l);  // in place
            CHECK(same_bits(e, want_exp));
            CHECK(same_bits(g, want_log));
        }
    }
    std::vector<double> shorter(3);
    CHECK_THROWS_AS(flopcast::simd::exp(pool, shorter), std::invalid_argument);
}

TEST_CASE("vector Phi^-1 is within 8 ulp of the exact quantile on (0, 1), the same bits at every level", "[simd][normal]") {
    // Uniform points, points in both tails down to 2^-60 (designs' smallest
    // uniform, input_sampler.cpp's clamp_open) and the engine's own grid ends.
    std::vector<double> u = uniform_points(0, 1, 1'000'000, 7);
    const auto lower = log_spread_points(0x3c30000000000000ULL, 0x3fb3333333333333ULL, 300'000, 8);  // 2^-60 .. 0.075
    for (double p : lower) u.push_back(p), u.push_back(1.0 - p);
    for (double v : {0x1p-53, 1.0 - 0x1p-53, 0.5, 0.075, 0.925, 0.5 - 0.425, 0.5 + 0.425, 1.4e-11, 1e-300})
        u.push_back(v);
    const auto sse2 = vphi_inv(Level::Sse2, u);
    const boost::math::normal_distribution<long double> exact;
    double worst = 0, at = 0;
    for (std::size_t i = 0; i < u.size(); ++i) {
        if (u[i] <= 0 || u[i] >= 1) continue;
        const double e = ulps(sse2[i], boost::math::quantile(exact, static_cast<long double>(u[i])));
        if (e > worst) worst = e, at = u[i];
    }
    std::printf("vector Phi^-1: largest error %.3f ulp at u = %.17g over %zu points\n", worst, at, u.size());
    CHECK(worst <= 8.0);
    for (Level l : testing::levels()) CHECK(same_bits(vphi_inv(l, u), sse2));
    // Monotone along a fine grid of the centre and the tails (inverse-CDF
    // sampling needs it; LHS strata and copulas rely on order).
    std::vector<double> grid;
    for (double p = 1e-12; p < 1; p += 1.0 / 4096) grid.push_back(p);
    const auto z = vphi_inv(Level::Sse2, grid);
    for (std::size_t i = 1; i < z.size(); ++i) CHECK(z[i] > z[i - 1]);
}

TEST_CASE("vector Phi^-1: ends and symmetry", "[simd][normal]") {
    const double inf = std::numeric_limits<double>::infinity();
    for (Level l : testing::levels()) {
        const auto z = vphi_inv(l, {0.0, 1.0, 0.5, std::nan("")});
        CHECK(z[0] == -inf);
        CHECK(z[1] == inf);
        CHECK(z[2] == 0.0);
        CHECK(std::isnan(z[3]));
    }
    // Phi^-1(1 - u) = -Phi^-1(u) exactly where 1 - u is exact.
    std::vector<double> u, v;
    for (int k = 1; k < 1000; ++k) u.push_back(k / 2048.0), v.push_back(1.0 - k / 2048.0);
    const auto a = vphi_inv(Level::Sse2, u), b = vphi_inv(Level::Sse2, v);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == -b[i]);
}

// Bound: log's 1 ulp, a quotient's and a product's half ulp each, and the
// trick's own second-order remainder (relative u^2-ish of the rounding of
// 1 - u, far below an ulp): 2.5 ulp.
TEST_CASE("vector -log(1 - u) is within 2.5 ulp of -log1p(-u) for 0 <= u < 1, also where 1 - u rounds to 1", "[simd][log]") {
    std::vector<double> u = uniform_points(0, 1, 1'000'000, 9);
    const auto small = log_spread_points(0x3800000000000000ULL, 0x3fe0000000000000ULL, 500'000, 10);  // 2^-127 .. 0.5
    u.insert(u.end(), small.begin(), small.end());
    for (double v : {0x1p-60, 0x1p-54, 0x1p-53, 0.5, 1.0 - 0x1p-53}) u.push_back(v);
    const auto sse2 = vneg_log1m(Level::Sse2, u);
    double worst = 0, at = 0;
    for (std::size_t i = 0; i < u.size(); ++i) {
        const double e = ulps(sse2[i], -std::log1p(-static_cast<long double>(u[i])));
        if (e > worst) worst = e, at = u[i];
    }
    std::printf("vector -log(1 - u): largest error %.3f ulp at u = %.17g over %zu points\n", worst, at, u.size());
    CHECK(worst <= 2.5);
    for (Level l : testing::levels()) CHECK(same_bits(vneg_log1m(l, u), sse2));
    const auto ends = vneg_log1m(Level::Sse2, {0.0, 1.0});
    CHECK(ends[0] == 0.0);
    CHECK(ends[1] == std::numeric_limits<double>::infinity());
}
