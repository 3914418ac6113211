#pragma once
// Beta-PERT on [min, max] with most likely value mode and weight lambda
// (default 4): X = min + (max - min) B, B ~ Beta(alpha, beta) with
//
//   alpha = 1 + lambda (mode - min) / (max - min),
//   beta  = 1 + lambda (max - mode) / (max - min),
//   E[X] = (min + lambda mode + max) / (lambda + 2),
//   Var[X] = (max - min)^2 alpha beta / ((alpha + beta)^2 (alpha + beta + 1)).
//
// Like the triangular, it takes the three numbers experts give (lowest, most
// likely, highest), but puts less weight on the extremes; a larger lambda
// concentrates it around the mode. Sampling, cdf and quantile are those of
// the scaled Beta (beta.hpp).
#include "distributions/beta.hpp"
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Pert final : public Distribution {
public:
    // Throws ParameterError unless all are finite, min <= mode <= max,
    // min < max, max - min representable and lambda > 0.
    Pert(double min, double mode, double max, double lambda = 4.0);

    [[nodiscard]] double mode() const noexcept { return mode_; }
    [[nodiscard]] double lambda() const noexcept { return lambda_; }
    // The scaled Beta it is.
    [[nodiscard]] const Beta& as_beta() const noexcept { return beta_; }

    [[nodiscard]] std::string_view kind() const override { return "pert"; }
    void sample(std::span<double> out, Rng& rng) const override { beta_.sample(out, rng); }
    [[nodiscard]] double quantile(double p) const override { return beta_.quantile(p); }
    [[nodiscard]] double cdf(double x) const override { return beta_.cdf(x); }
    [[nodiscard]] double mean() const override { return beta_.mean(); }
    [[nodiscard]] double variance() const override { return beta_.variance(); }
    [[nodiscard]] std::string describe() const override;

private:
    double mode_;
    double lambda_;
    Beta beta_;
};

}  // namespace flopcast::dist
