#include "distributions/gamma.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/gamma.hpp>
#include <boost/random/gamma_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {
using MathGamma = boost::math::gamma_distribution<double, detail::MathPolicy>;
}

Gamma::Gamma(double shape, double scale) : shape_(shape), scale_(scale) {
    detail::require_positive("shape", shape);
    detail::require_positive("scale", scale);
}

Gamma Gamma::from_rate(double shape, double rate) {
    detail::require_positive("shape", shape);
    detail::require_positive("rate", rate);
    const double scale = 1 / rate;
    if (!std::isfinite(scale)) {
        throw ParameterError("rate", "rate (" + detail::exact(rate) +
                                         ") is too small: its reciprocal, the scale, is infinite");
    }
    return Gamma(shape, scale);
}

void Gamma::sample(std::span<double> out, Rng& rng) const {
    boost::random::gamma_distribution<double> draw(shape_, scale_);
    for (double& x : out) x = draw(rng);
}

double Gamma::quantile(double p) const {
    detail::require_probability(p);
    if (p == 0) return 0.0;
    if (p == 1) return std::numeric_limits<double>::infinity();
    return boost::math::quantile(MathGamma(shape_, scale_), p);
}

double Gamma::cdf(double x) const {
    detail::require_not_nan(x);
    if (x <= 0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return boost::math::cdf(MathGamma(shape_, scale_), x);
}

std::string Gamma::describe() const {
    return "gamma(shape=" + detail::brief(shape_) + ", scale=" + detail::brief(scale_) + ")";
}

}  // namespace flopcast::dist
