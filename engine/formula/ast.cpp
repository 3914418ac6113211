#include "engine/formula/ast.hpp"

#include <sstream>

namespace flopcast::formula {

ExprPtr Expr::make_number(double v, int column) {
    auto e = std::make_unique<Expr>();
    e->kind = Kind::Number;
    e->number = v;
    e->column = column;
    return e;
}

ExprPtr Expr::make_name(std::string n, int column) {
    auto e = std::make_unique<Expr>();
    e->kind = Kind::Name;
    e->name = std::move(n);
    e->column = column;
    return e;
}

ExprPtr Expr::make_unary(Kind k, ExprPtr a, int column) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->args.push_back(std::move(a));
    e->column = column;
    return e;
}

ExprPtr Expr::make_binary(Kind k, ExprPtr a, ExprPtr b, int column) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    e->column = column;
    return e;
}

ExprPtr Expr::make_call(std::string f, std::vector<ExprPtr> args, int column) {
    auto e = std::make_unique<Expr>();
    e->kind = Kind::Call;
    e->name = std::move(f);
    e->args = std::move(args);
    e->column = column;
    return e;
}

ExprPtr Expr::make_select(ExprPtr a, std::vector<std::pair<std::string, std::string>> selection, int column) {
    auto e = make_unary(Kind::Select, std::move(a), column);
    e->selection = std::move(selection);
    return e;
}

ExprPtr Expr::clone() const {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->number = number;
    e->name = name;
    e->selection = selection;
    e->column = column;
    for (const auto& a : args) e->args.push_back(a->clone());
    return e;
}

namespace {
const char* symbol(Expr::Kind k) {
    switch (k) {
        case Expr::Kind::Add: return " + ";
        case Expr::Kind::Subtract: return " - ";
        case Expr::Kind::Multiply: return " * ";
        case Expr::Kind::Divide: return " / ";
        case Expr::Kind::Power: return " ^ ";
        case Expr::Kind::Less: return " < ";
        case Expr::Kind::LessEqual: return " <= ";
        case Expr::Kind::Greater: return " > ";
        case Expr::Kind::GreaterEqual: return " >= ";
        case Expr::Kind::Equal: return " == ";
        case Expr::Kind::NotEqual: return " != ";
        case Expr::Kind::And: return " and ";
        case Expr::Kind::Or: return " or ";
        default: return " ? ";
    }
}

void print(std::ostringstream& os, const Expr& e) {
    switch (e.kind) {
        case Expr::Kind::Number: os << e.number; break;
        case Expr::Kind::Name: os << e.name; break;
        case Expr::Kind::Negate:
            os << "(-";
            print(os, *e.args[0]);
            os << ")";
            break;
        case Expr::Kind::Not:
            os << "(not ";
            print(os, *e.args[0]);
            os << ")";
            break;
        case Expr::Kind::Select:
            print(os, *e.args[0]);
            os << "[";
            for (std::size_t i = 0; i < e.selection.size(); ++i)
                os << (i ? ", " : "") << e.selection[i].first << "=" << e.selection[i].second;
            os << "]";
            break;
        case Expr::Kind::Call:
            os << e.name << "(";
            for (std::size_t i = 0; i < e.args.size(); ++i) {
                if (i) os << ", ";
                print(os, *e.args[i]);
            }
            os << ")";
            break;
        default:
            os << "(";
            print(os, *e.args[0]);
            os << symbol(e.kind);
            print(os, *e.args[1]);
            os << ")";
    }
}
}  // namespace

std::string to_string(const Expr& e) {
    std::ostringstream os;
    os.precision(17);
    print(os, e);
    return os.str();
}

}  // namespace flopcast::formula
