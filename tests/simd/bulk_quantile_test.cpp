// Every family's bulk quantile (distributions/bulk_quantile.hpp), the way
// the engine draws with it (Philox uniforms, engine/simd/philox.hpp): KS
// against the family's cdf at 1e6 draws, SSE2, AVX2 and AVX-512 bit for bit, and
// agreement with the scalar quantile().
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../distributions/sample_checks.hpp"
#include "distributions/clipped.hpp"
#include "distributions/factory.hpp"
#include "engine/simd/bulk_apply.hpp"
#include "engine/simd/philox.hpp"
#include "levels.hpp"

using namespace flopcast;
using namespace flopcast::dist::testing;

namespace {

struct Case {
    const char* kind;
    dist::ParamSet params;
};

// Every family with a bulk quantile, with parameters away from the standard
// ones, and truncated and clipped variants (a truncated lognormal, a
// truncated normal window in one tail, a truncated Weibull).
std::vector<Case> covered() {
    return {
        {"normal", scalars({{"mean", 3}, {"sd", 2}})},
        {"normal", scalars({{"p5", -1}, {"p95", 7}})},
        {"lognormal", scalars({{"median", 1e12}, {"p95", 2.5e12}})},
        {"lognormal", scalars({{"mu", -1}, {"sigma", 2.5}})},
        {"lognormal", scalars({{"q10", 3}, {"q90", 30}})},
        {"uniform", scalars({{"min", -2}, {"max", 5}})},
        {"loguniform", scalars({{"min", 1e-3}, {"max", 1e4}})},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}})},
        {"triangular", scalars({{"min", 2}, {"mode", 2}, {"max", 3}})},
        {"triangular", scalars({{"min", 2}, {"mode", 3}, {"max", 3}})},
        {"exponential", scalars({{"rate", 2}})},
        {"exponential", scalars({{"mean", 1e6}})},
        {"weibull", scalars({{"shape", 1.5}, {"scale", 2}})},
        {"weibull", scalars({{"shape", 0.5}, {"scale", 1e3}})},
        {"weibull", scalars({{"shape", 8}, {"scale", 1}})},
        {"normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2})},
        {"normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {2.5, 6})},
        {"lognormal", with_list(scalars({{"median", 0.35}, {"p95", 0.55}}), "truncate", {0.2, 0.6})},
        {"weibull", with_list(scalars({{"shape", 2}, {"scale", 1}}), "truncate", {0.5, 1.5})},
        {"exponential", with_list(scalars({{"rate", 1}}), "truncate", {1, 3})},
    };
}

// Clipped (atoms at the bounds: no KS), alone and after a truncation.
std::vector<Case> clipped() {
    return {
        {"lognormal", with_clip(scalars({{"median", 0.35}, {"p95", 0.55}}), 0, 0.65)},
        {"normal", with_clip(scalars({{"mean", 0}, {"sd", 1}}), -1, 1)},
        {"uniform", with_clip(scalars({{"min", 0}, {"max", 10}}), 2, 3)},
        {"normal", with_clip(with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-2, 2}), -1, 3)},
    };
}

std::vector<double> uniforms(std::size_t n, std::uint32_t stream) {
    std::vector<double> u(n);
    simd::uniforms({0x51ed270bu, stream, 0, 0}, 0, u.data(), n, simd::level());
    return u;
}

std::vector<double> bulk_draws(const dist::BulkQuantile& q, const std::vector<double>& u, simd::Level l) {
    std::vector<double> x(u.size());
    simd::apply_quantile(q, u, x, l);
    return x;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("bulk quantiles: KS at 1e6 draws against each family's cdf", "[simd][bulk][ks]") {
    std::uint32_t stream = 0;
    for (const Case& c : covered()) {
        const auto d = dist::make_distribution(c.kind, c.params);
        INFO(d->describe());
        const auto q = dist::bulk_quantile(*d);
        REQUIRE(q.has_value());
        const auto x = bulk_draws(*q, uniforms(n_draws, ++stream), simd::level());
        check_ks(*d, x);
        for (double v : x) REQUIRE(std::isfinite(v));
    }
}

// Two-sample Kolmogorov-Smirnov statistic sup |F_a - F_b|, evaluated after
// each run of equal values (clipped families have atoms), so ties are counted
// in both empirical cdfs at once.
double ks_two_sample(std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
    std::size_t i = 0, j = 0;
    double stat = 0;
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] == x) ++i;
        while (j < b.size() && b[j] == x) ++j;
        stat = std::max(stat, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
    }
    return stat;
}

TEST_CASE("bulk quantiles: KS of the vectorised draws against the scalar path's draws, 1e6 each", "[simd][bulk][ks]") {
    // The scalar path is how these families drew before the bulk quantiles
    // and how the others still do: the distribution's own sample() on
    // Boost.Random's mt19937_64. Both samples come from one distribution, so
    // the two-sample statistic stays below c sqrt((n + m) / (n m)) with
    // P(D > c ...) ~ 2 exp(-2 c^2) (asymptotic, and conservative for the
    // clipped families' atoms): c at level 1e-6, the level of every KS test
    // here, from fixed seeds that were not tuned.
    std::vector<Case> cases = covered();
    for (const Case& c : clipped()) cases.push_back(c);
    const double n = static_cast<double>(n_draws);
    const double critical = std::sqrt(-std::log(1e-6 / 2) / 2 * (2 * n) / (n * n));
    std::uint32_t stream = 1000;
    for (const Case& c : cases) {
        const auto d = dist::make_distribution(c.kind, c.params);
        INFO(d->describe());
        const auto q = dist::bulk_quantile(*d);
        REQUIRE(q.has_value());
        const auto vectorised = bulk_draws(*q, uniforms(n_draws, ++stream), simd::level());
        const auto scalar = draw(*d, 0x5ca1a7u + stream);
        const double stat = ks_two_sample(vectorised, scalar);
        INFO("two-sample KS " << stat << ", critical " << critical);
        CHECK(stat < critical);
    }
}

