// The shorthand: "5 to 50" (a 90 % interval), "3" (a constant), and nothing
// else. That "5 to 50" gives back its percentiles at 1e6 draws is tested in
// test_quantiles.cpp.
#include <string>

#include <catch2/catch.hpp>

#include "distributions/lognormal.hpp"
#include "distributions/normal.hpp"
#include "distributions/shorthand.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

TEST_CASE("shorthand: positive bounds give the lognormal through p5 and p95", "[shorthand]") {
    for (const char* text : {"5 to 50", "  5   to\t50 ", "5.0 to 5e1", "+5 to 50"}) {
        INFO(text);
        const auto d = from_shorthand(text);
        CHECK(d->kind() == "lognormal");
        CHECK(relative_error(d->quantile(0.05), 5) < 1e-12);
        CHECK(relative_error(d->quantile(0.95), 50) < 1e-12);
    }
    CHECK(from_shorthand("1.2 to 2.0")->describe() == Lognormal::from_p5_p95(1.2, 2.0).describe());
}

TEST_CASE("shorthand: a bound at or below 0 gives the normal through p5 and p95", "[shorthand]") {
    for (const char* text : {"-1 to 1", "0 to 10", "-20 to -2"}) {
        INFO(text);
        const auto d = from_shorthand(text);
        CHECK(d->kind() == "normal");
    }
    const auto d = from_shorthand("-1 to 1");
    CHECK(d->mean() == 0);
    CHECK(relative_error(d->quantile(0.95), 1) < 1e-12);
    CHECK(from_shorthand("0 to 10")->describe() == Normal::from_p5_p95(0, 10).describe());
}

TEST_CASE("shorthand: a plain number is a constant", "[shorthand]") {
    CHECK(from_shorthand("3")->describe() == "constant(value=3)");
    CHECK(from_shorthand(" -2.5e3 ")->describe() == "constant(value=-2500)");
    CHECK(from_shorthand("0")->variance() == 0);
}

TEST_CASE("shorthand: anything else is refused, quoting the text", "[shorthand]") {
    struct Case {
        const char* text;
        std::vector<std::string> fragments;
    };
    const std::vector<Case> cases = {
        {"50 to 5", {"\"50 to 5\"", "the lower bound (50) must be below the upper bound (5)"}},
        {"5 to 5", {"the lower bound (5) must be below the upper bound (5)"}},
        {"", {"\"\" is empty", "write a number"}},
        {"   ", {"is empty"}},
        {"abc", {"\"abc\" is not a number or a range"}},
        {"5 - 50", {"\"5 - 50\" is not a number or a range", "\"5 to 50\""}},
        {"5 to", {"is not a number or a range"}},
        {"to 50", {"is not a number or a range"}},
        {"5 to 50 to 500", {"is not a number or a range"}},
        {"5 TO 50", {"is not a number or a range"}},
        {"5 to x", {"ends with \"x\", not a number"}},
        {"five to 50", {"starts with \"five\", not a number"}},
        {"1,000 to 2,000", {"starts with \"1,000\""}},
        {"5to50", {"is not a number or a range"}},
        {"inf to 5", {"not a finite number"}},
        {"nan", {"\"nan\" is not a finite number"}},
        {"1e400", {"is not a number"}},  // out of range for a double
        {"++5", {"is not a number"}},
        {"5 to 50%", {"ends with \"50%\""}},
    };
    for (const Case& c : cases) {
        INFO("text: \"" << c.text << "\"");
        try {
            (void)from_shorthand(c.text);
            FAIL("no ParameterError thrown");
        } catch (const ParameterError& e) {
            INFO("what(): " << e.what());
            CHECK(e.field().empty());
            for (const std::string& fragment : c.fragments) {
                INFO("fragment: " << fragment);
                CHECK(std::string(e.what()).find(fragment) != std::string::npos);
            }
        }
    }
}
