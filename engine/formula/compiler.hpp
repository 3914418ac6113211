#pragma once
// The compiler behind Program::compile, internal to engine/formula. Its
// passes live in files named after them (docs/language.md):
//   program.cpp         run(): the passes in order
//   dimensions.cpp      arrays: one scalar quantity per element; broadcasting,
//                       reductions and selections become formulas over elements
//   resolve_names.cpp   declare quantities, check names and argument counts,
//                       lower built-ins, fold constants, hidden quantities
//   infer_shapes.cpp    scalar or yearly, phases, cycles, evaluation order
//   hoist.cpp           year-invariant parts of yearly formulas, once
//   emit.cpp            tapes, temporaries, constants, storage
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/formula/ast.hpp"
#include "engine/formula/program.hpp"

namespace flopcast::formula {

struct Builtin;

// Temporary arrays of one tape: a released index is handed out again, lowest
// first, so the count is the most that are live at once.
class TempSlots {
public:
    int take();
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

[[nodiscard]] bool is_identifier(std::string_view s);
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
[[nodiscard]] std::string format_number(double v);

class Compiler {
public:
    explicit Compiler(const ModelSpec& spec) : spec_(spec) {}
    Program run();

private:
    const ModelSpec& spec_;
    Program p_;
    std::vector<QuantityInfo> info_;
    std::map<std::string, int, std::less<>> index_;
    std::vector<int> order_;      // formulas in dependency order
    std::vector<bool> readable_;  // per quantity: an input or a result
    std::vector<int> stack_;      // DFS path, for naming cycles
    std::string current_;         // formula being resolved
    int formula_end_ = 0;         // quantities [input_count, formula_end_) are the user's formulas

    // dimensions.cpp
    struct Naming {
        std::uint64_t mask = 0;     // its dimensions, bit i for dimension i
        std::vector<int> order;     // the dimensions in the order its element names list them
        bool input = false;
    };
    std::map<std::string, Naming, std::less<>> arrays_by_name_;  // inputs and formulas with dimensions
    std::map<std::string, std::uint64_t, std::less<>> formula_masks_;
    void check_dimensions();
    void declare_input(const InputDecl& in);
    [[nodiscard]] int dimension_index(std::string_view name) const;  // -1: not a dimension
    [[nodiscard]] std::string describe_dims(std::uint64_t mask) const;
    std::uint64_t dims_of(const Expr& e, bool strict);
    void infer_dimensions(const std::vector<ExprPtr>& parsed);
    void declare_formula(const FormulaDecl& f);
    [[nodiscard]] ExprPtr elaborate(const Expr& e, const std::vector<int>& binding);
    [[nodiscard]] const Builtin* reduction(const Expr& e) const;  // the reducing built-in, or nullptr
    [[nodiscard]] std::vector<std::vector<int>> elements_of(std::uint64_t mask) const;

    // resolve_names.cpp
    void check_years();
    void check_user_name(const std::string& name) const;
    int declare(const std::string& name, QuantityInfo::Source source, Shape shape, bool element = false);
    [[noreturn]] void unknown_name(const Expr& e, bool call);
    void resolve(ExprPtr& e);
    void year_argument(const Expr& call, std::size_t i);
    std::string hidden(QuantityInfo::Source source, ExprPtr expr, const std::string& fn);
    void fold(ExprPtr& e);
    void check_arguments(const Expr& e, const std::string& owner);

    // infer_shapes.cpp
    void infer(int q);
    void visit_expr(const Expr& e, bool& yearly, bool& after, std::string& cause, const std::string& owner);
    [[nodiscard]] bool is_scalar(const Expr& e) const;

    // hoist.cpp
    void hoist(ExprPtr& e, const std::string& owner);

    // emit.cpp
    Ref emit(const Expr& e, Tape& tape, TempSlots& temps);
    Ref constant(double v);
    void mark_results();
    void assign_slots();
    void generate(int q);
};

}  // namespace flopcast::formula
