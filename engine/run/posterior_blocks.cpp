#include "engine/run/posterior_blocks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "engine/simd/bulk_math.hpp"

namespace flopcast::run {

namespace {

constexpr double kExcluded = -std::numeric_limits<double>::infinity();

// out[i] = the log-weight of a world whose observed value is x[i]
// (scenario/observation.hpp): <= 0, -inf when excluded and for a non-finite
// x, which no evidence can agree with. The lognormal's log is simd::log, so
// the bits are the same on every machine (the C library's log picks its code
// by CPU).
void evidence_log_weights(const scenario::ObservationSpec& o, std::span<const double> x, std::span<double> out) {
    const std::size_t n = x.size();
    constexpr double inf = std::numeric_limits<double>::infinity();
    switch (o.kind) {
        case scenario::EvidenceKind::Lognormal: {
            simd::log(x, out);
            const double mu = o.mu, sigma = o.sigma;
            for (std::size_t i = 0; i < n; ++i) {
                const double z = (out[i] - mu) / sigma;
                out[i] = x[i] > 0 && x[i] < inf ? -0.5 * (z * z) : kExcluded;
            }
            return;
        }
        case scenario::EvidenceKind::Normal: {
            const double mu = o.mu, sigma = o.sigma;
            for (std::size_t i = 0; i < n; ++i) {
                const double z = (x[i] - mu) / sigma;
                out[i] = x[i] > -inf && x[i] < inf ? -0.5 * (z * z) : kExcluded;
            }
            return;
        }
        case scenario::EvidenceKind::Between:
            for (std::size_t i = 0; i < n; ++i) out[i] = x[i] >= o.min && x[i] <= o.max ? 0.0 : kExcluded;
            return;
    }
}

// exp(lw[i] - top) into out, top the largest of lw (-inf when every world
// is excluded: then out is left alone).
double scale_by_largest(std::span<const double> lw, std::span<double> out) {
    double top = kExcluded;
    for (double v : lw) top = std::max(top, v);
    if (!(top > kExcluded)) return top;
    for (std::size_t i = 0; i < lw.size(); ++i) out[i] = lw[i] - top;
    simd::exp(out, out);
    return top;
}

}  // namespace

void posterior_block(const scenario::Model& s, const SeriesLayout& layout, const formula::Workspace& ws,
                     std::size_t n, std::size_t group, std::span<const SeriesState::Block> prior,
                     PosteriorScratch& sc, PosteriorSlot& slot) {
    sc.log_weight.assign(n, 0.0);
    sc.own.resize(n);
    sc.scaled.resize(n);
    const std::span<double> own(sc.own.data(), n), scaled(sc.scaled.data(), n);
    for (std::size_t j = 0; j < s.observations.size(); ++j) {
        const auto& o = s.observations[j];
        evidence_log_weights(o, ws.values(o.quantity, o.year_index).first(n), own);
        // Each alone, for the diagnostics; with one observation that is the total, below.
        if (s.observations.size() > 1) slot.each[j] = stats::WeightTotals::of_scaled(scaled, scale_by_largest(own, scaled));
        for (std::size_t i = 0; i < n; ++i) sc.log_weight[i] += sc.own[i];
    }
    const std::span<const double> lw(sc.log_weight.data(), n);

    // The block's weights relative to its largest (max-shift), for the
    // totals and the moments; fixed-point ones for the sketches, from the
    // same exponentials: round(2^62 e^top e^(lw - top)), 0 below e^-50.
    const double top = scale_by_largest(lw, scaled);
    const bool any = top > kExcluded;
    if (!any) std::fill(scaled.begin(), scaled.end(), 0.0);
    double unit = 0.0;
    if (any) {
        const double cap = std::min(top, 0.0);
        simd::exp(std::span<const double>(&cap, 1), std::span<double>(&unit, 1));
        unit = std::ldexp(unit, stats::WeightedSketch::kFractionBits);
    }
    sc.fixed.resize(n);
    for (std::size_t i = 0; i < n; ++i) sc.fixed[i] = lw[i] > -50.0 ? static_cast<std::uint64_t>(scaled[i] * unit + 0.5) : 0;
    slot.totals = stats::WeightTotals::of_scaled(scaled, top);
    if (s.observations.size() == 1) slot.each[0] = slot.totals;
    // What the series share about the weights, once for the block.
    WeightedSeriesState::Context c{scaled, top, stats::WeightedMoments::summarise(scaled),
                                   std::span<const std::uint64_t>(sc.fixed).first(n),
                                   stats::WeightedSketch::summarise(std::span<const std::uint64_t>(sc.fixed).first(n)),
                                   nullptr};
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        for (std::size_t t = 0; t < layout.width[k]; ++t) {
            const std::size_t j = layout.first[k] + t;
            const std::size_t g = sc.grouped_at[j];
            c.prior = &prior[j].moments;
            slot.series[j] = WeightedSeriesState::add_block(
                ws.values(s.outputs[k].quantity, t).first(n), c,
                sc.sketches[g == SIZE_MAX ? j : sc.grouped_at.size() + group * sc.grouped_count + g]);
        }
}

void push_block(PosteriorState& state, const PosteriorSlot& slot) {
    state.totals.push(slot.totals);
    for (std::size_t j = 0; j < state.each.size(); ++j) state.each[j].push(slot.each[j]);
    for (std::size_t j = 0; j < state.series.size(); ++j) state.series[j].push(slot.series[j]);
}

void merge_sketches(PosteriorState& state, const PosteriorScratch& sc, bool grouped_only) {
    const std::size_t series = state.series.size(), ng = state.grouped.size();
    if (!grouped_only)
        for (std::size_t j = 0; j < series; ++j)
            if (sc.grouped_at[j] == SIZE_MAX) state.series[j].merge(sc.sketches[j]);
    for (std::size_t i = 0; i < state.group_sketches.size(); ++i) {
        state.series[state.grouped[i % ng]].merge(sc.sketches[series + i]);
        state.group_sketches[i].merge(sc.sketches[series + i]);
    }
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
