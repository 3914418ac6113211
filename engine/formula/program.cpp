// Compiles a ModelSpec into tapes: name resolution, shape inference, cycle
// detection, constant folding and code generation, all at load time.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <cmath>
#include <map>
#include <sstream>

#include "engine/formula/parser.hpp"
#include "engine/formula/program.hpp"

namespace flopcast::formula {
namespace {

struct FunctionInfo {
    const char* name;
    int min_args;
    int max_args;  // -1: any number
};

constexpr FunctionInfo kFunctions[] = {
    {"exp", 1, 1},  {"log", 1, 1},    {"sqrt", 1, 1}, {"abs", 1, 1},  {"sin", 1, 1},  {"cos", 1, 1},  {"pow", 2, 2},
    {"min", 2, -1}, {"max", 2, -1},   {"growth", 1, 1}, {"prev", 2, 2}, {"cagr", 3, 3},
    {"at", 2, 2},
};

const FunctionInfo* find_function(std::string_view name) {
    for (const auto& f : kFunctions)
        if (name == f.name) return &f;
    return nullptr;
}

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1u : 0u)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string format_number(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

bool is_pure_math(const Expr& e) {
    switch (e.kind) {
        case Expr::Kind::Negate:
        case Expr::Kind::Add:
        case Expr::Kind::Subtract:
        case Expr::Kind::Multiply:
        case Expr::Kind::Divide:
        case Expr::Kind::Power: return true;
        case Expr::Kind::Call:
            return e.name == "exp" || e.name == "log" || e.name == "sqrt" || e.name == "abs" || e.name == "sin" ||
                   e.name == "cos" ||
                   e.name == "pow" || e.name == "min" || e.name == "max";
        default: return false;
    }
}

double apply_min_max(bool is_min, double a, double b) {
    // NaN propagates: a comparison with NaN is false, so test a != a explicitly.
    if (a != a) return a;
    if (b != b) return b;
    return is_min ? (a < b ? a : b) : (a > b ? a : b);
}

}  // namespace

// Temporary arrays of one tape: a released index is handed out again, lowest
// first, so the count is the most that are live at once.
class TempSlots {
public:
    int take() {
        if (free_.empty()) return count_++;
        const auto lowest = std::min_element(free_.begin(), free_.end());
        const int i = *lowest;
        free_.erase(lowest);
        return i;
    }
    void release(int i) { free_.push_back(i); }
    [[nodiscard]] int count() const noexcept { return count_; }

private:
    int count_ = 0;
    std::vector<int> free_;
};

// Everything the compiler learns about one quantity.
struct QuantityInfo {
    enum class Source { Input, Formula, HiddenGrowth, HiddenFormula };
    Source source = Source::Input;
    Shape shape = Shape::Scalar;
    bool after_years = false;  // depends on a reduction
    int visit = 0;             // 0 new, 1 on the DFS stack, 2 done
    ExprPtr expr;              // formulas; for HiddenGrowth the growth factor
    std::string owner;         // the user formula it appears in (for messages)
};

class Compiler {
public:
    explicit Compiler(const ModelSpec& spec) : spec_(spec) {}

