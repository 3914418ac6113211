#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "engine/formula/program.hpp"

using namespace flopcast::formula;

namespace {

ModelSpec spec(std::vector<InputDecl> inputs, std::vector<FormulaDecl> formulas,
               std::vector<int> years = {2023, 2024, 2025, 2026, 2027}) {
    return ModelSpec{std::move(years), std::move(inputs), std::move(formulas), std::nullopt};
}

// Compiles, fills every input of the block with `fill(q, t, i)`, evaluates.
template <class Fill>
Workspace run(const Program& prog, std::size_t block, Fill fill) {
    Workspace ws(prog, block);
    for (int q = 0; q < prog.input_count(); ++q)
        for (std::size_t t = 0; t < prog.slots(q); ++t) {
            auto v = ws.values(q, t);
            for (std::size_t i = 0; i < block; ++i) v[i] = fill(q, t, i);
        }
    prog.evaluate(ws);
    return ws;
}

std::string compile_error(const ModelSpec& s, int* column = nullptr, std::string* formula = nullptr) {
    try {
        (void)Program::compile(s);
    } catch (const CompileError& e) {
        if (column) *column = e.column();
        if (formula) *formula = e.formula();
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("GPT-3's training compute through the formula engine: 6 * 175e9 * 300e9 = 3.15e23", "[program]") {
    const auto prog = Program::compile(spec({{"params", Shape::Scalar}, {"tokens", Shape::Scalar}},
                                            {{"train_flop", "6 * params * tokens"}}, {2020}));
    auto ws = run(prog, 4, [](int q, std::size_t, std::size_t) { return q == 0 ? 175e9 : 300e9; });
    const auto out = ws.values(prog.index_of("train_flop"), 0);
    for (double v : out) CHECK(v == 6.0 * 175e9 * 300e9);
    CHECK(out[0] == Approx(3.15e23).epsilon(1e-15));
}

TEST_CASE("every operator and function over a block, element by element", "[program]") {
    const auto prog = Program::compile(
        spec({{"a", Shape::Scalar}, {"b", Shape::Scalar}},
             {{"f1", "a + b * 2 - a / b"},
              {"f2", "a ^ 2 ^ 0.5"},
              {"f3", "-a ^ 2"},
              {"f4", "exp(log(a)) + sqrt(b) + abs(-a) + pow(a, 3)"},
              {"f5", "min(a, b, 3) + max(a, b, 1)"},
              {"f6", "sin(a) * cos(b) + sin(3.14159 / 2) - cos(0)"}},
             {2023}));
    auto ws = run(prog, 8, [](int q, std::size_t, std::size_t i) { return q == 0 ? 1.0 + i : 0.5 * (i + 1); });
    for (std::size_t i = 0; i < 8; ++i) {
        const double a = 1.0 + i, b = 0.5 * (i + 1);
        CHECK(ws.values(prog.index_of("f1"), 0)[i] == a + b * 2 - a / b);
        CHECK(ws.values(prog.index_of("f2"), 0)[i] == std::pow(a, std::pow(2.0, 0.5)));
        CHECK(ws.values(prog.index_of("f3"), 0)[i] == -(a * a));
        CHECK(ws.values(prog.index_of("f4"), 0)[i] ==
              std::exp(std::log(a)) + std::sqrt(b) + std::fabs(-a) + std::pow(a, 3.0));
        CHECK(ws.values(prog.index_of("f5"), 0)[i] == std::min({a, b, 3.0}) + std::max({a, b, 1.0}));
        // The literal parts fold at compile time, with the same functions.
        CHECK(ws.values(prog.index_of("f6"), 0)[i] ==
              std::sin(a) * std::cos(b) + std::sin(3.14159 / 2) - std::cos(0.0));
    }
}

TEST_CASE("year, year index, growth, prev and cagr over five years", "[program]") {
    const auto prog = Program::compile(spec(
        {{"p0", Shape::Scalar}, {"g", Shape::Scalar}, {"gy", Shape::Yearly}},
        {{"params", "p0 * growth(g)"},
         {"yearly_growth", "growth(gy)"},
         {"y", "year"},
         {"idx", "t"},
         {"market", "prev(market, 6.7) * gy"},
         {"delta", "params - prev(params, 0)"},
         {"params_cagr", "cagr(params, 2023, 2027)"},
         {"market_2025", "at(market, 2025)"},
         {"ratio_cagr", "cagr(params / p0, 2024, 2026)"}}));
    // gy = 1 + t / 10 in year index t.
    auto ws = run(prog, 3, [](int q, std::size_t t, std::size_t) {
        return q == 0 ? 1e12 : q == 1 ? 1.25 : 1.0 + 0.1 * static_cast<double>(t);
    });
    double expected_growth = 1.0, market = 6.7;
    for (std::size_t t = 0; t < 5; ++t) {
        const double gy = 1.0 + 0.1 * static_cast<double>(t);
        if (t > 0) expected_growth *= gy;
        market *= gy;
        CHECK(ws.values(prog.index_of("y"), t)[0] == 2023.0 + static_cast<double>(t));
        CHECK(ws.values(prog.index_of("idx"), t)[1] == static_cast<double>(t));
        CHECK(ws.values(prog.index_of("params"), t)[2] == Approx(1e12 * std::pow(1.25, t)).epsilon(1e-15));
        CHECK(ws.values(prog.index_of("yearly_growth"), t)[0] == Approx(expected_growth).epsilon(1e-15));
        CHECK(ws.values(prog.index_of("market"), t)[0] == Approx(market).epsilon(1e-15));
    }
    CHECK(ws.values(prog.index_of("delta"), 0)[0] == 1e12);
    CHECK(ws.values(prog.index_of("delta"), 1)[0] == Approx(0.25e12).epsilon(1e-15));
    CHECK(prog.shape(prog.index_of("params_cagr")) == Shape::Scalar);
    CHECK(ws.values(prog.index_of("params_cagr"), 0)[0] == Approx(0.25).epsilon(1e-14));
    CHECK(ws.values(prog.index_of("ratio_cagr"), 0)[0] == Approx(0.25).epsilon(1e-14));
    CHECK(ws.values(prog.index_of("market_2025"), 0)[0] == Approx(6.7 * 1.1 * 1.2 * 1.0).epsilon(1e-14) );
}

TEST_CASE("shapes: a formula is yearly when anything it uses is", "[program]") {
    const auto prog = Program::compile(spec({{"s", Shape::Scalar}, {"y", Shape::Yearly}},
                                            {{"a", "2 * s"}, {"b", "a + y"}, {"c", "a * t"}}));
    CHECK(prog.shape(prog.index_of("a")) == Shape::Scalar);
    CHECK(prog.shape(prog.index_of("b")) == Shape::Yearly);
    CHECK(prog.shape(prog.index_of("c")) == Shape::Yearly);
}

TEST_CASE("formulas may be given in any order; dependencies decide evaluation", "[program]") {
    const auto prog = Program::compile(spec({{"x", Shape::Scalar}}, {{"c", "b + 1"}, {"b", "a * 2"}, {"a", "x + 1"}}, {2023}));
    auto ws = run(prog, 2, [](int, std::size_t, std::size_t) { return 1.0; });
    CHECK(ws.values(prog.index_of("c"), 0)[0] == 5.0);
}

TEST_CASE("compile errors name the formula, the column and the problem", "[program]") {
    int col = 0;
    std::string f;
    CHECK(compile_error(spec({{"train_mfu", Shape::Scalar}}, {{"a", "2 * train_mfuu"}}), &col, &f) ==
          "unknown name 'train_mfuu' (did you mean 'train_mfu'?)");
    CHECK(col == 5);
    CHECK(f == "a");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "x / (2 - 2)"}}), &col) == "division by zero");
    CHECK(col == 3);  // the '/'; its divisor (2 - 2) was folded to zero
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "x / 0"}}), &col) == "division by zero");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "pow(x)"}}), &col) == "pow() takes 2 arguments, got 1: pow(a, b)");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "min(x)"}})) == "min() takes at least 2 arguments, got 1: min(a, b, ...) or min(x, dim)");
    // No close spelling: the three nearest (by edit distance, then catalogue order), then all.
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "foo(x)"}})) ==
          "unknown name 'foo'; the nearest functions are log, cos, pow; all functions: exp, log, sqrt, abs, sin, cos, "
          "pow, min, max, logistic, if, clamp, scurve, growth, prev, cagr, at, sum, mean, prod");
    // A transposition is one edit: lgo is log.
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "lgo(x)"}})).starts_with("unknown name 'lgo' (did you mean 'log'?)"));
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "ln(x)"}})) == "unknown name 'ln': write log(x): log is the natural logarithm");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "x(2)"}})) == "'x' is a quantity, not a function");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "exp + 1"}})) == "'exp' is a function: write exp(...)");
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "10 ^ 400"}})).find("evaluates to inf") != std::string::npos);
    CHECK(compile_error(spec({{"x", Shape::Yearly}}, {{"a", "cagr(x, 2023, 2031)"}})) ==
          "cagr(): year 2031 is not one of the model's years 2023-2027");
    CHECK(compile_error(spec({{"x", Shape::Yearly}}, {{"a", "cagr(x, 2025, 2024)"}})) ==
          "cagr(): the end year 2024 must be after the start year 2025");
    CHECK(compile_error(spec({{"x", Shape::Yearly}}, {{"a", "cagr(x, year, 2027)"}})).find("must be a year written as a number") != std::string::npos);
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "cagr(x, 2023, 2027)"}})) ==
          "cagr() needs a yearly quantity; 'x' has one value per trajectory");
    CHECK(compile_error(spec({{"x", Shape::Yearly}}, {{"c", "cagr(x, 2023, 2027)"}, {"b", "x * c"}}), nullptr, &f) ==
          "'b' is yearly but uses 'c', which is known only after the last year");
    CHECK(f == "b");
}

