// The continuous kinds added to the catalogue: each sample of 1e6 draws
// matches the distribution's own mean(), variance() (within 5 standard
// errors) and cdf() (Kolmogorov-Smirnov below its 1e-6 critical value), and
// mean() and variance() match an independent reference.
//
// Standard errors (sample_checks.hpp, check_moments): SE(mean) = sqrt(var / n),
// SE(sample variance) = sqrt((mu4 - var^2) / n). mu4 comes from Boost.Math's
// kurtosis of the same law (mu4 = kurtosis * var^2) where Boost has the law,
// from the raw moments where they have a closed form, and from the sample
// itself otherwise (accurate to a few percent at n = 1e6, which only moves the
// tolerance by as much).
#include <cmath>
#include <limits>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>

#include "distributions/empirical.hpp"
#include "distributions/factory.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

// mean() and variance() against Boost.Math's to 1e-13 relative (the two
// compute the same closed forms in a different order), then the sample.
template <class Reference>
void check_against_boost(const Distribution& d, const Reference& ref, std::uint64_t seed,
                         double tolerance = 1e-13) {
    INFO(d.describe());
    CHECK(relative_error(d.mean(), boost::math::mean(ref)) < tolerance);
    CHECK(relative_error(d.variance(), boost::math::variance(ref)) < tolerance);
    const std::vector<double> x = draw(d, seed);
    const double var = boost::math::variance(ref);
    check_moments(d, x, boost::math::kurtosis(ref) * var * var);
    check_ks(d, x);
}

// Moments of a density on [a, b] by adaptive Gauss-Kronrod, a route
// independent of the closed forms under test.
struct Moments {
    double mean;
    double variance;
    double mu4;
};

template <class Density>
Moments integrate_moments(Density f, double a, double b) {
    auto integrate = [&](auto g) {
        return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(g, a, b, 15, 1e-14);
    };
    const double mean = integrate([&](double x) { return x * f(x); });
    const double var = integrate([&](double x) { return (x - mean) * (x - mean) * f(x); });
    const double mu4 = integrate([&](double x) { return std::pow(x - mean, 4) * f(x); });
    return {mean, var, mu4};
}

}  // namespace

TEST_CASE("loguniform: moments equal integration of the density; sample matches", "[continuous]") {
    // f(x) = 1 / (x ln(max / min)) on [1, 1000]: three decades.
    const auto d = make_distribution("loguniform", scalars({{"min", 1}, {"max", 1000}}));
    const double L = std::log(1000.0);
    const Moments ref = integrate_moments([&](double x) { return 1 / (x * L); }, 1, 1000);
    CHECK(relative_error(d->mean(), ref.mean) < 1e-12);
    CHECK(relative_error(d->variance(), ref.variance) < 1e-12);
    const std::vector<double> x = draw(*d, 101);
    check_moments(*d, x, ref.mu4);
    check_ks(*d, x);
    CHECK(*std::min_element(x.begin(), x.end()) >= 1);
    CHECK(*std::max_element(x.begin(), x.end()) <= 1000);
}

TEST_CASE("loguniform: narrow ranges keep the variance's relative accuracy", "[continuous]") {
    // The series branch (L < 2) against integration: L = ln 1.5 and ln 1.0001,
    // where E[X^2] - E[X]^2 would lose 1 and 8 digits.
    for (const double max : {1.5, 1.0001, 7.0}) {
        const auto d = make_distribution("loguniform", scalars({{"min", 1}, {"max", max}}));
        const double L = std::log(max);
        const Moments ref = integrate_moments([&](double x) { return 1 / (x * L); }, 1, max);
        INFO(d->describe());
        CHECK(relative_error(d->mean(), ref.mean) < 1e-13);
        CHECK(relative_error(d->variance(), ref.variance) < 1e-11);
    }
}

TEST_CASE("pert: mean (min + lambda mode + max) / (lambda + 2); sample matches", "[continuous]") {
    const auto d = make_distribution("pert", scalars({{"min", 1}, {"mode", 2}, {"max", 7}}));
    CHECK(relative_error(d->mean(), (1 + 4 * 2 + 7) / 6.0) < 1e-14);
    // alpha = 1 + 4 (2 - 1) / 6 = 5/3, beta = 1 + 4 (7 - 2) / 6 = 13/3 on [1, 7]:
    // Var = 36 alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
    const boost::math::beta_distribution<> unit(5.0 / 3, 13.0 / 3);
    CHECK(relative_error(d->variance(), 36 * boost::math::variance(unit)) < 1e-13);
    const std::vector<double> x = draw(*d, 111);
    const double var = d->variance();
    check_moments(*d, x, boost::math::kurtosis(unit) * var * var);  // kurtosis is scale-free
    check_ks(*d, x);
}