TEST_CASE("bulk quantiles: the draws' level is AVX-512 where the CPU has it (else its bits go unchecked)",
          "[simd][bulk][levels]") {
    if (!simd::available(simd::Level::Avx512)) {
        WARN("this CPU has no AVX-512F/DQ: the AVX-512 kernels are not run, their bits not compared");
        CHECK(simd::draw_level() == simd::level());
        return;
    }
    const char* forced = std::getenv("FLOPCAST_SIMD");
    if (!forced) CHECK(simd::draw_level() == simd::Level::Avx512);
    CHECK(std::string(simd::name(simd::Level::Avx512)) == "avx512");
}

TEST_CASE("bulk quantiles: SSE2, AVX2 and AVX-512 give the same bits for every family", "[simd][bulk][levels]") {
    std::vector<Case> cases = covered();
    for (const Case& c : clipped()) cases.push_back(c);
    // Uniforms as the engine makes them, the design's extremes and the ends.
    std::vector<double> u = uniforms(100'003, 99);  // not a multiple of 4 or 8: the padded tail too
    for (double v : {0.0, 1.0, 0x1p-60, 1.0 - 0x1p-53, 0.5, 1e-300}) u.push_back(v);
    for (const Case& c : cases) {
        const auto d = dist::make_distribution(c.kind, c.params);
        INFO(d->describe());
        const auto q = dist::bulk_quantile(*d);
        REQUIRE(q.has_value());
        const auto sse2 = bulk_draws(*q, u, simd::Level::Sse2);
        for (simd::Level l : simd::testing::levels()) CHECK(same_bits(bulk_draws(*q, u, l), sse2));
    }
}

TEST_CASE("bulk quantiles agree with the scalar quantile() to 1e-12 relative", "[simd][bulk]") {
    // Not bit for bit: Boost.Math's quantiles use other algorithms (erfc_inv,
    // the C library's exp and log). The error of exp(mu + sigma z) grows with
    // |mu + sigma z| in either, so the bound is relative to the value, or to
    // the spread where the value crosses zero.
    std::vector<Case> cases = covered();
    for (const Case& c : clipped()) cases.push_back(c);
    std::vector<double> u = uniforms(200'000, 7);
    for (double v : {0.0, 1.0, 0x1p-60, 1.0 - 0x1p-53, 0.5, 0.075, 0.925}) u.push_back(v);
    for (const Case& c : cases) {
        const auto d = dist::make_distribution(c.kind, c.params);
        INFO(d->describe());
        const auto x = bulk_draws(*dist::bulk_quantile(*d), u, simd::level());
        const double spread = std::sqrt(d->variance());
        double worst = 0;
        for (std::size_t i = 0; i < u.size(); ++i) {
            const double want = d->quantile(u[i]);
            if (std::isinf(want) || std::isinf(x[i])) {
                CHECK(x[i] == want);
                continue;
            }
            worst = std::max(worst, std::abs(x[i] - want) / std::max(std::abs(want), spread));
        }
        std::printf("%-60s largest difference from quantile(): %.2e\n", d->describe().c_str(), worst);
        CHECK(worst <= 1e-12);
    }
}

TEST_CASE("bulk quantiles: the families without one keep their own sampler", "[simd][bulk]") {
    const std::vector<Case> without = {
        {"gamma", scalars({{"shape", 2}, {"scale", 1}})},
        {"beta", scalars({{"alpha", 2}, {"beta", 3}})},
        {"pert", scalars({{"min", 0}, {"mode", 1}, {"max", 4}})},
        {"student_t", scalars({{"df", 3}})},
        {"bernoulli", scalars({{"p", 0.3}})},
        {"constant", scalars({{"value", 1}})},
        {"discrete", with_list(dist::ParamSet{}, "values", {1, 2, 3})},
        {"empirical", with_list(dist::ParamSet{}, "observations", {1, 5, 2, 8})},
        {"gamma", with_clip(scalars({{"shape", 2}, {"scale", 1}}), 0, 3)},
        {"beta", with_list(scalars({{"alpha", 2}, {"beta", 3}}), "truncate", {0.1, 0.9})},
    };
    for (const Case& c : without) {
        const auto d = dist::make_distribution(c.kind, c.params);
        INFO(d->describe());
        CHECK_FALSE(dist::bulk_quantile(*d).has_value());
    }
}

TEST_CASE("bulk quantiles: a clip clamps the inner family's values, a truncation keeps inside its window",
          "[simd][bulk]") {
    const auto u = uniforms(50'000, 3);
    const auto inner = dist::make_distribution("lognormal", scalars({{"median", 0.35}, {"p95", 0.55}}));
    const auto clip = dist::make_distribution("lognormal", with_clip(scalars({{"median", 0.35}, {"p95", 0.55}}), 0, 0.4));
    const auto a = bulk_draws(*dist::bulk_quantile(*inner), u, simd::level());
    const auto b = bulk_draws(*dist::bulk_quantile(*clip), u, simd::level());
    for (std::size_t i = 0; i < u.size(); ++i) CHECK(b[i] == std::min(a[i], 0.4));
    const auto cut = dist::make_distribution("normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {2.5, 6}));
    for (double x : bulk_draws(*dist::bulk_quantile(*cut), u, simd::level())) {
        CHECK(x >= 2.5);
        CHECK(x <= 6);
    }
}