TEST_CASE("cycles are refused and named; prev() breaks them", "[program]") {
    const std::string msg = compile_error(spec({{"x", Shape::Scalar}}, {{"a", "b + x"}, {"b", "c * 2"}, {"c", "a"}}));
    CHECK(msg.find("cycle: a -> b -> c -> a") != std::string::npos);
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "a + 1"}})).find("cycle: a -> a") != std::string::npos);
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"a", "prev(a, 1) + x"}})).empty());
}

TEST_CASE("names are checked: duplicates, built-ins, invalid characters", "[program]") {
    CHECK(compile_error(spec({{"x", Shape::Scalar}}, {{"x", "1"}})) == "'x' is defined twice");
    CHECK(compile_error(spec({{"exp", Shape::Scalar}}, {})) == "'exp' is a built-in name and cannot be redefined");
    CHECK(compile_error(spec({{"year", Shape::Scalar}}, {})) == "'year' is a built-in name and cannot be redefined");
    CHECK(compile_error(spec({{"a-b", Shape::Scalar}}, {})).find("is not a valid name") != std::string::npos);
    CHECK(compile_error(spec({}, {}, {2023, 2025})).find("consecutive") != std::string::npos);
}

TEST_CASE("NaN and infinities propagate through every operation instead of vanishing", "[program]") {
    const auto prog = Program::compile(spec({{"u", Shape::Scalar}},
                                            {{"a", "1 / u"}, {"b", "min(log(u - 1), 5)"}, {"c", "max(5, 0 / u)"}}, {2023}));
    auto ws = run(prog, 1, [](int, std::size_t, std::size_t) { return 0.0; });
    CHECK(std::isinf(ws.values(prog.index_of("a"), 0)[0]));
    CHECK(std::isnan(ws.values(prog.index_of("b"), 0)[0]));
    CHECK(std::isnan(ws.values(prog.index_of("c"), 0)[0]));
}

