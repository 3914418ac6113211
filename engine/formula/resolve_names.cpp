// Pass: names. Declares quantities, checks every name and argument count
// against the table of built-ins (builtins.cpp), lowers built-ins written in
// terms of others, folds constants and turns growth() and reductions of
// expressions into hidden quantities.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "engine/formula/builtins.hpp"
#include "engine/formula/compiler.hpp"

namespace flopcast::formula {

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Levenshtein distance with adjacent transpositions counted as one edit
// (optimal string alignment): "lgo" is one slip from "log", not two.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                row[j] = std::min(row[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, row);
    }
    return prev[b.size()];
}

// Names from other languages (spreadsheets, Python, R) and what this one
// writes instead; looked up before the nearest-spelling guess.
struct Alias {
    std::string_view name;
    std::string_view advice;
};
constexpr Alias kAliases[] = {
    {"ln", "write log(x): log is the natural logarithm"},
    {"log10", "write log(x) / log(10)"},
    {"log2", "write log(x) / log(2)"},
    {"exponential", "write exp(x)"},
    {"power", "write pow(x, y) or x ^ y"},
    {"avg", "write mean(x, dim) over a dimension"},
    {"average", "write mean(x, dim) over a dimension"},
    {"minimum", "write min(a, b, ...)"},
    {"maximum", "write max(a, b, ...)"},
    {"total", "write sum(x, dim) over a dimension"},
    {"product", "write prod(x, dim) over a dimension"},
    {"sigmoid", "write logistic(x)"},
    {"clip", "write clamp(x, lo, hi)"},
    {"ifelse", "write if(condition, value if true, value if false)"},
    {"iif", "write if(condition, value if true, value if false)"},
    {"where", "write if(condition, value if true, value if false)"},
    {"elif", "there is no elif: nest the ifs, if(c1, a, if(c2, b, c))"},
    {"else", "there is no else keyword: write if(condition, value if true, value if false)"},
    {"then", "there is no then keyword: write if(condition, value if true, value if false)"},
    {"true", "there are no booleans: a comparison gives 1 or 0; write 1 for true"},
    {"false", "there are no booleans: a comparison gives 1 or 0; write 0 for false"},
    {"floor", "there is no rounding function; min, max and clamp(x, lo, hi) bound a value"},
    {"ceil", "there is no rounding function; min, max and clamp(x, lo, hi) bound a value"},
    {"round", "there is no rounding function; min, max and clamp(x, lo, hi) bound a value"},
};

