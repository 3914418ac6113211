#pragma once
// One concept for the accumulators of a run's per-series statistics (an
// output in one year): the prior's SeriesState (run_state.hpp) and the
// posterior's WeightedSeriesState (posterior_state.hpp) are two lists of
// types that satisfy it, so that adding a block, merging, saving and reading
// back a state is one loop over a list, the same for the prior and the
// posterior.
//
// A SeriesAccumulator A
//   - a.append(later)   merges `later`, the accumulator of the blocks that
//                       follow a's, in block order (floating-point parts
//                       along the fixed tree of OrderedReduction, so any
//                       split into shards or checkpoints gives the same bits);
//                       throws std::logic_error when the blocks do not meet;
//   - a.put(w)          appends its state bytes (state_bytes.hpp);
//   - A::get(r)         reads them back, or throws StateError;
// and a BlockAccumulator is one the runner adds blocks of values to, in two
// parts, because threads run blocks in any order but floating-point sums
// must be taken in block order:
//   - A::add_block(values, context, kept) -> A::Block
//                       one block of one series: what must be merged in
//                       block order is returned (the runner keeps it in the
//                       block's slot of the wave), what merges in any order
//                       (integer counts: sketches) goes into `kept`, the
//                       thread's own A::Kept; A::Context is what the step
//                       reuses or shares across series (the prior: scratch
//                       space; the posterior: the block's weights);
//   - a.push(block)     the blocks' parts, in block order;
//   - a.merge(kept)     a thread's kept part, in any order.
// Their results (to_result, to_posterior_result) are written into the result
// file by output/summary_datasets.hpp's write_moment_datasets, one writer for
// /summary and /posterior.
//
// A new kind of per-series statistic therefore touches its type (a member of
// SeriesState or WeightedSeriesState, its Block or Kept, and its add_block,
// push, put/get/append lines) and the writer's row; the runner's loops
// (runner.cpp, posterior_blocks.cpp) do not change. The state format version
// rises when the bytes change.
#include <concepts>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/run/posterior_state.hpp"
#include "engine/run/run_state.hpp"
#include "engine/run/state_bytes.hpp"
#include "engine/stats/ordered_reduction.hpp"

namespace flopcast::run {

template <class A>
concept SeriesAccumulator = requires(A& a, const A& later, StateWriter& w, StateReader& r) {
    a.append(later);
    later.put(w);
    { A::get(r) } -> std::same_as<A>;
};

template <class A>
concept BlockAccumulator =
    SeriesAccumulator<A> && requires(A& a, std::span<const double> values, typename A::Context& context,
                                     typename A::Kept& kept, const typename A::Block& block) {
        { A::add_block(values, context, kept) } -> std::same_as<typename A::Block>;
        a.push(block);
        a.merge(kept);
    };

static_assert(BlockAccumulator<SeriesState>);
static_assert(BlockAccumulator<WeightedSeriesState>);

// A list of accumulators, one after another (the count is the caller's).
template <SeriesAccumulator A>
void put_all(StateWriter& w, const std::vector<A>& list) {
    for (const auto& a : list) a.put(w);
}
template <SeriesAccumulator A>
void get_all(StateReader& r, std::uint64_t n, std::vector<A>& list) {
    for (std::uint64_t i = 0; i < n; ++i) list.push_back(A::get(r));
}
// Element by element, in block order; the lists must have the same length.
template <SeriesAccumulator A>
void append_all(std::vector<A>& list, const std::vector<A>& later) {
    for (std::size_t i = 0; i < list.size(); ++i) list[i].append(later[i]);
}

// The bytes of an OrderedReduction: the next item, then its nodes (first
// item, level, the value by put_value). Shared by the run's states and the
// sensitivity designs' (whose values have no fixed size).
template <class T, class Put>
void put_reduction(StateWriter& w, const stats::OrderedReduction<T>& red, Put put_value) {
    w.put<std::uint64_t>(red.next_item());
    w.put<std::uint64_t>(red.nodes().size());
    for (const auto& node : red.nodes()) {
        w.put<std::uint64_t>(node.first);
        w.put<std::uint32_t>(node.level);
        put_value(node.value);
    }
}
// A value with a fixed-size state(): written as those bytes.
template <class T>
void put_reduction(StateWriter& w, const stats::OrderedReduction<T>& red) {
    put_reduction(w, red, [&](const T& v) { w.put(v.state()); });
}

// Reads what put_reduction wrote; each value by get_value(), which reads at
// least value_bytes. Messages say "the <subject> is corrupt (... <which>...)":
// subject "saved state" or "saved sensitivity state", which "" or "posterior ".
template <class T, class Get>
stats::OrderedReduction<T> get_reduction(StateReader& r, std::size_t value_bytes, Get get_value,
                                         const std::string& subject, const std::string& which) {
    const auto next = r.get<std::uint64_t>();
    const auto nodes = r.count(sizeof(std::uint64_t) + sizeof(std::uint32_t) + value_bytes);
    const std::string corrupt = "the " + subject + " is corrupt (";
    stats::OrderedReduction<T> red(next);
    for (std::uint64_t i = 0; i < nodes; ++i) {
        const auto first = r.get<std::uint64_t>();
        const auto level = r.get<std::uint32_t>();
        if (level > 63) throw StateError(corrupt + "a " + which + "tree level is out of range)");
        T value = get_value();
        if (i == 0) red = stats::OrderedReduction<T>(first);
        try {
            red.push_subtree(first, level, value);
        } catch (const std::logic_error&) {
            throw StateError(corrupt + "its " + which + "merge tree is inconsistent)");
        }
    }
    if (red.next_item() != next) throw StateError(corrupt + "its " + which + "merge tree does not end where it says)");
    return red;
}
// A value with a fixed-size state(), rebuilt by T::from_state.
template <class T>
stats::OrderedReduction<T> get_reduction(StateReader& r, const std::string& which) {
    using State = decltype(T{}.state());
    return get_reduction<T>(r, sizeof(State), [&] { return T::from_state(r.get<State>()); }, "saved state", which);
}

// Appends the reduction of the following items; throws std::logic_error when
// they do not follow.
template <class T>
void append_reduction(stats::OrderedReduction<T>& a, const stats::OrderedReduction<T>& later) {
    for (const auto& node : later.nodes()) a.push_subtree(node.first, node.level, node.value);
}

}  // namespace flopcast::run
