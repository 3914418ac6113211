// Clipping: draws, atoms, quantile, cdf and the mean and variance of the
// clipped distribution.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <memory>
#include <vector>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <catch2/catch.hpp>

#include "distributions/clipped.hpp"
#include "distributions/factory.hpp"
#include "distributions/normal.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

// Number of draws equal to v, as a fraction, with the 5-SE binomial tolerance
// around the expected probability p: SE = sqrt(p (1 - p) / n).
void check_atom(const std::vector<double>& x, double v, double p) {
    const double n = static_cast<double>(x.size());
    const double fraction = static_cast<double>(std::count(x.begin(), x.end(), v)) / n;
    const double se = std::sqrt(p * (1 - p) / n);
    INFO("fraction of draws at " << v << ": " << fraction << ", expected " << p << " (SE " << se
                                 << ")");
    CHECK(std::abs(fraction - p) <= 5 * se);  // <=: an impossible atom (p = 0) must be empty
}

void check_clipped_sample(const ParamSet& inner_params, std::string_view kind, double lo, double hi,
                          std::uint64_t seed) {
    const auto inner = make_distribution(kind, inner_params);
    const auto d = make_distribution(kind, with_clip(inner_params, lo, hi));
    const std::vector<double> x = draw(*d, seed);

    // KS is not valid against a distribution with atoms; instead: the support,
    // the mass of each atom, and the moments.
    CHECK(std::all_of(x.begin(), x.end(), [&](double v) { return lo <= v && v <= hi; }));
    check_atom(x, lo, inner->cdf(lo));
    check_atom(x, hi, 1 - inner->cdf(hi));
    // mu4 of a clipped distribution has no handy closed form: it is estimated
    // from the sample itself, which at n = 1e6 is accurate to a few percent,
    // far closer than the tolerance needs.
    check_moments(*d, x, sample_moments(x).mu4);
}

struct Moments {
    double mean;
    double variance;
};

// Reference moments of Y from its cdf F alone, by a route unlike the library's:
//   Y - lo = int_lo^hi 1{Y > x} dx            =>  E[Y] = lo + int_lo^hi (1 - F(x)) dx,
//   (Y - m)^2 = int_m^Y 2 (x - m) dx          =>  Var[Y] = int_m^hi 2 (x - m)(1 - F(x)) dx
//                                                        + int_lo^m 2 (m - x) F(x) dx.
// Adaptive Gauss-Kronrod between breakpoints placed at the kinks of F (and
// where F changes fastest), so that each piece is smooth.
Moments reference_moments(const Distribution& y, double lo, double hi,
                          std::vector<double> breakpoints) {
    breakpoints.push_back(lo);
    breakpoints.push_back(hi);
    auto integrate = [&](auto f, std::vector<double> points, double from, double to) {
        points.push_back(from);
        points.push_back(to);
        std::sort(points.begin(), points.end());
        double sum = 0;
        for (std::size_t i = 0; i + 1 < points.size(); ++i) {
            const double a = std::max(points[i], from);
            const double b = std::min(points[i + 1], to);
            if (a < b) {
                sum += boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, a, b, 10,
                                                                                     1e-13);
            }
        }
        return sum;
    };
    const double mean = lo + integrate([&](double x) { return 1 - y.cdf(x); }, breakpoints, lo, hi);
    const double variance =
        integrate([&](double x) { return 2 * (x - mean) * (1 - y.cdf(x)); }, breakpoints, mean,
                  hi) +
        integrate([&](double x) { return 2 * (mean - x) * y.cdf(x); }, breakpoints, lo, mean);
    return {mean, variance};
}

struct Case {
    const char* kind;
    ParamSet params;
    double lo;
    double hi;
    std::vector<double> breakpoints;
};

}  // namespace

TEST_CASE("clipped lognormal: draws stay in [lo, hi], the cap holds 1 - F(hi), moments match",
          "[clipped]") {
    // median 0.35, p95 0.55: P(X > 0.65) ~ 1.2 %, so ~12,000 draws sit on the cap;
    // the lower bound 0 never binds for a lognormal.
    check_clipped_sample(scalars({{"median", 0.35}, {"p95", 0.55}}), "lognormal", 0.0, 0.65, 51);
}

TEST_CASE("clipped normal, both bounds binding: atoms and moments match", "[clipped]") {
    // P(Y = -1) = Phi(-1) ~ 15.9 %, P(Y = 2) = 1 - Phi(2) ~ 2.3 %.
    check_clipped_sample(scalars({{"mean", 0}, {"sd", 1}}), "normal", -1.0, 2.0, 52);
}

TEST_CASE("clipped uniform and triangular: atoms and moments match", "[clipped]") {
    check_clipped_sample(scalars({{"min", 0}, {"max", 4}}), "uniform", 1.0, 3.5, 53);
    check_clipped_sample(scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), "triangular", 0.5, 3.0,
                         54);
}

