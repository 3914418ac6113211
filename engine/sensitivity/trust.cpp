#include "engine/sensitivity/trust.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace flopcast::sensitivity {

std::string heavy_tail(const stats::SeriesStats& st, Transform t) {
    if (t == Transform::Rank || st.count() < 4) return "";
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    auto f = [&](double v) { return t == Transform::Log10 ? (v > 0.0 ? std::log10(v) : nan) : v; };
    const double median = st.quantile(0.5), max = st.moments().max(), min = st.moments().min();
    if (t == Transform::None && min >= 0.0 && median > 0.0 && max / median > kHeavyMaxOverMedian)
        return fmt::format("heavy-tailed (its maximum is {:.3g} times its median)", max / median);
    const double m = f(median), up = (f(max) - m) / (f(st.quantile(0.75)) - m),
                 down = (m - f(min)) / (m - f(st.quantile(0.25)));
    const double spread = std::isnan(down) ? up : std::isnan(up) ? down : std::fmax(up, down);
    if (spread > kHeavyQuartileSpreads)
        return fmt::format("heavy-tailed (its extreme value lies {:.3g} quartile spreads from its median)", spread);
    return "";
}

std::string untrusted_index(const std::string& name, double total, double low, double high) {
    const bool interval = std::isfinite(low) && std::isfinite(high);
    auto index = [&] { return interval ? fmt::format("{:.3f} [{:.3f}, {:.3f}]", total, low, high) : fmt::format("{:.3f}", total); };
    if (!std::isfinite(total)) return "";
    if (interval ? low > 1.0 : total > 1.0) return fmt::format("total index of {} {} is above 1", name, index());
    if (interval ? high < 0.0 : total < -0.05) return fmt::format("total index of {} {} is below 0", name, index());
    // Small indices always have intervals wider than themselves; only those
    // that matter are worth a word.
    if (interval && total >= 0.05 && high - low > total)
        return fmt::format("the interval of the total index of {} {} is wider than the index", name, index());
    return "";
}

std::string trust_warning(const std::string& where, const std::string& output, const std::vector<std::string>& problems,
                          Transform t) {
    if (problems.empty()) return "";
    std::string text = where + ":";
    for (std::size_t i = 0; i < problems.size(); ++i) text += (i == 0 ? " " : "; ") + problems[i];
    if (t == Transform::None)
        text += fmt::format(": variance shares may not be trusted; try --transform {}=log (a positive output) "
                            "and cross-check with --method delta",
                            output);
    else
        text += ": variance shares may not be trusted even so; cross-check with --method delta";
    return text;
}

}  // namespace flopcast::sensitivity
