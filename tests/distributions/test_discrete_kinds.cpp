// The discrete kinds (bernoulli, discrete, empirical resampling): KS is not
// valid against a step cdf, so each sample of 1e6 draws is tested by Pearson's
// chi-square on the category counts (threshold: the upper 1e-6 quantile of
// chi-square(k - 1), sample_checks.hpp) and by its mean and variance within 5
// standard errors, SE(mean) = sqrt(var / n), SE(variance) = sqrt((mu4 - var^2) / n),
// with mu4 exact from the support. The step cdf and its generalised inverse
// are checked value by value.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "distributions/discrete.hpp"
#include "distributions/factory.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

void check_sample(const Distribution& d, const std::vector<double>& values,
                  const std::vector<double>& probabilities, std::uint64_t seed) {
    INFO(d.describe());
    CHECK(d.is_discrete());
    const std::vector<double> x = draw(d, seed);
    check_categories(x, values, probabilities);
    check_moments(d, x, discrete_mu4(values, probabilities));
}

}  // namespace

TEST_CASE("bernoulli: counts, moments, step cdf and quantile", "[discrete]") {
    const auto d = make_distribution("bernoulli", scalars({{"p", 0.3}}));
    CHECK(d->mean() == 0.3);
    CHECK(relative_error(d->variance(), 0.21) < 1e-15);
    check_sample(*d, {0, 1}, {0.7, 0.3}, 201);

    CHECK(d->cdf(-0.1) == 0);
    CHECK(d->cdf(0) == 1 - 0.3);
    CHECK(d->cdf(0.99) == 1 - 0.3);
    CHECK(d->cdf(1) == 1);
    CHECK(d->quantile(0) == 0);
    CHECK(d->quantile(1 - 0.3) == 0);  // F(0) reaches it
    CHECK(d->quantile(0.7000001) == 1);
    CHECK(d->quantile(1) == 1);
}

TEST_CASE("bernoulli with p = 0 or 1 is a constant", "[discrete]") {
    const auto never = make_distribution("bernoulli", scalars({{"p", 0}}));
    const auto always = make_distribution("bernoulli", scalars({{"p", 1}}));
    const std::vector<double> x0 = draw(*never, 202, 10'000);
    const std::vector<double> x1 = draw(*always, 203, 10'000);
    CHECK(std::all_of(x0.begin(), x0.end(), [](double v) { return v == 0; }));
    CHECK(std::all_of(x1.begin(), x1.end(), [](double v) { return v == 1; }));
    CHECK(never->quantile(1) == 0);
    CHECK(always->quantile(0) == 1);  // 0 has no probability: never a quantile
    CHECK(always->variance() == 0);
}

TEST_CASE("discrete: counts, moments, step cdf and quantile", "[discrete]") {
    // Weights 1 : 2 : 5 : 2, given unsorted; normalized 0.1, 0.2, 0.5, 0.2.
    ParamSet p = with_list(ParamSet{}, "values", {10, -1, 2.5, 7});
    p.lists["weights"] = {5, 1, 2, 2};
    const auto d = make_distribution("discrete", p);
    CHECK(relative_error(d->mean(), 0.1 * -1 + 0.2 * 2.5 + 0.2 * 7 + 0.5 * 10) < 1e-15);
    check_sample(*d, {-1, 2.5, 7, 10}, {0.1, 0.2, 0.2, 0.5}, 211);

    CHECK(d->cdf(-1.5) == 0);
    CHECK(d->cdf(-1) == 0.1);
    CHECK(relative_error(d->cdf(3), 0.3) < 1e-15);
    CHECK(d->cdf(10) == 1);
    CHECK(d->quantile(0) == -1);
    CHECK(d->quantile(0.1) == -1);
    CHECK(d->quantile(0.15) == 2.5);
    CHECK(d->quantile(0.45) == 7);  // cumulative 0.1, 0.3, 0.5, 1
    CHECK(d->quantile(0.51) == 10);
    CHECK(d->quantile(1) == 10);
    // quantile(cdf(v)) == v on the support: the generalised inverse.
    for (double v : {-1.0, 2.5, 7.0, 10.0}) CHECK(d->quantile(d->cdf(v)) == v);
}

TEST_CASE(
    "discrete: repeated values merge, weight-0 values leave the support, no weights means equal",
    "[discrete]") {
    ParamSet p = with_list(ParamSet{}, "values", {1, 2, 1, 3});
    p.lists["weights"] = {1, 2, 1, 0};
    const auto d = make_distribution("discrete", p);
    const auto& discrete = dynamic_cast<const Discrete&>(*d);
    CHECK(discrete.support() == std::vector<double>{1, 2});
    CHECK(discrete.probabilities() == std::vector<double>{0.5, 0.5});
    CHECK(d->quantile(1) == 2);  // never 3
    CHECK(d->describe() == "discrete(values=[1, 2], p=[0.5, 0.5])");

    const auto equal = make_distribution("discrete", with_list(ParamSet{}, "values", {4, 5, 6, 7}));
    check_sample(*equal, {4, 5, 6, 7}, {0.25, 0.25, 0.25, 0.25}, 212);
}

TEST_CASE("empirical resample: counts, moments, step cdf and quantile", "[discrete]") {
    // 5 observations, one repeated: P(3) = 2/5.
    const auto d =
        make_distribution("empirical", with_list(ParamSet{}, "observations", {3, 1, 8, 3, 5}));
    CHECK(d->mean() == 4);
    CHECK(relative_error(d->variance(), (1 + 9 + 16 + 1 + 1) / 5.0) < 1e-15);  // population
    check_sample(*d, {1, 3, 5, 8}, {0.2, 0.4, 0.2, 0.2}, 221);

    CHECK(d->cdf(0.9) == 0);
    CHECK(d->cdf(3) == 0.6);
    CHECK(d->cdf(8) == 1);
    CHECK(d->quantile(0) == 1);
    CHECK(d->quantile(0.2) == 1);
    CHECK(d->quantile(0.21) == 3);
    CHECK(d->quantile(0.6) == 3);
    CHECK(d->quantile(0.61) == 5);
    CHECK(d->quantile(1) == 8);
}

TEST_CASE("empirical resample draws only the observations, uniformly by position", "[discrete]") {
    // Ten observations, every one distinct: each drawn with probability 1/10.
    const std::vector<double> obs = {0.5, 1.5, 2.25, 3, 4, 5.5, 6, 7.75, 8, 9};
    const auto d = make_distribution("empirical", with_list(ParamSet{}, "observations", obs));
    check_sample(*d, obs, std::vector<double>(10, 0.1), 222);
}
