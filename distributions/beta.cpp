#include "distributions/beta.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/beta.hpp>
#include <boost/random/beta_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {
using MathBeta = boost::math::beta_distribution<double, detail::MathPolicy>;
}

Beta::Beta(double alpha, double beta, double min, double max)
    : alpha_(alpha), beta_(beta), min_(min), max_(max) {
    detail::require_positive("alpha", alpha);
    detail::require_positive("beta", beta);
    detail::require_finite("min", min);
    detail::require_finite("max", max);
    detail::require_above("max", max, "min", min);
    if (!std::isfinite(max - min)) {
        throw ParameterError("max", "the range from min (" + detail::exact(min) + ") to max (" +
                                        detail::exact(max) + ") is too wide to represent");
    }
}

void Beta::sample(std::span<double> out, Rng& rng) const {
    boost::random::beta_distribution<double> draw(alpha_, beta_);
    const double width = max_ - min_;
    for (double& x : out) {
        double b = draw(rng);
        while (std::isnan(b)) b = draw(rng);  // both gamma draws underflowed: 0 / 0
        x = std::clamp(min_ + width * b, min_, max_);
    }
}

double Beta::quantile(double p) const {
    detail::require_probability(p);
    if (p == 0) return min_;
    if (p == 1) return max_;
    const double b = boost::math::quantile(MathBeta(alpha_, beta_), p);
    return std::clamp(min_ + (max_ - min_) * b, min_, max_);
}

double Beta::cdf(double x) const {
    detail::require_not_nan(x);
    if (x <= min_) return 0.0;
    if (x >= max_) return 1.0;
    const double b = std::min((x - min_) / (max_ - min_), 1.0);
    return boost::math::cdf(MathBeta(alpha_, beta_), b);
}

double Beta::mean() const { return min_ + (max_ - min_) * (alpha_ / (alpha_ + beta_)); }

double Beta::variance() const {
    const double width = max_ - min_;
    const double sum = alpha_ + beta_;
    return width * width * (alpha_ / sum) * (beta_ / sum) / (sum + 1);
}

std::string Beta::describe() const {
    std::string out = "beta(alpha=" + detail::brief(alpha_) + ", beta=" + detail::brief(beta_);
    if (min_ != 0 || max_ != 1)
        out += ", min=" + detail::brief(min_) + ", max=" + detail::brief(max_);
    return out + ")";
}

}  // namespace flopcast::dist