TEST_CASE("pert: lambda widens or narrows around the mode; mode at an end", "[continuous]") {
    const auto d =
        make_distribution("pert", scalars({{"min", 0}, {"mode", 0}, {"max", 10}, {"lambda", 2}}));
    CHECK(relative_error(d->mean(), 10 / 4.0) < 1e-14);  // (0 + 2*0 + 10) / (2 + 2)
    const std::vector<double> x = draw(*d, 112);
    const boost::math::beta_distribution<> unit(1, 3);
    const double var = d->variance();
    CHECK(relative_error(var, 100 * boost::math::variance(unit)) < 1e-13);
    check_moments(*d, x, boost::math::kurtosis(unit) * var * var);
    check_ks(*d, x);
}

TEST_CASE("beta on [0, 1] and scaled: sample matches", "[continuous]") {
    const auto unit = make_distribution("beta", scalars({{"alpha", 2}, {"beta", 5}}));
    check_against_boost(*unit, boost::math::beta_distribution<>(2, 5), 121);

    // Scaled to [10, 30]: mean 10 + 20 alpha / (alpha + beta), variance 400 times.
    const auto scaled = make_distribution(
        "beta", scalars({{"alpha", 0.5}, {"beta", 0.8}, {"min", 10}, {"max", 30}}));
    const boost::math::beta_distribution<> ref(0.5, 0.8);
    CHECK(relative_error(scaled->mean(), 10 + 20 * boost::math::mean(ref)) < 1e-14);
    CHECK(relative_error(scaled->variance(), 400 * boost::math::variance(ref)) < 1e-13);
    const std::vector<double> x = draw(*scaled, 122);
    const double var = scaled->variance();
    check_moments(*scaled, x, boost::math::kurtosis(ref) * var * var);
    check_ks(*scaled, x);
}

TEST_CASE("gamma by scale and by rate: sample matches", "[continuous]") {
    const auto by_scale = make_distribution("gamma", scalars({{"shape", 2.5}, {"scale", 1.5}}));
    check_against_boost(*by_scale, boost::math::gamma_distribution<>(2.5, 1.5), 131);
    // shape < 1 takes Boost.Random's other branch (Ahrens-Dieter-style).
    const auto by_rate = make_distribution("gamma", scalars({{"shape", 0.6}, {"rate", 4}}));
    check_against_boost(*by_rate, boost::math::gamma_distribution<>(0.6, 0.25), 132);
}

TEST_CASE("weibull: sample matches", "[continuous]") {
    const auto d = make_distribution("weibull", scalars({{"shape", 1.5}, {"scale", 2}}));
    // Boost.Math forms Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 directly, the library
    // from Gamma(1 + z) - 1: they agree to a few ulps here (k = 1.5 barely cancels).
    check_against_boost(*d, boost::math::weibull_distribution<>(1.5, 2), 141, 1e-13);
}

TEST_CASE("weibull: large shapes keep the variance (Gamma(1 + z) - 1 form)", "[continuous]") {
    // Reference: the textbook Gamma(1 + 2/k) - Gamma(1 + 1/k)^2 in long double
    // (64-bit mantissa): at k = 50 it cancels ~3 of its ~19 digits, still a
    // reference to ~1e-16; in double the same form would keep only ~12 digits.
    for (const double k : {0.5, 3.0, 50.0}) {
        const auto d = make_distribution("weibull", scalars({{"shape", k}, {"scale", 1}}));
        const long double g1 = boost::math::tgamma(1 + 1 / static_cast<long double>(k));
        const long double g2 = boost::math::tgamma(1 + 2 / static_cast<long double>(k));
        INFO(d->describe());
        CHECK(relative_error(d->mean(), static_cast<double>(g1)) < 1e-14);
        CHECK(relative_error(d->variance(), static_cast<double>(g2 - g1 * g1)) < 1e-13);
    }
}

