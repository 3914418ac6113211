// Pass: code generation. Tapes of instructions over temporaries, constants
// and quantities; which quantities the caller can read; how many arrays each
// is stored in.
#include <algorithm>
#include <cstring>

#include "engine/formula/builtins.hpp"
#include "engine/formula/compiler.hpp"

namespace flopcast::formula {

int TempSlots::take() {
    if (free_.empty()) return count_++;
    const auto lowest = std::min_element(free_.begin(), free_.end());
    const int i = *lowest;
    free_.erase(lowest);
    return i;
}

// One temporary per operation node. Each temporary is read by exactly one
// later operation (its parent in the tree), so its array is free for reuse
// from then on: the tape stays the same sequence of operations, only fewer
// arrays are touched.
Ref Compiler::emit(const Expr& e, Tape& tape, TempSlots& temps) {
    auto op = [&](OpCode code, Ref a, Ref b = {}, Ref c = {}) {
        // Taken before the operands are released: a result never shares
        // an array with an operand (unary loops are __restrict).
        const Ref dst{Ref::Kind::Temp, temps.take()};
        for (const Ref& r : {a, b, c})
            if (r.kind == Ref::Kind::Temp) temps.release(r.index);
        tape.code.push_back({code, dst, a, b, c});
        return dst;
    };
    switch (e.kind) {
        case Expr::Kind::Number: return constant(e.number);
        case Expr::Kind::Name:
            if (e.name == "year") return op(OpCode::Year, {});
            if (e.name == "t") return op(OpCode::YearIndex, {});
            return {Ref::Kind::Quantity, p_.index_of(e.name)};
        case Expr::Kind::Call: break;
        default: {
            // An operator: unary (-x, not x) or binary.
            const Operator& o = *find_operator(e.kind);
            const Ref a = emit(*e.args[0], tape, temps);
            if (e.args.size() == 1) return op(o.op, a);
            return op(o.op, a, emit(*e.args[1], tape, temps));
        }
    }
    const Builtin& f = *find_builtin(e.name);
    switch (f.role) {
        case Role::Elementwise: {
            // Fixed arity: one instruction; min and max chain theirs, left to right.
            std::vector<Ref> args;
            Ref acc = emit(*e.args[0], tape, temps);
            if (f.max_args < 0) {
                for (std::size_t i = 1; i < e.args.size(); ++i) acc = op(f.op, acc, emit(*e.args[i], tape, temps));
                return acc;
            }
            args.push_back(acc);
            for (std::size_t i = 1; i < e.args.size(); ++i) args.push_back(emit(*e.args[i], tape, temps));
            args.resize(3);
            return op(f.op, args[0], args[1], args[2]);
        }
        case Role::Prev: {
            const Ref x{Ref::Kind::Quantity, p_.index_of(e.args[0]->name)};
            return op(OpCode::Prev, x, emit(*e.args[1], tape, temps));
        }
        case Role::YearReduction: {
            // Year arguments were checked to be model years.
            const Ref x{Ref::Kind::Quantity, p_.index_of(e.args[0]->name)};
            Ref dst = op(f.op, x);
            tape.code.back().i0 = static_cast<int>(e.args[1]->number) - p_.years_.front();
            if (f.op == OpCode::Cagr) tape.code.back().i1 = static_cast<int>(e.args[2]->number) - p_.years_.front();
            return dst;
        }
        default: break;  // Lowered, Growth and DimReduction are gone before emit
    }
    throw CompileError(current_, e.column, "internal: " + e.name + "() reached code generation");
}

Ref Compiler::constant(double v) {
    auto& c = p_.constants_;
    for (std::size_t i = 0; i < c.size(); ++i)
        if (std::memcmp(&c[i], &v, sizeof v) == 0) return {Ref::Kind::Constant, static_cast<int>(i)};
    c.push_back(v);
    return {Ref::Kind::Constant, static_cast<int>(c.size() - 1)};
}

// The inputs and the formulas named as results (all formulas when the spec
// names none) are readable after evaluate(); hidden quantities never. A
// result naming an array makes all its elements readable.
void Compiler::mark_results() {
    readable_.assign(p_.names_.size(), false);
    for (int q = 0; q < formula_end_; ++q) readable_[static_cast<std::size_t>(q)] = q < p_.input_count_ || !spec_.results;
    for (const std::string& name : spec_.results.value_or(std::vector<std::string>{})) {
        std::vector<int> qs;
        if (const ArrayInfo* a = p_.array(name)) qs = a->quantities;
        else qs.push_back(p_.index_of(name));
        for (const int q : qs) {
            if (q < p_.input_count_ || q >= formula_end_)
                throw CompileError("", 0, "'" + name + "' is listed as a result but is not a formula");
            readable_[static_cast<std::size_t>(q)] = true;
        }
    }
}

// Storage (see Program::slots): the readable quantities in block-sized
// arrays, the others in chunk-sized ones. A yearly quantity keeps every year
// unless it is neither readable nor read in another year by prev(), cagr()
// or at(): then one array is overwritten year after year (a growth() product
// is updated in place: Growth reads values(q, t - 1), the same array). The
// same operations on the same values, in less memory.
void Compiler::assign_slots() {
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

void Compiler::generate(int q) {
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

}  // namespace flopcast::formula
