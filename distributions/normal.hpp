#pragma once
// Normal (Gaussian) with mean mu and standard deviation sd:
//
//   f(x) = exp(-(x - mu)^2 / (2 sd^2)) / (sd sqrt(2 pi)),
//   F(x) = Phi((x - mu) / sd),   Q(p) = mu + sd Phi^-1(p),
//   E[X] = mu,   Var[X] = sd^2.
//
// Alternatively given by its 5th and 95th percentiles:
//   mu = (p5 + p95) / 2,   sd = (p95 - p5) / (2 z_0.95),   z_0.95 = Phi^-1(0.95).
//
// Or by any two quantiles x1 < x2 at levels p1 < p2, with z_i = Phi^-1(p_i):
//   sd = (x2 - x1) / (z2 - z1),   mu = x1 - sd z1.
//
// Draws come from boost::random::normal_distribution (ziggurat).
#include "distributions/distribution.hpp"
#include "distributions/quantile_point.hpp"

namespace flopcast::dist {

class Normal final : public Distribution {
public:
    // Throws ParameterError unless mean is finite and sd finite and positive.
    Normal(double mean, double sd);

    // The normal whose 5th and 95th percentiles are p5 and p95. Throws
    // ParameterError unless both are finite and p5 < p95.
    [[nodiscard]] static Normal from_p5_p95(double p5, double p95);
    // The normal through two quantiles, given in either order. Throws
    // ParameterError naming a quantile unless both values are finite, both
    // levels in (0, 1) and distinct, and the value at the higher level is the
    // higher.
    [[nodiscard]] static Normal from_quantiles(const QuantilePoint& a, const QuantilePoint& b);

    [[nodiscard]] double sd() const noexcept { return sd_; }

    [[nodiscard]] std::string_view kind() const override { return "normal"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = -inf, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return sd_ * sd_; }
    [[nodiscard]] std::string describe() const override;

private:
    double mean_;
    double sd_;
};

}  // namespace flopcast::dist
