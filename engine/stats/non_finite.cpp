#include "engine/stats/non_finite.hpp"

#include <bit>
#include <cmath>

namespace flopcast::stats {
namespace {

bool all_finite(std::span<const double> values) noexcept {
    // x - x is +0 (all bits clear) for every finite x and NaN otherwise; OR-ing
    // the bits without an early exit lets the loop vectorize.
    std::uint64_t bits = 0;
    for (const double v : values) bits |= std::bit_cast<std::uint64_t>(v - v);
    return bits == 0;
}

}  // namespace

std::span<const double> drop_non_finite(std::span<const double> values,
                                        std::vector<double>& scratch,
                                        NonFiniteCounts& counts) {
    if (all_finite(values)) return values;
    scratch.clear();
    scratch.reserve(values.size());
    for (const double v : values) {
        if (std::isnan(v)) {
            ++counts.nan;
        } else if (std::isinf(v)) {
            ++(v > 0 ? counts.pos_inf : counts.neg_inf);
        } else {
            scratch.push_back(v);
        }
    }
    return scratch;
}

}  // namespace flopcast::stats
