#pragma once
// A compiled multi-year model: named inputs (filled by the caller for each
// block of samples) and formulas over them, evaluated over whole blocks,
// structure of arrays. Knows nothing of distributions or of what is modelled.
//
// Language (see docs/scenario-format.md for the user's view, docs/language.md
// for the passes and the table of built-ins, builtins.cpp):
//   numbers 312e12, + - * / ^ (right-assoc.), unary minus, parentheses,
//   < <= > >= == != (1 or 0; NaN when an operand is NaN), and or not,
//   exp log sqrt abs sin cos (radians) pow(a, b) min(a, b, ...) max(a, b, ...),
//   if(c, a, b) clamp(x, lo, hi) logistic(x) scurve(x, midpoint, width),
//   year        the calendar year being evaluated,
//   t           the year index: 0 in the first year,
//   growth(g)   running product: 1 in the first year, g(t1) * ... * g(t) later,
//   prev(x, v)  x in the previous year; v in the first year (x may be the
//               formula being defined: a recurrence),
//   cagr(x, y0, y1)  (x[y1] / x[y0])^(1 / (y1 - y0)) - 1: y1 - y0 periods,
//               (for 2, 4, 8, ... periods the root is taken as repeated square
//               roots: within about an ulp of pow, not always its bits)
//   at(x, y)    x in year y, one number per trajectory.
//
// Dimensions (ModelSpec::dimensions): an input declared `over` some of them,
// and every formula that uses one, is an array: one quantity per element,
// named element_name(name, labels), resolved entirely at compile time
// (dimensions.cpp). Formulas broadcast by dimension name; sum(x, d),
// mean(x, d), prod(x, d), min(x, d), max(x, d) reduce over d; x[d=e] selects.
//
// Shapes: a quantity is a scalar (one value per trajectory) or yearly (one per
// year). A formula is yearly when anything it uses is; cagr() and at() reduce a
// yearly quantity to a scalar, known only after the last year, so no yearly
// formula may use one.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/formula/formula_error.hpp"
#include "engine/simd/simd_level.hpp"

namespace flopcast::formula {

enum class Shape { Scalar, Yearly };

struct InputDecl {
    std::string name;
    Shape shape = Shape::Scalar;
    // The dimensions the input is drawn over, in the order that names its
    // elements: over = {region, chip} names units[us,H100]. Empty: one value.
    std::vector<std::string> over = {};
};

// A named dimension and its ordered elements: chip = [A100, H100, B200].
struct Dimension {
    std::string name;
    std::vector<std::string> elements;
};

// "units[us,H100]": the name of one element of an array.
[[nodiscard]] std::string element_name(std::string_view array, const std::vector<std::string>& labels);

struct FormulaDecl {
    std::string name;
    std::string text;
};

struct ModelSpec {
    std::vector<int> years;  // consecutive calendar years, e.g. 2023..2027
    std::vector<InputDecl> inputs;
    std::vector<FormulaDecl> formulas;
    // The formulas the caller reads after evaluate() (a scenario's outputs);
    // none given: every formula. The others are intermediate values, which
    // live in small per-chunk arrays (see Workspace): the caller cannot read
    // them, and a block's working set stays in the core's fast caches.
    // A formula of an array names all its elements.
    std::optional<std::vector<std::string>> results;
    std::vector<Dimension> dimensions = {};  // in declaration order
};

// An input or formula with dimensions: its dimensions (indices into
// Program::dimensions(), in declaration order) and its element quantities,
// row-major in that order (the last dimension varies fastest).
struct ArrayInfo {
    std::string name;
    std::vector<int> dims;
    std::vector<int> quantities;
};

// A formula that does not compile, with the name of the formula it is in
// (empty for problems of the spec as a whole).
class CompileError : public FormulaError {
public:
    CompileError(std::string formula, int column, const std::string& message)
        : FormulaError(column, message), formula_(std::move(formula)) {}
    [[nodiscard]] const std::string& formula() const noexcept { return formula_; }

private:
    std::string formula_;
};

// One step of a tape. Operands are references resolved per year, so one tape
// serves every year.
struct Ref {
    enum class Kind : unsigned char { None, Temp, Quantity, Constant };
    Kind kind = Kind::None;
    int index = 0;
};

enum class OpCode : unsigned char {
    Add, Subtract, Multiply, Divide, Power, Negate, Exp, Log, Sqrt, Abs, Sin, Cos, Min, Max, Copy,
    Year, YearIndex,   // dst = calendar year / year index
    Prev,              // dst = t == 0 ? b : a(t - 1)      (a is a yearly quantity)
    Growth,            // dst = t == 0 ? 1 : dst(t - 1) * a (dst is a yearly quantity)
    Cagr,              // dst = (a[i1] / a[i0])^(1 / (years[i1] - years[i0])) - 1
    At,                // dst = a[i0]
    Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual, And, Or, Not,  // builtins.hpp semantics
    Logistic,          // dst = 1 / (1 + exp(-a))
    If,                // dst = a != a ? a : (a != 0 ? b : c)
};

struct Instruction {
    OpCode op;
    Ref dst, a, b;
    Ref c = {};  // the third operand (If)
    int i0 = 0, i1 = 0;
};

struct Tape {
    int quantity = -1;  // the quantity this tape computes
    std::vector<Instruction> code;
};

class Workspace;

class Program {
public:
    // Throws CompileError: parse errors, unknown names (with a suggestion),
    // wrong argument counts, cycles, a reduction used by a yearly formula,
    // division by a literal zero, constants that overflow.
    [[nodiscard]] static Program compile(const ModelSpec& spec);

    [[nodiscard]] const std::vector<int>& years() const noexcept { return years_; }
    [[nodiscard]] std::size_t year_count() const noexcept { return years_.size(); }

