#pragma once
// Lognormal: X = exp(Y) with Y normal(mu, sigma).
//
//   F(x) = Phi((ln x - mu) / sigma) for x > 0,   Q(p) = exp(mu + sigma Phi^-1(p)),
//   median = exp(mu),   E[X] = exp(mu + sigma^2 / 2),
//   Var[X] = (exp(sigma^2) - 1) exp(2 mu + sigma^2).
//
// Experts rarely know mu and sigma; they quote a median and a plausible range.
// The named constructors turn such quantiles into (mu, sigma), with
// z = z_0.95 = Phi^-1(0.95):
//   (median, p95):      mu = ln median,             sigma = (ln p95 - ln median) / z
//   (p5, p95):          mu = (ln p5 + ln p95) / 2,  sigma = (ln p95 - ln p5) / (2 z)
//   (median, p5, p95):  mu = ln median,             sigma = (ln p95 - ln p5) / (2 z)
//   any two quantiles:  sigma = (ln x2 - ln x1) / (z2 - z1),  mu = ln x1 - sigma z1,
//                       with z_i = Phi^-1(p_i) (p1 < p2; e.g. q10 = 3, q90 = 30)
// In the three-quantile form the median fixes the location and the interval
// only its width (the ratio p95 / p5): unless median = sqrt(p5 p95), the
// resulting 5th and 95th percentiles are not p5 and p95 themselves.
//
// Draws come from boost::random::lognormal_distribution (exp of a ziggurat normal).
#include "distributions/distribution.hpp"
#include "distributions/quantile_point.hpp"

namespace flopcast::dist {

class Lognormal final : public Distribution {
public:
    // Throws ParameterError unless mu is finite and sigma finite and positive.
    Lognormal(double mu, double sigma);

    // Each throws ParameterError naming the offending quantile unless every
    // quantile is finite and positive and they are strictly increasing
    // (p5 < median < p95).
    [[nodiscard]] static Lognormal from_median_p95(double median, double p95);
    [[nodiscard]] static Lognormal from_p5_p95(double p5, double p95);
    [[nodiscard]] static Lognormal from_median_p5_p95(double median, double p5, double p95);
    // The lognormal through two quantiles, given in either order: gives both
    // back exactly (to rounding). Throws ParameterError naming a quantile
    // unless both values are finite and positive, both levels in (0, 1) and
    // distinct, and the value at the higher level is the higher.
    [[nodiscard]] static Lognormal from_quantiles(const QuantilePoint& a, const QuantilePoint& b);

    [[nodiscard]] double mu() const noexcept { return mu_; }
    [[nodiscard]] double sigma() const noexcept { return sigma_; }
    [[nodiscard]] double median() const;

    [[nodiscard]] std::string_view kind() const override { return "lognormal"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = 0, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    double mu_;
    double sigma_;
};

}  // namespace flopcast::dist
