#pragma once
// Bernoulli with success probability p: X = 1 with probability p, else 0.
//
//   F(x) = 0 for x < 0,  1 - p for 0 <= x < 1,  1 for x >= 1,
//   Q(u) = 0 for u <= 1 - p, else 1   (Q(u) = 1 for all u when p = 1),
//   E[X] = p,   Var[X] = p (1 - p).
//
// An on/off input: "does the export ban hold" multiplies a formula by 0 or 1.
// Draws come from boost::random::bernoulli_distribution (one engine output each).
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Bernoulli final : public Distribution {
public:
    // Throws ParameterError("p", ...) unless 0 <= p <= 1.
    explicit Bernoulli(double p);

    [[nodiscard]] double p() const noexcept { return p_; }

    [[nodiscard]] std::string_view kind() const override { return "bernoulli"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double u) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return p_; }
    [[nodiscard]] double variance() const override { return p_ * (1 - p_); }
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] bool is_discrete() const override { return true; }

private:
    double p_;
};

}  // namespace flopcast::dist
