#pragma once
// Recursive-descent parser for flopcast's formula language.
//
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | '+' unary | power
//   power   := primary ('^' unary)?          right-associative; -2^2 = -(2^2)
//   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//   number  := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]    e.g. 312e12
//
// Nesting is limited (kMaxDepth) so hostile input cannot overflow the stack.
#include <string_view>

#include "engine/formula/ast.hpp"
#include "engine/formula/formula_error.hpp"

namespace flopcast::formula {

inline constexpr int kMaxDepth = 200;

// Throws FormulaError with the column of the offending character.
[[nodiscard]] ExprPtr parse(std::string_view text);

}  // namespace flopcast::formula
