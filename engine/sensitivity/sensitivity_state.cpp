#include "engine/sensitivity/sensitivity_state.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "engine/run/series_accumulator.hpp"  // put_reduction, get_reduction
#include "engine/run/state_bytes.hpp"

namespace flopcast::sensitivity {
namespace {

constexpr char kMagic[8] = {'F', 'L', 'C', 'S', 'E', 'N', 'S', 'S'};
constexpr std::uint32_t kFormat = 1;

using Writer = run::StateWriter;
using Reader = run::StateReader;

void put_run(Writer& w, const run::RunState& st) { w.put_all(run::serialize(st)); }
run::RunState get_run(Reader& r) {
    const auto bytes = r.get_all<std::uint8_t>();
    return run::deserialize(bytes);
}

bool same_shape(const SaltelliSums& x, const SaltelliSums& y) {
    return x.weightings() == y.weightings() && x.series() == y.series() && x.factors() == y.factors();
}
bool same_shape(const MorrisSums& x, const MorrisSums& y) {
    return x.effect.size() == y.effect.size() && x.magnitude.size() == y.magnitude.size();
}

// Nodes merge element by element: every node of both must have one shape
// (shards of one analysis always do; a damaged or foreign file might not).
template <class T>
void append_reduction(stats::OrderedReduction<T>& a, const stats::OrderedReduction<T>& b) {
    const T* ref = !a.nodes().empty() ? &a.nodes().front().value : !b.nodes().empty() ? &b.nodes().front().value : nullptr;
    auto check = [&](const stats::OrderedReduction<T>& r) {
        for (const auto& node : r.nodes())
            if (!same_shape(*ref, node.value))
                throw run::StateError("sensitivity states of different outputs, factors or replicates cannot be merged");
    };
    check(a);
    check(b);
    try {
        for (const auto& node : b.nodes()) a.push_subtree(node.first, node.level, node.value);
    } catch (const std::logic_error&) {
        throw run::StateError("sensitivity states do not meet: their merge trees do not continue each other");
    }
}

void put_moments(Writer& w, const std::vector<stats::Moments>& m) {
    w.put<std::uint64_t>(m.size());
    for (const auto& x : m) w.put(x.state());
}

std::vector<stats::Moments> get_moments(Reader& r) {
    std::vector<stats::Moments> m(r.count(sizeof(stats::Moments::State)));
    for (auto& x : m) x = stats::Moments::from_state(r.get<stats::Moments::State>());
    return m;
}


// The method's part of a state, by the type of its state. Saved bytes are
// those of format 1 before the catalogue (the method's byte is its index).
void put_state(Writer& w, const SaltelliReduction& red) {
    run::put_reduction(w, red, [&](const SaltelliSums& s) {
        w.put<std::uint64_t>(s.weightings());
        w.put<std::uint64_t>(s.series());
        w.put<std::uint64_t>(s.factors());
        w.put_all(s.raw());
    });
}
void put_state(Writer& w, const MorrisReduction& red) {
    run::put_reduction(w, red, [&](const MorrisSums& s) {
        put_moments(w, s.effect);
        put_moments(w, s.magnitude);
    });
}
void put_state(Writer& w, const std::vector<double>& values) { w.put_all(values); }
void put_state(Writer& w, const CorrelationSamples& c) {
    w.put<std::uint64_t>(c.first_block);
    w.put<std::uint64_t>(c.next_block);
    w.put<std::uint64_t>(c.rows);
    w.put<std::uint64_t>(c.dimensions);
    w.put<std::uint64_t>(c.series);
    for (const auto* columns : {&c.inputs, &c.outputs}) {
        w.put<std::uint64_t>(columns->size());
        for (const auto& column : *columns) w.put_all(column);
    }
    put_run(w, c.run);
}

void get_state(Reader& r, SaltelliReduction& red) {
    red = run::get_reduction<SaltelliSums>(r, 0, [&] {
        const auto w = r.get<std::uint64_t>(), s = r.get<std::uint64_t>(), f = r.get<std::uint64_t>();
        return SaltelliSums::from_raw(w, s, f, r.get_all<double>());
    }, "saved sensitivity state", "");
}
void get_state(Reader& r, MorrisReduction& red) {
    red = run::get_reduction<MorrisSums>(r, 0, [&] {
        MorrisSums m;
        m.effect = get_moments(r);
        m.magnitude = get_moments(r);
        if (m.effect.size() != m.magnitude.size())
            throw run::StateError("the saved sensitivity state is corrupt (Morris sizes differ)");
        return m;
    }, "saved sensitivity state", "");
}
void get_state(Reader& r, std::vector<double>& values) { values = r.get_all<double>(); }
void get_state(Reader& r, CorrelationSamples& c) {
    c.first_block = r.get<std::uint64_t>();
    c.next_block = r.get<std::uint64_t>();
    c.rows = r.get<std::uint64_t>();
    c.dimensions = r.get<std::uint64_t>();
    c.series = r.get<std::uint64_t>();
    for (auto* columns : {&c.inputs, &c.outputs}) {
        columns->resize(r.count(sizeof(std::uint64_t)));
        for (auto& column : *columns) {
            column = r.get_all<double>();
            if (column.size() != c.rows)
                throw run::StateError("the saved sensitivity state is corrupt (its samples do not fill their table)");
        }
    }
    if (c.inputs.size() != c.dimensions || c.outputs.size() != c.series)
        throw run::StateError("the saved sensitivity state is corrupt (its samples do not fill their table)");
    c.run = get_run(r);
}

void append_state(SaltelliReduction& a, const SaltelliReduction& b) { append_reduction(a, b); }
void append_state(MorrisReduction& a, const MorrisReduction& b) { append_reduction(a, b); }
void append_state(std::vector<double>& a, const std::vector<double>& b) { a.insert(a.end(), b.begin(), b.end()); }
void append_state(CorrelationSamples& a, const CorrelationSamples& b) { append_samples(a, b); }

}  // namespace

const MethodRow& method_of(const SensitivityState& st) { return *methods().at(st.method.index()); }

bool keeps_run(const MethodState& st) {
    return std::visit([](const auto& x) { return std::is_same_v<std::decay_t<decltype(x)>, CorrelationSamples>; }, st);
}

const run::RunState& summary_run(const SensitivityState& st) {
    return keeps_run(st.method) ? held<CorrelationSamples>(st.method).run : st.summary;
}

std::vector<std::uint8_t> serialize(const SensitivityState& st) {
    Writer w;
    for (char c : kMagic) w.put(c);
    w.put(kFormat);
    w.put(static_cast<std::uint8_t>(st.method.index()));
    w.put<std::uint64_t>(st.first_block);
    w.put<std::uint64_t>(st.next_block);
    std::visit([&](const auto& x) { put_state(w, x); }, st.method);
    if (!keeps_run(st.method)) put_run(w, st.summary);
    return std::move(w.bytes);
}

SensitivityState deserialize_sensitivity(std::span<const std::uint8_t> bytes) {
    Reader r(bytes, "the saved sensitivity state");
    for (char c : kMagic)
        if (r.get<char>() != c) throw run::StateError("not a flopcast sensitivity state");
    const auto format = r.get<std::uint32_t>();
    if (format != kFormat)
        throw run::StateError("sensitivity state format " + std::to_string(format) + " is not the " +
                              std::to_string(kFormat) + " this flopcast reads");
    const auto method = r.get<std::uint8_t>();
    if (method >= std::variant_size_v<MethodState>)
        throw run::StateError("the saved sensitivity state is corrupt (unknown method)");
    SensitivityState st;
    st.method = empty_state(method);
    st.first_block = r.get<std::uint64_t>();
    st.next_block = r.get<std::uint64_t>();
    if (st.next_block < st.first_block) throw run::StateError("the saved sensitivity state is corrupt (its range is reversed)");
    try {
        std::visit([&](auto& x) { get_state(r, x); }, st.method);
    } catch (const std::invalid_argument& e) {
        throw run::StateError(std::string("the saved sensitivity state is corrupt (") + e.what() + ")");
    }
    if (!keeps_run(st.method)) st.summary = get_run(r);
    if (!r.done()) throw run::StateError("the saved sensitivity state is corrupt (bytes left over)");
    return st;
}

void append(SensitivityState& a, const SensitivityState& b) {
    if (a.method.index() != b.method.index())
        throw run::StateError("sensitivity states of different methods (" + std::string(method_of(a).name) + ", " +
                              std::string(method_of(b).name) + ") cannot be merged");
    if (b.first_block != a.next_block)
        throw run::StateError("sensitivity states do not meet: one ends at design block " + std::to_string(a.next_block) +
                              ", the next starts at block " + std::to_string(b.first_block));
    std::visit(
        [&](auto& x) {
            using T = std::decay_t<decltype(x)>;
            append_state(x, held<T>(b.method));
        },
        a.method);
    if (!keeps_run(a.method)) run::append(a.summary, b.summary);
    a.next_block = b.next_block;
}

}  // namespace flopcast::sensitivity
