#include "distributions/weibull.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/weibull_distribution.hpp>

#include "distributions/detail.hpp"

namespace flopcast::dist {

namespace {
using MathWeibull = boost::math::weibull_distribution<double, detail::MathPolicy>;
}

Weibull::Weibull(double shape, double scale) : shape_(shape), scale_(scale) {
    detail::require_positive("shape", shape);
    detail::require_positive("scale", scale);
}

void Weibull::sample(std::span<double> out, Rng& rng) const {
    boost::random::weibull_distribution<double> draw(shape_, scale_);
    for (double& x : out) x = draw(rng);
}

double Weibull::quantile(double p) const {
    detail::require_probability(p);
    if (p == 0) return 0.0;
    if (p == 1) return std::numeric_limits<double>::infinity();
    return boost::math::quantile(MathWeibull(shape_, scale_), p);
}

double Weibull::cdf(double x) const {
    detail::require_not_nan(x);
    if (x <= 0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return boost::math::cdf(MathWeibull(shape_, scale_), x);
}

double Weibull::mean() const {
    return scale_ * boost::math::tgamma(1 + 1 / shape_, detail::MathPolicy());
}

double Weibull::variance() const {
    const double g1 = boost::math::tgamma1pm1(1 / shape_, detail::MathPolicy());
    const double g2 = boost::math::tgamma1pm1(2 / shape_, detail::MathPolicy());
    return scale_ * scale_ * (g2 - g1 * (2 + g1));
}

std::string Weibull::describe() const {
    return "weibull(shape=" + detail::brief(shape_) + ", scale=" + detail::brief(scale_) + ")";
}

}  // namespace flopcast::dist
