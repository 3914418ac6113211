#include "distributions/exponential.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/exponential.hpp>
#include <boost/random/exponential_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {
using MathExponential = boost::math::exponential_distribution<double, detail::MathPolicy>;
}

Exponential::Exponential(double rate) : rate_(rate) { detail::require_positive("rate", rate); }

Exponential Exponential::from_mean(double mean) {
    detail::require_positive("mean", mean);
    const double rate = 1 / mean;
    if (!std::isfinite(rate)) {
        throw ParameterError("mean", "mean (" + detail::exact(mean) +
                                         ") is too small: its reciprocal, the rate, is infinite");
    }
    return Exponential(rate);
}

void Exponential::sample(std::span<double> out, Rng& rng) const {
    boost::random::exponential_distribution<double> draw(rate_);
    for (double& x : out) x = draw(rng);
}

double Exponential::quantile(double p) const {
    detail::require_probability(p);
    if (p == 1) return std::numeric_limits<double>::infinity();
    return boost::math::quantile(MathExponential(rate_), p);
}

double Exponential::cdf(double x) const {
    detail::require_not_nan(x);
    if (x <= 0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return boost::math::cdf(MathExponential(rate_), x);
}

std::string Exponential::describe() const {
    return "exponential(rate=" + detail::brief(rate_) + ")";
}

}  // namespace flopcast::dist
