#include "engine/run/posterior_state.hpp"

#include <string>

#include "engine/run/series_accumulator.hpp"
#include "engine/run/state_bytes.hpp"

namespace flopcast::run {

PosteriorState PosteriorState::empty(std::size_t series, std::size_t observations, std::uint64_t first_block,
                                     std::size_t groups, std::vector<std::size_t> grouped) {
    PosteriorState p;
    if (!grouped.empty() && groups > 1) {
        p.groups = groups;
        p.group_sketches.resize(groups * grouped.size());
        p.grouped = std::move(grouped);
    }
    p.totals = stats::OrderedReduction<stats::WeightTotals>(first_block);
    p.each.assign(observations, stats::OrderedReduction<stats::WeightTotals>(first_block));
    for (std::size_t j = 0; j < series; ++j)
        p.series.push_back({stats::OrderedReduction<stats::WeightedMoments>(first_block), {}});
    return p;
}

namespace {

void put_sketch(StateWriter& w, const stats::WeightedSketch& s) {
    w.put<std::uint64_t>(s.count());
    w.put(s.count() ? s.min() : 0.0);
    w.put(s.count() ? s.max() : 0.0);
    w.put_all(s.buckets());
}

stats::WeightedSketch get_sketch(StateReader& r) {
    const auto n = r.get<std::uint64_t>();
    const auto mn = r.get<double>(), mx = r.get<double>();
    const auto buckets = r.get_all<stats::WeightedSketch::Bucket>();
    try {
        return stats::WeightedSketch::from_buckets(buckets, n, mn, mx);
    } catch (const std::invalid_argument& e) {
        throw StateError(std::string("the saved state is corrupt (") + e.what() + ")");
    }
}

}  // namespace

// Its bytes: the moments' tree, then the sketch (put_sketch).
void WeightedSeriesState::put(StateWriter& w) const {
    put_reduction(w, moments);
    put_sketch(w, sketch);
}

WeightedSeriesState WeightedSeriesState::get(StateReader& r) {
    WeightedSeriesState s{get_reduction<stats::WeightedMoments>(r, "posterior "), {}};
    s.sketch = get_sketch(r);
    return s;
}

WeightedSeriesState::Block WeightedSeriesState::add_block(std::span<const double> x, Context& c, Kept& kept) {
    const std::size_t n = x.size();
    const bool finite = c.prior && c.prior->count() == n && n > 0;  // then the prior scan's extremes hold
    Block m;
    if (!(c.top > -std::numeric_limits<double>::infinity())) m = {};
    else if (finite) m = Block::of_block(x, c.scaled, c.scaled_sums, c.top, c.prior->min(), c.prior->max());
    else m = Block::of(x, c.scaled, c.top);
    if (c.fixed_sums.weighted) {
        if (finite) kept.add_block(x, c.fixed, c.fixed_sums, c.prior->min(), c.prior->max());
        else kept.add(x, c.fixed);
    }
    return m;
}

void WeightedSeriesState::append(const WeightedSeriesState& later) {
    append_reduction(moments, later.moments);
    sketch.merge(later.sketch);
}

void put_posterior(StateWriter& w, const PosteriorState& p, bool with_groups) {
    put_reduction(w, p.totals);
    w.put<std::uint64_t>(p.each.size());
    for (const auto& e : p.each) put_reduction(w, e);
    w.put<std::uint64_t>(p.series.size());
    put_all(w, p.series);
    if (!with_groups) return;
    w.put<std::uint64_t>(p.groups);
    w.put<std::uint64_t>(p.grouped.size());
    for (std::size_t j : p.grouped) w.put<std::uint64_t>(j);
    for (const auto& g : p.group_sketches) put_sketch(w, g);
}

PosteriorState get_posterior(StateReader& r, bool with_groups) {
    PosteriorState p;
    p.totals = get_reduction<stats::WeightTotals>(r, "posterior ");
    const auto observations = r.count(2 * sizeof(std::uint64_t));
    for (std::uint64_t i = 0; i < observations; ++i) p.each.push_back(get_reduction<stats::WeightTotals>(r, "posterior "));
    const auto series = r.count(2 * sizeof(std::uint64_t));
    get_all(r, series, p.series);
    if (!with_groups) return p;
    p.groups = r.get<std::uint64_t>();
    const auto grouped = r.count(sizeof(std::uint64_t));
    if (p.groups < 2 || p.groups > 1024 || grouped == 0 || grouped > series)
        throw StateError("the saved state is corrupt (its posterior groups are out of range)");
    for (std::uint64_t i = 0; i < grouped; ++i) {
        const auto j = r.get<std::uint64_t>();
        if (j >= series || (i > 0 && j <= p.grouped.back()))
            throw StateError("the saved state is corrupt (a posterior grouped series is out of range)");
        p.grouped.push_back(static_cast<std::size_t>(j));
    }
    for (std::uint64_t i = 0; i < p.groups * grouped; ++i) p.group_sketches.push_back(get_sketch(r));
    return p;
}

void append_posterior(PosteriorState& a, const PosteriorState& b) {
    if (a.each.size() != b.each.size() || a.series.size() != b.series.size() || a.groups != b.groups ||
        a.grouped != b.grouped)
        throw StateError("states of different scenarios cannot be merged (their observations differ)");
    try {
        append_reduction(a.totals, b.totals);
        for (std::size_t i = 0; i < a.each.size(); ++i) append_reduction(a.each[i], b.each[i]);
        append_all(a.series, b.series);
        for (std::size_t i = 0; i < a.group_sketches.size(); ++i) a.group_sketches[i].merge(b.group_sketches[i]);
    } catch (const std::logic_error&) {
        throw StateError("states do not meet (their posterior blocks do not follow each other)");
    }
}

PosteriorResult to_posterior_result(const PosteriorState& p, const std::vector<std::size_t>& first,
                                    const std::vector<std::size_t>& width) {
    PosteriorResult r;
    r.totals = p.totals.result();
    for (const auto& e : p.each) r.each.push_back(e.result());
    for (std::size_t k = 0; k < first.size(); ++k) {
        std::vector<PosteriorSeries> out;
        for (std::size_t t = 0; t < width[k]; ++t) {
            const auto& s = p.series[first[k] + t];
            out.push_back({s.moments.result(), s.sketch});
        }
        r.outputs.push_back(std::move(out));
    }
    return r;
}

}  // namespace flopcast::run
