#pragma once
// The catalogue of sensitivity methods: one row per method, as the
// distribution families are in distributions/factory.cpp.
//
// A method is one file (its computation, its Method, its row) and one entry
// in `Methods` below; the state and result variants, the table the command
// line reads, and the saved-state index all follow from that list. The
// printed ranking is in engine/cli/sensitivity_print.cpp, one function per
// result type (the compiler asks for it). An entry's place in the list is
// its index in saved states: append, never reorder.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/run/run_state.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/delta_analysis.hpp"
#include "engine/sensitivity/method.hpp"
#include "engine/sensitivity/morris.hpp"
#include "engine/sensitivity/record.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/tornado.hpp"

namespace flopcast::sensitivity {

// Each M has `State` (its mergeable state of some blocks), `Result`, and
// `static const MethodRow& row()`.
template <class... M>
struct MethodList {
    using State = std::variant<typename M::State...>;
    using Result = std::variant<typename M::Result...>;
    static std::vector<const MethodRow*> rows() { return {&M::row()...}; }
};

using Methods = MethodList<CorrelationMethod, TornadoMethod, SobolMethod, MorrisMethod, DeltaMethod>;
using MethodState = Methods::State;
using MethodResult = Methods::Result;

// Formats a count for reading (the command line's 1,000,000).
using CountText = std::function<std::string(std::uint64_t)>;

// A method with its options parsed and checked.
class Method {
public:
    virtual ~Method() = default;
    [[nodiscard]] virtual const MethodRow& row() const = 0;
    // Its options as `key=value` lines in a fixed order (row().build reads
    // them back): shards must agree on them.
    [[nodiscard]] virtual std::string options_text() const = 0;
    // The ordinary run behind /summary: `given` (--summary-samples) or the
    // method's default.
    [[nodiscard]] virtual std::uint64_t summary_samples(std::optional<std::uint64_t> given) const = 0;
    // Given-data methods analyse an ordinary run's samples: their state holds
    // that run, which is the summary (no separate summary run).
    [[nodiscard]] virtual bool keeps_run() const { return false; }
    // The line said before it starts (its cost), and a caveat ("" for none).
    [[nodiscard]] virtual std::string start_line(const Analysis& a, const CountText& count) const = 0;
    [[nodiscard]] virtual std::string note(const Analysis&) const { return ""; }
    [[nodiscard]] virtual bool shows_progress() const { return false; }
    // The design's blocks, and the state of blocks [first, end). Throw
    // std::invalid_argument or FactorError for what shows only then.
    [[nodiscard]] virtual std::uint64_t block_count(const Analysis& a) const = 0;
    [[nodiscard]] virtual MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                                                 const std::function<void(std::uint64_t, std::uint64_t)>& progress) const = 0;
    // The result from the state of every block (`summary`: the run behind /summary).
    [[nodiscard]] virtual MethodResult result(const Analysis& a, const MethodState& all,
                                              const run::RunResult& summary) const = 0;
    // What it writes (record.hpp).
    [[nodiscard]] virtual Record record(const Analysis& a, const MethodResult& result) const = 0;
};

// The rows, in catalogue order; nullptr for an unknown name.
[[nodiscard]] const std::vector<const MethodRow*>& methods();
[[nodiscard]] const MethodRow* find_method(std::string_view name);
// The catalogue index of a row.
[[nodiscard]] std::size_t method_index(const MethodRow& row);

// The alternative of type T (several methods may share a state type);
// throws std::invalid_argument when another is held.
template <class T, class Variant>
[[nodiscard]] const T& held(const Variant& v) {
    return std::visit(
        [](const auto& x) -> const T& {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, T>) return x;
            else throw std::invalid_argument("a sensitivity state or result of another method");
        },
        v);
}

// The variant holding alternative `index` (a catalogue index), value-initialized.
[[nodiscard]] MethodState empty_state(std::size_t index);

}  // namespace flopcast::sensitivity
