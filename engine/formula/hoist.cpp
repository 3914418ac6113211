// Pass: hoisting. Parts of yearly formulas that do not change from year to
// year (6 * runs * params * tokens, say) are computed once, before the years,
// instead of once a year.
#include "engine/formula/builtins.hpp"
#include "engine/formula/compiler.hpp"

namespace flopcast::formula {

// Replaces each largest year-invariant operation inside a yearly formula by a
// hidden scalar quantity. Hidden quantities depend only on scalars computed
// before the years, so their tapes run last among those.
void Compiler::hoist(ExprPtr& e, const std::string& owner) {
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
    const bool is_prev = e->kind == Expr::Kind::Call && find_builtin(e->name)->role == Role::Prev;
    for (std::size_t i = is_prev ? 1 : 0; i < e->args.size(); ++i) hoist(e->args[i], owner);
}

}  // namespace flopcast::formula
