#include "engine/formula/parser.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace flopcast::formula {
namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    ExprPtr parse_all() {
        skip_space();
        if (at_end()) throw FormulaError(1, "the formula is empty");
        ExprPtr e = expr();
        skip_space();
        if (!at_end()) {
            if (peek() == ')') throw FormulaError(column(), "unbalanced ')': no '(' opens it");
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
    bool accept(char c) {
        skip_space();
        if (peek() == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    ExprPtr expr() {
        DepthGuard guard(*this);
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
        ExprPtr base = primary();
        skip_space();
        const int col = column();
        // The exponent is a unary so that 2^-1 works; recursion through
        // unary() makes ^ right-associative.
        if (accept('^')) return Expr::make_binary(Expr::Kind::Power, std::move(base), unary(), col);
        return base;
    }

    ExprPtr primary() {
        skip_space();
        const int col = column();
        if (at_end()) throw FormulaError(col, "the formula ends where a value is expected");
        const char c = peek();
        if (c == '(') {
            ++pos_;
            ExprPtr inner = expr();
            if (!accept(')'))
                throw FormulaError(column(), "missing ')' to close the '(' at column " +
                                                 std::to_string(col));
            return inner;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::string name = identifier();
            skip_space();
            if (peek() == '(') {
                ++pos_;
                std::vector<ExprPtr> args;
                skip_space();
                if (peek() == ')')
                    throw FormulaError(column(), name + "() needs at least one argument");
                do {
                    args.push_back(expr());
                } while (accept(','));
                if (!accept(')'))
                    throw FormulaError(column(), "missing ')' to close the call of " + name +
                                                     " at column " + std::to_string(col));
                return Expr::make_call(std::move(name), std::move(args), col);
            }
            return Expr::make_name(std::move(name), col);
        }
        if (c == ')') throw FormulaError(col, "unbalanced ')': a value is expected here");
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
