#include "engine/run/precision.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "engine/stats/batch_means.hpp"
#include "engine/stats/quantile_sketch.hpp"

namespace flopcast::run {
namespace {

// Parses all of `text` as a finite double, or nothing.
std::optional<double> number(const std::string& text) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
    std::size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used != text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}


constexpr const char* kForm = "expected STAT:OUTPUT[@YEAR]:TOL, e.g. p95:total_a100@2027:0.5% or mean:train_cagr:0.001";

}  // namespace

PrecisionTarget parse_precision_target(const std::string& written, const scenario::Scenario& s) {
    const auto fail = [&](const std::string& why) { return PrecisionError(fmt::format("--until {}: {}", written, why)); };
    constexpr std::string_view kPosterior = "posterior:";
    const bool posterior = written.starts_with(kPosterior);
    const std::string spec = posterior ? written.substr(kPosterior.size()) : written;
    if (posterior && s.observations.empty())
        throw fail(fmt::format("scenario {} has no [observations], so no posterior: drop 'posterior:'", s.name));
    const auto c1 = spec.find(':');
    const auto c2 = c1 == std::string::npos ? std::string::npos : spec.find(':', c1 + 1);
    if (c2 == std::string::npos || spec.find(':', c2 + 1) != std::string::npos) throw fail(kForm);
    const std::string stat = spec.substr(0, c1), where = spec.substr(c1 + 1, c2 - c1 - 1), tol = spec.substr(c2 + 1);

    PrecisionTarget t;
    t.spec = written;
    t.statistic = stat;
    t.posterior = posterior;
    if (stat == "mean" && posterior) {
        throw fail("a posterior target is a quantile (median or pNN): the posterior mean's error bar is not kept per group");
    } else if (stat == "mean") {
        t.quantile = false;
    } else if (stat == "median") {
        t.quantile = true;
        t.level = 0.5;
    } else if (stat.size() > 1 && stat[0] == 'p' && number(stat.substr(1)) && *number(stat.substr(1)) > 0.0 &&
               *number(stat.substr(1)) < 100.0) {
        t.quantile = true;
        t.level = *number(stat.substr(1)) / 100.0;
    } else {
        throw fail(fmt::format("statistic '{}' is not mean, median or pNN with 0 < NN < 100 (p5, p95, p99.9)", stat));
    }

    const auto at = where.find('@');
    const std::string name = where.substr(0, at);
    const auto it = std::find_if(s.outputs.begin(), s.outputs.end(), [&](const auto& o) { return o.name == name; });
    if (it == s.outputs.end()) {
        std::string names;
        for (const auto& o : s.outputs) names += (names.empty() ? "" : ", ") + o.name;
        throw fail(fmt::format("no output named '{}' in scenario {} (outputs: {})", name, s.name, names));
    }
    t.output = static_cast<std::size_t>(it - s.outputs.begin());
    const SeriesLayout layout(s);
    const bool yearly = layout.width[t.output] > 1 || s.program.shape(it->quantity) == formula::Shape::Yearly;
    t.series = layout.first[t.output];
    if (yearly) {
        if (at == std::string::npos)
            throw fail(fmt::format("{} has a value per year: name one, e.g. {}:{}@{}:{}", name, stat, name,
                                   s.years.back(), tol));
        const auto y = number(where.substr(at + 1));
        const auto yt = y ? std::find(s.years.begin(), s.years.end(), static_cast<int>(*y)) : s.years.end();
        if (!y || *y != std::floor(*y) || yt == s.years.end())
            throw fail(fmt::format("year '{}' is not one of the scenario's years {} to {}", where.substr(at + 1),
                                   s.years.front(), s.years.back()));
        t.year = *yt;
        t.series += static_cast<std::size_t>(yt - s.years.begin());
    } else if (at != std::string::npos) {
        throw fail(fmt::format("{} has one value per sample, not one per year: drop '@{}'", name, where.substr(at + 1)));
    }

    t.relative = !tol.empty() && tol.back() == '%';
    const auto v = number(t.relative ? tol.substr(0, tol.size() - 1) : tol);
    if (!v || *v <= 0.0)
        throw fail(fmt::format("tolerance '{}' is not a positive number (0.5% relative, or 2e5 in {}'s units)", tol,
                               name));
    t.tolerance = t.relative ? *v / 100.0 : *v;
    if (t.quantile && t.relative && t.tolerance < kMinimumQuantileTolerance)
        throw fail(fmt::format("quantiles are resolved to 0.1 % (the sketch's buckets), which the half-width includes; "
                               "ask for at least {} %", 100.0 * kMinimumQuantileTolerance));
    return t;
}

