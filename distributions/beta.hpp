#pragma once
// Beta(alpha, beta), optionally scaled to [min, max] (default [0, 1]):
// X = min + (max - min) B with B ~ Beta(alpha, beta), w = max - min,
//
//   F(x) = I_((x - min) / w)(alpha, beta)   (regularized incomplete beta),
//   E[X] = min + w alpha / (alpha + beta),
//   Var[X] = w^2 alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
//
// Draws come from boost::random::beta_distribution (a ratio of two gamma
// draws, each by rejection); cdf and quantile from Boost.Math's
// beta_distribution. For very small alpha and beta both gamma draws can
// underflow to 0 (0/0); such a pair is drawn again, which changes the law by
// less than the probability of the event (~1e-6 at alpha = beta = 0.01).
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Beta final : public Distribution {
public:
    // Throws ParameterError unless alpha and beta are finite and positive,
    // min and max finite, min < max and max - min representable.
    Beta(double alpha, double beta, double min = 0.0, double max = 1.0);

    [[nodiscard]] double alpha() const noexcept { return alpha_; }
    [[nodiscard]] double beta() const noexcept { return beta_; }
    [[nodiscard]] double lower() const noexcept { return min_; }
    [[nodiscard]] double upper() const noexcept { return max_; }

    [[nodiscard]] std::string_view kind() const override { return "beta"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    // "beta(alpha=2, beta=5)", with ", min=.., max=.." when scaled.
    [[nodiscard]] std::string describe() const override;

private:
    double alpha_;
    double beta_;
    double min_;
    double max_;
};

}  // namespace flopcast::dist