    Program run() {
        check_years();
        for (const auto& in : spec_.inputs) declare(in.name, QuantityInfo::Source::Input, in.shape);
        p_.input_count_ = static_cast<int>(spec_.inputs.size());
        for (const auto& f : spec_.formulas) declare(f.name, QuantityInfo::Source::Formula, Shape::Scalar);
        for (const auto& f : spec_.formulas) {
            const int q = p_.index_of(f.name);
            ExprPtr expr;
            try {
                expr = parse(f.text);
            } catch (const FormulaError& e) {
                throw CompileError(f.name, e.column(), e.what());
            }
            current_ = f.name;
            // Resolved before it is stored: resolve() may declare hidden
            // quantities, which grows info_.
            resolve(expr);
            info_[q].expr = std::move(expr);
            info_[q].owner = f.name;
        }
        for (int q = 0; q < p_.quantity_count(); ++q) infer(q);
        for (int q = 0; q < p_.quantity_count(); ++q)
            if (info_[q].expr) check_arguments(*info_[q].expr, info_[q].owner);
        for (int q = 0; q < p_.quantity_count(); ++q)
            p_.parsed_.push_back(info_[q].expr ? to_string(*info_[q].expr) : std::string());
        // Parts of yearly formulas that do not change from year to year
        // (6 * runs * params * tokens, say) are computed once, before the
        // years, instead of once a year.
        const std::size_t before = order_.size();
        for (std::size_t i = 0; i < before; ++i) {
            const int q = order_[i];
            if (info_[q].shape != Shape::Yearly || !info_[q].expr) continue;
            // Out of info_ while hoisting: hoist() declares quantities, which grows info_.
            ExprPtr expr = std::move(info_[q].expr);
            const std::string owner = info_[q].owner;
            hoist(expr, owner);
            info_[q].expr = std::move(expr);
        }
        for (int q = static_cast<int>(p_.parsed_.size()); q < p_.quantity_count(); ++q)
            p_.parsed_.push_back(to_string(*info_[q].expr));
        mark_results();
        for (int q : order_) generate(q);
        assign_slots();
        return std::move(p_);
    }

private:
    const ModelSpec& spec_;
    Program p_;
    std::vector<QuantityInfo> info_;
    std::map<std::string, int, std::less<>> index_;
    std::vector<int> order_;  // formulas in dependency order
    std::vector<bool> readable_;  // per quantity: an input or a result
    std::vector<int> stack_;  // DFS path, for naming cycles
    std::string current_;     // formula being resolved

    void check_years() {
        if (spec_.years.empty()) throw CompileError("", 0, "the model has no years");
        for (std::size_t i = 1; i < spec_.years.size(); ++i)
            if (spec_.years[i] != spec_.years[i - 1] + 1)
                throw CompileError("", 0, "years must be consecutive: " +
                                              std::to_string(spec_.years[i - 1]) + " is followed by " +
                                              std::to_string(spec_.years[i]));
        p_.years_ = spec_.years;
    }

    int declare(const std::string& name, QuantityInfo::Source source, Shape shape) {
        const bool hidden = source == QuantityInfo::Source::HiddenGrowth ||
                            source == QuantityInfo::Source::HiddenFormula;
        if (!hidden) {
            if (!is_identifier(name))
                throw CompileError(name, 0, "'" + name +
                                                "' is not a valid name: use letters, digits and _, "
                                                "starting with a letter");
            if (find_function(name) || name == "year" || name == "t")
                throw CompileError(name, 0, "'" + name + "' is a built-in name and cannot be redefined");
            if (index_.count(name)) throw CompileError(name, 0, "'" + name + "' is defined twice");
        }
        const int q = static_cast<int>(p_.names_.size());
        index_.emplace(name, q);
        p_.names_.push_back(name);
        p_.shapes_.push_back(shape);
        info_.emplace_back();
        info_.back().source = source;
        info_.back().shape = shape;
        return q;
    }

    [[noreturn]] void unknown_name(const Expr& e) {
        std::string best;
        std::size_t best_d = std::max<std::size_t>(1, e.name.size() / 3);
        auto consider = [&](const std::string& cand) {
            const std::size_t d = edit_distance(e.name, cand);
            if (d <= best_d && (best.empty() || d < best_d)) best = cand, best_d = d;
        };
        for (const auto& n : p_.names_)
            if (is_identifier(n)) consider(n);
        for (const auto& f : kFunctions) consider(f.name);
        std::string msg = "unknown name '" + e.name + "'";
        if (!best.empty()) msg += " (did you mean '" + best + "'?)";
        throw CompileError(current_, e.column, msg);
    }

