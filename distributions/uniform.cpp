#include "distributions/uniform.hpp"

#include <cmath>

#include <boost/math/distributions/uniform.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

Uniform::Uniform(double min, double max) : min_(min), max_(max) {
    detail::require_finite("min", min);
    detail::require_finite("max", max);
    detail::require_above("max", max, "min", min);
    // Both the sampler and the moments work with the width; an infinite width
    // would turn every draw into inf or NaN.
    if (!std::isfinite(max - min)) {
        throw ParameterError("max", "the range from min (" + detail::exact(min) + ") to max (" +
                                        detail::exact(max) + ") is too wide to represent");
    }
}

void Uniform::sample(std::span<double> out, Rng& rng) const {
    boost::random::uniform_real_distribution<double> draw(min_, max_);
    for (double& x : out) x = draw(rng);
}

double Uniform::quantile(double p) const {
    detail::require_probability(p);
    return boost::math::quantile(
        boost::math::uniform_distribution<double, detail::MathPolicy>(min_, max_), p);
}

double Uniform::cdf(double x) const {
    detail::require_not_nan(x);
    // Boost.Math refuses infinite x; the answer there is plain.
    if (x <= min_) return 0.0;
    if (x >= max_) return 1.0;
    return boost::math::cdf(
        boost::math::uniform_distribution<double, detail::MathPolicy>(min_, max_), x);
}

// Midpoint written so that it cannot overflow for wide finite ranges.
double Uniform::mean() const { return min_ + (max_ - min_) / 2; }

double Uniform::variance() const {
    const double width = max_ - min_;
    return width * width / 12;
}

std::string Uniform::describe() const {
    return "uniform(min=" + detail::brief(min_) + ", max=" + detail::brief(max_) + ")";
}

}  // namespace flopcast::dist
