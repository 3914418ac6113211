#pragma once
// The language's built-in functions and operators, one row each: everything
// the compiler's passes need to know about a name, so that adding a function
// is one row here and (when it needs a new operation) one case in
// evaluate.cpp. docs/language.md walks through adding one.
#include <cmath>
#include <span>
#include <string_view>

#include "engine/formula/ast.hpp"
#include "engine/formula/program.hpp"

namespace flopcast::formula {

// What a built-in does to the shapes of its arguments and where the passes
// treat it specially (infer_shapes.cpp, hoist.cpp, emit.cpp).
enum class Role {
    Elementwise,    // one operation per value: yearly if any argument is; `op` (chained for min/max)
    Lowered,        // rewritten into other built-ins by resolve_names.cpp (`lower`)
    Growth,         // running product: a hidden yearly quantity
    Prev,           // the previous year of a named yearly quantity
    YearReduction,  // cagr, at: one number per trajectory, known after the last year
    DimReduction,   // sum, mean, prod (and min, max with a dimension): removed by dimensions.cpp
};

struct Builtin {
    std::string_view name;
    int min_args;
    int max_args;  // -1: any number
    Role role;
    OpCode op;  // Elementwise: the operation (min/max with more than two arguments chain it)
    // Constant folding: the value for literal arguments, or nullptr when the
    // function is never folded.
    double (*fold)(std::span<const double> args);
    // Lowered: the call rewritten in terms of other built-ins. May throw
    // FormulaError (e.g. clamp with lo > hi written as numbers).
    ExprPtr (*lower)(Expr& call);
    std::string_view signature;  // for messages and docs: "clamp(x, lo, hi)"
    std::string_view meaning;
};

// The operators of the grammar (parser.hpp), by syntax-tree kind.
struct Operator {
    Expr::Kind kind;
    std::string_view symbol;
    OpCode op;
    double (*fold)(std::span<const double> args);
};

[[nodiscard]] std::span<const Builtin> builtins();
[[nodiscard]] const Builtin* find_builtin(std::string_view name);  // nullptr when not built in
[[nodiscard]] const Operator* find_operator(Expr::Kind kind);       // nullptr for Number, Name, Call, Select

// Names that are not quantities: year, t, and the keywords and, or, not.
[[nodiscard]] bool is_reserved_name(std::string_view name);

// The evaluator's semantics, shared by constant folding and the interpreter
// (evaluate.cpp) so that a folded constant has the bits the tape would give.
// Truth values are 1.0 and 0.0; any non-zero is true; NaN in, NaN out.
namespace semantics {
[[gnu::always_inline]] inline double minimum(double x, double y) { return (x != x || x < y) ? x : y; }
[[gnu::always_inline]] inline double maximum(double x, double y) { return (x != x || x > y) ? x : y; }
// A comparison with a NaN operand is NaN, not false: an unknown stays unknown
// through if(), instead of silently choosing the second branch.
#define FLOPCAST_COMPARISON(fn, expr) \
    [[gnu::always_inline]] inline double fn(double x, double y) { return (x != x || y != y) ? x + y : ((expr) ? 1.0 : 0.0); }
FLOPCAST_COMPARISON(less, x < y)
FLOPCAST_COMPARISON(less_equal, x <= y)
FLOPCAST_COMPARISON(greater, x > y)
FLOPCAST_COMPARISON(greater_equal, x >= y)
FLOPCAST_COMPARISON(equal, x == y)
FLOPCAST_COMPARISON(not_equal, x != y)
FLOPCAST_COMPARISON(logical_and, x != 0.0 && y != 0.0)
FLOPCAST_COMPARISON(logical_or, x != 0.0 || y != 0.0)
#undef FLOPCAST_COMPARISON
[[gnu::always_inline]] inline double logical_not(double x) { return x != x ? x : (x == 0.0 ? 1.0 : 0.0); }
// Both branches are computed; a NaN condition gives NaN (the condition's own).
[[gnu::always_inline]] inline double choose(double c, double a, double b) { return c != c ? c : (c != 0.0 ? a : b); }

// 1 / (1 + e^-x): exactly 0 below about -709 (e^-x overflows), 1 above
// about 37 (e^-x under half an ulp of 1); NaN stays NaN.
[[gnu::always_inline]] inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace semantics

}  // namespace flopcast::formula
