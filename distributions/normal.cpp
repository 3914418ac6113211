#include "distributions/normal.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {
using MathNormal = boost::math::normal_distribution<double, detail::MathPolicy>;
}

Normal::Normal(double mean, double sd) : mean_(mean), sd_(sd) {
    detail::require_finite("mean", mean);
    detail::require_positive("sd", sd);
}

Normal Normal::from_p5_p95(double p5, double p95) {
    detail::require_finite("p5", p5);
    detail::require_finite("p95", p95);
    detail::require_above("p95", p95, "p5", p5);
    // Halves first: (p5 + p95) and (p95 - p5) can overflow for finite inputs.
    const double mean = p5 / 2 + p95 / 2;
    const double sd = (p95 / 2 - p5 / 2) / detail::z95;
    if (!(sd > 0)) {
        // Only reachable when p95 - p5 underflows: the percentiles are adjacent doubles.
        throw ParameterError("p95", "p95 (" + detail::exact(p95) + ") is too close to p5 (" +
                                        detail::exact(p5) + ") to define a spread");
    }
    return Normal(mean, sd);
}

Normal Normal::from_quantiles(const QuantilePoint& a, const QuantilePoint& b) {
    const auto [lower, upper] = detail::ordered_quantiles(a, b);
    const double z_lower = detail::std_normal_quantile(lower.p);
    const double z_upper = detail::std_normal_quantile(upper.p);
    // Halves first, as in from_p5_p95: the difference can overflow.
    const double sd = (upper.value / 2 - lower.value / 2) / ((z_upper - z_lower) / 2);
    if (!(sd > 0) || !std::isfinite(sd)) {
        throw ParameterError(upper.name, upper.name + " (" + detail::exact(upper.value) +
                                             ") is too close to " + lower.name + " (" +
                                             detail::exact(lower.value) + ") to define a spread");
    }
    // Anchored at the quantile nearer the centre, as in Lognormal.
    const double mean = std::abs(z_lower) <= std::abs(z_upper) ? lower.value - sd * z_lower
                                                               : upper.value - sd * z_upper;
    return Normal(mean, sd);
}

void Normal::sample(std::span<double> out, Rng& rng) const {
    boost::random::normal_distribution<double> draw(mean_, sd_);
    for (double& x : out) x = draw(rng);
}

double Normal::quantile(double p) const {
    detail::require_probability(p);
    // Boost.Math reports the infinite endpoints as overflow errors.
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return boost::math::quantile(MathNormal(mean_, sd_), p);
}

double Normal::cdf(double x) const {
    detail::require_not_nan(x);
    if (std::isinf(x)) return x < 0 ? 0.0 : 1.0;
    return boost::math::cdf(MathNormal(mean_, sd_), x);
}

std::string Normal::describe() const {
    return "normal(mean=" + detail::brief(mean_) + ", sd=" + detail::brief(sd_) + ")";
}

}  // namespace flopcast::dist