std::string format_number(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

void Compiler::check_years() {
    if (spec_.years.empty()) throw CompileError("", 0, "the model has no years");
    for (std::size_t i = 1; i < spec_.years.size(); ++i)
        if (spec_.years[i] != spec_.years[i - 1] + 1)
            throw CompileError("", 0, "years must be consecutive: " + std::to_string(spec_.years[i - 1]) +
                                          " is followed by " + std::to_string(spec_.years[i]));
    p_.years_ = spec_.years;
}

// The name of an input or formula: an identifier, not built in, not a
// dimension's, not already taken.
void Compiler::check_user_name(const std::string& name) const {
    if (!is_identifier(name))
        throw CompileError(name, 0, "'" + name + "' is not a valid name: use letters, digits and _, starting with a letter");
    if (find_builtin(name) || is_reserved_name(name))
        throw CompileError(name, 0, "'" + name + "' is a built-in name and cannot be redefined");
    if (dimension_index(name) >= 0)
        throw CompileError(name, 0, "'" + name + "' is a dimension and cannot also be an input or formula");
    if (index_.count(name) || arrays_by_name_.count(name))
        throw CompileError(name, 0, "'" + name + "' is defined twice");
}

// `element`: one element of an array, named units[us,H100] (checked by the
// dimensions pass), not an identifier.
int Compiler::declare(const std::string& name, QuantityInfo::Source source, Shape shape, bool element) {
    const bool hidden = source == QuantityInfo::Source::HiddenGrowth || source == QuantityInfo::Source::HiddenFormula;
    if (!hidden && !element) check_user_name(name);
    if (!hidden && index_.count(name)) throw CompileError(name, 0, "'" + name + "' is defined twice");
    const int q = static_cast<int>(p_.names_.size());
    index_.emplace(name, q);
    p_.names_.push_back(name);
    p_.shapes_.push_back(shape);
    info_.emplace_back();
    info_.back().source = source;
    info_.back().shape = shape;
    return q;
}

// The nearest name within a third of its length: a call is compared with the
// built-in functions, a name with the quantities and functions.
void Compiler::unknown_name(const Expr& e, bool call) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(1, e.name.size() / 3);
    auto consider = [&](std::string_view cand) {
        const std::size_t d = edit_distance(e.name, cand);
        if (d <= best_d && (best.empty() || d < best_d)) best = std::string(cand), best_d = d;
    };
    if (!call)
        for (const auto& n : p_.names_)
            if (is_identifier(n)) consider(n);
    for (const auto& f : builtins()) consider(f.name);
    std::string msg = "unknown name '" + e.name + "'";
    for (const auto& a : kAliases)
        if (a.name == e.name) {  // only names that are no quantity get here
            msg += ": " + std::string(a.advice);
            throw CompileError(current_, e.column, msg);
        }
    if (!best.empty()) {
        msg += " (did you mean '" + best + "'?)";
        if (const Builtin* f = find_builtin(best); f && call)
            msg += ": " + std::string(f->signature) + " is " + std::string(f->meaning);
    } else if (call) {
        // No close spelling: the three nearest first, then the whole list.
        std::vector<std::pair<std::size_t, std::string_view>> by_distance;
        for (const auto& f : builtins()) by_distance.emplace_back(edit_distance(e.name, f.name), f.name);
        std::stable_sort(by_distance.begin(), by_distance.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        msg += "; the nearest functions are";
        for (std::size_t i = 0; i < 3 && i < by_distance.size(); ++i)
            msg += (i ? ", " : " ") + std::string(by_distance[i].second);
        msg += "; all functions:";
        for (const auto& f : builtins()) msg += (&f == builtins().data() ? " " : ", ") + std::string(f.name);
    }
    throw CompileError(current_, e.column, msg);
}

void Compiler::resolve(ExprPtr& e) {
    if (e->kind == Expr::Kind::Call) {
        const Builtin* f = find_builtin(e->name);
        if (!f) {
            if (index_.count(e->name) || is_reserved_name(e->name))
                throw CompileError(current_, e->column, "'" + e->name + "' is a quantity, not a function");
            unknown_name(*e, true);
        }
        const int n = static_cast<int>(e->args.size());
        if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
            std::string want =
                f->max_args < 0 ? "at least " + std::to_string(f->min_args) : std::to_string(f->min_args);
            throw CompileError(current_, e->column,
                               e->name + "() takes " + want + " argument" + (want == "1" ? "" : "s") + ", got " +
                                   std::to_string(n) + ": " + std::string(f->signature));
        }
        if (f->role == Role::Lowered) {
            try {
                e = f->lower(*e);
            } catch (const FormulaError& err) {
                throw CompileError(current_, err.column(), err.what());
            }
            resolve(e);
            return;
        }
        if (f->role == Role::DimReduction)
            throw CompileError(current_, e->column,
                               e->name + "(x, dim) reduces over a dimension, and the model declares none "
                               "([dimensions])");
    }
    if (e->kind == Expr::Kind::Select)
        throw CompileError(current_, e->column,
                           "a selection x[dim=element] needs a dimension, and the model declares none ([dimensions])");
    for (auto& a : e->args) resolve(a);
    switch (e->kind) {
        case Expr::Kind::Name:
            if (!is_reserved_name(e->name) && !index_.count(e->name)) {
                if (find_builtin(e->name))
                    throw CompileError(current_, e->column,
                                       "'" + e->name + "' is a function: write " + e->name + "(...)");
                unknown_name(*e, false);
            }
            return;
        case Expr::Kind::Call: {
            const Builtin& f = *find_builtin(e->name);
            if (f.role == Role::Growth) {
                e = Expr::make_name(hidden(QuantityInfo::Source::HiddenGrowth, std::move(e->args[0]), "growth"),
                                    e->column);
                return;
            }
            if (f.role == Role::YearReduction) {
                for (std::size_t i = 1; i < e->args.size(); ++i) year_argument(*e, i);
                if (e->args[0]->kind != Expr::Kind::Name || is_reserved_name(e->args[0]->name)) {
                    const int col = e->args[0]->column;
                    e->args[0] = Expr::make_name(
                        hidden(QuantityInfo::Source::HiddenFormula, std::move(e->args[0]), e->name), col);
                }
                return;
            }
            if (f.role == Role::Prev) {
                const Expr& x = *e->args[0];
                if (x.kind != Expr::Kind::Name || is_reserved_name(x.name))
                    throw CompileError(current_, x.column,
                                       "prev() takes the name of a yearly quantity as its first argument");
                return;
            }
            break;
        }
        default: break;
    }
    fold(e);
}

