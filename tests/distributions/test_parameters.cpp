// Every impossible, missing or unknown parameter is refused with a
// ParameterError whose field() names the parameter and whose what() names it
// and its value.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/normal.hpp"
#include "distributions/triangular.hpp"
#include "distributions/uniform.hpp"
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

ParamSet with_list(ParamSet p, const std::string& key, std::vector<double> values) {
    p.lists[key] = std::move(values);
    return p;
}

ParamSet with_string(ParamSet p, const std::string& key, const std::string& text) {
    p.strings[key] = text;
    return p;
}

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
         {"unknown parameter mean (0.5) for uniform", "accepted: min, max, clip"}},
        {"lognormal",
         scalars({{"median", 1}, {"p59", 2}}),
         "p59",
         {"unknown parameter p59 (2)", "accepted: mu, sigma, median, p5, p95, clip"}},
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
        {"gamma",
         scalars({{"shape", 1}}),
         "kind",
         {"unknown distribution kind \"gamma\"",
          "constant, lognormal, normal, triangular, uniform"}},
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
}

TEST_CASE("known_kinds lists every kind, sorted, and each builds", "[parameters]") {
    const std::vector<std::string> expected = {"constant", "lognormal", "normal", "triangular",
                                               "uniform"};
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
}
