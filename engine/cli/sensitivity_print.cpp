#include "engine/cli/sensitivity_print.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "engine/cli/number_format.hpp"

namespace flopcast::cli {
namespace {

namespace sens = flopcast::sensitivity;

// 0.4567 -> "0.457"; NaN -> "n/a".
std::string index_text(double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string("n/a"); }
std::string signed_text(double v) { return std::isfinite(v) ? fmt::format("{:+.3f}", v) : std::string("n/a"); }
std::string value_text(double v, bool as_percent) {
    if (!std::isfinite(v)) return fmt::format("{}", v);
    return as_percent ? percent(v) : human(v);
}

// The year a ranking is printed for: --year, else the output's reference
// year, else the last year. -1 for a scalar output.
std::size_t year_index(const scenario::Scenario& s, const sens::OutputGrid& grid, std::optional<int> year) {
    if (!grid.yearly) return 0;
    int y = s.years.back();
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        if (const auto& ref = s.display(k).reference; s.outputs[k].name == grid.name && ref && ref->year) y = *ref->year;
    if (year) y = *year;
    return static_cast<std::size_t>(y - s.years.front());
}

// "train_a100, 2023", with the transform analysed: "train_a100, 2023 (log10)".
std::string heading(const scenario::Scenario& s, const sens::OutputGrid& grid, std::size_t t) {
    const std::string where = grid.yearly ? fmt::format("{}, {}", grid.name, s.years[t]) : grid.name;
    return grid.transform == sens::Transform::None ? where
                                                   : fmt::format("{} ({})", where, sens::transform_name(grid.transform));
}

// Factors in decreasing order of key (NaN last), at most `top` (0: all).
std::vector<std::size_t> ranked(std::size_t k, std::size_t top, const std::function<double(std::size_t)>& key) {
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double ka = key(a), kb = key(b);
        if (std::isnan(kb)) return !std::isnan(ka);
        return ka > kb;
    });
    if (top > 0 && order.size() > top) order.resize(top);
    return order;
}

std::size_t name_width(const std::vector<sens::Factor>& factors) {
    std::size_t w = 6;
    for (const auto& f : factors) w = std::max(w, f.name.size());
    return w;
}

bool shown_as_percent(const scenario::Scenario& s, const std::string& output) {
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        if (s.outputs[k].name == output) return s.display(k).percent;
    return false;
}

std::string print(const scenario::Scenario& s, const sens::SobolResult& r, const PrintOptions& a) {
    std::string out = fmt::format("{}: Sobol indices, N = {} rows, {} model evaluations, {} bootstrap replicates\n",
                                  s.name, grouped(r.options.rows), grouped(r.evaluations), r.options.bootstrap);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    const int pct = static_cast<int>(std::lround(r.options.confidence * 100));
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.total[f * W + t]; });
        const std::size_t best = order.front();
        out += fmt::format("\n{}: total Sobol index of {} {} [{}, {}] ({} % interval)\n", heading(s, o.grid, t),
                           r.factors[best].name, index_text(o.total[best * W + t]),
                           index_text(o.total_low[best * W + t]), index_text(o.total_high[best * W + t]), pct);
        if (!(o.variance[t] > 0.0)) {
            out += "  the output does not vary: no index\n";
            continue;
        }
        if (t < o.warnings.size() && !o.warnings[t].empty()) out += "  warning: " + o.warnings[t] + "\n";
        const auto others = std::count_if(o.warnings.begin(), o.warnings.end(), [](const std::string& x) { return !x.empty(); }) -
                            (t < o.warnings.size() && !o.warnings[t].empty() ? 1 : 0);
        if (others > 0)
            out += fmt::format("  ({} other year(s) of {} have warnings: the attribute `warnings` of its group lists them)\n",
                               others, o.grid.name);
        out += fmt::format("  {:<{}}  {:>22}  {:>22}\n", "factor", w, "total S_T", "first order S_1");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>6} [{:>6}, {:>6}]  {:>6} [{:>6}, {:>6}]\n", r.factors[f].name, w,
                               index_text(o.total[i]), index_text(o.total_low[i]), index_text(o.total_high[i]),
                               index_text(o.first[i]), index_text(o.first_low[i]), index_text(o.first_high[i]));
        }
    }
    return out;
}