TEST_CASE("clipped mean and variance equal numerical integration of the cdf", "[clipped]") {
    // Windows binding on both sides, on one side, on neither, and lying wholly
    // outside the support (all mass on one bound). Tolerances: the reference
    // quadrature agrees to ~1e-14 on these smooth pieces; the library's
    // lognormal variance is a difference of partial moments and loses
    // ~log10(1/sigma^2) digits (measured 4e-12 relative at sigma = 0.01).
    // 1e-12 of the window width for the mean and 1e-10 relative for the
    // variance leave room for both and still catch any wrong formula.
    const std::vector<Case> cases = {
        {"normal", scalars({{"mean", 1}, {"sd", 2}}), -1, 2, {1}},
        {"normal", scalars({{"mean", 1}, {"sd", 2}}), -30, 0, {-9, -5, -3, -1, 1}},
        {"normal", scalars({{"mean", 1}, {"sd", 2}}), 5, 6, {}},
        {"normal", scalars({{"mean", 1}, {"sd", 2}}), -20, 20, {-9, -5, -3, -1, 1, 3, 5, 7, 11}},
        {"lognormal", scalars({{"mu", 0}, {"sigma", 0.5}}), 0, 2, {1}},
        {"lognormal", scalars({{"mu", 0}, {"sigma", 0.5}}), 0.5, 1.5, {1}},
        {"lognormal", scalars({{"mu", 0}, {"sigma", 0.5}}), -1, 10, {0.2, 0.5, 1, 2, 4}},
        {"lognormal", scalars({{"mu", 0}, {"sigma", 0.5}}), 3, 4, {}},
        {"lognormal", scalars({{"mu", 2}, {"sigma", 0.01}}), 7.3, 7.5, {7.389}},
        {"uniform", scalars({{"min", 0}, {"max", 4}}), 1, 3, {}},
        {"uniform", scalars({{"min", 0}, {"max", 4}}), -1, 2, {0}},
        {"uniform", scalars({{"min", 0}, {"max", 4}}), 5, 6, {}},
        {"uniform", scalars({{"min", 0}, {"max", 4}}), -3, -2, {}},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), 0.5, 3, {1}},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), 2, 3, {}},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), -1, 0.5, {0}},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), 1, 1.5, {}},
        {"triangular", scalars({{"min", 0}, {"mode", 0}, {"max", 1}}), 0.2, 0.7, {}},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}}), -5, 5, {0, 1, 4}},
    };
    for (const Case& c : cases) {
        const auto d = make_distribution(c.kind, with_clip(c.params, c.lo, c.hi));
        const Moments ref = reference_moments(*d, c.lo, c.hi, c.breakpoints);
        const double width = c.hi - c.lo;
        INFO(d->describe() << std::setprecision(17) << ": mean " << d->mean() << " vs " << ref.mean
                           << ", variance " << d->variance() << " vs " << ref.variance);
        CHECK(std::abs(d->mean() - ref.mean) <= 1e-12 * width);
        CHECK(std::abs(d->variance() - ref.variance) <= 1e-12 * width * width);
        if (ref.variance > 0) CHECK(relative_error(d->variance(), ref.variance) <= 1e-10);
    }
}

TEST_CASE("clipped constant: the value moved into the window", "[clipped]") {
    auto clipped = [](double lo, double hi) {
        return make_distribution("constant", with_clip(scalars({{"value", 3}}), lo, hi));
    };
    CHECK(clipped(0, 2)->mean() == 2);
    CHECK(clipped(4, 5)->mean() == 4);
    CHECK(clipped(2, 4)->mean() == 3);
    CHECK(clipped(0, 2)->variance() == 0);
    const std::vector<double> x = draw(*clipped(0, 2), 5, 1000);
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v == 2; }));
}

TEST_CASE("clipped quantile and cdf are the clamped inner ones", "[clipped]") {
    const auto inner = make_distribution("normal", scalars({{"mean", 0}, {"sd", 1}}));
    const auto d = make_distribution("normal", with_clip(scalars({{"mean", 0}, {"sd", 1}}), -1, 2));
    const double f_lo = inner->cdf(-1);  // ~0.159
    const double f_hi = inner->cdf(2);   // ~0.977

    CHECK(d->quantile(0) == -1);
    CHECK(d->quantile(f_lo / 2) == -1);
    CHECK(d->quantile(0.5) == inner->quantile(0.5));
    CHECK(d->quantile(0.9) == inner->quantile(0.9));
    CHECK(d->quantile((1 + f_hi) / 2) == 2);
    CHECK(d->quantile(1) == 2);

    CHECK(d->cdf(-1.0001) == 0);
    CHECK(d->cdf(-1) == f_lo);  // the atom at lo
    CHECK(d->cdf(0.3) == inner->cdf(0.3));
    CHECK(d->cdf(1.9999) == inner->cdf(1.9999));
    CHECK(d->cdf(2) == 1);  // the atom at hi
    CHECK(d->cdf(INFINITY) == 1);
}

TEST_CASE("clip of a clip (numerical fallback) agrees with the closed form", "[clipped]") {
    // Clipped has closed forms for the five kinds only; any other inner goes
    // through quadrature of the quantile function. clip(clip(X, -1, 2), -0.5, 3)
    // is clip(X, -0.5, 2), whose moments have the closed form.
    auto normal = std::make_shared<const Normal>(0.3, 1.2);
    const Clipped once(normal, -1, 2);
    const Clipped twice(std::make_shared<const Clipped>(once), -0.5, 3);
    const Clipped direct(normal, -0.5, 2);
    // Measured agreement ~1e-13; the quadrature aims at 1e-12 relative.
    CHECK(std::abs(twice.mean() - direct.mean()) < 1e-11);
    CHECK(relative_error(twice.variance(), direct.variance()) < 1e-11);
}

TEST_CASE("clipped kind and describe", "[clipped]") {
    const auto d = make_distribution(
        "lognormal", with_clip(scalars({{"median", 0.35}, {"p95", 0.55}}), 0, 0.65));
    CHECK(d->kind() == "lognormal");
    CHECK(d->describe() == "lognormal(mu=-1.04982, sigma=0.274787), clip=[0, 0.65]");
}