TEST_CASE("year-invariant parts of many yearly formulas are hoisted without changing any value", "[program]") {
    // Enough formulas that hoisting declares many hidden quantities (this
    // once invalidated a reference into the compiler's tables).
    // (Names built with append: GCC 12 warns falsely on "f" + std::to_string(i).)
    auto name = [](int i) { return std::string("f").append(std::to_string(i)); };
    std::vector<FormulaDecl> formulas;
    for (int i = 0; i < 40; ++i)
        formulas.push_back({name(i), std::string("log(a + ").append(std::to_string(i)).append(") * (1 + t) + exp(a) * year")});
    const auto prog = Program::compile(spec({{"a", Shape::Scalar}}, formulas));
    auto ws = run(prog, 4, [](int, std::size_t, std::size_t i) { return 0.5 + static_cast<double>(i); });
    for (int i = 0; i < 40; ++i)
        for (std::size_t t = 0; t < 5; ++t)
            for (std::size_t k = 0; k < 4; ++k) {
                const double a = 0.5 + static_cast<double>(k);
                CHECK(ws.values(prog.index_of(name(i)), t)[k] ==
                      std::log(a + i) * (1 + static_cast<double>(t)) + std::exp(a) * (2023.0 + static_cast<double>(t)));
            }
    // What a user sees of a formula is what they wrote, not the hoisted form.
    CHECK(prog.parsed_text(prog.index_of("f1")) == "((log((a + 1)) * (1 + t)) + (exp(a) * year))");
}