    // Checks names and argument counts, folds constants, and turns growth()
    // and reductions of expressions into hidden quantities.
    void resolve(ExprPtr& e) {
        for (auto& a : e->args) resolve(a);
        switch (e->kind) {
            case Expr::Kind::Name:
                if (e->name != "year" && e->name != "t" && !index_.count(e->name)) {
                    if (find_function(e->name))
                        throw CompileError(current_, e->column,
                                           "'" + e->name + "' is a function: write " + e->name + "(...)");
                    unknown_name(*e);
                }
                return;
            case Expr::Kind::Call: {
                const FunctionInfo* f = find_function(e->name);
                if (!f) {
                    if (index_.count(e->name) || e->name == "year" || e->name == "t")
                        throw CompileError(current_, e->column,
                                           "'" + e->name + "' is a quantity, not a function");
                    unknown_name(*e);
                }
                const int n = static_cast<int>(e->args.size());
                if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
                    std::string want = f->max_args < 0 ? "at least " + std::to_string(f->min_args)
                                                       : std::to_string(f->min_args);
                    throw CompileError(current_, e->column,
                                       e->name + "() takes " + want + " argument" +
                                           (want == "1" ? "" : "s") + ", got " + std::to_string(n));
                }
                if (e->name == "growth") {
                    e = Expr::make_name(hidden(QuantityInfo::Source::HiddenGrowth, std::move(e->args[0]),
                                               "growth"),
                                        e->column);
                    return;
                }
                if (e->name == "cagr" || e->name == "at") {
                    for (std::size_t i = 1; i < e->args.size(); ++i) year_argument(*e, i);
                    if (e->args[0]->kind != Expr::Kind::Name || e->args[0]->name == "year" ||
                        e->args[0]->name == "t") {
                        const int col = e->args[0]->column;
                        e->args[0] = Expr::make_name(
                            hidden(QuantityInfo::Source::HiddenFormula, std::move(e->args[0]), e->name),
                            col);
                    }
                    return;
                }
                if (e->name == "prev") {
                    const Expr& x = *e->args[0];
                    if (x.kind != Expr::Kind::Name || x.name == "year" || x.name == "t")
                        throw CompileError(current_, x.column,
                                           "prev() takes the name of a yearly quantity as its first "
                                           "argument");
                    return;
                }
                break;
            }
            default: break;
        }
        fold(e);
    }

