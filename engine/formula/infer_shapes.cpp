// Pass: shapes. Depth-first over the formulas: scalar or yearly, which phase
// (before the years, each year, after the last year), cycles, and the order
// the tapes run in.
#include <algorithm>

#include "engine/formula/builtins.hpp"
#include "engine/formula/compiler.hpp"

namespace flopcast::formula {

void Compiler::infer(int q) {
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

void Compiler::visit_expr(const Expr& e, bool& yearly, bool& after, std::string& cause, const std::string& owner) {
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
    const Builtin* f = e.kind == Expr::Kind::Call ? find_builtin(e.name) : nullptr;
    if (f && f->role == Role::Prev) {
        // The previous year of x is known before this year starts, so it
        // adds no ordering constraint: that is what allows recurrences.
        yearly = true;
        visit_expr(*e.args[1], yearly, after, cause, owner);
        return;
    }
    if (f && f->role == Role::YearReduction) {
        infer(p_.index_of(e.args[0]->name));
        if (!after) after = true, cause = e.name + "(" + e.args[0]->name + ", ...)";
        return;
    }
    for (const auto& a : e.args) visit_expr(*a, yearly, after, cause, owner);
}

// Whether e has one value per trajectory (does not change with the year).
bool Compiler::is_scalar(const Expr& e) const {
    switch (e.kind) {
        case Expr::Kind::Number: return true;
        case Expr::Kind::Name:
            return e.name != "year" && e.name != "t" && p_.shapes_[p_.index_of(e.name)] == Shape::Scalar;
        case Expr::Kind::Call:
            if (const Role r = find_builtin(e.name)->role; r == Role::Prev || r == Role::YearReduction) return false;
            break;
        default: break;
    }
    for (const auto& a : e.args)
        if (!is_scalar(*a)) return false;
    return true;
}

}  // namespace flopcast::formula