TEST_CASE("cagr over 1, 2, 3, 4 and 8 periods agrees with pow, special values included", "[program]") {
    // Over 2^k periods cagr() takes k square roots instead of pow(r, 1 / 2^k)
    // (evaluate.cpp); over 3 periods it is pow itself.
    const auto prog = Program::compile(spec({{"x", Shape::Yearly}},
                                            {{"c1", "cagr(x, 2023, 2024)"},
                                             {"c2", "cagr(x, 2023, 2025)"},
                                             {"c3", "cagr(x, 2023, 2026)"},
                                             {"c4", "cagr(x, 2023, 2027)"},
                                             {"c8", "cagr(x, 2023, 2031)"}},
                                            {2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031}));
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const std::vector<double> special = {-kInf, -2.0, -0.0, 0.0, kInf, std::numeric_limits<double>::quiet_NaN()};
    constexpr std::size_t kRatios = 1001;
    // x = 1 in 2023 and the ratio r in every later year: ratios from e^-25 to
    // e^25, then the special values.
    auto ratio = [&](std::size_t i) {
        return i < kRatios ? std::exp((static_cast<double>(i) - 500.0) * 0.05) : special[i - kRatios];
    };
    const auto ws = run(prog, kRatios + special.size(),
                        [&](int, std::size_t t, std::size_t i) { return t == 0 ? 1.0 : ratio(i); });
    const std::pair<const char*, int> outputs[] = {{"c1", 1}, {"c2", 2}, {"c3", 3}, {"c4", 4}, {"c8", 8}};
    for (const auto& [name, periods] : outputs) {
        INFO(name);
        const auto got = ws.values(prog.index_of(name), 0);
        for (std::size_t i = 0; i < kRatios; ++i) {
            const double root = std::pow(ratio(i), 1.0 / periods);
            // Square roots are correctly rounded, so k of them stay within
            // about one ulp of the exact root, as pow does: the two roots
            // differ by at most 2 ulps (ulp(x) <= eps * |x|), and subtracting
            // 1 rounds each result by at most half an ulp of |root - 1|.
            constexpr double eps = std::numeric_limits<double>::epsilon();
            const double tolerance = 2 * eps * root + 2 * eps * std::abs(root - 1.0);
            INFO("ratio " << ratio(i));
            CHECK(std::abs(got[i] - (root - 1.0)) <= tolerance);
        }
        // Special values as pow gives them: pow(r, 1) = r; pow(-inf, 1/2^k) =
        // +inf, negative r NaN, +-0 zero (cagr -1), +inf stays, NaN stays.
        for (std::size_t s = 0; s < special.size(); ++s) {
            const double want = std::pow(special[s], 1.0 / periods) - 1.0;
            const double g = got[kRatios + s];
            INFO("special ratio " << special[s]);
            if (std::isnan(want)) CHECK(std::isnan(g));
            else CHECK(g == want);
        }
    }
}

TEST_CASE("temporaries are reused once read: a long formula needs few arrays and keeps its bits", "[program]") {
    // 16 products summed left to right: 31 operations, one temporary each
    // without reuse. At most three are live at once (the running sum, the
    // product being formed, the new sum), and a reused array must never be
    // one still to be read: the values are compared bit for bit with the same
    // operations in C++ (no contraction: -ffp-contract=off).
    std::string text = "a * b";
    for (int i = 1; i < 16; ++i) text += i % 3 == 0 ? " + b * c" : i % 3 == 1 ? " + c / a" : " + a * c";
    // A balanced tree keeps more temporaries live at once: its depth.
    const std::string tree = "((a * b + b * c) * (c - a * b)) / ((b + c) * (a + c) - (a * a - b / c))";
    const auto prog = Program::compile(spec({{"a", Shape::Scalar}, {"b", Shape::Scalar}, {"c", Shape::Yearly}},
                                            {{"chain", text}, {"tree", tree}, {"both", "chain - tree * t"}}));
    CHECK(prog.temp_count() <= 5);
    auto fill = [](int q, std::size_t t, std::size_t i) {
        return 0.37 + static_cast<double>(q) * 1.3 + static_cast<double>(t) * 0.11 + static_cast<double>(i) / 7.0;
    };
    auto ws = run(prog, 16, fill);
    for (std::size_t t = 0; t < 5; ++t)
        for (std::size_t i = 0; i < 16; ++i) {
            const double a = fill(0, 0, i), b = fill(1, 0, i), c = fill(2, t, i);
            double chain = a * b;
            for (int k = 1; k < 16; ++k) chain = chain + (k % 3 == 0 ? b * c : k % 3 == 1 ? c / a : a * c);
            const double tree_v = ((a * b + b * c) * (c - a * b)) / ((b + c) * (a + c) - (a * a - b / c));
            CHECK(ws.values(prog.index_of("chain"), t)[i] == chain);
            CHECK(ws.values(prog.index_of("tree"), t)[i] == tree_v);
            CHECK(ws.values(prog.index_of("both"), t)[i] == chain - tree_v * static_cast<double>(t));
        }
}

