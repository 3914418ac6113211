#include "engine/cli/summary_table.hpp"

#include <fmt/format.h>

#include "engine/cli/number_format.hpp"

namespace flopcast::cli {
namespace {

// Share of the finite samples above x, read off the sketch by bisection on
// the quantile function (monotone), to the sketch's resolution.
double share_above(const stats::SeriesStats& s, double x) {
    if (s.count() == 0) return 0.0;
    if (x < s.quantile(0.0)) return 1.0;
    if (x >= s.quantile(1.0)) return 0.0;
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 40; ++i) {
        const double mid = 0.5 * (lo + hi);
        (s.quantile(mid) <= x ? lo : hi) = mid;
    }
    return 1.0 - lo;
}

}  // namespace

std::string summary_table(const scenario::Scenario& s, const run::RunResult& r) {
    std::string out;
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        const auto& spec = s.outputs[k];
        const auto& shown = s.display(k);
        const auto& res = r.outputs[k];
        auto fmt_value = [&](double v) { return shown.percent ? percent(v) : human(v); };
        out += fmt::format("\n{}", spec.name);
        if (!spec.description.empty()) out += "  " + spec.description;
        if (!spec.units.empty()) out += " [" + spec.units + "]";
        out += "\n";
        // With observations, the posterior beside the prior (posterior_report.hpp).
        const bool post = r.posterior.has_value();
        if (post)
            out += fmt::format("  {:>6}  {:>10}  {:>10}  {:>10}  {:>10}  | {:>10}  {:>10}  {:>10}  {:>10}\n", "",
                               "prior", "", "", "", "posterior", "", "", "");
        out += fmt::format("  {:>6}  {:>10}  {:>10}  {:>10}  {:>10}  {}{}\n", res.yearly ? "year" : "", "mean", "p5",
                           "median", "p95", post ? fmt::format("| {:>10}  {:>10}  {:>10}  {:>10}  ", "mean", "p5", "median", "p95") : "",
                           shown.reference ? "reference" : "");
        for (std::size_t t = 0; t < res.series.size(); ++t) {
            const auto& st = res.series[t];
            const std::string year = res.yearly ? std::to_string(s.years[t]) : "";
            std::string ref;
            if (shown.reference && (!shown.reference->year || (res.yearly && *shown.reference->year == s.years[t]))) {
                ref = fmt::format("{}  ({:.0f} % of samples above{})", fmt_value(shown.reference->value),
                                  100.0 * share_above(st, shown.reference->value),
                                  post ? fmt::format(", {:.0f} % of the posterior",
                                                     100.0 * r.posterior->outputs[k][t].sketch.share_above(shown.reference->value))
                                       : "");
                if (!shown.reference->label.empty()) ref += "  " + shown.reference->label;
            }
            std::string posterior;
            if (post) {
                const auto& ps = r.posterior->outputs[k][t];
                posterior = fmt::format("| {:>10}  {:>10}  {:>10}  {:>10}  ", fmt_value(ps.moments.mean()),
                                        fmt_value(ps.sketch.quantile(0.05)), fmt_value(ps.sketch.quantile(0.5)),
                                        fmt_value(ps.sketch.quantile(0.95)));
            }
            out += fmt::format("  {:>6}  {:>10}  {:>10}  {:>10}  {:>10}  {}{}\n", year, fmt_value(st.mean()),
                               fmt_value(st.quantile(0.05)), fmt_value(st.quantile(0.5)), fmt_value(st.quantile(0.95)),
                               posterior, ref);
            const auto bad = st.non_finite().total();
            if (bad > 0)
                out += fmt::format("          ! {} samples were NaN or infinite ({} NaN, {} +inf, {} -inf) and are "
                                   "left out of the statistics above\n",
                                   grouped(bad), grouped(st.non_finite().nan), grouped(st.non_finite().pos_inf),
                                   grouped(st.non_finite().neg_inf));
        }
    }
    // No trailing blanks where a row has no reference.
    std::string trimmed;
    std::size_t start = 0;
    while (start < out.size()) {
        std::size_t end = out.find('\n', start);
        if (end == std::string::npos) end = out.size();
        std::string line = out.substr(start, end - start);
        line.erase(line.find_last_not_of(' ') + 1);
        trimmed += line + (end < out.size() ? "\n" : "");
        start = end + 1;
    }
    return trimmed;
}

}  // namespace flopcast::cli
