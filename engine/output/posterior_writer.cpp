#include "engine/output/posterior_writer.hpp"

#include <cmath>
#include <limits>

#include <hdf5.h>

#include "engine/output/hdf5_writer.hpp"
#include "engine/output/histogram_axis.hpp"
#include "engine/output/summary_datasets.hpp"

namespace flopcast::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* kind_name(scenario::EvidenceKind k) {
    switch (k) {
        case scenario::EvidenceKind::Lognormal: return "lognormal";
        case scenario::EvidenceKind::Normal: return "normal";
        case scenario::EvidenceKind::Between: return "between";
    }
    return "";
}

}  // namespace

double prior_share_below(const stats::SeriesStats& st, double x) {
    if (st.count() == 0) return kNaN;
    if (x < st.quantile(0.0)) return 0.0;
    if (x >= st.quantile(1.0)) return 1.0;
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 40; ++i) {
        const double mid = 0.5 * (lo + hi);
        (st.quantile(mid) <= x ? lo : hi) = mid;
    }
    return lo;
}

double observed_centre(const scenario::ObservationSpec& o) {
    switch (o.kind) {
        case scenario::EvidenceKind::Lognormal: return std::exp(o.mu);
        case scenario::EvidenceKind::Normal: return o.mu;
        case scenario::EvidenceKind::Between: return 0.5 * (o.min + o.max);
    }
    return kNaN;
}

const stats::SeriesStats* observed_prior(const scenario::Scenario& s, const run::RunResult& r,
                                         const scenario::ObservationSpec& o) {
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        if (s.outputs[k].quantity == o.quantity) return &r.outputs[k].series.at(r.outputs[k].yearly ? o.year_index : 0);
    return nullptr;
}

void write_posterior(ResultFile& file, const scenario::Scenario& s, const run::RunResult& r) {
    const run::PosteriorResult& p = *r.posterior;
    const hid_t root = static_cast<hid_t>(file.handle());
    Writer w(root, file.temporary_path());
    const double n_samples = static_cast<double>(r.samples);

    Handle post(w.group(root, "posterior"), H5Gclose);
    w.number_attr(post, "ess", p.totals.ess());
    w.number_attr(post, "ess_share", p.totals.ess() / n_samples);
    w.number_attr(post, "log_mean_weight", p.totals.log_mean_weight());
    w.number_attr(post, "observations", static_cast<std::uint64_t>(s.observations.size()));
    w.string_attr(post, "weights",
                  "product over the observations of each one's likelihood scaled to a largest value of 1; "
                  "observations independent");

    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        const auto& spec = s.outputs[k];
        const auto& shown = s.display(k);
        const auto& prior = r.outputs[k];
        const auto& res = p.outputs[k];
        const std::size_t n = res.size();
        Handle g(w.group(post, spec.name), H5Gclose);
        write_output_attributes(w, g, s, k, prior.yearly);
        write_moment_datasets(
            w, g, prior.yearly, n,
            [&](std::size_t t) {
                const auto& m = res[t].moments;
                return SeriesSummary{m.mean(), m.std_dev(), m.std_error(), res[t].sketch.min(), res[t].sketch.max(),
                                     m.count()};
            },
            [&](std::size_t t, double p) { return res[t].sketch.quantile(p); });
        std::vector<double> ess(n), above(n, kNaN);
        for (std::size_t t = 0; t < n; ++t) {
            ess[t] = res[t].moments.ess();
            if (shown.reference && (!shown.reference->year || (prior.yearly && *shown.reference->year == s.years[t])))
                above[t] = res[t].sketch.share_above(shown.reference->value);
        }
        const std::vector<hsize_t> shape = prior.yearly ? std::vector<hsize_t>{n} : std::vector<hsize_t>{};
        w.dataset(g, "ess", shape, ess.data());
        if (shown.reference) w.dataset(g, "share_above_reference", shape, above.data());

        // The prior's bins; the weight in each, as a share of the total times
        // the prior's finite samples, so the two read alike.
        const auto range = histogram_range(shown, prior);
        std::vector<double> edges, counts;
        for (std::size_t t = 0; t < n; ++t) {
            if (t == 0) edges = prior.series[0].sketch().histogram(range.lo, range.hi, shown.bins, range.log_axis).edges;
            const auto h = res[t].sketch.histogram(range.lo, range.hi, shown.bins, range.log_axis,
                                                   static_cast<double>(prior.series[t].count()));
            counts.insert(counts.end(), h.begin(), h.end());
        }
        Handle hg(w.group(g, "histogram"), H5Gclose);
        w.string_attr(hg, "axis", range.log_axis ? "log" : "linear");
        w.dataset(hg, "edges", {edges.size()}, edges.data());
        w.dataset(hg, "counts", prior.yearly ? std::vector<hsize_t>{n, static_cast<hsize_t>(shown.bins)}
                                             : std::vector<hsize_t>{static_cast<hsize_t>(shown.bins)},
                  counts.data());
    }

    // What each observation says, and how restrictive it is alone.
    Handle obs(w.group(root, "observations"), H5Gclose);
    for (std::size_t j = 0; j < s.observations.size(); ++j) {
        const auto& o = s.observations[j];
        Handle g(w.group(obs, o.name), H5Gclose);
        w.string_attr(g, "of", o.of);
        if (o.year) w.number_attr(g, "year", static_cast<std::int64_t>(*o.year));
        w.string_attr(g, "dist", kind_name(o.kind));
        if (o.kind == scenario::EvidenceKind::Between) {
            w.number_attr(g, "min", o.min);
            w.number_attr(g, "max", o.max);
        } else {
            w.number_attr(g, "mu", o.mu);
            w.number_attr(g, "sigma", o.sigma);
        }
        w.number_attr(g, "centre", observed_centre(o));
        w.string_attr(g, "description", o.description);
        w.number_attr(g, "ess_alone", p.each[j].ess());
        w.number_attr(g, "log_mean_weight_alone", p.each[j].log_mean_weight());
        const auto* prior = observed_prior(s, r, o);
        w.number_attr(g, "prior_pit", prior ? prior_share_below(*prior, observed_centre(o)) : kNaN);
    }
}

}  // namespace flopcast::output
