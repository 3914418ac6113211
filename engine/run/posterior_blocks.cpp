#include "engine/run/posterior_blocks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

namespace flopcast::run {

void posterior_block(const scenario::Model& s, const SeriesLayout& layout, const formula::Workspace& ws,
                     std::size_t n, std::size_t group, std::span<const stats::Moments> prior,
                     PosteriorScratch& sc, PosteriorSlot& slot) {
    sc.log_weight.assign(n, 0.0);
    sc.own.resize(n);
    for (std::size_t j = 0; j < s.observations.size(); ++j) {
        const auto& o = s.observations[j];
        const auto x = ws.values(o.quantity, o.year_index);
        for (std::size_t i = 0; i < n; ++i) sc.own[i] = scenario::log_weight(o, x[i]);
        // Each alone, for the diagnostics; with one observation that is the total, below.
        if (s.observations.size() > 1) slot.each[j] = stats::WeightTotals::of(std::span<const double>(sc.own).first(n));
        for (std::size_t i = 0; i < n; ++i) sc.log_weight[i] += sc.own[i];
    }
    const std::span<const double> lw(sc.log_weight.data(), n);

    // The block's weights relative to its largest (max-shift), for the
    // totals and the moments; fixed-point ones for the sketches, from the
    // same exponentials: round(2^62 e^top e^(lw - top)), 0 below e^-50.
    double top = -std::numeric_limits<double>::infinity();
    for (double v : lw) top = std::max(top, v);
    sc.scaled.resize(n);
    sc.fixed.resize(n);
    const bool any = top > -std::numeric_limits<double>::infinity();
    const double unit = any ? std::ldexp(std::exp(std::min(top, 0.0)), stats::WeightedSketch::kFractionBits) : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = any ? std::exp(lw[i] - top) : 0.0;
        sc.scaled[i] = w;
        sc.fixed[i] = lw[i] > -50.0 ? static_cast<std::uint64_t>(w * unit + 0.5) : 0;
    }
    slot.totals = stats::WeightTotals::of_scaled(std::span<const double>(sc.scaled).first(n), top);
    if (s.observations.size() == 1) slot.each[0] = slot.totals;
    // What the series share about the weights, once for the block.
    const auto scaled_sums = stats::WeightedMoments::summarise(std::span<const double>(sc.scaled).first(n));
    const auto fixed_sums = stats::WeightedSketch::summarise(std::span<const std::uint64_t>(sc.fixed).first(n));
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        for (std::size_t t = 0; t < layout.width[k]; ++t) {
            const std::size_t j = layout.first[k] + t;
            const auto x = ws.values(s.outputs[k].quantity, t).first(n);
            const stats::Moments& p = prior[j];
            const bool finite = p.count() == n && n > 0;  // then the prior scan's extremes hold
            if (!any) slot.moments[j] = stats::WeightedMoments{};
            else if (finite) slot.moments[j] = stats::WeightedMoments::of_block(x, sc.scaled, scaled_sums, top, p.min(), p.max());
            else slot.moments[j] = stats::WeightedMoments::of(x, sc.scaled, top);
            if (!fixed_sums.weighted) continue;
            const std::size_t g = sc.grouped_at[j];
            for (auto* sketch : {&sc.sketches[j], g == SIZE_MAX ? nullptr : &sc.sketches[sc.grouped_at.size() + group * sc.grouped_count + g]}) {
                if (!sketch) continue;
                if (finite) sketch->add_block(x, sc.fixed, fixed_sums, p.min(), p.max());
                else sketch->add(x, sc.fixed);
            }
        }
}

void push_block(PosteriorState& state, const PosteriorSlot& slot) {
    state.totals.push(slot.totals);
    for (std::size_t j = 0; j < state.each.size(); ++j) state.each[j].push(slot.each[j]);
    for (std::size_t j = 0; j < state.series.size(); ++j) state.series[j].moments.push(slot.moments[j]);
}

void merge_sketches(PosteriorState& state, const PosteriorScratch& sc, bool grouped_only) {
    const std::size_t series = state.series.size();
    if (grouped_only)
        for (std::size_t j : state.grouped) state.series[j].sketch.merge(sc.sketches[j]);
    else
        for (std::size_t j = 0; j < series; ++j) state.series[j].sketch.merge(sc.sketches[j]);
    for (std::size_t i = 0; i < state.group_sketches.size(); ++i) state.group_sketches[i].merge(sc.sketches[series + i]);
}

PosteriorScratch posterior_scratch(const PosteriorState& state) {
    PosteriorScratch sc;
    const std::size_t series = state.series.size();
    sc.sketches.resize(series + state.group_sketches.size());
    sc.grouped_at.assign(series, SIZE_MAX);
    for (std::size_t i = 0; i < state.grouped.size(); ++i) sc.grouped_at[state.grouped[i]] = i;
    sc.grouped_count = state.grouped.size();
    return sc;
}

}  // namespace flopcast::run