std::string print(const scenario::Scenario& s, const sens::TornadoResult& r, const PrintOptions& a) {
    std::string out = fmt::format("{}: one at a time, each factor at p{:g} and p{:g}, the others at their medians\n",
                                  s.name, r.low * 100, r.high * 100);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const bool pc = shown_as_percent(s, o.grid.name);
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.swing[f * W + t]; });
        // A log10 output is printed as the log it is.
        const bool raw = o.grid.transform == sens::Transform::None;
        auto shown = [&](double v) { return raw ? value_text(v, pc) : fmt::format("{:.3f}", v); };
        const std::string median = o.run_median.empty() ? "" : "; run median " + shown(o.run_median[t]);
        out += fmt::format("\n{}: every input at its median: {}{}; widest swing {}\n", heading(s, o.grid, t),
                           shown(o.baseline[t]), median, r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", "factor", w, fmt::format("p{:g}", r.low * 100),
                           fmt::format("p{:g}", r.high * 100), "swing");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", r.factors[f].name, w, shown(o.low[i]),
                               shown(o.high[i]), shown(o.swing[i]));
        }
    }
    return out;
}

std::string print(const scenario::Scenario& s, const sens::MorrisResult& r, const PrintOptions& a) {
    std::string out = fmt::format("{}: Morris elementary effects, r = {} trajectories, p = {} levels, {} model evaluations\n",
                                  s.name, r.options.trajectories, r.options.levels, grouped(r.evaluations));
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.mu_star[f * W + t]; });
        out += fmt::format("\n{}: largest mu* {}\n", heading(s, o.grid, t), r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", "factor", w, "mu*", "mu", "sigma");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", r.factors[f].name, w, human(o.mu_star[i]),
                               human(o.mu[i]), human(o.sigma[i]));
        }
    }
    return out;
}

std::string print(const scenario::Scenario& s, const sens::CorrelationResult& r, const PrintOptions& a) {
    std::string out = fmt::format("{}: rank correlations over {} samples (seed {})\n", s.name,
                                  grouped(r.options.samples), r.options.seed);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return std::fabs(o.spearman[f * W + t]); });
        out += fmt::format("\n{}: largest |Spearman| {}\n", heading(s, o.grid, t), r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>9}  {:>9}\n", "input", w, "Spearman", "PRCC");
        for (std::size_t f : order)
            out += fmt::format("  {:<{}}  {:>9}  {:>9}\n", r.factors[f].name, w, signed_text(o.spearman[f * W + t]),
                               signed_text(o.prcc[f * W + t]));
        if (o.count[t] < r.options.samples)
            out += fmt::format("  ({} samples were NaN and left out)\n", grouped(r.options.samples - o.count[t]));
    }
    return out;
}

std::string print(const scenario::Scenario& s, const sens::DeltaResult& r, const PrintOptions& a) {
    std::string out = fmt::format("{}: Borgonovo's delta over {} samples (seed {})\n", s.name, grouped(r.options.samples),
                                  r.options.seed);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.delta[f * W + t]; });
        out += fmt::format("\n{}: largest delta {}; an input that does not matter scores {} ({} x {} rank classes)\n",
                           heading(s, o.grid, t), r.factors[order.front()].name, index_text(o.dummy[t]), o.classes[t],
                           o.classes[t]);
        out += fmt::format("  {:<{}}  {:>7}\n", "input", w, "delta");
        for (std::size_t f : order) out += fmt::format("  {:<{}}  {:>7}\n", r.factors[f].name, w, index_text(o.delta[f * W + t]));
        if (o.count[t] < r.options.samples)
            out += fmt::format("  ({} samples were NaN and left out)\n", grouped(r.options.samples - o.count[t]));
    }
    return out;
}

}  // namespace

std::string print_ranking(const scenario::Scenario& s, const sens::MethodResult& result, const PrintOptions& options) {
    return std::visit([&](const auto& r) { return print(s, r, options); }, result);
}

}  // namespace flopcast::cli
