#pragma once
// The axis of an output's histograms, shared by /summary and /posterior so
// that prior and posterior are binned alike: one axis for all years, log when
// every value is positive and they span more than two decades, unless the
// scenario says otherwise.
#include <algorithm>
#include <cmath>

#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

struct HistogramRange {
    double lo = 0.0, hi = 1.0;
    bool log_axis = false;
};

[[nodiscard]] inline HistogramRange histogram_range(const scenario::OutputDisplay& spec, const run::OutputResult& res) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& st : res.series)
        if (st.moments().count() > 0) lo = std::min(lo, st.moments().min()), hi = std::max(hi, st.moments().max());
    const bool any = lo <= hi;
    bool log_axis = spec.histogram == scenario::HistogramAxis::Log ||
                    (spec.histogram == scenario::HistogramAxis::Auto && any && lo > 0 && hi / lo > 100);
    if (log_axis && !(any && lo > 0)) log_axis = false;  // a log axis needs positive values
    if (!any) lo = 0, hi = 1;
    if (lo == hi) lo = lo - 0.5 * std::max(std::fabs(lo), 1.0), hi = 2 * hi - lo;
    return {lo, hi, log_axis};
}

}  // namespace flopcast::output
