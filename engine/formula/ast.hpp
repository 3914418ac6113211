#pragma once
// The syntax tree of one formula. Built once at load, checked, constant-folded
// and compiled to a Tape; never walked per sample.
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace flopcast::formula {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    enum class Kind {
        Number, Name, Negate, Add, Subtract, Multiply, Divide, Power, Call,
        Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, And, Or, Not,
        Select,  // x[chip=H100, region=us]: args[0] with some dimensions fixed
    };

    Kind kind = Kind::Number;
    double number = 0.0;        // Kind::Number
    std::string name;           // Kind::Name and Kind::Call (the function)
    std::vector<ExprPtr> args;  // operands: 1 for Negate, Not and Select, 2 for binary, n for Call
    // Kind::Select: (dimension, element) pairs in the order written.
    std::vector<std::pair<std::string, std::string>> selection;
    int column = 1;             // 1-based position in the formula text, for messages

    static ExprPtr make_number(double v, int column);
    static ExprPtr make_name(std::string n, int column);
    static ExprPtr make_unary(Kind k, ExprPtr a, int column);
    static ExprPtr make_binary(Kind k, ExprPtr a, ExprPtr b, int column);
    static ExprPtr make_call(std::string f, std::vector<ExprPtr> args, int column);
    static ExprPtr make_select(ExprPtr a, std::vector<std::pair<std::string, std::string>> selection, int column);
    // A deep copy (columns kept), for passes that instantiate one tree many times.
    [[nodiscard]] ExprPtr clone() const;
};

// Fully parenthesised text of the tree, e.g. "((2 * x) + 1)": what the parser
// understood, for tests and error messages.
[[nodiscard]] std::string to_string(const Expr& e);

}  // namespace flopcast::formula