TEST_CASE("a running product read only in its own year is kept in one array, updated in place", "[program]") {
    const auto in_place = Program::compile(spec({{"p0", Shape::Scalar}, {"g", Shape::Scalar}}, {{"x", "p0 * growth(g)"}}));
    CHECK(in_place.slots(in_place.index_of("growth(g)")) == 1);
    CHECK(in_place.slots(in_place.index_of("x")) == 5);
    // Read in another year by at() or prev(): every year is kept.
    const auto kept = Program::compile(spec({{"p0", Shape::Scalar}, {"g", Shape::Scalar}},
                                            {{"x", "p0 * growth(g)"},
                                             {"x_2025", "at(growth(g), 2025)"},
                                             {"before", "prev(growth(g), 0)"}}));
    CHECK(kept.slots(kept.index_of("growth(g)")) == 5);
    for (const Program* prog : {&in_place, &kept}) {
        auto ws = run(*prog, 2, [](int q, std::size_t, std::size_t) { return q == 0 ? 3.0 : 1.1; });
        double growth = 1.0;
        for (std::size_t t = 0; t < 5; ++t) {
            if (t > 0) growth = growth * 1.1;
            CHECK(ws.values(prog->index_of("x"), t)[1] == 3.0 * growth);
        }
    }
    auto ws = run(kept, 2, [](int q, std::size_t, std::size_t) { return q == 0 ? 3.0 : 1.1; });
    CHECK(ws.values(kept.index_of("x_2025"), 0)[0] == 1.1 * 1.1);
    CHECK(ws.values(kept.index_of("before"), 0)[0] == 0.0);
    CHECK(ws.values(kept.index_of("before"), 3)[0] == 1.1 * 1.1);
}

TEST_CASE("a literal on either side of every binary operation: the same bits as computing it in C++", "[program]") {
    // Literals are read as numbers, not as arrays of copies (evaluate.cpp):
    // each case below takes the literal-first or the literal-second path.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> as = {0.3, -2.5, 7.0, nan, std::numeric_limits<double>::infinity(), 0.0};
    const auto prog = Program::compile(spec({{"a", Shape::Scalar}},
                                            {{"add", "a + 1.5"}, {"sub", "1.5 - a"}, {"mul", "a * 3"},
                                             {"div", "3 / a"}, {"pw", "2 ^ a"}, {"pw2", "a ^ 0.5"},
                                             {"mn", "min(2, a)"}, {"mx", "max(a, 2)"}}));
    auto ws = run(prog, as.size(), [&](int, std::size_t, std::size_t i) { return as[i]; });
    auto same = [](double x, double y) { return (x != x && y != y) || x == y; };
    auto at = [&](const char* name, std::size_t i) { return ws.values(prog.index_of(name), 0)[i]; };
    for (std::size_t i = 0; i < as.size(); ++i) {
        const double a = as[i];
        CHECK(same(at("add", i), a + 1.5));
        CHECK(same(at("sub", i), 1.5 - a));
        CHECK(same(at("mul", i), a * 3.0));
        CHECK(same(at("div", i), 3.0 / a));
        CHECK(same(at("pw", i), std::pow(2.0, a)));
        CHECK(same(at("pw2", i), std::pow(a, 0.5)));
        CHECK(same(at("mn", i), 2.0 < a || a != a ? (a != a ? a : 2.0) : a));
        CHECK(same(at("mx", i), a != a || a > 2.0 ? a : 2.0));
    }
}
