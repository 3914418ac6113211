#pragma once
// Recursive-descent parser for flopcast's formula language.
//
//   disjunction := conjunction ('or' conjunction)*
//   conjunction := negation ('and' negation)*
//   negation    := 'not' negation | comparison
//   comparison  := expr [('<' | '<=' | '>' | '>=' | '==' | '!=') expr]   no chains: a < b < c is refused
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | '+' unary | power
//   power   := postfix ('^' unary)?          right-associative; -2^2 = -(2^2)
//   postfix := primary ['[' name '=' name (',' name '=' name)* ']']   selection: x[chip=H100]
//   primary := number | name | name '(' disjunction (',' disjunction)* ')' | '(' disjunction ')'
//   number  := digits ['.' digits] [('e'|'E') ['+'|'-'] digits]    e.g. 312e12
//
// and, or, not are keywords, not names. docs/language.md has the precedence table.
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
