// Comparisons, logic, if, clamp, logistic and scurve: their precedence,
// their values at special points (NaN, ±inf, ties at the boundary), that
// constant folding gives the bits evaluation gives, and their messages.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/formula/builtins.hpp"
#include "engine/formula/parser.hpp"
#include "engine/formula/program.hpp"

using namespace flopcast::formula;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string p(const std::string& text) { return to_string(*parse(text)); }

std::string parse_error(const std::string& text, int* column = nullptr) {
    try {
        (void)parse(text);
    } catch (const FormulaError& e) {
        if (column) *column = e.column();
        return e.what();
    }
    return "";
}

std::string compile_error(const std::string& formula) {
    try {
        (void)Program::compile(ModelSpec{{2023, 2024}, {{"x", Shape::Scalar}, {"xs", Shape::Scalar}}, {{"f", formula}}, std::nullopt});
    } catch (const CompileError& e) {
        return e.what();
    }
    return "";
}

// `formula` over inputs x, y, z: one sample per row of `rows`.
std::vector<double> eval(const std::string& formula, const std::vector<std::vector<double>>& rows,
                         flopcast::simd::Level level = flopcast::simd::Level::Sse2) {
    const auto prog = Program::compile(ModelSpec{
        {2023}, {{"x", Shape::Scalar}, {"y", Shape::Scalar}, {"z", Shape::Scalar}}, {{"f", formula}}, std::nullopt});
    Workspace ws(prog, rows.size());
    for (int q = 0; q < 3; ++q)
        for (std::size_t i = 0; i < rows.size(); ++i) ws.values(q, 0)[i] = rows[i][static_cast<std::size_t>(q)];
    prog.evaluate(ws, level);
    const auto v = ws.values(prog.index_of("f"), 0);
    return {v.begin(), v.end()};
}