    // Quantities: the inputs first (in spec order), then the formulas (in spec
    // order), then hidden helpers (running products, reduced expressions).
    [[nodiscard]] int quantity_count() const noexcept { return static_cast<int>(names_.size()); }
    [[nodiscard]] int index_of(std::string_view name) const;  // -1 when unknown
    [[nodiscard]] const std::string& name(int q) const { return names_.at(q); }
    [[nodiscard]] Shape shape(int q) const { return shapes_.at(q); }
    [[nodiscard]] bool is_input(int q) const noexcept { return q < input_count_; }
    [[nodiscard]] int input_count() const noexcept { return input_count_; }

    // The dimensions, and the arrays (inputs and formulas with dimensions).
    [[nodiscard]] const std::vector<Dimension>& dimensions() const noexcept { return dimensions_; }
    [[nodiscard]] const std::vector<ArrayInfo>& arrays() const noexcept { return arrays_; }
    [[nodiscard]] const ArrayInfo* array(std::string_view name) const;  // nullptr: not an array

    // Fully parenthesised form of a formula, as the parser understood it.
    [[nodiscard]] const std::string& parsed_text(int q) const { return parsed_.at(q); }

    // Evaluates every formula for the block in `ws`, whose inputs the caller
    // has filled. Pure: reads inputs, writes formulas.
    //
    // The block is evaluated a chunk of kChunk samples at a time, every year
    // of every formula for one chunk before the next, so that intermediate
    // values are written to and read from arrays of kChunk values that stay
    // in the core's first-level cache, instead of block-sized arrays that
    // spill from it; only inputs and results are block-sized. Each value
    // goes through the same operations either way: the bits do not depend
    // on the chunk size, nor on the vector instructions (simd_level.hpp):
    // the second form picks them, for the tests that compare the two (it
    // throws std::invalid_argument when the CPU lacks them).
    void evaluate(Workspace& ws) const;
    void evaluate(Workspace& ws, simd::Level level) const;
    static constexpr std::size_t kChunk = 256;

    // Whether the caller can read q after evaluate(): the inputs, and the
    // formulas named in ModelSpec::results (all formulas when none are).
    [[nodiscard]] bool is_readable(int q) const { return readable_.at(q); }

    // For Workspace: how many arrays quantity q is stored in (block-sized
    // when readable, chunk-sized otherwise). Yearly quantities keep one per
    // year, except those nobody outside reads and no prev(), cagr() or at()
    // reads in another year: one array, overwritten year after year (a
    // running product growth() is updated in place).
    [[nodiscard]] std::size_t slots(int q) const { return slots_.at(q); }
    [[nodiscard]] const std::vector<double>& constants() const noexcept { return constants_; }
    [[nodiscard]] int temp_count() const noexcept { return temp_count_; }

private:
    friend class Compiler;

    std::vector<int> years_;
    std::vector<Dimension> dimensions_;
    std::vector<ArrayInfo> arrays_;
    std::vector<std::string> names_;
    std::vector<Shape> shapes_;
    std::vector<std::string> parsed_;
    int input_count_ = 0;
    std::vector<double> constants_;
    int temp_count_ = 0;
    std::vector<bool> readable_;
    std::vector<std::size_t> slots_;
    std::vector<Tape> before_years_;  // scalar formulas of inputs only
    std::vector<Tape> each_year_;     // yearly formulas, in dependency order
    std::vector<Tape> after_years_;   // reductions and the scalars that use them
};

// The memory one thread evaluates blocks in, reused from block to block:
// block-sized arrays (structure of arrays) for the quantities the caller
// fills or reads, chunk-sized arrays for intermediate values, temporaries
// and constants.
class Workspace {
public:
    Workspace(const Program& program, std::size_t block_size);

    [[nodiscard]] std::size_t block_size() const noexcept { return block_; }
    [[nodiscard]] std::size_t chunk_size() const noexcept { return chunk_; }
    // Values of quantity q in year index t (t is ignored for scalars), for
    // the whole block. Throws std::logic_error when q is not readable
    // (Program::is_readable): its values exist one chunk at a time.
    [[nodiscard]] std::span<double> values(int q, std::size_t t);
    [[nodiscard]] std::span<const double> values(int q, std::size_t t) const;

    // For Program::evaluate: quantity q in year index t for the chunk that
    // starts at sample `first`.
    [[nodiscard]] double* chunk_values(int q, std::size_t t, std::size_t first) noexcept {
        const Layout& l = layout_[static_cast<std::size_t>(q)];
        return (l.readable ? data_.data() + first : chunk_data_.data()) + l.offset + (l.slots == 1 ? 0 : t) * l.stride;
    }
    [[nodiscard]] double* temp(int i) { return temps_.data() + static_cast<std::size_t>(i) * chunk_; }
    [[nodiscard]] const double* constant(int i) const {
        return constants_.data() + static_cast<std::size_t>(i) * chunk_;
    }

private:
    struct Layout {
        std::size_t offset;  // of the first year's array in data_ or chunk_data_
        std::size_t stride;  // from one year's array to the next: block or chunk size
        std::size_t slots;
        bool readable;
    };
    [[nodiscard]] std::size_t readable_offset(int q, std::size_t t) const;

    std::size_t block_;
    std::size_t chunk_;
    std::vector<Layout> layout_;
    std::vector<std::string> names_;  // for the message of values()
    std::vector<double> data_;        // readable quantities, block-sized arrays
    std::vector<double> chunk_data_;  // the others, chunk-sized arrays
    std::vector<double> temps_;
    std::vector<double> constants_;
};

}  // namespace flopcast::formula
