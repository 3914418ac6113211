#pragma once
// Exponential with rate lambda (or mean 1 / lambda):
//
//   F(x) = 1 - exp(-lambda x) for x >= 0,   Q(p) = -ln(1 - p) / lambda,
//   E[X] = 1 / lambda,   Var[X] = 1 / lambda^2.
//
// Draws come from boost::random::exponential_distribution (ziggurat); cdf
// and quantile from Boost.Math's exponential_distribution.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Exponential final : public Distribution {
public:
    // Throws ParameterError unless rate is finite and positive.
    explicit Exponential(double rate);
    // Rate = 1 / mean. Throws ParameterError("mean", ...) unless mean is
    // finite and positive with a finite reciprocal.
    [[nodiscard]] static Exponential from_mean(double mean);

    [[nodiscard]] double rate() const noexcept { return rate_; }

    [[nodiscard]] std::string_view kind() const override { return "exponential"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = 0, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return 1 / rate_; }
    [[nodiscard]] double variance() const override { return 1 / (rate_ * rate_); }
    [[nodiscard]] std::string describe() const override;

private:
    double rate_;
};

}  // namespace flopcast::dist