double eval1(const std::string& formula, double x, double y = 0.0, double z = 0.0) {
    return eval(formula, {{x, y, z}})[0];
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

TEST_CASE("precedence: or < and < not < comparisons < + - < * / < unary minus < ^ < selection", "[parser][builtins]") {
    CHECK(p("a or b and c") == "(a or (b and c))");
    CHECK(p("not a and b") == "((not a) and b)");
    CHECK(p("not a < b") == "(not (a < b))");
    CHECK(p("a + 1 < b * 2") == "((a + 1) < (b * 2))");
}

TEST_CASE("precedence: the rest", "[parser][builtins]") {
    CHECK(p("-x[chip=H100] ^ 2") == "(-(x[chip=H100] ^ 2))");
    CHECK(p("x[region=us, chip=A100]") == "x[region=us, chip=A100]");
    CHECK(p("(a < b) and (b <= c) or not (c != d)") == "(((a < b) and (b <= c)) or (not (c != d)))");
    CHECK(p("if(a >= 1, b, c)") == "if((a >= 1), b, c)");
    CHECK(p("order + notes + andy") == "((order + notes) + andy)");  // keywords only as whole words
    CHECK(p("not not a") == "(not (not a))");
}

TEST_CASE("parse errors of the new operators say what to write", "[parser][builtins]") {
    int col = 0;
    CHECK(parse_error("a < b < c", &col) == "comparisons do not chain: write (a < b) and (b < c)");
    CHECK(col == 7);
    CHECK(parse_error("a = b", &col) == "'=' is not an operator: write == to compare");
    CHECK(col == 3);
    CHECK(parse_error("!a") == "'!' is not an operator: write not x, or != to compare");
    // Operators of other languages say what to write instead.
    CHECK(parse_error("a ** 2", &col) == "'**' is not an operator: write x ^ 2 for a power");
    CHECK(col == 3);
    CHECK(parse_error("a <> b") == "'<>' is not an operator: write != to compare");
    CHECK(parse_error("a => b") == "'=>' is not an operator: write >= to compare");
    CHECK(parse_error("a || b") == "'||' is not an operator: write a or b");
    CHECK(parse_error("(a && b)") == "'&&' is not an operator: write a and b");
    CHECK(parse_error("a ? 1 : 2") == "'?' is not an operator: write if(condition, value if true, value if false)");
    CHECK(parse_error("if a then b") == "if is a function here: write if(condition, value if true, value if false)");
    CHECK(parse_error("a and") == "the formula ends where a value is expected");
    CHECK(parse_error("and a") == "'and' is an operator, but a value is expected here");
    CHECK(parse_error("x[chip]") == "expected '=' after 'chip': a selection is written x[chip=ELEMENT]");
    CHECK(parse_error("x[chip=H100") == "missing ']' to close the selection at column 2");
    CHECK(parse_error("x[chip=A, chip=B]") == "the dimension 'chip' is selected twice");
    CHECK(parse_error("x[=A]") == "expected a dimension name here");
    std::string deep;
    for (int i = 0; i < 300; ++i) deep += "not ";
    CHECK(parse_error(deep + "1").find("nesting deeper than") == 0);
}

TEST_CASE("comparisons and logic: 1 or 0, ties at the boundary, NaN in gives NaN", "[builtins]") {
    // Ties: equal operands, and -0 == +0.
    CHECK(eval1("x < y", 1, 1) == 0.0);
    CHECK(eval1("x <= y", 1, 1) == 1.0);
    CHECK(eval1("x > y", 1, 1) == 0.0);
    CHECK(eval1("x >= y", 1, 1) == 1.0);
    CHECK(eval1("x == y", 0.0, -0.0) == 1.0);
    CHECK(eval1("x != y", 0.0, -0.0) == 0.0);
    CHECK(eval1("x < y", -kInf, kInf) == 1.0);
    CHECK(eval1("x == y", kInf, kInf) == 1.0);
    CHECK(eval1("x >= y", kInf, 1e308) == 1.0);
    for (const char* op : {"<", "<=", ">", ">=", "==", "!=", "and", "or"}) {
        INFO(op);
        CHECK(std::isnan(eval1(std::string("x ") + op + " y", kNaN, 1)));
        CHECK(std::isnan(eval1(std::string("x ") + op + " y", 1, kNaN)));
    }
    CHECK(eval1("x and y", 2, -0.5) == 1.0);
    CHECK(eval1("x and y", 2, -0.0) == 0.0);
    CHECK(eval1("x or y", 0, 0) == 0.0);
    CHECK(eval1("x or y", 0, -kInf) == 1.0);
    CHECK(eval1("not x", 0) == 1.0);
    CHECK(eval1("not x", -0.0) == 1.0);
    CHECK(eval1("not x", 3) == 0.0);
    CHECK(eval1("not x", kInf) == 0.0);
    CHECK(std::isnan(eval1("not x", kNaN)));
}

TEST_CASE("if: elementwise, both branches evaluated, a NaN condition gives NaN", "[builtins]") {
    const auto v = eval("if(x, y, z)", {{1, 10, 20}, {0, 10, 20}, {-0.0, 10, 20}, {kNaN, 10, 20}, {kInf, 10, 20},
                                        {-1e-310, 10, 20}, {1, kNaN, 20}, {0, kNaN, 20}});
    CHECK(v[0] == 10);
    CHECK(v[1] == 20);
    CHECK(v[2] == 20);  // -0 is false
    CHECK(std::isnan(v[3]));
    CHECK(v[4] == 10);
    CHECK(v[5] == 10);  // a sub-normal is non-zero: true
    CHECK(std::isnan(v[6]));
    CHECK(v[7] == 20);  // the branch not taken may be NaN
    // A rule that starts in a year: 0 before 2025, then the growth.
    CHECK(eval1("if(x >= 2025, y, 0)", 2024, 7) == 0.0);
    CHECK(eval1("if(x >= 2025, y, 0)", 2025, 7) == 7.0);
}

TEST_CASE("clamp: between the bounds, bounds inclusive, NaN anywhere gives NaN", "[builtins]") {
    CHECK(eval1("clamp(x, y, z)", 5, 0, 10) == 5);
    CHECK(eval1("clamp(x, y, z)", -5, 0, 10) == 0);
    CHECK(eval1("clamp(x, y, z)", 15, 0, 10) == 10);
    CHECK(eval1("clamp(x, y, z)", 10, 0, 10) == 10);  // ties: the bound itself
    CHECK(eval1("clamp(x, y, z)", 0, 0, 10) == 0);
    CHECK(eval1("clamp(x, y, z)", kInf, 0, 10) == 10);
    CHECK(eval1("clamp(x, y, z)", -kInf, 0, 10) == 0);
    CHECK(eval1("clamp(x, y, z)", 5, -kInf, kInf) == 5);
    CHECK(std::isnan(eval1("clamp(x, y, z)", kNaN, 0, 10)));
    CHECK(std::isnan(eval1("clamp(x, y, z)", 5, kNaN, 10)));
    CHECK(std::isnan(eval1("clamp(x, y, z)", 5, 0, kNaN)));
    CHECK(eval1("clamp(x, y, z)", 5, 10, 0) == 0);  // lo > hi at run time: hi
}

TEST_CASE("logistic and scurve: the limits, the midpoint, NaN", "[builtins]") {
    CHECK(eval1("logistic(x)", 0) == 0.5);
    CHECK(eval1("logistic(x)", kInf) == 1.0);
    CHECK(eval1("logistic(x)", -kInf) == 0.0);
    CHECK(eval1("logistic(x)", 800) == 1.0);
    CHECK(eval1("logistic(x)", -800) == 0.0);  // e^800 overflows to inf: exactly 0, not NaN
    CHECK(eval1("logistic(x)", 40) == 1.0);    // e^-40 is below half an ulp of 1
    CHECK(eval1("logistic(x)", -40) == Approx(std::exp(-40.0)).epsilon(1e-12));
    CHECK(eval1("logistic(x)", 1) == 1.0 / (1.0 + std::exp(-1.0)));
    CHECK(eval1("logistic(x) + logistic(-x)", 0.3) == Approx(1.0).epsilon(1e-15));
    CHECK(std::isnan(eval1("logistic(x)", kNaN)));
    // scurve(x, m, w) = logistic((x - m) / w): one half at the midpoint.
    CHECK(eval1("scurve(x, 2025, 0.8)", 2025) == 0.5);
    CHECK(eval1("scurve(x, 2025, 0.8)", 2026) == 1.0 / (1.0 + std::exp(-(2026.0 - 2025.0) / 0.8)));
    CHECK(eval1("scurve(x, y, z)", 2026, 2025, -0.8) == 1.0 / (1.0 + std::exp(1.0 / 0.8)));  // falling
    CHECK(eval1("scurve(x, y, z)", kInf, 2025, 1) == 1.0);
    CHECK(eval1("scurve(x, y, z)", -kInf, 2025, 1) == 0.0);
    CHECK(std::isnan(eval1("scurve(x, y, z)", kInf, kInf, 1)));  // inf - inf
    CHECK(std::isnan(eval1("scurve(x, y, z)", 2025, 2025, 0)));  // 0 / 0: a width of zero at run time
    CHECK(eval1("scurve(x, y, z)", 2026, 2025, 0) == 1.0);       // a step, when the width is 0 and x is off the midpoint
    CHECK(std::isnan(eval1("scurve(x, y, z)", kNaN, 2025, 1)));
}

TEST_CASE("constants fold to the bits evaluation gives", "[builtins]") {
    for (const char* f : {"logistic(0.3)", "scurve(2026, 2025, 0.8)", "if(1 < 2, 3, 4)", "clamp(7, 0, 5)",
                          "(1 <= 1) + (2 == 2) + (not 0) + (1 and 0) + (0 or 3)"}) {
        INFO(f);
        const auto prog = Program::compile(ModelSpec{{2023}, {{"x", Shape::Scalar}}, {{"c", f}, {"e", std::string(f) + " + x * 0"}}, std::nullopt});
        Workspace ws(prog, 1);
        ws.values(0, 0)[0] = 0.0;
        prog.evaluate(ws);
        CHECK(prog.parsed_text(prog.index_of("c")).find('(') == std::string::npos);  // folded to a number
        CHECK(same_bits(ws.values(prog.index_of("c"), 0)[0], ws.values(prog.index_of("e"), 0)[0]));
    }
}

TEST_CASE("messages of the new built-ins", "[builtins]") {
    CHECK(compile_error("clamp(x, 2, 1)") == "clamp(x, lo, hi): lo = 2 is above hi = 1");
    CHECK(compile_error("scurve(x, 2025, 0)") == "scurve(x, midpoint, width): the width must not be zero");
    CHECK(compile_error("if(x, 1)") == "if() takes 3 arguments, got 2: if(cond, a, b)");
    CHECK(compile_error("logistc(x)") ==
          "unknown name 'logistc' (did you mean 'logistic'?): logistic(x) is 1 / (1 + e^-x)");
    CHECK(compile_error("scurv(x, 1, 2)") ==
          "unknown name 'scurv' (did you mean 'scurve'?): scurve(x, midpoint, width) is logistic((x - midpoint) / width)");
    CHECK(compile_error("clap(x, 1, 2)").starts_with("unknown name 'clap' (did you mean 'clamp'?)"));
    CHECK(compile_error("sum(x, chip)") ==
          "sum(x, dim) reduces over a dimension, and the model declares none ([dimensions])");
    CHECK(compile_error("x[chip=H100]") ==
          "a selection x[dim=element] needs a dimension, and the model declares none ([dimensions])");
}

TEST_CASE("every built-in has a row with a signature and a meaning", "[builtins]") {
    for (const Builtin& f : builtins()) {
        INFO(f.name);
        CHECK(f.signature.starts_with(f.name));
        CHECK_FALSE(f.meaning.empty());
        CHECK((f.role != Role::Lowered || f.lower));
        CHECK(find_builtin(f.name) == &f);
    }
}
