#include "distributions/bulk_quantile.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

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

void BulkQuantile::apply(std::span<const double> u, std::span<double> out, simd::Level level) const {
    if (u.size() != out.size()) throw std::invalid_argument("BulkQuantile::apply: u and out differ in length");
    if (!simd::available(level))
        throw std::invalid_argument(std::string("this CPU cannot run the ") + simd::name(level) + " loops");
    const double* arg = u.data();
    if (truncated_) {
        // Truncated::quantile's argument, in place in out.
        const double mass = f_hi_ - f_lo_;
        for (std::size_t i = 0; i < u.size(); ++i) out[i] = std::min(f_lo_ + u[i] * mass, f_hi_);
        arg = out.data();
    }
    const Kernel k = level == simd::Level::Avx2 && kernels_->avx2 ? kernels_->avx2 : kernels_->sse2;
    k(p_.data(), arg, out.data(), out.size());
    for (std::size_t c = 0; c < clamp_count_; ++c) {
        const double lo = clamps_[c].lo, hi = clamps_[c].hi;
        for (double& x : out) x = x < lo ? lo : (hi < x ? hi : x);  // std::clamp's order
    }
}

}  // namespace flopcast::dist
