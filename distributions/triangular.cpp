#include "distributions/triangular.hpp"

#include <cmath>

#include <boost/math/distributions/triangular.hpp>
#include <boost/random/triangle_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {
using MathTriangular = boost::math::triangular_distribution<double, detail::MathPolicy>;
}

Triangular::Triangular(double min, double mode, double max) : min_(min), mode_(mode), max_(max) {
    detail::require_finite("min", min);
    detail::require_finite("mode", mode);
    detail::require_finite("max", max);
    detail::require_above("max", max, "min", min);
    if (!(min <= mode && mode <= max)) {
        throw ParameterError("mode", "mode (" + detail::exact(mode) + ") must be between min (" +
                                         detail::exact(min) + ") and max (" + detail::exact(max) +
                                         ")");
    }
    if (!std::isfinite(max - min)) {
        throw ParameterError("max", "the range from min (" + detail::exact(min) + ") to max (" +
                                        detail::exact(max) + ") is too wide to represent");
    }
}

double Triangular::pdf(double x) const {
    if (x < min_ || x > max_) return 0.0;
    return boost::math::pdf(MathTriangular(min_, mode_, max_), x);
}

void Triangular::sample(std::span<double> out, Rng& rng) const {
    boost::random::triangle_distribution<double> draw(min_, mode_, max_);
    for (double& x : out) x = draw(rng);
}

double Triangular::quantile(double p) const {
    detail::require_probability(p);
    return boost::math::quantile(MathTriangular(min_, mode_, max_), p);
}

double Triangular::cdf(double x) const {
    detail::require_not_nan(x);
    // Boost.Math refuses infinite x; the answers outside the support are plain.
    if (x <= min_) return 0.0;
    if (x >= max_) return 1.0;
    return boost::math::cdf(MathTriangular(min_, mode_, max_), x);
}

double Triangular::mean() const {
    // Measured from min so that a distant origin costs no precision.
    return min_ + ((mode_ - min_) + (max_ - min_)) / 3;
}

double Triangular::variance() const {
    // The textbook form with min shifted to 0 (variance is shift-invariant),
    // which avoids cancelling squares of large coordinates.
    const double c = mode_ - min_;
    const double b = max_ - min_;
    return (b * b + c * c - b * c) / 18;
}

std::string Triangular::describe() const {
    return "triangular(min=" + detail::brief(min_) + ", mode=" + detail::brief(mode_) +
           ", max=" + detail::brief(max_) + ")";
}

}  // namespace flopcast::dist
