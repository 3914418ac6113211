#include "distributions/bulk_quantile.hpp"

#include <stdexcept>

namespace flopcast::dist {

bool BulkQuantile::truncate(double f_lo, double f_hi, double lo, double hi) {
    if (truncated_ || clamp_count_ > 0) return false;
    truncated_ = true;
    f_lo_ = f_lo;
    f_hi_ = f_hi;
    clamp(lo, hi);
    return true;
}

void BulkQuantile::clamp(double lo, double hi) {
    if (clamp_count_ == clamps_.size()) throw std::logic_error("BulkQuantile: more than two clamps");
    clamps_[clamp_count_++] = {lo, hi};
}

}  // namespace flopcast::dist