void Compiler::year_argument(const Expr& call, std::size_t i) {
    const Expr& a = *call.args[i];
    if (a.kind != Expr::Kind::Number)
        throw CompileError(current_, a.column,
                           call.name + "(): argument " + std::to_string(i + 1) +
                               " must be a year written as a number, e.g. " + std::to_string(p_.years_.front()));
    const double y = a.number;
    if (y != std::floor(y) || y < p_.years_.front() || y > p_.years_.back())
        throw CompileError(current_, a.column,
                           call.name + "(): year " + format_number(y) + " is not one of the model's years " +
                               std::to_string(p_.years_.front()) + "-" + std::to_string(p_.years_.back()));
    if (call.name == "cagr" && i == 2 && call.args[1]->number >= y)
        throw CompileError(current_, a.column,
                           "cagr(): the end year " + format_number(y) + " must be after the start year " +
                               format_number(call.args[1]->number));
}

std::string Compiler::hidden(QuantityInfo::Source source, ExprPtr expr, const std::string& fn) {
    const std::string name = fn + "(" + to_string(*expr) + ")";
    if (index_.count(name)) return name;  // the same expression shares one quantity
    const int q = declare(name, source, source == QuantityInfo::Source::HiddenGrowth ? Shape::Yearly : Shape::Scalar);
    info_[q].expr = std::move(expr);
    info_[q].owner = current_;
    return name;
}

// An operation on numbers only becomes its value, computed by the same
// function the evaluator uses (builtins.hpp semantics).
void Compiler::fold(ExprPtr& e) {
    double (*fn)(std::span<const double>) = nullptr;
    if (const Operator* o = find_operator(e->kind)) fn = o->fold;
    else if (e->kind == Expr::Kind::Call)
        if (const Builtin* f = find_builtin(e->name); f && f->role == Role::Elementwise) fn = f->fold;
    if (!fn) return;
    std::vector<double> values;
    for (const auto& a : e->args) {
        if (a->kind != Expr::Kind::Number) return;
        values.push_back(a->number);
    }
    const double r = fn(values);
    if (!std::isfinite(r))
        throw CompileError(current_, e->column,
                           "'" + to_string(*e) + "' evaluates to " + format_number(r) + " before any sample is drawn");
    e = Expr::make_number(r, e->column);
}

// Division by a literal zero is caught here, after folding, so 1/(2-2)
// is caught too.
void Compiler::check_arguments(const Expr& e, const std::string& owner) {
    for (const auto& a : e.args) check_arguments(*a, owner);
    if (e.kind == Expr::Kind::Divide && e.args[1]->kind == Expr::Kind::Number && e.args[1]->number == 0.0)
        throw CompileError(owner, e.column, "division by zero");
    if (e.kind != Expr::Kind::Call) return;
    const Role role = find_builtin(e.name)->role;
    if (role == Role::Prev || role == Role::YearReduction) {
        const int x = p_.index_of(e.args[0]->name);
        if (p_.shapes_[x] != Shape::Yearly)
            throw CompileError(owner, e.args[0]->column,
                               e.name + "() needs a yearly quantity; '" + e.args[0]->name +
                                   "' has one value per trajectory");
    }
}

}  // namespace flopcast::formula
