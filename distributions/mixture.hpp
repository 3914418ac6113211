#pragma once
// Mixture: with probability w_i (weights normalized), a draw of component i.
//
//   F(x) = sum w_i F_i(x),   E[X] = sum w_i E_i,
//   Var[X] = sum w_i (Var_i + (E_i - E[X])^2)   (law of total variance),
//
// NaN when some component's mean is undefined, infinite when a variance is.
// Q(u) has no closed form: it is found by TOMS 748 on F, bracketed by the
// components' own quantiles, min_i Q_i(u) <= Q(u) <= max_i Q_i(u), to 1e-12
// relative (or 1e-12 of the narrowest component's 10-90 % range near 0).
// Where a discrete component puts an atom, the answer is that atom exactly.
// A quantile costs some 10 to 20 evaluations of F, each one cdf per component.
//
// Sampling: one uniform draw (boost::random::uniform_01) per value picks the
// component; then, chunk by chunk of up to 512 values, each component fills
// all of its values in the chunk with one sample() call. The draws are fixed
// by the seed and the length of the span, but (unlike the other kinds)
// filling a span in pieces gives different, equally valid, draws.
#include <memory>
#include <vector>

#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Mixture final : public Distribution {
public:
    // Throws ParameterError unless there is at least one component (none
    // null) and weights has one entry per component, each finite and >= 0,
    // with a positive sum. Field "components" or "weights".
    Mixture(std::vector<std::shared_ptr<const Distribution>> components,
            std::vector<double> weights);

    [[nodiscard]] std::size_t size() const noexcept { return components_.size(); }
    [[nodiscard]] const Distribution& component(std::size_t i) const { return *components_.at(i); }
    // Normalized weights, summing to 1.
    [[nodiscard]] const std::vector<double>& weights() const noexcept { return weights_; }

    [[nodiscard]] std::string_view kind() const override { return "mixture"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double u) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return variance_; }
    // "mixture(0.3: lognormal(mu=1, sigma=0.5); 0.7: normal(mean=0, sd=1))"
    [[nodiscard]] std::string describe() const override;
    // Discrete when every component of positive weight is.
    [[nodiscard]] bool is_discrete() const override;

private:
    std::vector<std::shared_ptr<const Distribution>> components_;
    std::vector<double> weights_;
    std::vector<double> cumulative_;  // running sums of weights_, the last exactly 1
    double resolution_ = 0;           // absolute tolerance of quantile() near 0
    double mean_ = 0;
    double variance_ = 0;
};

}  // namespace flopcast::dist