TEST_CASE("student_t with df = 10, location and scale: sample matches", "[continuous]") {
    // df = 10: finite moments up to the 9th, so the sample variance obeys the
    // CLT behind the 5-SE bound (df <= 8 would make mu4's own estimate erratic).
    const auto d = make_distribution("student_t", scalars({{"df", 10}, {"loc", 3}, {"scale", 2}}));
    const boost::math::students_t_distribution<> t(10);
    CHECK(d->mean() == 3);
    CHECK(relative_error(d->variance(), 4 * boost::math::variance(t)) < 1e-14);
    const std::vector<double> x = draw(*d, 151);
    const double var = d->variance();
    check_moments(*d, x, boost::math::kurtosis(t) * var * var);
    check_ks(*d, x);
}

TEST_CASE("student_t where moments are undefined: NaN or infinite, and the cdf still fits",
          "[continuous]") {
    // df = 1.5: the mean exists, the variance is infinite; df = 1 (Cauchy):
    // neither exists. The sample mean or variance then never settles, so no
    // moment check: KS alone (it needs no moments).
    const auto heavy = make_distribution("student_t", scalars({{"df", 1.5}}));
    CHECK(heavy->mean() == 0);
    CHECK(std::isinf(heavy->variance()));
    check_ks(*heavy, draw(*heavy, 152));

    const auto cauchy = make_distribution("student_t", scalars({{"df", 1}, {"loc", -2}}));
    CHECK(std::isnan(cauchy->mean()));
    CHECK(std::isnan(cauchy->variance()));
    check_ks(*cauchy, draw(*cauchy, 153));
    CHECK(relative_error(cauchy->quantile(0.75), -1.0) < 1e-14);  // Cauchy: Q(3/4) = loc + scale
}

TEST_CASE("exponential by rate and by mean: sample matches", "[continuous]") {
    const auto by_rate = make_distribution("exponential", scalars({{"rate", 0.5}}));
    check_against_boost(*by_rate, boost::math::exponential_distribution<>(0.5), 161);
    const auto by_mean = make_distribution("exponential", scalars({{"mean", 4}}));
    CHECK(by_mean->mean() == 4);
    check_against_boost(*by_mean, boost::math::exponential_distribution<>(0.25), 162);
}

TEST_CASE("empirical kernel: moments are the data's plus h^2; sample matches the smoothed cdf",
          "[continuous]") {
    const std::vector<double> obs = {2.1, 3.5, 2.8, 4.9, 3.1, 2.2, 6.0, 3.3, 2.9, 3.8,
                                     4.1, 2.5, 3.0, 5.2, 3.6, 2.7, 4.4, 3.2, 2.6, 3.9};
    const auto d = make_distribution(
        "empirical", with_string(with_list(ParamSet{}, "observations", obs), "method", "kernel"));
    const auto& e = dynamic_cast<const Empirical&>(*d);
    // Silverman by hand: sd = 1.02644 (n - 1), IQR = 3.95 - 2.775 = 1.175 (type 7),
    // min(sd, IQR / 1.34) = 0.876866; h = 0.9 * 0.876866 * 20^(-1/5) = 0.433481.
    CHECK(std::abs(e.bandwidth() - 0.433481) < 1e-6);
    double mean = 0;
    for (double o : obs) mean += o / 20;
    double var = 0;
    for (double o : obs) var += (o - mean) * (o - mean) / 20;
    CHECK(relative_error(d->mean(), mean) < 1e-14);
    CHECK(relative_error(d->variance(), var + e.bandwidth() * e.bandwidth()) < 1e-14);

    const std::vector<double> x = draw(*d, 171);
    check_moments(*d, x, sample_moments(x).mu4);  // mu4 of a kernel mixture: from the sample
    check_ks(*d, x);                              // 1e6 cdf calls of 20 terms each: ~1 s
}

TEST_CASE("empirical kernel with a given bandwidth", "[continuous]") {
    const auto d = make_distribution(
        "empirical",
        with_string(with_list(scalars({{"bandwidth", 0.5}}), "observations", {0, 1, 4}), "method",
                    "kernel"));
    CHECK(dynamic_cast<const Empirical&>(*d).bandwidth() == 0.5);
    // F is the mean of three normal cdfs.
    const boost::math::normal_distribution<> n0(0, 0.5), n1(1, 0.5), n4(4, 0.5);
    for (double x : {-1.0, 0.3, 2.0, 4.2}) {
        const double expected =
            (boost::math::cdf(n0, x) + boost::math::cdf(n1, x) + boost::math::cdf(n4, x)) / 3;
        CHECK(std::abs(d->cdf(x) - expected) < 1e-15);
    }
    CHECK(relative_error(d->variance(), 26.0 / 9 + 0.25) < 1e-14);  // var {0,1,4} = 26/9
}
