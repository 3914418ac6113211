// Sampling agrees with the distribution's own mean(), variance() and cdf().
//
// mu4 for the variance tolerance comes from Boost.Math's kurtosis of the same
// parameters (mu4 = kurtosis * var^2), independently of the code under test;
// mean() and variance() are also compared with Boost.Math's to 1e-13.
#include <cmath>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

// mean(), variance() against the reference, then the sample against both
// moments (within 5 SE) and against cdf() (KS below its 1e-6 critical value).
template <class Reference>
void check_continuous(const Distribution& d, const Reference& ref, std::uint64_t seed) {
    CHECK(relative_error(d.mean(), boost::math::mean(ref)) < 1e-13);
    CHECK(relative_error(d.variance(), boost::math::variance(ref)) < 1e-13);

    const std::vector<double> x = draw(d, seed);
    const double var = boost::math::variance(ref);
    check_moments(d, x, boost::math::kurtosis(ref) * var * var);

    const double ks = ks_statistic(x, d);
    INFO(d.describe() << ": KS statistic " << ks << ", critical value " << ks_critical(x.size()));
    CHECK(ks < ks_critical(x.size()));
}

}  // namespace

TEST_CASE("constant: every draw is the value, moments and cdf are a point mass", "[sampling]") {
    // Zero variance makes the 5-SE bounds exact equalities and KS moot:
    // the whole claim is that every draw equals the value.
    const auto d = make_distribution("constant", scalars({{"value", 2.5}}));
    const std::vector<double> x = draw(*d, 1);
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v == 2.5; }));
    CHECK(d->mean() == 2.5);
    CHECK(d->variance() == 0.0);
    CHECK(d->cdf(2.4999) == 0.0);
    CHECK(d->cdf(2.5) == 1.0);
    CHECK(d->quantile(0.0) == 2.5);
    CHECK(d->quantile(0.7) == 2.5);
    CHECK(d->quantile(1.0) == 2.5);
}

TEST_CASE("uniform: sample matches mean, variance and cdf", "[sampling]") {
    const auto d = make_distribution("uniform", scalars({{"min", -1}, {"max", 3}}));
    check_continuous(*d, boost::math::uniform_distribution<>(-1, 3), 11);
    const std::vector<double> x = draw(*d, 12, 100'000);
    CHECK(*std::min_element(x.begin(), x.end()) >= -1);
    CHECK(*std::max_element(x.begin(), x.end()) < 3);
}

TEST_CASE("normal: sample matches mean, variance and cdf", "[sampling]") {
    const auto d = make_distribution("normal", scalars({{"mean", 3}, {"sd", 2}}));
    check_continuous(*d, boost::math::normal_distribution<>(3, 2), 21);
}

TEST_CASE("normal from p5, p95: sample matches mean, variance and cdf", "[sampling]") {
    const auto d = make_distribution("normal", scalars({{"p5", 10}, {"p95", 30}}));
    const double sd = 20 / (2 * 1.6448536269514722);
    check_continuous(*d, boost::math::normal_distribution<>(20, sd), 22);
}

TEST_CASE("lognormal: sample matches mean, variance and cdf", "[sampling]") {
    const auto d = make_distribution("lognormal", scalars({{"mu", -1}, {"sigma", 0.3}}));
    check_continuous(*d, boost::math::lognormal_distribution<>(-1, 0.3), 31);
}

TEST_CASE("lognormal, heavier tail: sample matches mean, variance and cdf", "[sampling]") {
    // sigma = 0.7 (p95/p5 = 10): kurtosis ~ 21, still a well-behaved sample variance.
    const auto d = make_distribution("lognormal", scalars({{"p5", 5}, {"p95", 50}}));
    const double sigma = std::log(10.0) / (2 * 1.6448536269514722);
    check_continuous(*d, boost::math::lognormal_distribution<>(std::log(std::sqrt(250.0)), sigma),
                     32);
}

TEST_CASE("triangular: sample matches mean, variance and cdf", "[sampling]") {
    const auto d = make_distribution("triangular", scalars({{"min", 1}, {"mode", 2}, {"max", 5}}));
    check_continuous(*d, boost::math::triangular_distribution<>(1, 2, 5), 41);
}

TEST_CASE("triangular with the mode at an end: sample matches mean, variance and cdf",
          "[sampling]") {
    const auto left =
        make_distribution("triangular", scalars({{"min", 0}, {"mode", 0}, {"max", 1}}));
    check_continuous(*left, boost::math::triangular_distribution<>(0, 0, 1), 42);
    const auto right =
        make_distribution("triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 1}}));
    check_continuous(*right, boost::math::triangular_distribution<>(0, 1, 1), 43);
}
