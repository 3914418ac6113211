#include "distributions/lognormal.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/random/lognormal_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {

using MathLognormal = boost::math::lognormal_distribution<double, detail::MathPolicy>;

// Very close quantiles can have equal logarithms in floating point, which
// would give sigma = 0; say so in terms of the quantiles the user gave.
void require_spread(double sigma, std::string_view upper, double upper_value,
                    std::string_view lower, double lower_value) {
    if (!(sigma > 0)) {
        throw ParameterError(std::string(upper),
                             std::string(upper) + " (" + detail::exact(upper_value) +
                                 ") is too close to " + std::string(lower) + " (" +
                                 detail::exact(lower_value) + ") to define a spread");
    }
}

}  // namespace

Lognormal::Lognormal(double mu, double sigma) : mu_(mu), sigma_(sigma) {
    detail::require_finite("mu", mu);
    detail::require_positive("sigma", sigma);
}

Lognormal Lognormal::from_median_p95(double median, double p95) {
    detail::require_positive("median", median);
    detail::require_positive("p95", p95);
    detail::require_above("p95", p95, "median", median);
    const double sigma = (std::log(p95) - std::log(median)) / detail::z95;
    require_spread(sigma, "p95", p95, "median", median);
    return Lognormal(std::log(median), sigma);
}

Lognormal Lognormal::from_p5_p95(double p5, double p95) {
    detail::require_positive("p5", p5);
    detail::require_positive("p95", p95);
    detail::require_above("p95", p95, "p5", p5);
    const double log5 = std::log(p5);
    const double log95 = std::log(p95);
    const double sigma = (log95 - log5) / (2 * detail::z95);
    require_spread(sigma, "p95", p95, "p5", p5);
    return Lognormal((log5 + log95) / 2, sigma);
}

Lognormal Lognormal::from_median_p5_p95(double median, double p5, double p95) {
    detail::require_positive("median", median);
    detail::require_positive("p5", p5);
    detail::require_positive("p95", p95);
    detail::require_above("median", median, "p5", p5);
    detail::require_above("p95", p95, "median", median);
    const double sigma = (std::log(p95) - std::log(p5)) / (2 * detail::z95);
    require_spread(sigma, "p95", p95, "p5", p5);
    return Lognormal(std::log(median), sigma);
}

Lognormal Lognormal::from_quantiles(const QuantilePoint& a, const QuantilePoint& b) {
    detail::require_positive(a.name, a.value);
    detail::require_positive(b.name, b.value);
    const auto [lower, upper] = detail::ordered_quantiles(a, b);
    const double z_lower = detail::std_normal_quantile(lower.p);
    const double z_upper = detail::std_normal_quantile(upper.p);
    const double log_lower = std::log(lower.value);
    const double log_upper = std::log(upper.value);
    const double sigma = (log_upper - log_lower) / (z_upper - z_lower);
    require_spread(sigma, upper.name, upper.value, lower.name, lower.value);
    // Anchored at the quantile nearer the median (smaller |z|), where sigma's
    // rounding moves mu least; a median given as such is kept exactly.
    const double mu = std::abs(z_lower) <= std::abs(z_upper) ? log_lower - sigma * z_lower
                                                             : log_upper - sigma * z_upper;
    return Lognormal(mu, sigma);
}

double Lognormal::median() const { return std::exp(mu_); }

void Lognormal::sample(std::span<double> out, Rng& rng) const {
    // boost::random's lognormal takes the parameters of the underlying normal
    // (unlike the deprecated boost::lognormal_distribution, which takes the
    // lognormal's own mean and sd).
    boost::random::lognormal_distribution<double> draw(mu_, sigma_);
    for (double& x : out) x = draw(rng);
}

double Lognormal::quantile(double p) const {
    detail::require_probability(p);
    if (p == 0) return 0.0;
    // Boost.Math reports the infinite endpoint as an overflow error.
    if (p == 1) return std::numeric_limits<double>::infinity();
    return boost::math::quantile(MathLognormal(mu_, sigma_), p);
}

double Lognormal::cdf(double x) const {
    detail::require_not_nan(x);
    // Boost.Math refuses negative and infinite x; the answers there are plain.
    if (x <= 0) return 0.0;
    if (std::isinf(x)) return 1.0;
    return boost::math::cdf(MathLognormal(mu_, sigma_), x);
}

double Lognormal::mean() const { return std::exp(mu_ + sigma_ * sigma_ / 2); }

// expm1 keeps the relative accuracy when sigma is small.
double Lognormal::variance() const {
    const double s2 = sigma_ * sigma_;
    return std::expm1(s2) * std::exp(2 * mu_ + s2);
}

std::string Lognormal::describe() const {
    return "lognormal(mu=" + detail::brief(mu_) + ", sigma=" + detail::brief(sigma_) + ")";
}

}  // namespace flopcast::dist
