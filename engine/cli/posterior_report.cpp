#include "engine/cli/posterior_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/cli/number_format.hpp"
#include "engine/output/posterior_writer.hpp"

namespace flopcast::cli {
namespace {

std::string where(const scenario::Scenario& s, const scenario::ObservationSpec& o) {
    return fmt::format("{}:{}: observations.{}", s.source_file, o.line, o.name);
}

std::string observed(const scenario::ObservationSpec& o) {
    return o.year ? fmt::format("{} in {}", o.of, *o.year) : o.of;
}

std::string evidence(const scenario::Scenario& s, const scenario::ObservationSpec& o) {
    const auto it = std::find_if(s.outputs.begin(), s.outputs.end(), [&](const auto& x) { return x.quantity == o.quantity; });
    const bool pct = it != s.outputs.end() && s.display(static_cast<std::size_t>(it - s.outputs.begin())).percent;
    const auto v = [&](double x) { return pct ? percent(x) : human(x); };
    switch (o.kind) {
        case scenario::EvidenceKind::Lognormal:
            return fmt::format("lognormal, median {} [{} .. {}]", v(std::exp(o.mu)), v(std::exp(o.mu - 1.6448536269514722 * o.sigma)),
                               v(std::exp(o.mu + 1.6448536269514722 * o.sigma)));
        case scenario::EvidenceKind::Normal:
            return fmt::format("normal, mean {} sd {}", v(o.mu), v(o.sigma));
        case scenario::EvidenceKind::Between: return fmt::format("between {} and {}", v(o.min), v(o.max));
    }
    return "";
}

}  // namespace

std::optional<std::string> posterior_error(const scenario::Scenario& s, const run::RunResult& r) {
    if (!r.posterior || !r.posterior->totals.all_zero()) return std::nullopt;
    const auto& p = *r.posterior;
    for (std::size_t j = 0; j < s.observations.size(); ++j)
        if (p.each[j].all_zero())
            return fmt::format("{}: every one of the {} worlds has weight zero under this observation ({} of {}): no "
                               "sampled world is consistent with it",
                               where(s, s.observations[j]), grouped(r.samples), evidence(s, s.observations[j]),
                               observed(s.observations[j]));
    std::string names;
    for (const auto& o : s.observations) names += (names.empty() ? "" : ", ") + o.name;
    return fmt::format("{}: observations: every one of the {} worlds has weight zero under the observations "
                       "together ({}), though each alone leaves some",
                       s.source_file, grouped(r.samples), names);
}

std::optional<std::string> posterior_warning(const scenario::Scenario& s, const run::RunResult& r) {
    if (!r.posterior || s.observations.empty()) return std::nullopt;
    const auto& p = *r.posterior;
    const double ess = p.totals.ess(), n = static_cast<double>(r.samples);
    if (ess >= kLowEss && ess >= kLowEssShare * n) return std::nullopt;
    std::size_t worst = 0;
    for (std::size_t j = 1; j < p.each.size(); ++j)
        if (p.each[j].ess() < p.each[worst].ess()) worst = j;
    const auto& o = s.observations[worst];
    return fmt::format("the posterior rests on few worlds: effective sample size {:.4g} of {} samples ({:.3g} %); "
                       "the most restrictive observation is {} ({}, line {}: effective sample size {:.4g} alone); "
                       "sample more, or check that the prior can reach the evidence",
                       ess, grouped(r.samples), 100.0 * ess / n, o.name, observed(o), o.line, p.each[worst].ess());
}

std::string posterior_lines(const scenario::Scenario& s, const run::RunResult& r) {
    if (!r.posterior) return "";
    const auto& p = *r.posterior;
    const double n = static_cast<double>(r.samples);
    std::string out = fmt::format(
        "\nposterior: conditioned on {} observation(s), taken as independent; effective sample size {:.6g} "
        "({:.3g} % of {}), log mean weight {:.4g}\n",
        s.observations.size(), p.totals.ess(), 100.0 * p.totals.ess() / n, grouped(r.samples), p.totals.log_mean_weight());
    for (std::size_t j = 0; j < s.observations.size(); ++j) {
        const auto& o = s.observations[j];
        const auto* prior = output::observed_prior(s, r, o);
        const std::string pit =
            prior ? fmt::format(", prior PIT {:.3f}", output::prior_share_below(*prior, output::observed_centre(o))) : "";
        out += fmt::format("  {}  {}: {}{}, ESS alone {:.4g} ({:.3g} %)\n", o.name, observed(o), evidence(s, o), pit,
                           p.each[j].ess(), 100.0 * p.each[j].ess() / n);
    }
    return out;
}

}  // namespace flopcast::cli
