// Truncation: draws never leave [lo, hi]; mean and variance equal the closed
// forms of the truncated normal and lognormal; the sample of 1e6 draws
// matches them (5 SE) and the truncated cdf (KS); impossible windows and
// discrete kinds are refused.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/truncated.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

double Phi(double z) { return boost::math::cdf(boost::math::normal_distribution<>(), z); }
double phi(double z) { return boost::math::pdf(boost::math::normal_distribution<>(), z); }

struct Moments {
    double mean;
    double variance;
};

// N(mu, sd) given a < X <= b, with alpha = (a - mu) / sd, beta = (b - mu) / sd,
// Z = Phi(beta) - Phi(alpha):
//   E = mu + sd (phi(alpha) - phi(beta)) / Z,
//   Var = sd^2 (1 + (alpha phi(alpha) - beta phi(beta)) / Z - ((phi(alpha) - phi(beta)) / Z)^2).
Moments truncated_normal(double mu, double sd, double a, double b) {
    const double alpha = (a - mu) / sd;
    const double beta = (b - mu) / sd;
    const double z = Phi(beta) - Phi(alpha);
    const double r = (phi(alpha) - phi(beta)) / z;
    return {mu + sd * r, sd * sd * (1 + (alpha * phi(alpha) - beta * phi(beta)) / z - r * r)};
}

// Lognormal(mu, s) given lo < X <= hi: E[X^k] = exp(k mu + k^2 s^2 / 2)
// (Phi(b - k s) - Phi(a - k s)) / (Phi(b) - Phi(a)) with a, b the log-bounds
// standardized.
Moments truncated_lognormal(double mu, double s, double lo, double hi) {
    const double a = (std::log(lo) - mu) / s;
    const double b = (std::log(hi) - mu) / s;
    const double z = Phi(b) - Phi(a);
    auto raw = [&](int k) {
        return std::exp(k * mu + k * k * s * s / 2) * (Phi(b - k * s) - Phi(a - k * s)) / z;
    };
    const double m = raw(1);
    return {m, raw(2) - m * m};
}

void check_sample(const Distribution& d, double lo, double hi, std::uint64_t seed,
                  std::size_t n = n_draws) {
    INFO(d.describe());
    const std::vector<double> x = draw(d, seed, n);
    CHECK(*std::min_element(x.begin(), x.end()) >= lo);
    CHECK(*std::max_element(x.begin(), x.end()) <= hi);
    // mu4 of a truncated law: from the sample (see sample_checks.hpp).
    check_moments(d, x, sample_moments(x).mu4);
    check_ks(d, x);
}

