#pragma once
// Weibull with shape k and scale lambda:
//
//   F(x) = 1 - exp(-(x / lambda)^k) for x >= 0,   Q(p) = lambda (-ln(1 - p))^(1/k),
//   E[X] = lambda Gamma(1 + 1/k),
//   Var[X] = lambda^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2).
//
// The variance is formed from g(z) = Gamma(1 + z) - 1 (Boost's tgamma1pm1) as
// g(2/k) - g(1/k) (2 + g(1/k)), which avoids the "1 +" rounding; for large k
// the difference still cancels, losing about log10(k) digits.
//
// Draws come from boost::random::weibull_distribution (inverse transform);
// cdf and quantile from Boost.Math's weibull_distribution.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Weibull final : public Distribution {
public:
    // Throws ParameterError unless shape and scale are finite and positive.
    Weibull(double shape, double scale);

    [[nodiscard]] double shape() const noexcept { return shape_; }
    [[nodiscard]] double scale() const noexcept { return scale_; }

    [[nodiscard]] std::string_view kind() const override { return "weibull"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = 0, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    double shape_;
    double scale_;
};

}  // namespace flopcast::dist
