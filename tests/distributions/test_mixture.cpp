// Mixtures: the sample of 1e6 draws matches the law of total variance (5 SE)
// and the mixture cdf (KS); the quantile inverts the cdf, lands exactly on a
// discrete component's atoms, and errors inside a component name it.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "distributions/mixture.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

ParamSet component(const std::string& kind, ParamSet p) {
    p.strings["dist"] = kind;
    return p;
}

ParamSet mixture(std::vector<ParamSet> components, std::vector<double> weights) {
    ParamSet p;
    p.components = std::move(components);
    p.lists["weights"] = std::move(weights);
    return p;
}

// A skewed lognormal (median 10, p95 40) with weight 3 and a narrow normal
// (5, 1) with weight 7: bimodal, so a single-component formula would be wrong.
ParamSet bimodal() {
    return mixture({component("lognormal", scalars({{"median", 10}, {"p95", 40}})),
                    component("normal", scalars({{"mean", 5}, {"sd", 1}}))},
                   {3, 7});
}

void check_refused(const ParamSet& p, const std::string& field,
                   const std::vector<std::string>& fragments) {
    try {
        (void)make_distribution("mixture", p);
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

TEST_CASE("mixture: moments by the law of total variance; sample matches them and the cdf",
          "[mixture]") {
    const auto d = make_distribution("mixture", bimodal());
    const auto& m = dynamic_cast<const Mixture&>(*d);
    CHECK(m.weights() == std::vector<double>{0.3, 0.7});
    CHECK_FALSE(d->is_discrete());

    // Reference from Boost.Math's component moments.
    const double sigma = std::log(4.0) / 1.6448536269514722;
    const boost::math::lognormal_distribution<> a(std::log(10.0), sigma);
    const double mean_a = boost::math::mean(a);
    const double mean = 0.3 * mean_a + 0.7 * 5;
    const double var = 0.3 * (boost::math::variance(a) + (mean_a - mean) * (mean_a - mean)) +
                       0.7 * (1 + (5 - mean) * (5 - mean));
    CHECK(relative_error(d->mean(), mean) < 1e-13);
    CHECK(relative_error(d->variance(), var) < 1e-13);

    // 1e6 is not a multiple of the 512-value chunk: the last chunk is partial.
    const std::vector<double> x = draw(*d, 301);
    check_moments(*d, x, sample_moments(x).mu4);  // mu4 from the sample (heavy lognormal tail)
    check_ks(*d, x);
}

TEST_CASE("mixture: quantile inverts the cdf to 1e-12", "[mixture]") {
    const auto d = make_distribution("mixture", bimodal());
    // Points in both modes, between them, and near 0 (the absolute floor).
    for (double x : {0.05, 2.0, 4.0, 5.0, 6.5, 9.0, 20.0, 60.0}) {
        INFO("x = " << x << ", cdf " << d->cdf(x) << ", quantile " << d->quantile(d->cdf(x)));
        CHECK(relative_error(d->quantile(d->cdf(x)), x) < 1e-11);
    }
    for (double p : {1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1 - 1e-9}) {
        INFO("p = " << p);
        CHECK(std::abs(d->cdf(d->quantile(p)) - p) < 1e-12 * std::max(p, 1e-3));
    }
    CHECK(d->quantile(0) == -std::numeric_limits<double>::infinity());  // the normal's
    CHECK(d->quantile(1) == std::numeric_limits<double>::infinity());

    // Symmetric around 0: the median is 0, found by the absolute floor.
    const auto symmetric = make_distribution(
        "mixture", mixture({component("normal", scalars({{"mean", -3}, {"sd", 1}})),
                            component("normal", scalars({{"mean", 3}, {"sd", 1}}))},
                           {1, 1}));
    CHECK(std::abs(symmetric->quantile(0.5)) < 1e-11);
}

TEST_CASE("mixture with an atom: the quantile lands on it exactly, draws hit it at its weight",
          "[mixture]") {
    // 40 % exactly 2, 60 % standard normal: F jumps at 2 from 0.6 Phi(2) to 0.6 Phi(2) + 0.4.
    const auto d = make_distribution(
        "mixture", mixture({component("constant", scalars({{"value", 2}})),
                            component("normal", scalars({{"mean", 0}, {"sd", 1}}))},
                           {0.4, 0.6}));
    const double below = 0.6 * boost::math::cdf(boost::math::normal_distribution<>(), 2.0);
    CHECK(d->quantile(below + 0.2) == 2);
    CHECK(d->quantile(below + 0.3999) == 2);
    CHECK(d->quantile(below - 0.01) < 2);
    CHECK(d->quantile(below + 0.4001) > 2);
    CHECK(relative_error(d->cdf(2), below + 0.4) < 1e-15);

    // Binomial SE of the fraction at 2: sqrt(p (1 - p) / n).
    const std::vector<double> x = draw(*d, 302);
    const double n = static_cast<double>(x.size());
    const double fraction = static_cast<double>(std::count(x.begin(), x.end(), 2.0)) / n;
    CHECK(std::abs(fraction - 0.4) < 5 * std::sqrt(0.4 * 0.6 / n));
}

TEST_CASE("mixture of discrete components is discrete; weight 0 components are never drawn",
          "[mixture]") {
    const auto d = make_distribution(
        "mixture", mixture({component("bernoulli", scalars({{"p", 0.5}})),
                            component("normal", scalars({{"mean", 100}, {"sd", 1}})),
                            component("constant", scalars({{"value", 3}}))},
                           {1, 0, 1}));
    CHECK(d->is_discrete());
    // 0 and 1 with 1/4 each, 3 with 1/2: chi-square on the counts.
    const std::vector<double> x = draw(*d, 303);
    check_categories(x, {0, 1, 3}, {0.25, 0.25, 0.5});
    CHECK(d->quantile(0.5) == 1);
    CHECK(d->quantile(0.5000001) == 3);
    CHECK(d->mean() == 0.5 * 0.5 + 0.5 * 3);
}

TEST_CASE("mixture moments: undefined or infinite when a component's are", "[mixture]") {
    const auto cauchy = make_distribution(
        "mixture", mixture({component("student_t", scalars({{"df", 1}})),
                            component("normal", scalars({{"mean", 0}, {"sd", 1}}))},
                           {1, 1}));
    CHECK(std::isnan(cauchy->mean()));
    CHECK(std::isnan(cauchy->variance()));
    const auto heavy = make_distribution(
        "mixture", mixture({component("student_t", scalars({{"df", 1.5}})),
                            component("normal", scalars({{"mean", 0}, {"sd", 1}}))},
                           {1, 1}));
    CHECK(heavy->mean() == 0);
    CHECK(std::isinf(heavy->variance()));
    // ...unless the component has weight 0.
    const auto ignored = make_distribution(
        "mixture", mixture({component("student_t", scalars({{"df", 1}})),
                            component("normal", scalars({{"mean", 2}, {"sd", 1}}))},
                           {0, 1}));
    CHECK(ignored->mean() == 2);
    CHECK(ignored->variance() == 1);
}

TEST_CASE("mixture components carry their own clip and truncate, and may nest", "[mixture]") {
    ParamSet inner = mixture({component("uniform", scalars({{"min", 0}, {"max", 1}})),
                              component("uniform", scalars({{"min", 1}, {"max", 3}}))},
                             {1, 1});
    inner.strings["dist"] = "mixture";
    const auto d = make_distribution(
        "mixture", mixture({inner, component("normal", with_list(scalars({{"mean", 0}, {"sd", 1}}),
                                                                 "truncate", {-1, 0}))},
                           {1, 1}));
    // Uniform on [0,1] and [1,3] (1/4 each), a truncated normal on [-1, 0] (1/2).
    CHECK(relative_error(d->cdf(1), 0.5 + 0.25) < 1e-15);
    CHECK(d->cdf(0) == 0.5);
    const std::vector<double> x = draw(*d, 304, 100'000);
    CHECK(*std::min_element(x.begin(), x.end()) >= -1);
    CHECK(*std::max_element(x.begin(), x.end()) <= 3);
    CHECK(d->describe() ==
          "mixture(0.5: mixture(0.5: uniform(min=0, max=1); 0.5: uniform(min=1, max=3)); "
          "0.5: normal(mean=0, sd=1), truncate=[-1, 0])");
}

TEST_CASE("mixture: equal weights when none are given", "[mixture]") {
    ParamSet p;
    p.components = {component("constant", scalars({{"value", 1}})),
                    component("constant", scalars({{"value", 2}}))};
    const auto d = make_distribution("mixture", p);
    CHECK(d->mean() == 1.5);
}

TEST_CASE("mixture errors name the component and its field", "[mixture]") {
    check_refused(mixture({component("normal", scalars({{"mean", 0}, {"sd", 1}})),
                           component("lognormal", scalars({{"median", 2}, {"p95", 1}}))},
                          {1, 1}),
                  "components[1].p95",
                  {"component 2 (lognormal): p95 (1) must be above median (2)"});
    check_refused(mixture({component("normal", scalars({{"mean", 0}}))}, {1}), "components[0].sd",
                  {"component 1 (normal): missing parameter sd"});
    check_refused(mixture({scalars({{"mean", 0}, {"sd", 1}})}, {1}), "components[0].dist",
                  {"component 1: missing dist", "lognormal"});
    check_refused(mixture({component("gauss", scalars({{"mean", 0}}))}, {1}), "components[0].kind",
                  {"component 1 (gauss): unknown distribution kind \"gauss\"", "weibull"});
    check_refused(mixture({component("normal", scalars({{"mean", 0}, {"sd", 1}, {"p5", 1}}))}, {1}),
                  "components[0]", {"component 1 (normal): normal parameters", "mix"});
    // Nested: both levels named.
    ParamSet inner = mixture({component("normal", scalars({{"mean", 0}, {"sd", -1}}))}, {1});
    inner.strings["dist"] = "mixture";
    check_refused(mixture({component("constant", scalars({{"value", 1}})), inner}, {1, 1}),
                  "components[1].components[0].sd",
                  {"component 2 (mixture): component 1 (normal): sd (-1) must be positive"});
}

TEST_CASE("mixture weights and components are checked", "[mixture]") {
    const std::vector<ParamSet> two = {component("normal", scalars({{"mean", 0}, {"sd", 1}})),
                                       component("normal", scalars({{"mean", 1}, {"sd", 1}}))};
    check_refused(mixture(two, {1}), "weights",
                  {"weights ([1]) must have 2 entries, one per component, not 1"});
    check_refused(mixture(two, {1, -0.5}), "weights", {"weights[1] (-0.5) must not be negative"});
    check_refused(mixture(two, {0, 0}), "weights", {"weights ([0, 0]) must have a positive sum"});
    check_refused(mixture(two, {1, std::nan("")}), "weights", {"weights[1] (nan)", "finite"});
    check_refused(mixture({}, {}), "components", {"at least one component"});
    // Components on a kind that has none.
    ParamSet normal = scalars({{"mean", 0}, {"sd", 1}});
    normal.components = two;
    try {
        (void)make_distribution("normal", normal);
        FAIL("no ParameterError thrown");
    } catch (const ParameterError& e) {
        CHECK(e.field() == "components");
        CHECK(std::string(e.what()).find("only a mixture has components") != std::string::npos);
    }
}

TEST_CASE("mixture quantile: components with almost equal quantiles never break the bracket",
          "[mixture]") {
    // Means one ulp apart: [min Q_i(p), max Q_i(p)] is an ulp or two wide and
    // F at its top can round below p; the search must still answer, in order.
    const auto d = make_distribution(
        "mixture",
        mixture({component("normal", scalars({{"mean", 1}, {"sd", 1}})),
                 component("normal", scalars({{"mean", std::nextafter(1.0, 2.0)}, {"sd", 1}}))},
                {1, 1}));
    double previous = -std::numeric_limits<double>::infinity();
    for (int i = 1; i < 2000; ++i) {
        const double q = d->quantile(i / 2000.0);
        REQUIRE(std::isfinite(q));
        CHECK(q >= previous);
        previous = q;
    }
}
