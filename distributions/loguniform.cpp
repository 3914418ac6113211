#include "distributions/loguniform.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_real_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

Loguniform::Loguniform(double min, double max) : min_(min), max_(max), log_range_(0) {
    detail::require_positive("min", min);
    detail::require_positive("max", max);
    detail::require_above("max", max, "min", min);
    log_range_ = log_ratio(max);
    if (!(log_range_ > 0)) {
        throw ParameterError("max", "max (" + detail::exact(max) + ") is too close to min (" +
                                        detail::exact(min) + ") to define a range");
    }
}

// log1p keeps the digits of a ratio close to 1; when (x - min) / min
// overflows (min tiny, x huge) the difference of logarithms is exact enough.
double Loguniform::log_ratio(double x) const {
    const double excess = (x - min_) / min_;
    return std::isfinite(excess) ? std::log1p(excess) : std::log(x) - std::log(min_);
}

void Loguniform::sample(std::span<double> out, Rng& rng) const {
    boost::random::uniform_real_distribution<double> draw(0.0, log_range_);
    // exp(L) can round an ulp past max / min: clamp to the support.
    for (double& x : out) x = std::clamp(min_ * std::exp(draw(rng)), min_, max_);
}

double Loguniform::quantile(double p) const {
    detail::require_probability(p);
    if (p == 1) return max_;
    return std::clamp(min_ * std::exp(p * log_range_), min_, max_);
}

double Loguniform::cdf(double x) const {
    detail::require_not_nan(x);
    if (x <= min_) return 0.0;
    if (x >= max_) return 1.0;
    return std::min(1.0, log_ratio(x) / log_range_);
}

double Loguniform::mean() const { return (max_ - min_) / log_range_; }

double Loguniform::variance() const {
    const double L = log_range_;
    if (L >= 2) return (max_ - min_) * ((max_ + min_) / (2 * L) - (max_ - min_) / (L * L));
    // sum_{k>=1} 2k L^2k / (2k+2)!: term k+1 = term k * (k+1)/k * L^2 / ((2k+3)(2k+4)).
    const double L2 = L * L;
    double term = L2 / 12;  // k = 1: 2 L^2 / 4!
    double sum = 0;
    for (int k = 1; k < 60 && term > 1e-18 * sum; ++k) {
        sum += term;
        term *= (k + 1.0) / k * L2 / ((2.0 * k + 3) * (2.0 * k + 4));
    }
    return min_ * max_ * sum;
}

std::string Loguniform::describe() const {
    return "loguniform(min=" + detail::brief(min_) + ", max=" + detail::brief(max_) + ")";
}

}  // namespace flopcast::dist
