// Every impossible, missing or unknown parameter is refused with a
// ParameterError whose field() names the parameter and whose what() names it
// and its value.
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "distributions/bernoulli.hpp"
#include "distributions/beta.hpp"
#include "distributions/discrete.hpp"
#include "distributions/empirical.hpp"
#include "distributions/exponential.hpp"
#include "distributions/factory.hpp"
#include "distributions/gamma.hpp"
#include "distributions/loguniform.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/mixture.hpp"
#include "distributions/normal.hpp"
#include "distributions/pert.hpp"
#include "distributions/student_t.hpp"
#include "distributions/triangular.hpp"
#include "distributions/truncated.hpp"
#include "distributions/uniform.hpp"
#include "distributions/weibull.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();

struct Case {
    std::string kind;
    ParamSet params;
    std::string field;                   // expected field()
    std::vector<std::string> fragments;  // each must appear in what()
};

void check_refused(const Case& c) {
    INFO("kind " << c.kind << ", expecting field '" << c.field << "'");
    try {
        (void)make_distribution(c.kind, c.params);
        FAIL("no ParameterError thrown");
    } catch (const ParameterError& e) {
        INFO("what(): " << e.what());
        CHECK(e.field() == c.field);
        for (const std::string& fragment : c.fragments) {
            INFO("fragment: " << fragment);
            CHECK(std::string(e.what()).find(fragment) != std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("impossible values name the parameter and its value", "[parameters]") {
    const std::vector<Case> cases = {
        {"constant", scalars({{"value", not_a_number}}), "value", {"value (nan)", "finite"}},
        {"uniform", scalars({{"min", 2}, {"max", 1}}), "max", {"max (1) must be above min (2)"}},
        {"uniform", scalars({{"min", 1}, {"max", 1}}), "max", {"max (1) must be above min (1)"}},
        {"uniform", scalars({{"min", -infinity}, {"max", 1}}), "min", {"min (-inf)", "finite"}},
        {"uniform",
         scalars({{"min", -1e308}, {"max", 1e308}}),
         "max",
         {"-1e+308", "1e+308", "too wide"}},
        {"normal", scalars({{"mean", 0}, {"sd", 0}}), "sd", {"sd (0) must be positive"}},
        {"normal", scalars({{"mean", 0}, {"sd", -1.5}}), "sd", {"sd (-1.5) must be positive"}},
        {"normal", scalars({{"mean", 0}, {"sd", infinity}}), "sd", {"sd (inf)", "finite"}},
        {"normal", scalars({{"mean", not_a_number}, {"sd", 1}}), "mean", {"mean (nan)", "finite"}},
        {"normal", scalars({{"p5", 3}, {"p95", 1}}), "p95", {"p95 (1) must be above p5 (3)"}},
        {"lognormal",
         scalars({{"p5", 0.3}, {"p95", 0.2}}),
         "p95",
         {"p95 (0.2) must be above p5 (0.3)"}},
        {"lognormal",
         scalars({{"median", 0}, {"p95", 1}}),
         "median",
         {"median (0) must be positive"}},
        {"lognormal", scalars({{"median", 1}, {"p95", -2}}), "p95", {"p95 (-2) must be positive"}},
        {"lognormal",
         scalars({{"median", 2}, {"p95", 1.5}}),
         "p95",
         {"p95 (1.5) must be above median (2)"}},
        {"lognormal", scalars({{"p5", -1}, {"p95", 2}}), "p5", {"p5 (-1) must be positive"}},
        {"lognormal",
         scalars({{"median", 2}, {"p5", 3}, {"p95", 4}}),
         "median",
         {"median (2) must be above p5 (3)"}},
        {"lognormal",
         scalars({{"median", 2}, {"p5", 1}, {"p95", 1.5}}),
         "p95",
         {"p95 (1.5) must be above median (2)"}},
        {"lognormal",
         scalars({{"median", 2}, {"p5", 0}, {"p95", 3}}),
         "p5",
         {"p5 (0) must be positive"}},
        {"lognormal", scalars({{"mu", 0}, {"sigma", 0}}), "sigma", {"sigma (0) must be positive"}},
        {"lognormal", scalars({{"median", 1}, {"p95", infinity}}), "p95", {"p95 (inf)", "finite"}},
        {"triangular",
         scalars({{"min", 1}, {"mode", 6}, {"max", 5}}),
         "mode",
         {"mode (6) must be between min (1) and max (5)"}},
        {"triangular",
         scalars({{"min", 1}, {"mode", 0.5}, {"max", 5}}),
         "mode",
         {"mode (0.5) must be between min (1) and max (5)"}},
        {"triangular",
         scalars({{"min", 1}, {"mode", 1}, {"max", 1}}),
         "max",
         {"max (1) must be above min (1)"}},
        {"triangular",
         scalars({{"min", 1}, {"mode", 2}, {"max", not_a_number}}),
         "max",
         {"max (nan)", "finite"}},
    };
    for (const Case& c : cases) check_refused(c);
}

TEST_CASE("impossible values of the newer kinds name the parameter and its value", "[parameters]") {
    const ParamSet observations = with_list(ParamSet{}, "observations", {1, 2, 3});
    const std::vector<Case> cases = {
        {"loguniform", scalars({{"min", 0}, {"max", 1}}), "min", {"min (0) must be positive"}},
        {"loguniform", scalars({{"min", -1}, {"max", 1}}), "min", {"min (-1) must be positive"}},
        {"loguniform", scalars({{"min", 5}, {"max", 2}}), "max", {"max (2) must be above min (5)"}},
        {"loguniform", scalars({{"min", 1}, {"max", infinity}}), "max", {"max (inf)", "finite"}},
        {"pert",
         scalars({{"min", 0}, {"mode", 3}, {"max", 2}}),
         "mode",
         {"mode (3) must be between min (0) and max (2)"}},
        {"pert",
         scalars({{"min", 0}, {"mode", 1}, {"max", 2}, {"lambda", 0}}),
         "lambda",
         {"lambda (0) must be positive"}},
        {"pert",
         scalars({{"min", 0}, {"mode", 1}, {"max", 2}, {"lambda", -4}}),
         "lambda",
         {"lambda (-4) must be positive"}},
        {"pert",
         scalars({{"min", 1}, {"mode", 1}, {"max", 1}}),
         "max",
         {"max (1) must be above min (1)"}},
        {"pert",
         scalars({{"min", not_a_number}, {"mode", 1}, {"max", 2}}),
         "min",
         {"min (nan)", "finite"}},
        {"beta", scalars({{"alpha", 0}, {"beta", 1}}), "alpha", {"alpha (0) must be positive"}},
        {"beta", scalars({{"alpha", 1}, {"beta", -2}}), "beta", {"beta (-2) must be positive"}},
        {"beta", scalars({{"alpha", infinity}, {"beta", 1}}), "alpha", {"alpha (inf)", "finite"}},
        {"beta",
         scalars({{"alpha", 1}, {"beta", 1}, {"min", 3}, {"max", 2}}),
         "max",
         {"max (2) must be above min (3)"}},
        {"beta",
         scalars({{"alpha", 1}, {"beta", 1}, {"max", -1}}),
         "max",
         {"max (-1) must be above min (0)"}},
        {"gamma", scalars({{"shape", 0}, {"scale", 1}}), "shape", {"shape (0) must be positive"}},
        {"gamma", scalars({{"shape", 1}, {"scale", -1}}), "scale", {"scale (-1) must be positive"}},
        {"gamma", scalars({{"shape", 1}, {"rate", 0}}), "rate", {"rate (0) must be positive"}},
        {"gamma",
         scalars({{"shape", 1}, {"rate", 1e-320}}),
         "rate",
         {"rate (1e-320) is too small"}},
        {"weibull",
         scalars({{"shape", -1}, {"scale", 1}}),
         "shape",
         {"shape (-1) must be positive"}},
        {"weibull",
         scalars({{"shape", 1}, {"scale", not_a_number}}),
         "scale",
         {"scale (nan)", "finite"}},
        {"student_t", scalars({{"df", 0}}), "df", {"df (0) must be positive"}},
        {"student_t", scalars({{"df", infinity}}), "df", {"df (inf)", "finite"}},
        {"student_t", scalars({{"df", 3}, {"scale", 0}}), "scale", {"scale (0) must be positive"}},
        {"student_t", scalars({{"df", 3}, {"loc", -infinity}}), "loc", {"loc (-inf)", "finite"}},
        {"exponential", scalars({{"rate", 0}}), "rate", {"rate (0) must be positive"}},
        {"exponential", scalars({{"mean", -2}}), "mean", {"mean (-2) must be positive"}},
        {"bernoulli", scalars({{"p", 1.5}}), "p", {"p (1.5) must be a probability in [0, 1]"}},
        {"bernoulli", scalars({{"p", -0.1}}), "p", {"p (-0.1) must be a probability"}},
        {"bernoulli", scalars({{"p", not_a_number}}), "p", {"p (nan)", "finite"}},
        {"discrete", with_list(ParamSet{}, "values", {}), "values", {"at least one number"}},
        {"discrete",
         with_list(ParamSet{}, "values", {1, not_a_number}),
         "values",
         {"values[1] (nan) must be a finite number"}},
        {"discrete",
         with_list(with_list(ParamSet{}, "values", {1, 2, 3}), "weights", {1, 2}),
         "weights",
         {"weights ([1, 2]) must have 3 entries, one per value, not 2"}},
        {"discrete",
         with_list(with_list(ParamSet{}, "values", {1, 2}), "weights", {}),
         "weights",
         {"weights ([]) must have 2 entries"}},
        {"discrete",
         with_list(with_list(ParamSet{}, "values", {1, 2}), "weights", {1, -1}),
         "weights",
         {"weights[1] (-1) must not be negative"}},
        {"discrete",
         with_list(with_list(ParamSet{}, "values", {1, 2}), "weights", {0, 0}),
         "weights",
         {"weights ([0, 0]) must have a positive sum"}},
        {"discrete",
         with_list(with_list(ParamSet{}, "values", {1, 2}), "weights", {1, infinity}),
         "weights",
         {"weights[1] (inf) must be a finite number"}},
        {"empirical",
         with_list(ParamSet{}, "observations", {3}),
         "observations",
         {"observations ([3]) must list at least 2 numbers"}},
        {"empirical",
         with_list(ParamSet{}, "observations", {1, -infinity}),
         "observations",
         {"observations[1] (-inf) must be a finite number"}},
        {"empirical",
         with_string(observations, "method", "smooth"),
         "method",
         {"method (\"smooth\") must be \"resample\" or \"kernel\""}},
        {"empirical",
         with_list(scalars({{"bandwidth", 0.5}}), "observations", {1, 2}),
         "bandwidth",
         {"bandwidth (0.5) applies only to method = \"kernel\""}},
        {"empirical",
         with_string(with_list(scalars({{"bandwidth", 0}}), "observations", {1, 2}), "method",
                     "kernel"),
         "bandwidth",
         {"bandwidth (0) must be positive"}},
        {"empirical",
         with_string(with_list(ParamSet{}, "observations", {2, 2, 2}), "method", "kernel"),
         "observations",
         {"observations are all equal (2)", "give a bandwidth"}},
        {"lognormal", scalars({{"q10", 3}, {"q90", 2}}), "q90", {"q90 (2) must be above q10 (3)"}},
        {"lognormal", scalars({{"q90", 2}, {"q10", 3}}), "q90", {"q90 (2) must be above q10 (3)"}},
        {"lognormal", scalars({{"q10", -1}, {"q90", 3}}), "q10", {"q10 (-1) must be positive"}},
        {"lognormal",
         scalars({{"median", 4}, {"q25", 5}}),
         "median",
         {"median (4) must be above q25 (5)"}},
        {"lognormal", scalars({{"q10", 1}, {"q90", infinity}}), "q90", {"q90 (inf)", "finite"}},
        {"normal", scalars({{"q25", 1}, {"q75", 1}}), "q75", {"q75 (1) must be above q25 (1)"}},
        {"normal", scalars({{"q25", not_a_number}, {"q75", 1}}), "q25", {"q25 (nan)", "finite"}},
    };
    for (const Case& c : cases) check_refused(c);
}

TEST_CASE("clip must be a finite, increasing pair", "[parameters]") {
    const ParamSet normal = scalars({{"mean", 0}, {"sd", 1}});
    const std::vector<Case> cases = {
        {"normal",
         with_clip(normal, 1, 0),
         "clip",
         {"clip upper bound (0) must be above its lower bound (1)"}},
        {"normal", with_clip(normal, 1, 1), "clip", {"upper bound (1)", "lower bound (1)"}},
        {"normal",
         with_clip(normal, 0, not_a_number),
         "clip",
         {"clip upper bound (nan)", "finite"}},
        {"normal", with_clip(normal, -infinity, 0), "clip", {"clip lower bound (-inf)", "finite"}},
        {"normal", with_list(normal, "clip", {0}), "clip", {"clip ([0])", "two numbers"}},
        {"normal",
         with_list(normal, "clip", {0, 1, 2}),
         "clip",
         {"clip ([0, 1, 2])", "two numbers"}},
        {"normal", scalars({{"mean", 0}, {"sd", 1}, {"clip", 3}}), "clip", {"clip (3)", "list"}},
    };
    for (const Case& c : cases) check_refused(c);
}

TEST_CASE("unknown, missing and mixed parameters are named", "[parameters]") {
    const std::vector<Case> cases = {
        {"uniform",
         scalars({{"min", 0}, {"max", 1}, {"mean", 0.5}}),
         "mean",
         {"unknown parameter mean (0.5) for uniform", "accepted: min, max, clip, truncate"}},
        {"lognormal",
         scalars({{"median", 1}, {"p59", 2}}),
         "p59",
         {"unknown parameter p59 (2)",
          "accepted: mu, sigma, median, p5, p95, qNN (NN = 1..99), clip, truncate"}},
        {"normal",
         with_list(scalars({{"mean", 0}, {"sd", 1}}), "cap", {0, 1}),
         "cap",
         {"unknown parameter cap ([0, 1])"}},
        {"normal",
         with_string(scalars({{"mean", 0}, {"sd", 1}}), "shape", "wide"),
         "shape",
         {"unknown parameter shape (\"wide\")"}},
        {"normal",
         with_list(scalars({{"sd", 1}}), "mean", {0, 1}),
         "mean",
         {"mean ([0, 1]) must be a single number"}},
        {"lognormal",
         with_string(scalars({{"median", 1}}), "p95", "5 to 50"),
         "p95",
         {"p95 (\"5 to 50\") must be a number"}},
        {"uniform",
         scalars({{"min", 0}}),
         "max",
         {"missing parameter max", "uniform takes (min, max)", "got min"}},
        {"normal", scalars({{"mean", 0}}), "sd", {"missing parameter sd"}},
        {"normal", scalars({{"p95", 0}}), "p5", {"missing parameter p5"}},
        {"lognormal", scalars({{"median", 1}}), "p95", {"missing parameter p95", "got median"}},
        {"lognormal", scalars({{"sigma", 1}}), "mu", {"missing parameter mu"}},
        {"lognormal",
         ParamSet{},
         "mu",
         {"missing parameter mu", "(mu, sigma), (median, p95), (p5, p95) or (median, p5, p95)",
          "none given"}},
        {"triangular", scalars({{"min", 0}, {"max", 1}}), "mode", {"missing parameter mode"}},
        {"lognormal",
         scalars({{"mu", 0}, {"sigma", 1}, {"median", 1}}),
         "",
         {"median, mu, sigma", "mix parametrizations", "exactly one of"}},
        {"normal", scalars({{"mean", 0}, {"p95", 1}}), "", {"mean, p95", "mix parametrizations"}},
        {"gama",
         scalars({{"shape", 1}}),
         "kind",
         {"unknown distribution kind \"gama\"",
          "known kinds: bernoulli, beta, constant, discrete, empirical, exponential, gamma, "
          "lognormal, loguniform, mixture, normal, pert, student_t, triangular, uniform, "
          "weibull"}},
        // Shapes: lists where numbers belong, numbers where text or lists belong.
        {"beta",
         with_list(scalars({{"beta", 1}}), "alpha", {1, 2}),
         "alpha",
         {"alpha ([1, 2]) must be a single number, not a list"}},
        {"discrete", scalars({{"values", 3}}), "values", {"values (3) must be a list of numbers"}},
        {"empirical",
         with_string(ParamSet{}, "observations", "1 2 3"),
         "observations",
         {"observations (\"1 2 3\") must be a list of numbers, not text"}},
        {"empirical",
         with_list(scalars({{"method", 1}}), "observations", {1, 2}),
         "method",
         {"method (1) must be text"}},
        {"empirical",
         with_list(with_list(ParamSet{}, "observations", {1, 2}), "method", {1}),
         "method",
         {"method ([1]) must be text, not a list"}},
        {"gamma",
         scalars({{"shape", 2}, {"scale", 1}, {"rate", 1}}),
         "",
         {"rate, scale, shape", "mix parametrizations", "(shape, scale) or (shape, rate)"}},
        {"gamma", scalars({{"shape", 2}}), "scale", {"missing parameter scale"}},
        {"exponential",
         scalars({{"rate", 2}, {"mean", 0.5}}),
         "",
         {"mix parametrizations", "(rate) or (mean)"}},
        {"exponential", ParamSet{}, "rate", {"missing parameter rate"}},
        {"pert",
         scalars({{"min", 0}, {"max", 1}, {"lambda", 3}}),
         "mode",
         {"missing parameter mode", "with optional lambda"}},
        {"student_t", scalars({{"loc", 0}}), "df", {"missing parameter df"}},
        {"discrete", ParamSet{}, "values", {"missing parameter values"}},
        {"empirical", ParamSet{}, "observations", {"missing parameter observations"}},
        {"weibull",
         scalars({{"shape", 1}, {"scale", 1}, {"loc", 0}}),
         "loc",
         {"unknown parameter loc (0) for weibull", "accepted: shape, scale, clip, truncate"}},
        // Two quantiles: exactly two, distinct, increasing, not mixed with others.
        {"lognormal", scalars({{"q10", 3}}), "", {"exactly two of median and q1..q99", "got q10"}},
        {"lognormal",
         scalars({{"q10", 3}, {"q50", 5}, {"q90", 30}}),
         "",
         {"exactly two", "got q10, q50, q90"}},
        {"lognormal",
         scalars({{"median", 5}, {"q50", 5}}),
         "q50",
         {"q50 and median name the same quantile"}},
        {"lognormal",
         scalars({{"mu", 1}, {"q90", 30}}),
         "",
         {"mu, q90", "mix parametrizations", "or any two quantiles among median and q1..q99"}},
        {"normal", scalars({{"p5", 1}, {"q90", 3}}), "", {"mix parametrizations"}},
        {"normal", scalars({{"median", 1}}), "", {"exactly two of median and q1..q99"}},
        {"normal", scalars({{"median", 1}, {"sd", 1}}), "", {"median, sd", "mix parametrizations"}},
        {"normal",
         scalars({{"mean", 0}, {"sd", 1}, {"loc", 0}}),
         "loc",
         {"accepted: mean, sd, p5, p95, median, qNN (NN = 1..99), clip, truncate"}},
        {"lognormal", scalars({{"q0", 1}, {"q90", 3}}), "q0", {"unknown parameter q0"}},
        {"lognormal", scalars({{"q100", 1}, {"q90", 3}}), "q100", {"unknown parameter q100"}},
        {"lognormal", scalars({{"q05", 1}, {"q90", 3}}), "q05", {"unknown parameter q05"}},
        {"lognormal", scalars({{"q2.5", 1}, {"q90", 3}}), "q2.5", {"unknown parameter q2.5"}},
        {"uniform", scalars({{"q10", 1}, {"q90", 3}}), "q10", {"unknown parameter q10"}},
    };
    for (const Case& c : cases) check_refused(c);
}

TEST_CASE("constructors check their parameters too", "[parameters]") {
    CHECK_THROWS_AS(Lognormal(0, -1), ParameterError);
    CHECK_THROWS_AS(Lognormal::from_p5_p95(2, 1), ParameterError);
    CHECK_THROWS_AS(Normal(0, 0), ParameterError);
    CHECK_THROWS_AS(Normal::from_p5_p95(1, 1), ParameterError);
    CHECK_THROWS_AS(Uniform(1, 0), ParameterError);
    CHECK_THROWS_AS(Triangular(0, 2, 1), ParameterError);
    CHECK_THROWS_AS(Loguniform(0, 1), ParameterError);
    CHECK_THROWS_AS(Pert(0, 2, 1), ParameterError);
    CHECK_THROWS_AS(Beta(1, 0), ParameterError);
    CHECK_THROWS_AS(Gamma(1, 0), ParameterError);
    CHECK_THROWS_AS(Gamma::from_rate(1, -1), ParameterError);
    CHECK_THROWS_AS(Weibull(0, 1), ParameterError);
    CHECK_THROWS_AS(StudentT(-1), ParameterError);
    CHECK_THROWS_AS(Exponential(0), ParameterError);
    CHECK_THROWS_AS(Exponential::from_mean(0), ParameterError);
    CHECK_THROWS_AS(Bernoulli(2), ParameterError);
    CHECK_THROWS_AS(Discrete({}, {}), ParameterError);
    CHECK_THROWS_AS(Empirical({1}), ParameterError);
    CHECK_THROWS_AS(Mixture({}, {}), ParameterError);
    CHECK_THROWS_AS(Lognormal::from_quantiles({"q10", 0.1, 3}, {"q20", 0.1, 4}), ParameterError);
    CHECK_THROWS_AS(Normal::from_quantiles({"a", 0, 3}, {"b", 0.5, 4}), ParameterError);
    CHECK_THROWS_AS(Truncated(std::make_shared<Normal>(0, 1), 1, 0), ParameterError);
}

TEST_CASE("known_kinds lists every kind, sorted, and each builds", "[parameters]") {
    const std::vector<std::string> expected = {"bernoulli",  "beta",        "constant", "discrete",
                                               "empirical",  "exponential", "gamma",    "lognormal",
                                               "loguniform", "mixture",     "normal",   "pert",
                                               "student_t",  "triangular",  "uniform",  "weibull"};
    CHECK(known_kinds() == expected);
    CHECK(make_distribution("constant", scalars({{"value", 1}}))->kind() == "constant");
    CHECK(make_distribution("uniform", scalars({{"min", 0}, {"max", 1}}))->kind() == "uniform");
    CHECK(make_distribution("normal", scalars({{"mean", 0}, {"sd", 1}}))->kind() == "normal");
    CHECK(make_distribution("lognormal", scalars({{"mu", 0}, {"sigma", 1}}))->kind() ==
          "lognormal");
    CHECK(make_distribution("triangular", scalars({{"min", 0}, {"mode", 0}, {"max", 1}}))->kind() ==
          "triangular");
}

TEST_CASE("describe prints the resolved parameters", "[parameters]") {
    CHECK(make_distribution("constant", scalars({{"value", 0.1}}))->describe() ==
          "constant(value=0.1)");
    CHECK(make_distribution("uniform", scalars({{"min", 0}, {"max", 1}}))->describe() ==
          "uniform(min=0, max=1)");
    CHECK(make_distribution("normal", scalars({{"p5", 10}, {"p95", 30}}))->describe() ==
          "normal(mean=20, sd=6.07957)");
    // ln 0.35 = -1.04982, ln(0.55 / 0.35) / 1.64485 = 0.274787
    CHECK(make_distribution("lognormal", scalars({{"median", 0.35}, {"p95", 0.55}}))->describe() ==
          "lognormal(mu=-1.04982, sigma=0.274787)");
    CHECK(make_distribution("triangular", scalars({{"min", 1}, {"mode", 2}, {"max", 5}}))
              ->describe() == "triangular(min=1, mode=2, max=5)");
    CHECK(make_distribution("loguniform", scalars({{"min", 1}, {"max", 100}}))->describe() ==
          "loguniform(min=1, max=100)");
    CHECK(make_distribution("pert", scalars({{"min", 1}, {"mode", 2}, {"max", 5}}))->describe() ==
          "pert(min=1, mode=2, max=5, lambda=4)");
    CHECK(make_distribution("beta", scalars({{"alpha", 2}, {"beta", 5}}))->describe() ==
          "beta(alpha=2, beta=5)");
    CHECK(
        make_distribution("beta", scalars({{"alpha", 2}, {"beta", 5}, {"max", 10}}))->describe() ==
        "beta(alpha=2, beta=5, min=0, max=10)");
    CHECK(make_distribution("gamma", scalars({{"shape", 2}, {"rate", 4}}))->describe() ==
          "gamma(shape=2, scale=0.25)");
    CHECK(make_distribution("weibull", scalars({{"shape", 1.5}, {"scale", 2}}))->describe() ==
          "weibull(shape=1.5, scale=2)");
    CHECK(make_distribution("student_t", scalars({{"df", 3}}))->describe() ==
          "student_t(df=3, loc=0, scale=1)");
    CHECK(make_distribution("exponential", scalars({{"mean", 4}}))->describe() ==
          "exponential(rate=0.25)");
    CHECK(make_distribution("bernoulli", scalars({{"p", 0.25}}))->describe() ==
          "bernoulli(p=0.25)");
    CHECK(make_distribution("discrete", with_list(ParamSet{}, "values", {3, 1}))->describe() ==
          "discrete(values=[1, 3], p=[0.5, 0.5])");
    CHECK(make_distribution("empirical", with_list(ParamSet{}, "observations", {3, 1, 2}))
              ->describe() == "empirical(n=3, method=resample)");
    CHECK(make_distribution("empirical", with_string(with_list(scalars({{"bandwidth", 0.5}}),
                                                               "observations", {3, 1, 2}),
                                                     "method", "kernel"))
              ->describe() == "empirical(n=3, method=kernel, bandwidth=0.5)");
    // q10 = 3, q90 = 30: mu = ln sqrt(90) = 2.24990, sigma = ln 10 / (2 * 1.2815516) = 0.898358
    CHECK(make_distribution("lognormal", scalars({{"q10", 3}, {"q90", 30}}))->describe() ==
          "lognormal(mu=2.2499, sigma=0.898358)");
    CHECK(make_distribution("normal",
                            with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2}))
              ->describe() == "normal(mean=0, sd=1), truncate=[-1, 2]");
}