std::vector<std::size_t> posterior_precision_series(std::span<const PrecisionTarget> targets) {
    std::vector<std::size_t> out;
    for (const auto& t : targets)
        if (t.posterior) out.push_back(t.series);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::size_t> precision_series(std::span<const PrecisionTarget> targets) {
    std::vector<std::size_t> out;
    for (const auto& t : targets) out.push_back(t.series);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool is_precision_check(std::uint64_t block) {
    constexpr std::uint64_t wave = kPrecisionGroups;
    if (block == 0 || block % wave != 0) return false;
    const std::uint64_t w = block / wave;
    if (w <= 64) return true;
    // Then waves 64, 68, 72, ...: each step 1/16 of the last, so a run stops
    // at most ~6 % after its targets are first met.
    for (std::uint64_t c = 64; c <= w; c += std::max<std::uint64_t>(1, c / 16))
        if (c == w) return true;
    return false;
}

PrecisionStatus assess_precision(const RunState& st, std::span<const PrecisionTarget> targets, double confidence,
                                 std::uint64_t samples) {
    PrecisionStatus out;
    out.samples = samples;
    out.met = true;
    const std::size_t ng = st.grouped.size();
    for (const auto& t : targets) {
        TargetStatus ts;
        std::vector<double> est;
        std::uint64_t smallest = std::numeric_limits<std::uint64_t>::max();
        double effective = 1.0;  // the share of a group's samples that counts
        if (t.posterior) {
            if (!st.posterior || st.posterior->groups < 2 ||
                std::find(st.posterior->grouped.begin(), st.posterior->grouped.end(), t.series) == st.posterior->grouped.end())
                throw PrecisionError(fmt::format("--until {}: the run kept no posterior groups for this target", t.spec));
            const PosteriorState* p = &*st.posterior;
            const std::size_t i = static_cast<std::size_t>(
                std::find(p->grouped.begin(), p->grouped.end(), t.series) - p->grouped.begin());
            ts.estimate = p->series[t.series].sketch.quantile(t.level);
            for (std::size_t g = 0; g < p->groups; ++g) {
                const auto& sk = p->group_sketches[g * p->grouped.size() + i];
                smallest = std::min(smallest, sk.count());
                if (sk.count() > 0) est.push_back(sk.quantile(t.level));
            }
            const auto totals = p->totals.result();
            effective = totals.count() ? totals.ess() / static_cast<double>(totals.count()) : 0.0;
        } else {
            const auto gi = std::find(st.grouped.begin(), st.grouped.end(), t.series);
            if (st.groups < 2 || gi == st.grouped.end())
                throw PrecisionError(fmt::format("--until {}: the run kept no groups for this target", t.spec));
            const std::size_t i = static_cast<std::size_t>(gi - st.grouped.begin());
            const auto estimate_of = [&](const SeriesState& ss) {
                return t.quantile ? ss.sketch.quantile(t.level) : ss.moments.result().mean();
            };
            ts.estimate = estimate_of(st.series[t.series]);
            for (std::size_t g = 0; g < st.groups; ++g) {
                const auto& ss = st.group_series[g * ng + i];
                smallest = std::min(smallest, ss.sketch.count());
                if (ss.sketch.count() > 0) est.push_back(estimate_of(ss));
            }
        }
        const double tail = t.quantile ? std::min(t.level, 1.0 - t.level) : 1.0;
        ts.ready = static_cast<double>(smallest) * effective * tail >= 20.0 && std::isfinite(ts.estimate);
        ts.allowed = t.relative ? t.tolerance * std::abs(ts.estimate) : t.tolerance;
        ts.half_width = std::numeric_limits<double>::quiet_NaN();
        const std::size_t groups = t.posterior ? st.posterior->groups : st.groups;
        if (est.size() == groups && std::all_of(est.begin(), est.end(), [](double v) { return std::isfinite(v); })) {
            ts.half_width = stats::batch_means(est, confidence).half_width;
            // A sketch's quantile is a bucket's midpoint, within 0.1 % of the
            // exact order statistic: that much is added, never averaged away
            // (and once the groups' quantiles share a bucket or two, their
            // spread alone would claim a precision the sketch does not have).
            if (t.quantile) ts.half_width += stats::QuantileSketch::kRelativeError * std::abs(ts.estimate);
        }
        ts.met = ts.ready && ts.half_width <= ts.allowed;
        out.met = out.met && ts.met;
        out.targets.push_back(ts);
    }
    return out;
}

}  // namespace flopcast::run
