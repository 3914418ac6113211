#pragma once
// When variance-based indices cannot be trusted (issue 21): a total index
// above 1 or below 0 beyond its interval, an interval wider than the index it
// brackets, or an output so heavy-tailed that its variance, and so every
// share of it, rests on a few samples. Each warning names the output and the
// year and suggests the fix: --transform OUTPUT=log, or --method delta (which
// reads ranks only).
#include <string>
#include <vector>

#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"
#include "engine/stats/series_stats.hpp"

namespace flopcast::sensitivity {

// Above this, an output is heavy-tailed: its maximum over its median (a
// positive output), or its farthest value from the median in quartile
// spreads (|max - median| / (q75 - median), and the same below). A normal
// sample of 10^5 gives about 6 on the second; a lognormal of sigma 1 about
// 50 on the first; the product of wide lognormals thousands.
inline constexpr double kHeavyMaxOverMedian = 100.0;
inline constexpr double kHeavyQuartileSpreads = 50.0;

// Why `stats` (an ordinary run's values of one series) is heavy-tailed after
// `transform`, or "" when it is not.
[[nodiscard]] std::string heavy_tail(const stats::SeriesStats& stats, Transform transform);

// The index of factor `name` that cannot be trusted, or "": total and its
// interval (NaN bounds: no bootstrap).
[[nodiscard]] std::string untrusted_index(const std::string& name, double total, double low, double high);

// One line for the output in a year: "what; what: try ...", or "".
[[nodiscard]] std::string trust_warning(const std::string& where, const std::string& output,
                                        const std::vector<std::string>& problems, Transform transform);

}  // namespace flopcast::sensitivity
