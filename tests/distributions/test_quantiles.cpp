// Quantile parametrizations give back their quantiles; quantile inverts cdf.
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "distributions/lognormal.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

// The exact quantile must be the given value to 1e-12 relative (the formulas
// are a log, a division and an exp: a few ulps), and the empirical quantile of
// 1e6 draws within 1 %. The 1 % is justified per call by the standard error
// of a sample quantile, SE = sqrt(p (1 - p) / n) / f(q): the check below
// demands 1 % >= 5 SE, so a correct implementation is not flaky.
template <class Reference>
void check_quantile(const Distribution& d, const std::vector<double>& x, double p, double given,
                    const Reference& ref) {
    const double n = static_cast<double>(x.size());
    INFO(d.describe() << ", p = " << p << ", given " << given);
    CHECK(relative_error(d.quantile(p), given) < 1e-12);

    const double se = std::sqrt(p * (1 - p) / n) / boost::math::pdf(ref, given);
    REQUIRE(5 * se <= 0.01 * std::abs(given));
    const double empirical = empirical_quantile(x, p);
    INFO("empirical " << empirical << " (SE " << se << ")");
    CHECK(relative_error(empirical, given) < 0.01);
}

}  // namespace

TEST_CASE("lognormal (p5, p95) gives back p5 and p95", "[quantiles]") {
    const auto d = make_distribution("lognormal", scalars({{"p5", 5}, {"p95", 50}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 61);
    check_quantile(*d, x, 0.05, 5, ref);
    check_quantile(*d, x, 0.95, 50, ref);
}

TEST_CASE("lognormal (median, p95) gives back the median and p95", "[quantiles]") {
    const auto d = make_distribution("lognormal", scalars({{"median", 10}, {"p95", 40}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 62);
    check_quantile(*d, x, 0.5, 10, ref);
    check_quantile(*d, x, 0.95, 40, ref);
}

TEST_CASE("lognormal (median, p5, p95) gives back all three when consistent", "[quantiles]") {
    // Consistent means median = sqrt(p5 p95): 10 = sqrt(4 * 25).
    const auto d =
        make_distribution("lognormal", scalars({{"median", 10}, {"p5", 4}, {"p95", 25}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 63);
    check_quantile(*d, x, 0.05, 4, ref);
    check_quantile(*d, x, 0.5, 10, ref);
    check_quantile(*d, x, 0.95, 25, ref);
}

TEST_CASE("lognormal (median, p5, p95), skewed: median kept, interval only sets the width",
          "[quantiles]") {
    // median 10 with p5 = 5, p95 = 40 (sqrt(5 * 40) = 14.1 != 10): by definition
    // mu = ln median and sigma = (ln p95 - ln p5) / (2 z), so the 5th and 95th
    // percentiles move (to 10 / sqrt(8) and 10 sqrt(8)) while their ratio stays 8.
    const auto d =
        make_distribution("lognormal", scalars({{"median", 10}, {"p5", 5}, {"p95", 40}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 64);
    check_quantile(*d, x, 0.5, 10, ref);
    CHECK(relative_error(d->quantile(0.95) / d->quantile(0.05), 8.0) < 1e-12);
    CHECK(relative_error(d->quantile(0.05), 10 / std::sqrt(8.0)) < 1e-12);
}

TEST_CASE("normal (p5, p95) gives back p5 and p95", "[quantiles]") {
    const auto d = make_distribution("normal", scalars({{"p5", 10}, {"p95", 30}}));
    const boost::math::normal_distribution<> ref(d->mean(), std::sqrt(d->variance()));
    const std::vector<double> x = draw(*d, 65);
    check_quantile(*d, x, 0.05, 10, ref);
    check_quantile(*d, x, 0.95, 30, ref);
}

TEST_CASE("quantile(cdf(x)) == x to 1e-12 relative", "[quantiles]") {
    // Points inside the support, within ~3 sd of the centre: further out in an
    // upper tail, 1 - cdf(x) keeps only a few digits (the cdf is stored near 1),
    // and inverting it amplifies that beyond 1e-12.
    struct Case {
        const char* kind;
        ParamSet params;
        std::vector<double> xs;
    };
    const std::vector<Case> cases = {
        {"uniform", scalars({{"min", -1}, {"max", 3}}), {-0.9, -0.2, 0.5, 1, 2.999}},
        {"normal", scalars({{"mean", 3}, {"sd", 2}}), {-5, -1, 2, 2.9, 3.1, 4, 9}},
        {"lognormal", scalars({{"mu", -1}, {"sigma", 0.3}}), {0.15, 0.2, 0.35, 0.5, 0.8}},
        {"lognormal", scalars({{"p5", 5}, {"p95", 50}}), {2, 5, 15, 50, 120}},
        {"triangular", scalars({{"min", 1}, {"mode", 2}, {"max", 5}}), {1.01, 1.5, 2, 3, 4.9}},
        {"triangular", scalars({{"min", 0}, {"mode", 0}, {"max", 1}}), {0.01, 0.3, 0.9}},
        {"normal", with_clip(scalars({{"mean", 0}, {"sd", 1}}), -1, 2), {-0.99, -0.5, 0.1, 1.99}},
    };
    for (const Case& c : cases) {
        const auto d = make_distribution(c.kind, c.params);
        for (double x : c.xs) {
            INFO(d->describe() << " at x = " << x << ": cdf " << d->cdf(x) << ", quantile "
                               << d->quantile(d->cdf(x)));
            CHECK(relative_error(d->quantile(d->cdf(x)), x) < 1e-12);
        }
    }
}

TEST_CASE("quantile endpoints and domain", "[quantiles]") {
    const double inf = std::numeric_limits<double>::infinity();
    const auto normal = make_distribution("normal", scalars({{"mean", 0}, {"sd", 1}}));
    CHECK(normal->quantile(0) == -inf);
    CHECK(normal->quantile(1) == inf);
    CHECK(normal->cdf(-inf) == 0);
    CHECK(normal->cdf(inf) == 1);
    const auto lognormal = make_distribution("lognormal", scalars({{"mu", 0}, {"sigma", 1}}));
    CHECK(lognormal->quantile(0) == 0);
    CHECK(lognormal->quantile(1) == inf);
    CHECK(lognormal->cdf(-1) == 0);
    CHECK(lognormal->cdf(inf) == 1);
    const auto uniform = make_distribution("uniform", scalars({{"min", 2}, {"max", 4}}));
    CHECK(uniform->quantile(0) == 2);
    CHECK(uniform->quantile(1) == 4);
    CHECK(uniform->cdf(-inf) == 0);
    CHECK(uniform->cdf(inf) == 1);
    const auto triangular =
        make_distribution("triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}));
    CHECK(triangular->quantile(0) == 0);
    CHECK(triangular->quantile(1) == 4);
    CHECK(triangular->cdf(inf) == 1);

    for (const auto* d : {normal.get(), lognormal.get(), uniform.get(), triangular.get()}) {
        CHECK_THROWS_AS(d->quantile(-0.1), std::domain_error);
        CHECK_THROWS_AS(d->quantile(1.1), std::domain_error);
        CHECK_THROWS_AS(d->quantile(std::nan("")), std::domain_error);
        CHECK_THROWS_AS(d->cdf(std::nan("")), std::domain_error);
    }
}
