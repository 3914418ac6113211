// Pass: dimensions. Resolved entirely at compile time: an array (an input
// drawn `over` some dimensions, or a formula that uses one) is one scalar
// quantity per element, named units[us,H100]; a formula over arrays becomes
// one ordinary formula per element of its dimensions, in which broadcasting,
// reductions and selections are already spelt out element by element. The
// tapes the evaluator runs are those of the same model written out by hand.
#include <algorithm>
#include <bit>

#include "engine/formula/builtins.hpp"
#include "engine/formula/compiler.hpp"

namespace flopcast::formula {

int Compiler::dimension_index(std::string_view name) const {
    for (std::size_t i = 0; i < p_.dimensions_.size(); ++i)
        if (p_.dimensions_[i].name == name) return static_cast<int>(i);
    return -1;
}

std::string Compiler::describe_dims(std::uint64_t mask) const {
    if (!mask) return "none";
    std::string s;
    for (std::size_t i = 0; i < p_.dimensions_.size(); ++i)
        if (mask >> i & 1u) s += (s.empty() ? "" : ", ") + p_.dimensions_[i].name;
    return s;
}

void Compiler::check_dimensions() {
    if (spec_.dimensions.size() > 64) throw CompileError("", 0, "more than 64 dimensions");
    for (const Dimension& d : spec_.dimensions) {
        if (!is_identifier(d.name))
            throw CompileError("", 0, "the dimension '" + d.name + "' is not a valid name: use letters, digits and _");
        if (find_builtin(d.name) || is_reserved_name(d.name))
            throw CompileError("", 0, "the dimension '" + d.name + "' is a built-in name");
        if (dimension_index(d.name) >= 0) throw CompileError("", 0, "the dimension '" + d.name + "' is declared twice");
        if (d.elements.empty()) throw CompileError("", 0, "the dimension '" + d.name + "' has no elements");
        for (std::size_t i = 0; i < d.elements.size(); ++i) {
            if (!is_identifier(d.elements[i]))
                throw CompileError("", 0, "'" + d.elements[i] + "', an element of " + d.name +
                                              ", is not an identifier: use letters, digits and _");
            if (std::find(d.elements.begin(), d.elements.begin() + static_cast<std::ptrdiff_t>(i), d.elements[i]) !=
                d.elements.begin() + static_cast<std::ptrdiff_t>(i))
                throw CompileError("", 0, "'" + d.elements[i] + "' is listed twice in the dimension " + d.name);
        }
        p_.dimensions_.push_back(d);
    }
}

// The element tuples of the dimensions in `mask`, row-major in declaration
// order: each tuple gives, per dimension, the element index or -1.
std::vector<std::vector<int>> Compiler::elements_of(std::uint64_t mask) const {
    const std::size_t n = p_.dimensions_.size();
    std::vector<std::vector<int>> out{std::vector<int>(n, -1)};
    for (std::size_t d = 0; d < n; ++d) {
        if (!(mask >> d & 1u)) continue;
        std::vector<std::vector<int>> next;
        for (const auto& prefix : out)
            for (std::size_t e = 0; e < p_.dimensions_[d].elements.size(); ++e) {
                next.push_back(prefix);
                next.back()[d] = static_cast<int>(e);
            }
        out = std::move(next);
    }
    return out;
}

namespace {
std::vector<std::string> labels(const std::vector<Dimension>& dims, const std::vector<int>& order,
                                const std::vector<int>& binding) {
    std::vector<std::string> l;
    for (int d : order) l.push_back(dims[static_cast<std::size_t>(d)].elements[static_cast<std::size_t>(binding[static_cast<std::size_t>(d)])]);
    return l;
}
}  // namespace

void Compiler::declare_input(const InputDecl& in) {
    if (in.over.empty()) {
        declare(in.name, QuantityInfo::Source::Input, in.shape);
        return;
    }
    check_user_name(in.name);
    Naming naming;
    naming.input = true;
    for (const std::string& d : in.over) {
        const int i = dimension_index(d);
        if (i < 0)
            throw CompileError(in.name, 0, "over names '" + d + "', which is not a declared dimension (declared: " +
                                               describe_dims(~std::uint64_t{0}) + ")");
        if (naming.mask >> i & 1u) throw CompileError(in.name, 0, "over names the dimension '" + d + "' twice");
        naming.mask |= std::uint64_t{1} << i;
        naming.order.push_back(i);
    }
    if (index_.count(in.name) || arrays_by_name_.count(in.name))
        throw CompileError(in.name, 0, "'" + in.name + "' is defined twice");
    ArrayInfo array{in.name, {}, {}};
    for (std::size_t d = 0; d < p_.dimensions_.size(); ++d)
        if (naming.mask >> d & 1u) array.dims.push_back(static_cast<int>(d));
    for (const auto& binding : elements_of(naming.mask))
        array.quantities.push_back(declare(element_name(in.name, labels(p_.dimensions_, naming.order, binding)),
                                           QuantityInfo::Source::Input, in.shape, true));
    arrays_by_name_.emplace(in.name, std::move(naming));
    p_.arrays_.push_back(std::move(array));
}

// sum, mean, prod over a dimension; min and max when their second (and last)
// argument is a dimension's name.
const Builtin* Compiler::reduction(const Expr& e) const {
    if (e.kind != Expr::Kind::Call) return nullptr;
    const Builtin* f = find_builtin(e.name);
    if (!f) return nullptr;
    if (f->role != Role::DimReduction && e.name != "min" && e.name != "max") return nullptr;
    if (e.args.size() == 2 && e.args[1]->kind == Expr::Kind::Name && dimension_index(e.args[1]->name) >= 0) return f;
    return nullptr;
}

// The dimensions of e. Not strict while the formulas' dimensions are still
// growing to their fixed point (infer_dimensions); strict, every misuse is
// an error naming the formula (current_) and the column.
std::uint64_t Compiler::dims_of(const Expr& e, bool strict) {
    switch (e.kind) {
        case Expr::Kind::Number: return 0;
        case Expr::Kind::Name: {
            if (const auto a = arrays_by_name_.find(e.name); a != arrays_by_name_.end() && a->second.input)
                return a->second.mask;
            if (const auto f = formula_masks_.find(e.name); f != formula_masks_.end()) return f->second;
            if (strict && dimension_index(e.name) >= 0)
                throw CompileError(current_, e.column,
                                   "'" + e.name + "' is a dimension, not a value: reduce over it (sum(x, " + e.name +
                                       ")) or select one of its elements (x[" + e.name + "=" +
                                       p_.dimensions_[static_cast<std::size_t>(dimension_index(e.name))].elements[0] + "])");
            return 0;
        }
        case Expr::Kind::Select: {
            std::uint64_t m = dims_of(*e.args[0], strict);
            for (const auto& [dim, element] : e.selection) {
                const int d = dimension_index(dim);
                if (d < 0) {
                    if (strict)
                        throw CompileError(current_, e.column,
                                           "'" + dim + "' is not a dimension (declared: " +
                                               describe_dims(~std::uint64_t{0}) + ")");
                    continue;
                }
                const auto& elements = p_.dimensions_[static_cast<std::size_t>(d)].elements;
                if (strict && std::find(elements.begin(), elements.end(), element) == elements.end()) {
                    std::string list;
                    for (const auto& el : elements) list += (list.empty() ? "" : ", ") + el;
                    throw CompileError(current_, e.column,
                                       "'" + element + "' is not an element of " + dim + " (" + list + ")");
                }
                if (strict && !(m >> d & 1u))
                    throw CompileError(current_, e.column,
                                       "'" + to_string(*e.args[0]) + "' has no dimension " + dim +
                                           " to select from (its dimensions: " + describe_dims(m) + ")");
                m &= ~(std::uint64_t{1} << d);
            }
            return m;
        }
        default: break;
    }
    if (e.kind == Expr::Kind::Call)
        if (const Builtin* f = find_builtin(e.name); f && f->role == Role::DimReduction && e.args.size() == 2 &&
                                                     !reduction(e) && strict) {
            // sum(x, d) whose d is no dimension.
            throw CompileError(current_, e.args[1]->column,
                               e.name + "(x, dim): '" + to_string(*e.args[1]) +
                                   "' is not a dimension (declared: " + describe_dims(~std::uint64_t{0}) + ")");
        }
    if (const Builtin* f = reduction(e)) {
        const std::uint64_t m = dims_of(*e.args[0], strict);
        const int d = dimension_index(e.args[1]->name);
        if (strict && !(m >> d & 1u))
            throw CompileError(current_, e.column,
                               std::string(f->name) + "(" + to_string(*e.args[0]) + ", " + e.args[1]->name + "): '" +
                                   to_string(*e.args[0]) + "' has no dimension " + e.args[1]->name +
                                   " (its dimensions: " + describe_dims(m) + ")");
        return m & ~(std::uint64_t{1} << d);
    }
    std::uint64_t m = 0;
    for (const auto& a : e.args) m |= dims_of(*a, strict);
    return m;
}

// A formula has the dimensions of everything it uses, less those it reduces
// or selects. Formulas may use each other in any order and through prev()
// (a recurrence uses itself), so the dimensions grow to a fixed point: at
// most one dimension per formula per round.
void Compiler::infer_dimensions(const std::vector<ExprPtr>& parsed) {
    for (const auto& f : spec_.formulas) formula_masks_[f.name] = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < parsed.size(); ++i) {
            std::uint64_t& m = formula_masks_[spec_.formulas[i].name];
            const std::uint64_t grown = m | dims_of(*parsed[i], false);
            changed = changed || grown != m;
            m = grown;
        }
    }
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        current_ = spec_.formulas[i].name;
        (void)dims_of(*parsed[i], true);
    }
}

