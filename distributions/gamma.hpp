#pragma once
// Gamma with shape k and scale theta (or rate 1 / theta):
//
//   f(x) = x^(k-1) exp(-x / theta) / (Gamma(k) theta^k) for x > 0,
//   F(x) = P(k, x / theta)   (regularized lower incomplete gamma),
//   E[X] = k theta,   Var[X] = k theta^2.
//
// Draws come from boost::random::gamma_distribution (rejection); cdf and
// quantile from Boost.Math's gamma_distribution.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Gamma final : public Distribution {
public:
    // Throws ParameterError unless shape and scale are finite and positive.
    Gamma(double shape, double scale);
    // Scale = 1 / rate. Throws ParameterError("rate", ...) unless rate is
    // finite and positive with a finite reciprocal.
    [[nodiscard]] static Gamma from_rate(double shape, double rate);

    [[nodiscard]] double shape() const noexcept { return shape_; }
    [[nodiscard]] double scale() const noexcept { return scale_; }

    [[nodiscard]] std::string_view kind() const override { return "gamma"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = 0, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return shape_ * scale_; }
    [[nodiscard]] double variance() const override { return shape_ * scale_ * scale_; }
    [[nodiscard]] std::string describe() const override;

private:
    double shape_;
    double scale_;
};

}  // namespace flopcast::dist