void check_refused(const std::string& kind, const ParamSet& p, const std::string& field,
                   const std::vector<std::string>& fragments) {
    try {
        (void)make_distribution(kind, p);
        FAIL("no ParameterError thrown");
    } catch (const ParameterError& e) {
        INFO("what(): " << e.what());
        CHECK(e.field() == field);
        for (const std::string& fragment : fragments) {
            INFO("fragment: " << fragment);
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("truncated normal: closed-form moments, draws in [lo, hi], sample matches",
          "[truncated]") {
    const auto d = make_distribution(
        "normal", with_list(scalars({{"mean", 1}, {"sd", 2}}), "truncate", {-1, 2}));
    CHECK(d->kind() == "normal");
    const Moments ref = truncated_normal(1, 2, -1, 2);
    // Quadrature of the quantile function against the closed form: ~1e-14 measured.
    CHECK(relative_error(d->mean(), ref.mean) < 1e-11);
    CHECK(relative_error(d->variance(), ref.variance) < 1e-11);
    check_sample(*d, -1, 2, 401);
}

TEST_CASE("truncated normal in the upper tail: still by inverse CDF, still in the window",
          "[truncated]") {
    // [3, 4] keeps P = 1.3e-3 of N(0, 1), near F = 1: F is known to 1e-16
    // absolute, so the moments to ~1e-13 relative of the window.
    const auto d = make_distribution(
        "normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {3, 4}));
    const Moments ref = truncated_normal(0, 1, 3, 4);
    CHECK(std::abs(d->mean() - ref.mean) < 1e-10);
    CHECK(relative_error(d->variance(), ref.variance) < 1e-8);
    check_sample(*d, 3, 4, 402);
}

TEST_CASE("truncated lognormal: closed-form moments, draws in [lo, hi], sample matches",
          "[truncated]") {
    const auto d = make_distribution(
        "lognormal", with_list(scalars({{"median", 10}, {"p95", 40}}), "truncate", {5, 30}));
    const auto& inner = dynamic_cast<const Lognormal&>(dynamic_cast<const Truncated&>(*d).inner());
    const Moments ref = truncated_lognormal(inner.mu(), inner.sigma(), 5, 30);
    CHECK(relative_error(d->mean(), ref.mean) < 1e-11);
    CHECK(relative_error(d->variance(), ref.variance) < 1e-10);
    check_sample(*d, 5, 30, 403);
}

TEST_CASE("truncated mixture: draws in [lo, hi], sample matches", "[truncated]") {
    ParamSet p;
    ParamSet a = scalars({{"median", 10}, {"p95", 40}});
    a.strings["dist"] = "lognormal";
    ParamSet b = scalars({{"mean", 5}, {"sd", 1}});
    b.strings["dist"] = "normal";
    p.components = {a, b};
    p.lists["weights"] = {3, 7};
    p.lists["truncate"] = {4, 20};
    const auto d = make_distribution("mixture", p);
    // Each draw inverts the mixture cdf by TOMS 748 (~2 us), so 1e5 draws,
    // not 1e6: the 5-SE and KS thresholds are computed for the n used.
    check_sample(*d, 4, 20, 404, 100'000);
}

TEST_CASE("truncated quantile and cdf rescale the inner ones", "[truncated]") {
    const auto inner = make_distribution("normal", scalars({{"mean", 0}, {"sd", 1}}));
    const auto d = make_distribution(
        "normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2}));
    const double f_lo = inner->cdf(-1);
    const double mass = inner->cdf(2) - f_lo;
    CHECK(dynamic_cast<const Truncated&>(*d).kept() == mass);
    CHECK(d->cdf(-1.5) == 0);
    CHECK(d->cdf(2) == 1);
    CHECK(relative_error(d->cdf(0.5), (inner->cdf(0.5) - f_lo) / mass) < 1e-15);
    CHECK(relative_error(d->quantile(0.5), inner->quantile(f_lo + 0.5 * mass)) < 1e-15);
    CHECK(std::abs(d->quantile(0) - -1) < 1e-14);
    CHECK(std::abs(d->quantile(1) - 2) < 1e-14);
    for (double x : {-0.9, 0.1, 1.3, 1.99})
        CHECK(relative_error(d->quantile(d->cdf(x)), x) < 1e-12);
    // A lognormal truncated below 0 starts at 0, not at lo.
    const auto ln = make_distribution(
        "lognormal", with_list(scalars({{"mu", 0}, {"sigma", 1}}), "truncate", {-5, 3}));
    CHECK(ln->quantile(0) == 0);
}

TEST_CASE("truncate then clip: both apply, truncate first", "[truncated]") {
    // N(0,1) truncated to [-1, 2], then clipped to [0, 1]: the clip's atoms
    // hold the truncated law's mass below 0 and above 1.
    ParamSet p = with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2});
    p.lists["clip"] = {0, 1};
    const auto d = make_distribution("normal", p);
    const auto truncated = make_distribution(
        "normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2}));
    CHECK(d->describe() == "normal(mean=0, sd=1), truncate=[-1, 2], clip=[0, 1]");
    CHECK(d->cdf(0) == truncated->cdf(0));  // the atom at 0: F_truncated(0)
    const std::vector<double> x = draw(*d, 405, 100'000);
    const double n = static_cast<double>(x.size());
    const double at_lo = static_cast<double>(std::count(x.begin(), x.end(), 0.0)) / n;
    const double p_lo = truncated->cdf(0);                                 // ~0.41
    CHECK(std::abs(at_lo - p_lo) < 5 * std::sqrt(p_lo * (1 - p_lo) / n));  // binomial SE
}

TEST_CASE("truncate refuses empty, reversed and improbable windows", "[truncated]") {
    const ParamSet normal = scalars({{"mean", 0}, {"sd", 1}});
    check_refused("normal", with_list(normal, "truncate", {1, 0}), "truncate",
                  {"truncate upper bound (0) must be above its lower bound (1)"});
    check_refused("normal", with_list(normal, "truncate", {1, 1}), "truncate",
                  {"upper bound (1)", "lower bound (1)"});
    check_refused("normal", with_list(normal, "truncate", {0}), "truncate",
                  {"truncate ([0]) must be a list of two numbers"});
    check_refused("normal", with_list(normal, "truncate", {0, std::nan("")}), "truncate",
                  {"truncate upper bound (nan)", "finite"});
    check_refused("normal", scalars({{"mean", 0}, {"sd", 1}, {"truncate", 2}}), "truncate",
                  {"truncate (2) must be a list of two numbers"});
    // Zero probability: wholly outside the support, or beyond where F rounds to 1.
    check_refused("lognormal", with_list(scalars({{"mu", 0}, {"sigma", 1}}), "truncate", {-5, -1}),
                  "truncate", {"truncate [-5, -1] has zero probability under lognormal"});
    check_refused("normal", with_list(normal, "truncate", {40, 41}), "truncate",
                  {"truncate [40, 41] has zero probability"});
    // Positive but too little to invert: P(8 < Z <= 9) ~ 6e-16, stored as the
    // difference of two doubles next to 1.
    check_refused("normal", with_list(normal, "truncate", {8, 9}), "truncate",
                  {"truncate [8, 9] keeps a probability of only", "too little"});
    check_refused("normal", with_list(normal, "truncate", {-37, -36}), "truncate",
                  {"truncate [-37, -36] keeps a probability of only"});
}

TEST_CASE("truncate needs a continuous distribution", "[truncated]") {
    check_refused("bernoulli", with_list(scalars({{"p", 0.5}}), "truncate", {0, 1}), "truncate",
                  {"truncate needs a continuous distribution", "bernoulli(p=0.5) is discrete"});
    check_refused("discrete",
                  with_list(with_list(ParamSet{}, "values", {1, 2}), "truncate", {0, 1.5}),
                  "truncate", {"truncate needs a continuous distribution"});
    check_refused("empirical",
                  with_list(with_list(ParamSet{}, "observations", {1, 2}), "truncate", {0, 1.5}),
                  "truncate", {"truncate needs a continuous distribution"});
    check_refused("constant", with_list(scalars({{"value", 1}}), "truncate", {0, 2}), "truncate",
                  {"truncate needs a continuous distribution"});
    // The kernel estimate is continuous: accepted.
    const auto kernel = make_distribution(
        "empirical",
        with_list(with_string(with_list(ParamSet{}, "observations", {1, 2, 4}), "method", "kernel"),
                  "truncate", {0, 3}));
    const std::vector<double> x = draw(*kernel, 406, 1000);
    CHECK(*std::min_element(x.begin(), x.end()) >= 0);
    CHECK(*std::max_element(x.begin(), x.end()) <= 3);
}
