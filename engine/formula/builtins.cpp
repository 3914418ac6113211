// The table of built-in functions and operators (builtins.hpp): one row each.
#include "engine/formula/builtins.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/formula/formula_error.hpp"

namespace flopcast::formula {
namespace {

using Args = std::span<const double>;

double fold_min(Args a) {
    double r = a[0];
    for (std::size_t i = 1; i < a.size(); ++i) r = semantics::minimum(r, a[i]);
    return r;
}
double fold_max(Args a) {
    double r = a[0];
    for (std::size_t i = 1; i < a.size(); ++i) r = semantics::maximum(r, a[i]);
    return r;
}

std::string text_of(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

// clamp(x, lo, hi) = min(max(x, lo), hi): NaN in any argument gives NaN (min
// and max propagate it); lo > hi gives hi, and is refused when both are numbers.
ExprPtr lower_clamp(Expr& call) {
    const Expr& lo = *call.args[1];
    const Expr& hi = *call.args[2];
    if (lo.kind == Expr::Kind::Number && hi.kind == Expr::Kind::Number && lo.number > hi.number)
        throw FormulaError(lo.column, "clamp(x, lo, hi): lo = " + text_of(lo.number) + " is above hi = " +
                                          text_of(hi.number));
    const int col = call.column;
    std::vector<ExprPtr> inner;
    inner.push_back(std::move(call.args[0]));
    inner.push_back(std::move(call.args[1]));
    std::vector<ExprPtr> outer;
    outer.push_back(Expr::make_call("max", std::move(inner), col));
    outer.push_back(std::move(call.args[2]));
    return Expr::make_call("min", std::move(outer), col);
}

// scurve(x, midpoint, width) = logistic((x - midpoint) / width).
ExprPtr lower_scurve(Expr& call) {
    const Expr& width = *call.args[2];
    if (width.kind == Expr::Kind::Number && width.number == 0.0)
        throw FormulaError(width.column, "scurve(x, midpoint, width): the width must not be zero");
    const int col = call.column;
    ExprPtr shifted = Expr::make_binary(Expr::Kind::Subtract, std::move(call.args[0]), std::move(call.args[1]), col);
    ExprPtr scaled = Expr::make_binary(Expr::Kind::Divide, std::move(shifted), std::move(call.args[2]), col);
    std::vector<ExprPtr> args;
    args.push_back(std::move(scaled));
    return Expr::make_call("logistic", std::move(args), col);
}

constexpr OpCode kNone = OpCode::Copy;  // rows whose op is unused (not Elementwise)

// One row per built-in. The order is the order of docs and suggestions.
constexpr Builtin kBuiltins[] = {
    {"exp", 1, 1, Role::Elementwise, OpCode::Exp, [](Args a) { return std::exp(a[0]); }, nullptr, "exp(x)", "e to the x"},
    {"log", 1, 1, Role::Elementwise, OpCode::Log, [](Args a) { return std::log(a[0]); }, nullptr, "log(x)", "natural logarithm"},
    {"sqrt", 1, 1, Role::Elementwise, OpCode::Sqrt, [](Args a) { return std::sqrt(a[0]); }, nullptr, "sqrt(x)", "square root"},
    {"abs", 1, 1, Role::Elementwise, OpCode::Abs, [](Args a) { return std::fabs(a[0]); }, nullptr, "abs(x)", "absolute value"},
    {"sin", 1, 1, Role::Elementwise, OpCode::Sin, [](Args a) { return std::sin(a[0]); }, nullptr, "sin(x)", "sine, x in radians"},
    {"cos", 1, 1, Role::Elementwise, OpCode::Cos, [](Args a) { return std::cos(a[0]); }, nullptr, "cos(x)", "cosine, x in radians"},
    {"pow", 2, 2, Role::Elementwise, OpCode::Power, [](Args a) { return std::pow(a[0], a[1]); }, nullptr, "pow(a, b)", "a to the b"},
    {"min", 2, -1, Role::Elementwise, OpCode::Min, fold_min, nullptr, "min(a, b, ...) or min(x, dim)",
     "smallest; NaN propagates; with a dimension: over its elements"},
    {"max", 2, -1, Role::Elementwise, OpCode::Max, fold_max, nullptr, "max(a, b, ...) or max(x, dim)",
     "largest; NaN propagates; with a dimension: over its elements"},
    {"logistic", 1, 1, Role::Elementwise, OpCode::Logistic, [](Args a) { return semantics::logistic(a[0]); }, nullptr,
     "logistic(x)", "1 / (1 + e^-x)"},
    {"if", 3, 3, Role::Elementwise, OpCode::If, [](Args a) { return semantics::choose(a[0], a[1], a[2]); }, nullptr,
     "if(cond, a, b)", "a where cond is non-zero, else b; both evaluated; NaN cond gives NaN"},
    {"clamp", 3, 3, Role::Lowered, kNone, nullptr, lower_clamp, "clamp(x, lo, hi)", "min(max(x, lo), hi)"},
    {"scurve", 3, 3, Role::Lowered, kNone, nullptr, lower_scurve, "scurve(x, midpoint, width)",
     "logistic((x - midpoint) / width)"},
    {"growth", 1, 1, Role::Growth, kNone, nullptr, nullptr, "growth(g)",
     "running product: 1 in the first year, then g(t1) * ... * g(t)"},
    {"prev", 2, 2, Role::Prev, OpCode::Prev, nullptr, nullptr, "prev(x, v)", "x in the previous year, v in the first"},
    {"cagr", 3, 3, Role::YearReduction, OpCode::Cagr, nullptr, nullptr, "cagr(x, y0, y1)",
     "(x[y1] / x[y0])^(1 / (y1 - y0)) - 1"},
    {"at", 2, 2, Role::YearReduction, OpCode::At, nullptr, nullptr, "at(x, y)", "x in year y"},
    {"sum", 2, 2, Role::DimReduction, kNone, nullptr, nullptr, "sum(x, dim)", "sum over a dimension's elements"},
    {"mean", 2, 2, Role::DimReduction, kNone, nullptr, nullptr, "mean(x, dim)", "sum over a dimension / its size"},
    {"prod", 2, 2, Role::DimReduction, kNone, nullptr, nullptr, "prod(x, dim)", "product over a dimension's elements"},
};

constexpr Operator kOperators[] = {
    {Expr::Kind::Add, "+", OpCode::Add, [](Args a) { return a[0] + a[1]; }},
    {Expr::Kind::Subtract, "-", OpCode::Subtract, [](Args a) { return a[0] - a[1]; }},
    {Expr::Kind::Multiply, "*", OpCode::Multiply, [](Args a) { return a[0] * a[1]; }},
    {Expr::Kind::Divide, "/", OpCode::Divide, [](Args a) { return a[0] / a[1]; }},
    {Expr::Kind::Power, "^", OpCode::Power, [](Args a) { return std::pow(a[0], a[1]); }},
    {Expr::Kind::Negate, "-", OpCode::Negate, [](Args a) { return -a[0]; }},
    {Expr::Kind::Less, "<", OpCode::Less, [](Args a) { return semantics::less(a[0], a[1]); }},
    {Expr::Kind::LessEqual, "<=", OpCode::LessEqual, [](Args a) { return semantics::less_equal(a[0], a[1]); }},
    {Expr::Kind::Greater, ">", OpCode::Greater, [](Args a) { return semantics::greater(a[0], a[1]); }},
    {Expr::Kind::GreaterEqual, ">=", OpCode::GreaterEqual, [](Args a) { return semantics::greater_equal(a[0], a[1]); }},
    {Expr::Kind::Equal, "==", OpCode::Equal, [](Args a) { return semantics::equal(a[0], a[1]); }},
    {Expr::Kind::NotEqual, "!=", OpCode::NotEqual, [](Args a) { return semantics::not_equal(a[0], a[1]); }},
    {Expr::Kind::And, "and", OpCode::And, [](Args a) { return semantics::logical_and(a[0], a[1]); }},
    {Expr::Kind::Or, "or", OpCode::Or, [](Args a) { return semantics::logical_or(a[0], a[1]); }},
    {Expr::Kind::Not, "not", OpCode::Not, [](Args a) { return semantics::logical_not(a[0]); }},
};

}  // namespace

std::span<const Builtin> builtins() { return kBuiltins; }

const Builtin* find_builtin(std::string_view name) {
    for (const auto& f : kBuiltins)
        if (name == f.name) return &f;
    return nullptr;
}

const Operator* find_operator(Expr::Kind kind) {
    for (const auto& o : kOperators)
        if (o.kind == kind) return &o;
    return nullptr;
}

bool is_reserved_name(std::string_view name) {
    return name == "year" || name == "t" || name == "and" || name == "or" || name == "not";
}

}  // namespace flopcast::formula