void Compiler::declare_formula(const FormulaDecl& f) {
    const std::uint64_t mask = p_.dimensions_.empty() ? 0 : formula_masks_.at(f.name);
    if (!mask) {
        declare(f.name, QuantityInfo::Source::Formula, Shape::Scalar);
        return;
    }
    check_user_name(f.name);
    Naming naming;
    naming.mask = mask;
    ArrayInfo array{f.name, {}, {}};
    for (std::size_t d = 0; d < p_.dimensions_.size(); ++d)
        if (mask >> d & 1u) naming.order.push_back(static_cast<int>(d)), array.dims.push_back(static_cast<int>(d));
    for (const auto& binding : elements_of(mask)) {
        const int q = declare(element_name(f.name, labels(p_.dimensions_, naming.order, binding)),
                              QuantityInfo::Source::Formula, Shape::Scalar, true);
        array.quantities.push_back(q);
    }
    arrays_by_name_.emplace(f.name, std::move(naming));
    p_.arrays_.push_back(std::move(array));
}

// e for one element: `binding` gives, per dimension, the element the
// formula is being written out for (-1: none). Names of arrays become the
// element's name; a selection fixes its dimensions; a reduction is written
// out over its dimension's elements, left to right in declaration order.
ExprPtr Compiler::elaborate(const Expr& e, const std::vector<int>& binding) {
    if (e.kind == Expr::Kind::Name) {
        const auto a = arrays_by_name_.find(e.name);
        if (a == arrays_by_name_.end()) return e.clone();
        return Expr::make_name(element_name(e.name, labels(p_.dimensions_, a->second.order, binding)), e.column);
    }
    if (e.kind == Expr::Kind::Select) {
        std::vector<int> b = binding;
        for (const auto& [dim, element] : e.selection) {
            const int d = dimension_index(dim);
            const auto& elements = p_.dimensions_[static_cast<std::size_t>(d)].elements;
            b[static_cast<std::size_t>(d)] =
                static_cast<int>(std::find(elements.begin(), elements.end(), element) - elements.begin());
        }
        return elaborate(*e.args[0], b);
    }
    if (const Builtin* f = reduction(e)) {
        const int d = dimension_index(e.args[1]->name);
        const std::size_t n = p_.dimensions_[static_cast<std::size_t>(d)].elements.size();
        std::vector<ExprPtr> parts;
        std::vector<int> b = binding;
        for (std::size_t k = 0; k < n; ++k) {
            b[static_cast<std::size_t>(d)] = static_cast<int>(k);
            parts.push_back(elaborate(*e.args[0], b));
        }
        if (n == 1) return std::move(parts[0]);
        if (f->name == "min" || f->name == "max") return Expr::make_call(std::string(f->name), std::move(parts), e.column);
        const auto kind = f->name == "prod" ? Expr::Kind::Multiply : Expr::Kind::Add;
        ExprPtr acc = std::move(parts[0]);
        for (std::size_t k = 1; k < n; ++k) acc = Expr::make_binary(kind, std::move(acc), std::move(parts[k]), e.column);
        if (f->name == "mean")
            acc = Expr::make_binary(Expr::Kind::Divide, std::move(acc), Expr::make_number(static_cast<double>(n), e.column),
                                    e.column);
        return acc;
    }
    auto out = std::make_unique<Expr>();
    out->kind = e.kind;
    out->number = e.number;
    out->name = e.name;
    out->column = e.column;
    for (const auto& a : e.args) out->args.push_back(elaborate(*a, binding));
    return out;
}

}  // namespace flopcast::formula
