#include <catch2/catch.hpp>

#include <string>

#include "engine/formula/parser.hpp"

using flopcast::formula::FormulaError;
using flopcast::formula::parse;
using flopcast::formula::to_string;

namespace {
std::string p(const std::string& text) { return to_string(*parse(text)); }

int error_column(const std::string& text) {
    try {
        (void)parse(text);
    } catch (const FormulaError& e) {
        return e.column();
    }
    return -1;
}
}  // namespace

TEST_CASE("precedence: * and / bind tighter than + and -, left to right", "[parser]") {
    CHECK(p("1 + 2 * 3") == "(1 + (2 * 3))");
    CHECK(p("1 - 2 - 3") == "((1 - 2) - 3)");
    CHECK(p("8 / 4 / 2") == "((8 / 4) / 2)");
    CHECK(p("(1 + 2) * 3") == "((1 + 2) * 3)");
}

TEST_CASE("power is right-associative and binds tighter than unary minus", "[parser]") {
    CHECK(p("2 ^ 3 ^ 2") == "(2 ^ (3 ^ 2))");
    CHECK(p("-2 ^ 2") == "(-(2 ^ 2))");
    CHECK(p("2 ^ -1") == "(2 ^ (-1))");
    CHECK(p("a * b ^ c") == "(a * (b ^ c))");
}

TEST_CASE("numbers with exponents and calls with several arguments", "[parser]") {
    CHECK(parse("312e12")->number == 312e12);
    CHECK(parse("1.5E-3")->number == 1.5e-3);
    CHECK(parse(".5")->number == 0.5);
    CHECK(p("max(a, b, 1)") == "max(a, b, 1)");
    CHECK(p("cagr(x, 2023, 2027)") == "cagr(x, 2023, 2027)");
    CHECK(p("  - x ") == "(-x)");
}

TEST_CASE("errors carry the column of the offending character", "[parser]") {
    CHECK(error_column("") == 1);
    CHECK(error_column("1 +") == 4);          // value expected at the end
    CHECK(error_column("(a + b") == 7);       // missing ')'
    CHECK(error_column("a + b)") == 6);       // unbalanced ')'
    CHECK(error_column("a $ b") == 3);
    CHECK(error_column("2e") == 3);           // exponent without digits
    CHECK(error_column("3x") == 2);           // number runs into a name
    CHECK(error_column("f(a,") == 5);
    CHECK(error_column("1e999") == 1);        // out of range
    CHECK(error_column("f()") == 3);
}

TEST_CASE("10,000 nested parentheses give an error, not a stack overflow", "[parser]") {
    const std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
    REQUIRE_THROWS_AS(parse(deep), FormulaError);
    try {
        (void)parse(deep);
    } catch (const FormulaError& e) {
        CHECK(std::string(e.what()).find("nesting deeper than") != std::string::npos);
    }
    const std::string minus = std::string(10000, '-') + "1";
    REQUIRE_THROWS_AS(parse(minus), FormulaError);
    // Nesting within the limit parses.
    CHECK(parse(std::string(50, '(') + "1" + std::string(50, ')'))->number == 1.0);
}
