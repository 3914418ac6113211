#include "engine/run/run_state.hpp"

#include <cstring>
#include <string>

#include "engine/run/series_accumulator.hpp"
#include "engine/run/state_bytes.hpp"
#include "engine/stats/block_stats.hpp"

namespace flopcast::run {
namespace {

constexpr char kMagic[8] = {'F', 'L', 'C', 'S', 'T', 'A', 'T', 'E'};
constexpr std::uint32_t kVersion = 2;  // 2: the list of grouped series
constexpr std::uint32_t kPosteriorVersion = 3;  // 3: 2, then the posterior (put_posterior)
// 4: 3 with the posterior's groups (a run with --until posterior:...); the
// other states keep the bytes of formats 2 and 3.
constexpr std::uint32_t kPosteriorGroupsVersion = 4;

using Writer = run::StateWriter;
using Reader = run::StateReader;

}  // namespace

// The bytes of formats 2 to 4: the moments' tree, the non-finite counts, the
// sketch's buckets, then its extremes.
void SeriesState::put(StateWriter& w) const {
    put_reduction(w, moments);
    w.put(non_finite);
    const auto buckets = sketch.buckets();
    w.put<std::uint64_t>(buckets.size());
    for (const auto& b : buckets) w.put(b);
    w.put(sketch.min());
    w.put(sketch.max());
}

SeriesState SeriesState::get(StateReader& r) {
    SeriesState s;
    s.moments = get_reduction<stats::Moments>(r, "");
    s.non_finite = r.get<stats::NonFiniteCounts>();
    const auto buckets = r.count(sizeof(stats::QuantileSketch::Bucket));
    std::vector<stats::QuantileSketch::Bucket> b(buckets);
    for (auto& x : b) x = r.get<stats::QuantileSketch::Bucket>();
    const auto mn = r.get<double>(), mx = r.get<double>();
    try {
        if (!b.empty()) s.sketch = stats::QuantileSketch::from_buckets(b, mn, mx);
    } catch (const std::invalid_argument& e) {
        throw StateError(std::string("the saved state is corrupt (") + e.what() + ")");
    }
    return s;
}

SeriesState::Block SeriesState::add_block(std::span<const double> values, Context& c, Kept& kept) {
    Block b;
    b.moments = stats::block_stats(values, c.scratch, b.non_finite, kept);
    return b;
}

void SeriesState::append(const SeriesState& later) {
    append_reduction(moments, later.moments);
    non_finite.merge(later.non_finite);
    sketch.merge(later.sketch);
}

SeriesLayout::SeriesLayout(const scenario::Model& s) {
    for (const auto& o : s.outputs) {
        first.push_back(count);
        width.push_back(s.program.shape(o.quantity) == formula::Shape::Yearly ? s.years.size() : 1);
        count += width.back();
    }
}

RunState RunState::empty(std::size_t series_count, std::size_t groups, std::uint64_t first_block,
                         std::vector<std::size_t> grouped) {
    RunState st;
    st.first_block = st.next_block = first_block;
    st.groups = groups;
    for (std::size_t j = 0; j < series_count; ++j)
        st.series.push_back({stats::OrderedReduction<stats::Moments>(first_block), {}, {}});
    if (groups > 1) {
        if (grouped.empty())
            for (std::size_t j = 0; j < series_count; ++j) grouped.push_back(j);
        st.grouped = std::move(grouped);
        for (std::size_t g = 0; g < groups; ++g) {
            // Group g holds blocks g, g + G, ...: its items are block / G, and
            // its first item in this range is the first such block at or after first_block.
            const std::uint64_t first_item = (first_block + (groups - 1 - g)) / groups;
            for (std::size_t i = 0; i < st.grouped.size(); ++i)
                st.group_series.push_back({stats::OrderedReduction<stats::Moments>(first_item), {}, {}});
        }
    }
    return st;
}

std::vector<std::uint8_t> serialize(const RunState& st) {
    Writer w;
    for (char c : kMagic) w.put(c);
    const bool posterior_groups = st.posterior && !st.posterior->grouped.empty();
    w.put(posterior_groups ? kPosteriorGroupsVersion : st.posterior ? kPosteriorVersion : kVersion);
    w.put<std::uint64_t>(st.first_block);
    w.put<std::uint64_t>(st.next_block);
    w.put<std::uint64_t>(st.groups);
    w.put<std::uint64_t>(st.series.size());
    w.put<std::uint64_t>(st.grouped.size());
    for (std::size_t j : st.grouped) w.put<std::uint64_t>(j);
    put_all(w, st.series);
    put_all(w, st.group_series);
    if (st.posterior) put_posterior(w, *st.posterior, posterior_groups);
    return std::move(w.bytes);
}

RunState deserialize(std::span<const std::uint8_t> bytes) {
    Reader r(bytes, "the saved state");
    for (char c : kMagic)
        if (r.get<char>() != c) throw StateError("not a flopcast saved state");
    const auto version = r.get<std::uint32_t>();
    if (version != kVersion && version != kPosteriorVersion && version != kPosteriorGroupsVersion)
        throw StateError("saved state format " + std::to_string(version) + " is not the " + std::to_string(kVersion) +
                         ", " + std::to_string(kPosteriorVersion) + " or " + std::to_string(kPosteriorGroupsVersion) +
                         " this flopcast reads");
    RunState st;
    st.first_block = r.get<std::uint64_t>();
    st.next_block = r.get<std::uint64_t>();
    st.groups = r.get<std::uint64_t>();
    const auto series = r.get<std::uint64_t>();
    if (st.groups == 0 || st.groups > 1024 || series > 1000000 || st.next_block < st.first_block)
        throw StateError("the saved state is corrupt (its header is out of range)");
    const auto grouped = r.count(sizeof(std::uint64_t));
    if ((st.groups > 1) != (grouped > 0) || grouped > series)
        throw StateError("the saved state is corrupt (its grouped series do not fit its groups)");
    for (std::uint64_t i = 0; i < grouped; ++i) {
        const auto j = r.get<std::uint64_t>();
        if (j >= series || (i > 0 && j <= st.grouped.back()))
            throw StateError("the saved state is corrupt (a grouped series is out of range)");
        st.grouped.push_back(static_cast<std::size_t>(j));
    }
    get_all(r, series, st.series);
    get_all(r, st.groups * grouped, st.group_series);
    if (version == kPosteriorVersion || version == kPosteriorGroupsVersion) {
        st.posterior = get_posterior(r, version == kPosteriorGroupsVersion);
        if (st.posterior->series.size() != series)
            throw StateError("the saved state is corrupt (its posterior has a different number of series)");
        if (!st.posterior->grouped.empty() && st.posterior->groups != st.groups)
            throw StateError("the saved state is corrupt (its posterior groups are not its groups)");
    }
    if (!r.done()) throw StateError("the saved state is corrupt (bytes left over)");
    return st;
}

void append(RunState& a, const RunState& b) {
    if (b.first_block != a.next_block)
        throw StateError("states do not meet: one ends at block " + std::to_string(a.next_block) +
                         ", the next starts at block " + std::to_string(b.first_block));
    if (a.series.size() != b.series.size() || a.groups != b.groups || a.grouped != b.grouped)
        throw StateError("states of different scenarios cannot be merged");
    append_all(a.series, b.series);
    append_all(a.group_series, b.group_series);
    if (a.posterior.has_value() != b.posterior.has_value())
        throw StateError("states of different scenarios cannot be merged (one has observations, the other not)");
    if (a.posterior) append_posterior(*a.posterior, *b.posterior);
    a.next_block = b.next_block;
}

RunResult to_result(const scenario::Model& s, const RunState& st, std::uint64_t samples) {
    const SeriesLayout layout(s);
    RunResult r;
    r.samples = samples;
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        OutputResult o;
        o.name = s.outputs[k].name;
        o.yearly = s.program.shape(s.outputs[k].quantity) == formula::Shape::Yearly;
        for (std::size_t t = 0; t < layout.width[k]; ++t) {
            const auto& ss = st.series[layout.first[k] + t];
            o.series.emplace_back(ss.moments.result(), ss.sketch, ss.non_finite);
        }
        // Per-group results when every series has them (Sobol replicates);
        // a precision run's few grouped series serve only its targets.
        if (st.groups > 1 && st.grouped.size() == st.series.size()) {
            o.groups.resize(st.groups);
            for (std::size_t g = 0; g < st.groups; ++g)
                for (std::size_t t = 0; t < layout.width[k]; ++t) {
                    const auto& ss = st.group_series[g * layout.count + layout.first[k] + t];
                    o.groups[g].emplace_back(ss.moments.result(), ss.sketch, ss.non_finite);
                }
        }
        r.outputs.push_back(std::move(o));
    }
    if (st.posterior) r.posterior = to_posterior_result(*st.posterior, layout.first, layout.width);
    return r;
}

}  // namespace flopcast::run
