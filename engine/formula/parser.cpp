#include "engine/formula/parser.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace flopcast::formula {
namespace {

// Operators of other languages that formulas do not have, with what to write
// instead: the usual "unexpected '*'" would leave a user guessing. Longest first.
struct ForeignOperator {
    std::string_view op;
    std::string_view message;
};
constexpr ForeignOperator kForeignOperators[] = {
    {"**", "'**' is not an operator: write x ^ 2 for a power"},
    {"&&", "'&&' is not an operator: write a and b"},
    {"||", "'||' is not an operator: write a or b"},
    {"<>", "'<>' is not an operator: write != to compare"},
    {"=>", "'=>' is not an operator: write >= to compare"},
    {"=<", "'=<' is not an operator: write <= to compare"},
    {"%", "'%' is not an operator: there is no remainder, and a percentage is a fraction (write 5 % as 0.05)"},
    {"&", "'&' is not an operator: write a and b"},
    {"|", "'|' is not an operator: write a or b"},
    {"?", "'?' is not an operator: write if(condition, value if true, value if false)"},
};

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    ExprPtr parse_all() {
        skip_space();
        if (at_end()) throw FormulaError(1, "the formula is empty");
        ExprPtr e = disjunction();
        skip_space();
        if (!at_end()) {
            if (peek() == ')') throw FormulaError(column(), "unbalanced ')': no '(' opens it");
            reject_foreign_operator();
            throw FormulaError(column(), "unexpected '" + std::string(1, peek()) +
                                             "' after a complete expression");
        }
        return e;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    int depth_ = 0;

    // Guards every recursive descent so 10,000 nested parentheses give an
    // error instead of a stack overflow.
    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.depth_ > kMaxDepth)
                throw FormulaError(p.column(), "nesting deeper than " + std::to_string(kMaxDepth) +
                                                   " levels");
        }
        ~DepthGuard() { --p.depth_; }
    };

    [[nodiscard]] bool at_end() const { return pos_ >= s_.size(); }
    [[nodiscard]] char peek() const { return at_end() ? '\0' : s_[pos_]; }
    [[nodiscard]] int column() const { return static_cast<int>(pos_) + 1; }
    void skip_space() {
        while (!at_end() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    // Throws the explanation when an operator the language lacks is at the cursor.
    void reject_foreign_operator() {
        skip_space();
        for (const auto& f : kForeignOperators)
            if (s_.substr(pos_, f.op.size()) == f.op) throw FormulaError(column(), std::string(f.message));
    }

    bool accept(char c) {
        skip_space();
        if (peek() == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    // A keyword (and, or, not) at the cursor, followed by something that is
    // not part of a longer name: "order" is a name, "or x" the keyword.
    bool accept_keyword(std::string_view word) {
        skip_space();
        if (s_.substr(pos_, word.size()) != word) return false;
        const std::size_t end = pos_ + word.size();
        if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) return false;
        pos_ = end;
        return true;
    }

    ExprPtr disjunction() {
        DepthGuard guard(*this);
        ExprPtr left = conjunction();
        for (;;) {
            skip_space();
            const int col = column();
            if (!accept_keyword("or")) return left;
            left = Expr::make_binary(Expr::Kind::Or, std::move(left), conjunction(), col);
        }
    }

    ExprPtr conjunction() {
        ExprPtr left = negation();
        for (;;) {
            skip_space();
            const int col = column();
            if (!accept_keyword("and")) return left;
            left = Expr::make_binary(Expr::Kind::And, std::move(left), negation(), col);
        }
    }

    ExprPtr negation() {
        skip_space();
        const int col = column();
        if (accept_keyword("not")) {
            DepthGuard guard(*this);  // not not not ... recurses here
            return Expr::make_unary(Expr::Kind::Not, negation(), col);
        }
        return comparison();
    }

    // The comparison operator at the cursor, consumed; none: Kind::Number.
    Expr::Kind comparison_operator() {
        skip_space();
        const char c = peek();
        const char next = pos_ + 1 < s_.size() ? s_[pos_ + 1] : '\0';
        const int col = column();
        if ((c == '<' && next == '>') || (c == '=' && (next == '>' || next == '<'))) reject_foreign_operator();
        if (c == '<' || c == '>') {
            const bool equal = next == '=';
            pos_ += equal ? 2 : 1;
            return c == '<' ? (equal ? Expr::Kind::LessEqual : Expr::Kind::Less)
                            : (equal ? Expr::Kind::GreaterEqual : Expr::Kind::Greater);
        }
        if (c == '=' && next == '=') return pos_ += 2, Expr::Kind::Equal;
        if (c == '!' && next == '=') return pos_ += 2, Expr::Kind::NotEqual;
        if (c == '=') throw FormulaError(col, "'=' is not an operator: write == to compare");
        if (c == '!') throw FormulaError(col, "'!' is not an operator: write not x, or != to compare");
        return Expr::Kind::Number;
    }

    ExprPtr comparison() {
        ExprPtr left = expr();
        skip_space();
        const int col = column();
        const Expr::Kind k = comparison_operator();
        if (k == Expr::Kind::Number) return left;
        ExprPtr right = expr();
        skip_space();
        const int col2 = column();
        if (comparison_operator() != Expr::Kind::Number)
            throw FormulaError(col2, "comparisons do not chain: write (a < b) and (b < c)");
        return Expr::make_binary(k, std::move(left), std::move(right), col);
    }

    ExprPtr expr() {
        ExprPtr left = term();
        for (;;) {
            skip_space();
            const int col = column();
            if (accept('+')) left = Expr::make_binary(Expr::Kind::Add, std::move(left), term(), col);
            else if (accept('-'))
                left = Expr::make_binary(Expr::Kind::Subtract, std::move(left), term(), col);
            else return left;
        }
    }

    ExprPtr term() {
        ExprPtr left = unary();
        for (;;) {
            skip_space();
            const int col = column();
            if (s_.substr(pos_, 2) == "**") reject_foreign_operator();
            if (accept('*'))
                left = Expr::make_binary(Expr::Kind::Multiply, std::move(left), unary(), col);
            else if (accept('/'))
                left = Expr::make_binary(Expr::Kind::Divide, std::move(left), unary(), col);
            else return left;
        }
    }

    ExprPtr unary() {
        DepthGuard guard(*this);
        skip_space();
        const int col = column();
        if (accept('-')) return Expr::make_unary(Expr::Kind::Negate, unary(), col);
        if (accept('+')) return unary();
        return power();
    }

    ExprPtr power() {
        ExprPtr base = postfix();
        skip_space();
        const int col = column();
        // The exponent is a unary so that 2^-1 works; recursion through
        // unary() makes ^ right-associative.
        if (accept('^')) return Expr::make_binary(Expr::Kind::Power, std::move(base), unary(), col);
        return base;
    }

    // x[chip=H100, region=us]: bare dimension and element names.
    ExprPtr postfix() {
        ExprPtr e = primary();
        skip_space();
        const int col = column();
        if (!accept('[')) return e;
        std::vector<std::pair<std::string, std::string>> selection;
        do {
            skip_space();
            const int dim_col = column();
            std::string dim = name_here("a dimension name");
            if (!accept('='))
                throw FormulaError(column(), "expected '=' after '" + dim + "': a selection is written x[" +
                                                 (dim.empty() ? "chip" : dim) + "=ELEMENT]");
            skip_space();
            std::string element = name_here("an element name");
            for (const auto& [d, el] : selection)
                if (d == dim) throw FormulaError(dim_col, "the dimension '" + dim + "' is selected twice");
            selection.emplace_back(std::move(dim), std::move(element));
        } while (accept(','));
        if (!accept(']'))
            throw FormulaError(column(), "missing ']' to close the selection at column " + std::to_string(col));
        return Expr::make_select(std::move(e), std::move(selection), col);
    }

    std::string name_here(const char* what) {
        if (!(std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_'))
            throw FormulaError(column(), std::string("expected ") + what + " here");
        return identifier();
    }

    ExprPtr primary() {
        skip_space();
        const int col = column();
        if (at_end()) throw FormulaError(col, "the formula ends where a value is expected");
        const char c = peek();
        if (c == '(') {
            ++pos_;
            ExprPtr inner = disjunction();
            if (!accept(')')) {
                reject_foreign_operator();
                throw FormulaError(column(), "missing ')' to close the '(' at column " +
                                                 std::to_string(col));
            }
            return inner;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::string name = identifier();
            if (name == "and" || name == "or" || name == "not")
                throw FormulaError(col, "'" + name + "' is an operator, but a value is expected here");
            skip_space();
            if (peek() == '(') {
                ++pos_;
                std::vector<ExprPtr> args;
                skip_space();
                if (peek() == ')')
                    throw FormulaError(column(), name + "() needs at least one argument");
                do {
                    args.push_back(disjunction());
                } while (accept(','));
                if (!accept(')')) {
                    reject_foreign_operator();
                    throw FormulaError(column(), "missing ')' to close the call of " + name +
                                                     " at column " + std::to_string(col));
                }
                return Expr::make_call(std::move(name), std::move(args), col);
            }
            // "if x > 1 then a else b": the language's if is a function.
            if (name == "if")
                throw FormulaError(col, "if is a function here: write if(condition, value if true, value if false)");
            return Expr::make_name(std::move(name), col);
        }
        if (c == ')') throw FormulaError(col, "unbalanced ')': a value is expected here");
        if (c == '!') throw FormulaError(col, "'!' is not an operator: write not x, or != to compare");
        throw FormulaError(col, "unexpected '" + std::string(1, c) + "' where a value is expected");
    }

    std::string identifier() {
        const std::size_t start = pos_;
        while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
            ++pos_;
        return std::string(s_.substr(start, pos_ - start));
    }

    ExprPtr number() {
        const int col = column();
        const std::size_t start = pos_;
        auto digits = [&] {
            std::size_t n = 0;
            while (!at_end() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_, ++n;
            return n;
        };
        std::size_t mantissa = digits();
        if (peek() == '.') {
            ++pos_;
            mantissa += digits();
        }
        if (mantissa == 0) throw FormulaError(col, "'.' is not a number");
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (digits() == 0) throw FormulaError(column(), "exponent of a number has no digits");
        }
        if (!at_end() && (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_'))
            throw FormulaError(column(), "a number runs into a name: '" +
                                             std::string(s_.substr(start, pos_ - start + 1)) + "'");
        double v = 0.0;
        const std::string text(s_.substr(start, pos_ - start));
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc::result_out_of_range || !std::isfinite(v))
            throw FormulaError(col, "the number " + text + " is out of the range of a double");
        if (ec != std::errc() || ptr != text.data() + text.size())
            throw FormulaError(col, "'" + text + "' is not a number");
        return Expr::make_number(v, col);
    }
};

}  // namespace

ExprPtr parse(std::string_view text) { return Parser(text).parse_all(); }

}  // namespace flopcast::formula