    void year_argument(const Expr& call, std::size_t i) {
        const Expr& a = *call.args[i];
        if (a.kind != Expr::Kind::Number)
            throw CompileError(current_, a.column,
                               call.name + "(): argument " + std::to_string(i + 1) +
                                   " must be a year written as a number, e.g. " +
                                   std::to_string(p_.years_.front()));
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

    std::string hidden(QuantityInfo::Source source, ExprPtr expr, const std::string& fn) {
        const std::string name = fn + "(" + to_string(*expr) + ")";
        if (index_.count(name)) return name;  // the same expression shares one quantity
        const int q = declare(name, source,
                              source == QuantityInfo::Source::HiddenGrowth ? Shape::Yearly : Shape::Scalar);
        info_[q].expr = std::move(expr);
        info_[q].owner = current_;
        return name;
    }

    void fold(ExprPtr& e) {
        if (!is_pure_math(*e)) return;
        for (const auto& a : e->args)
            if (a->kind != Expr::Kind::Number) return;
        const auto v = [&](std::size_t i) { return e->args[i]->number; };
        double r = 0.0;
        switch (e->kind) {
            case Expr::Kind::Negate: r = -v(0); break;
            case Expr::Kind::Add: r = v(0) + v(1); break;
            case Expr::Kind::Subtract: r = v(0) - v(1); break;
            case Expr::Kind::Multiply: r = v(0) * v(1); break;
            case Expr::Kind::Divide: r = v(0) / v(1); break;
            case Expr::Kind::Power: r = std::pow(v(0), v(1)); break;
            default:
                if (e->name == "exp") r = std::exp(v(0));
                else if (e->name == "sin") r = std::sin(v(0));
                else if (e->name == "cos") r = std::cos(v(0));
                else if (e->name == "log") r = std::log(v(0));
                else if (e->name == "sqrt") r = std::sqrt(v(0));
                else if (e->name == "abs") r = std::fabs(v(0));
                else if (e->name == "pow") r = std::pow(v(0), v(1));
                else {
                    r = v(0);
                    for (std::size_t i = 1; i < e->args.size(); ++i) r = apply_min_max(e->name == "min", r, v(i));
                }
        }
        if (!std::isfinite(r))
            throw CompileError(current_, e->column,
                               "'" + to_string(*e) + "' evaluates to " + format_number(r) +
                                   " before any sample is drawn");
        e = Expr::make_number(r, e->column);
    }

    // Division by a literal zero is caught here, after folding, so 1/(2-2)
    // is caught too.
    void check_arguments(const Expr& e, const std::string& owner) {
        for (const auto& a : e.args) check_arguments(*a, owner);
        if (e.kind == Expr::Kind::Divide && e.args[1]->kind == Expr::Kind::Number &&
            e.args[1]->number == 0.0)
            throw CompileError(owner, e.column, "division by zero");
        if (e.kind == Expr::Kind::Call && (e.name == "prev" || e.name == "cagr" || e.name == "at")) {
            const int x = p_.index_of(e.args[0]->name);
            if (p_.shapes_[x] != Shape::Yearly)
                throw CompileError(owner, e.args[0]->column,
                                   e.name + "() needs a yearly quantity; '" + e.args[0]->name +
                                       "' has one value per trajectory");
        }
    }

    // Depth-first: shapes, phases, cycle detection and the evaluation order.
    void infer(int q) {
        QuantityInfo& in = info_[q];
        if (in.visit == 2 || in.source == QuantityInfo::Source::Input) {
            in.visit = 2;
            return;
        }
        if (in.visit == 1) {
            std::string cycle;
            auto it = std::find(stack_.begin(), stack_.end(), q);
            for (; it != stack_.end(); ++it) cycle += p_.names_[*it] + " -> ";
            cycle += p_.names_[q];
            throw CompileError(in.owner, 0,
                               "formulas depend on each other in a cycle: " + cycle +
                                   " (use prev() to refer to the previous year)");
        }
        in.visit = 1;
        stack_.push_back(q);
        bool yearly = in.source == QuantityInfo::Source::HiddenGrowth;
        bool after = false;
        std::string after_cause;
        visit_expr(*in.expr, yearly, after, after_cause, in.owner);
        stack_.pop_back();
        in.visit = 2;
        in.shape = yearly ? Shape::Yearly : Shape::Scalar;
        in.after_years = after;
        p_.shapes_[q] = in.shape;
        if (yearly && after)
            throw CompileError(in.owner, 0,
                               "'" + p_.names_[q] + "' is yearly but uses " + after_cause +
                                   ", which is known only after the last year");
        order_.push_back(q);
    }

    void visit_expr(const Expr& e, bool& yearly, bool& after, std::string& cause, const std::string& owner) {
        if (e.kind == Expr::Kind::Name) {
            if (e.name == "year" || e.name == "t") {
                yearly = true;
                return;
            }
            const int d = p_.index_of(e.name);
            infer(d);
            if (info_[d].shape == Shape::Yearly) yearly = true;
            if (info_[d].after_years && !after) after = true, cause = "'" + e.name + "'";
            return;
        }
        if (e.kind == Expr::Kind::Call && e.name == "prev") {
            // The previous year of x is known before this year starts, so it
            // adds no ordering constraint: that is what allows recurrences.
            yearly = true;
            visit_expr(*e.args[1], yearly, after, cause, owner);
            return;
        }
        if (e.kind == Expr::Kind::Call && (e.name == "cagr" || e.name == "at")) {
            infer(p_.index_of(e.args[0]->name));
            if (!after) after = true, cause = e.name + "(" + e.args[0]->name + ", ...)";
            return;
        }
        for (const auto& a : e.args) visit_expr(*a, yearly, after, cause, owner);
    }

    // Whether e has one value per trajectory (does not change with the year).
    bool is_scalar(const Expr& e) const {
        switch (e.kind) {
            case Expr::Kind::Number: return true;
            case Expr::Kind::Name:
                return e.name != "year" && e.name != "t" && p_.shapes_[p_.index_of(e.name)] == Shape::Scalar;
            case Expr::Kind::Call:
                if (e.name == "prev" || e.name == "cagr" || e.name == "at") return false;
                break;
            default: break;
        }
        for (const auto& a : e.args)
            if (!is_scalar(*a)) return false;
        return true;
    }

    // Replaces each largest year-invariant operation inside a yearly formula
    // by a hidden scalar quantity. Hidden quantities depend only on scalars
    // computed before the years, so their tapes run last among those.
    void hoist(ExprPtr& e, const std::string& owner) {
        if (e->kind == Expr::Kind::Number || e->kind == Expr::Kind::Name) return;
        if (is_scalar(*e)) {
            const std::string name = "hoisted(" + to_string(*e) + ")";
            if (!index_.count(name)) {
                const int q = declare(name, QuantityInfo::Source::HiddenFormula, Shape::Scalar);
                info_[q].expr = std::move(e);
                info_[q].owner = owner;
                info_[q].visit = 2;
                order_.push_back(q);
            }
            e = Expr::make_name(name, 0);
            return;
        }
        // prev's first argument names a quantity; it stays as it is.
        const bool is_prev = e->kind == Expr::Kind::Call && e->name == "prev";
        for (std::size_t i = is_prev ? 1 : 0; i < e->args.size(); ++i) hoist(e->args[i], owner);
    }

    // Code generation: one temporary per operation node. Each temporary is
    // read by exactly one later operation (its parent in the tree), so its
    // array is free for reuse from then on: the tape stays the same sequence
    // of operations, only fewer arrays are touched.
    Ref emit(const Expr& e, Tape& tape, TempSlots& temps) {
        auto op = [&](OpCode code, Ref a, Ref b = {}) {
            // Taken before the operands are released: a result never shares
            // an array with an operand (unary loops are __restrict).
            const Ref dst{Ref::Kind::Temp, temps.take()};
            if (a.kind == Ref::Kind::Temp) temps.release(a.index);
            if (b.kind == Ref::Kind::Temp) temps.release(b.index);
            tape.code.push_back({code, dst, a, b});
            return dst;
        };
        switch (e.kind) {
            case Expr::Kind::Number: return constant(e.number);
            case Expr::Kind::Name:
                if (e.name == "year") return op(OpCode::Year, {});
                if (e.name == "t") return op(OpCode::YearIndex, {});
                return {Ref::Kind::Quantity, p_.index_of(e.name)};
            case Expr::Kind::Negate: return op(OpCode::Negate, emit(*e.args[0], tape, temps));
            case Expr::Kind::Add:
            case Expr::Kind::Subtract:
            case Expr::Kind::Multiply:
            case Expr::Kind::Divide:
            case Expr::Kind::Power: {
                const Ref a = emit(*e.args[0], tape, temps);
                const Ref b = emit(*e.args[1], tape, temps);
                const OpCode c = e.kind == Expr::Kind::Add        ? OpCode::Add
                                 : e.kind == Expr::Kind::Subtract ? OpCode::Subtract
                                 : e.kind == Expr::Kind::Multiply ? OpCode::Multiply
                                 : e.kind == Expr::Kind::Divide   ? OpCode::Divide
                                                                  : OpCode::Power;
                return op(c, a, b);
            }
            case Expr::Kind::Call: break;
        }
        const std::string& f = e.name;
        if (f == "exp" || f == "log" || f == "sqrt" || f == "abs" || f == "sin" || f == "cos") {
            const OpCode c = f == "exp"    ? OpCode::Exp
                             : f == "log"  ? OpCode::Log
                             : f == "sqrt" ? OpCode::Sqrt
                             : f == "abs"  ? OpCode::Abs
                             : f == "sin"  ? OpCode::Sin
                                           : OpCode::Cos;
            return op(c, emit(*e.args[0], tape, temps));
        }
        if (f == "pow") {
            const Ref a = emit(*e.args[0], tape, temps);
            return op(OpCode::Power, a, emit(*e.args[1], tape, temps));
        }
        if (f == "min" || f == "max") {
            Ref acc = emit(*e.args[0], tape, temps);
            for (std::size_t i = 1; i < e.args.size(); ++i)
                acc = op(f == "min" ? OpCode::Min : OpCode::Max, acc, emit(*e.args[i], tape, temps));
            return acc;
        }
        if (f == "prev") {
            const Ref x{Ref::Kind::Quantity, p_.index_of(e.args[0]->name)};
            return op(OpCode::Prev, x, emit(*e.args[1], tape, temps));
        }
        // cagr / at: year arguments were checked to be model years.
        const Ref x{Ref::Kind::Quantity, p_.index_of(e.args[0]->name)};
        Ref dst = op(f == "cagr" ? OpCode::Cagr : OpCode::At, x);
        tape.code.back().i0 = static_cast<int>(e.args[1]->number) - p_.years_.front();
        if (f == "cagr") tape.code.back().i1 = static_cast<int>(e.args[2]->number) - p_.years_.front();
        return dst;
    }

    Ref constant(double v) {
        auto& c = p_.constants_;
        for (std::size_t i = 0; i < c.size(); ++i)
            if (std::memcmp(&c[i], &v, sizeof v) == 0) return {Ref::Kind::Constant, static_cast<int>(i)};
        c.push_back(v);
        return {Ref::Kind::Constant, static_cast<int>(c.size() - 1)};
    }

    // The inputs and the formulas named as results (all formulas when the
    // spec names none) are readable after evaluate(); hidden quantities never.
    void mark_results() {
        const auto formulas = static_cast<int>(spec_.formulas.size());
        readable_.assign(p_.names_.size(), false);
        for (int q = 0; q < p_.input_count_ + formulas; ++q)
            readable_[static_cast<std::size_t>(q)] = q < p_.input_count_ || !spec_.results;
        for (const std::string& name : spec_.results.value_or(std::vector<std::string>{})) {
            const int q = p_.index_of(name);
            if (q < p_.input_count_ || q >= p_.input_count_ + formulas)
                throw CompileError("", 0, "'" + name + "' is listed as a result but is not a formula");
            readable_[static_cast<std::size_t>(q)] = true;
        }
    }

    // Storage (see Program::slots): the readable quantities in block-sized
    // arrays, the others in chunk-sized ones. A yearly quantity keeps every
    // year unless it is neither readable nor read in another year by prev(),
    // cagr() or at(): then one array is overwritten year after year (a
    // growth() product is updated in place: Growth reads values(q, t - 1),
    // the same array). The same operations on the same values, in less memory.
    void assign_slots() {
        std::vector<bool> read_across_years(p_.names_.size(), false);
        for (const auto* tapes : {&p_.before_years_, &p_.each_year_, &p_.after_years_})
            for (const Tape& tape : *tapes)
                for (const Instruction& in : tape.code)
                    if (in.op == OpCode::Prev || in.op == OpCode::Cagr || in.op == OpCode::At)
                        read_across_years[static_cast<std::size_t>(in.a.index)] = true;
        p_.readable_ = readable_;
        p_.slots_.clear();
        for (std::size_t q = 0; q < p_.names_.size(); ++q) {
            const bool every_year = readable_[q] || read_across_years[q];
            p_.slots_.push_back(p_.shapes_[q] == Shape::Yearly && every_year ? p_.years_.size() : 1);
        }
    }

    void generate(int q) {
        const QuantityInfo& in = info_[q];
        Tape tape;
        tape.quantity = q;
        TempSlots temps;
        const Ref self{Ref::Kind::Quantity, q};
        const Ref r = emit(*in.expr, tape, temps);
        if (in.source == QuantityInfo::Source::HiddenGrowth) {
            tape.code.push_back({OpCode::Growth, self, r, {}});
        } else if (r.kind == Ref::Kind::Temp && !tape.code.empty() && tape.code.back().dst.kind == Ref::Kind::Temp &&
                   tape.code.back().dst.index == r.index) {
            tape.code.back().dst = self;  // write the last result in place
        } else {
            tape.code.push_back({OpCode::Copy, self, r, {}});
        }
        p_.temp_count_ = std::max(p_.temp_count_, temps.count());
        if (in.shape == Shape::Yearly) p_.each_year_.push_back(std::move(tape));
        else if (in.after_years) p_.after_years_.push_back(std::move(tape));
        else p_.before_years_.push_back(std::move(tape));
    }
};

Program Program::compile(const ModelSpec& spec) { return Compiler(spec).run(); }

int Program::index_of(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<int>(i);
    return -1;
}

}  // namespace flopcast::formula
