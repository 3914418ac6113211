// Compiles a ModelSpec into tapes, all at load time. The passes are in files
// named after them (compiler.hpp); run() calls them in order.
#include "engine/formula/compiler.hpp"
#include "engine/formula/builtins.hpp"
#include "engine/formula/parser.hpp"

namespace flopcast::formula {

Program Compiler::run() {
    check_years();
    check_dimensions();
    for (const auto& in : spec_.inputs) declare_input(in);
    p_.input_count_ = p_.quantity_count();
    std::vector<ExprPtr> parsed;
    for (const auto& f : spec_.formulas) {
        try {
            parsed.push_back(parse(f.text));
        } catch (const FormulaError& e) {
            throw CompileError(f.name, e.column(), e.what());
        }
    }
    const bool dimensioned = !p_.dimensions_.empty();
    if (dimensioned) infer_dimensions(parsed);
    for (const auto& f : spec_.formulas) declare_formula(f);
    formula_end_ = p_.quantity_count();
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        const FormulaDecl& f = spec_.formulas[i];
        current_ = f.name;
        // One formula per element of an array; a formula without dimensions
        // is one element (whose reductions and selections are written out).
        std::vector<int> qs;
        std::vector<std::vector<int>> bindings;
        if (const ArrayInfo* a = p_.array(f.name)) {
            qs = a->quantities;
            bindings = elements_of(formula_masks_.at(f.name));
        } else {
            qs.push_back(p_.index_of(f.name));
            bindings.emplace_back(p_.dimensions_.size(), -1);
        }
        for (std::size_t k = 0; k < qs.size(); ++k) {
            ExprPtr expr = dimensioned ? elaborate(*parsed[i], bindings[k]) : std::move(parsed[i]);
            // Resolved before it is stored: resolve() may declare hidden
            // quantities, which grows info_.
            resolve(expr);
            info_[qs[k]].expr = std::move(expr);
            info_[qs[k]].owner = f.name;
        }
    }
    for (int q = 0; q < p_.quantity_count(); ++q) infer(q);
    for (int q = 0; q < p_.quantity_count(); ++q)
        if (info_[q].expr) check_arguments(*info_[q].expr, info_[q].owner);
    for (int q = 0; q < p_.quantity_count(); ++q)
        p_.parsed_.push_back(info_[q].expr ? to_string(*info_[q].expr) : std::string());
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

Program Program::compile(const ModelSpec& spec) { return Compiler(spec).run(); }

int Program::index_of(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<int>(i);
    return -1;
}

const ArrayInfo* Program::array(std::string_view name) const {
    for (const auto& a : arrays_)
        if (a.name == name) return &a;
    return nullptr;
}

std::string element_name(std::string_view array, const std::vector<std::string>& labels) {
    std::string s(array);
    s += '[';
    for (std::size_t i = 0; i < labels.size(); ++i) s += (i ? "," : "") + labels[i];
    return s + ']';
}

}  // namespace flopcast::formula
