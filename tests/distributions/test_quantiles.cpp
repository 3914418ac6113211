// Quantile parametrizations give back their quantiles; quantile inverts cdf.
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/shorthand.hpp"
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

TEST_CASE("lognormal by any two quantiles (q10 = 3, q90 = 30) gives them back", "[quantiles]") {
    const auto d = make_distribution("lognormal", scalars({{"q10", 3}, {"q90", 30}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    // Symmetric levels: the median is the geometric mean, sqrt(90).
    CHECK(relative_error(ln.median(), std::sqrt(90.0)) < 1e-14);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 66);
    check_quantile(*d, x, 0.10, 3, ref);
    check_quantile(*d, x, 0.90, 30, ref);
}

TEST_CASE("lognormal by median and an uneven quantile (median = 8, q75 = 12)", "[quantiles]") {
    const auto d = make_distribution("lognormal", scalars({{"median", 8}, {"q75", 12}}));
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    CHECK(relative_error(ln.median(), 8) < 1e-15);  // mu = ln 8 exactly
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 67);
    check_quantile(*d, x, 0.5, 8, ref);
    check_quantile(*d, x, 0.75, 12, ref);
    // q1 and q99 (the extreme levels accepted), given upper first.
    const auto wide = make_distribution("lognormal", scalars({{"q99", 100}, {"q1", 1}}));
    CHECK(relative_error(wide->quantile(0.01), 1) < 1e-12);
    CHECK(relative_error(wide->quantile(0.99), 100) < 1e-12);
}

TEST_CASE("normal by any two quantiles (q25 = 10, q75 = 14; q2 and q60) gives them back",
          "[quantiles]") {
    const auto d = make_distribution("normal", scalars({{"q25", 10}, {"q75", 14}}));
    CHECK(relative_error(d->mean(), 12) < 1e-15);
    const boost::math::normal_distribution<> ref(d->mean(), std::sqrt(d->variance()));
    const std::vector<double> x = draw(*d, 68);
    check_quantile(*d, x, 0.25, 10, ref);
    check_quantile(*d, x, 0.75, 14, ref);
    const auto skew = make_distribution("normal", scalars({{"q2", -10}, {"q60", 3}}));
    CHECK(relative_error(skew->quantile(0.02), -10) < 1e-12);
    CHECK(relative_error(skew->quantile(0.60), 3) < 1e-12);
    const auto with_median = make_distribution("normal", scalars({{"median", 3}, {"q90", 5}}));
    CHECK(std::abs(with_median->mean() - 3) < 1e-15);
}

TEST_CASE("shorthand \"5 to 50\" is the lognormal with p5 = 5 and p95 = 50", "[quantiles]") {
    const auto d = from_shorthand("5 to 50");
    REQUIRE(d->kind() == "lognormal");
    const auto& ln = dynamic_cast<const Lognormal&>(*d);
    const boost::math::lognormal_distribution<> ref(ln.mu(), ln.sigma());
    const std::vector<double> x = draw(*d, 69);
    check_quantile(*d, x, 0.05, 5, ref);
    check_quantile(*d, x, 0.95, 50, ref);
}

TEST_CASE("shorthand \"-1 to 1\" is the normal with p5 = -1 and p95 = 1", "[quantiles]") {
    const auto d = from_shorthand("-1 to 1");
    REQUIRE(d->kind() == "normal");
    const boost::math::normal_distribution<> ref(d->mean(), std::sqrt(d->variance()));
    const std::vector<double> x = draw(*d, 70);
    check_quantile(*d, x, 0.05, -1, ref);
    check_quantile(*d, x, 0.95, 1, ref);
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
        {"loguniform", scalars({{"min", 0.5}, {"max", 5000}}), {0.6, 1, 30, 700, 4999}},
        {"pert", scalars({{"min", 1}, {"mode", 2}, {"max", 7}}), {1.2, 2, 3.5, 6}},
        {"beta", scalars({{"alpha", 2}, {"beta", 5}, {"min", -1}, {"max", 1}}), {-0.9, -0.5, 0.2}},
        {"gamma", scalars({{"shape", 2.5}, {"rate", 0.5}}), {0.5, 3, 5, 12}},
        {"weibull", scalars({{"shape", 1.5}, {"scale", 2}}), {0.1, 1, 2, 5}},
        {"student_t", scalars({{"df", 3}, {"loc", 1}, {"scale", 2}}), {-5, 0.5, 2, 7}},
        {"exponential", scalars({{"mean", 3}}), {0.01, 1, 3, 10}},
        {"empirical",
         with_string(with_list(ParamSet{}, "observations", {1, 2, 2.5, 4, 7}), "method", "kernel"),
         {0.2, 1.5, 3, 6, 9}},
        {"normal",
         with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2}),
         {-0.9, 0.5, 1.9}},
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

    const auto loguniform = make_distribution("loguniform", scalars({{"min", 2}, {"max", 8}}));
    CHECK(loguniform->quantile(0) == 2);
    CHECK(loguniform->quantile(1) == 8);
    CHECK(relative_error(loguniform->quantile(0.5), 4) < 1e-15);
    const auto gamma = make_distribution("gamma", scalars({{"shape", 2}, {"scale", 1}}));
    CHECK(gamma->quantile(0) == 0);
    CHECK(gamma->quantile(1) == inf);
    const auto t = make_distribution("student_t", scalars({{"df", 4}}));
    CHECK(t->quantile(0) == -inf);
    CHECK(t->quantile(1) == inf);
    CHECK(t->cdf(-inf) == 0);
    const auto beta =
        make_distribution("beta", scalars({{"alpha", 2}, {"beta", 3}, {"min", 1}, {"max", 4}}));
    CHECK(beta->quantile(0) == 1);
    CHECK(beta->quantile(1) == 4);
    const auto kernel = make_distribution(
        "empirical",
        with_string(with_list(ParamSet{}, "observations", {1, 2}), "method", "kernel"));
    CHECK(kernel->quantile(0) == -inf);
    CHECK(kernel->quantile(1) == inf);
    CHECK(kernel->cdf(inf) == 1);

    for (const auto* d : {normal.get(), lognormal.get(), uniform.get(), triangular.get(),
                          loguniform.get(), gamma.get(), t.get(), beta.get(), kernel.get()}) {
        CHECK_THROWS_AS(d->quantile(-0.1), std::domain_error);
        CHECK_THROWS_AS(d->quantile(1.1), std::domain_error);
        CHECK_THROWS_AS(d->quantile(std::nan("")), std::domain_error);
        CHECK_THROWS_AS(d->cdf(std::nan("")), std::domain_error);
    }
}
