#pragma once
// Discrete: finitely many values v_i with weights w_i (normalized to
// probabilities p_i = w_i / sum w). With the distinct values sorted,
// v_(1) < ... < v_(m), and their cumulative probabilities c_j:
//
//   F(x) = c_j for v_(j) <= x < v_(j+1)   (a step function),
//   Q(u) = the smallest v_(j) with c_j >= u,
//   E[X] = sum p_i v_i,   Var[X] = sum p_i (v_i - E[X])^2.
//
// Repeated values have their weights added; values of weight 0 are kept out
// of the support (never drawn, never a quantile). Draws come from
// boost::random::discrete_distribution (Walker's alias method), built once.
#include <cstddef>
#include <vector>

#include <boost/random/discrete_distribution.hpp>

#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Discrete final : public Distribution {
public:
    // Throws ParameterError naming "values" or "weights" unless values is not
    // empty and finite, and weights (empty for equal weights) has as many
    // entries, each finite and >= 0, with a positive sum.
    Discrete(std::vector<double> values, std::vector<double> weights);

    // The distinct values of positive probability, sorted, and their probabilities.
    [[nodiscard]] const std::vector<double>& support() const noexcept { return values_; }
    [[nodiscard]] const std::vector<double>& probabilities() const noexcept {
        return probabilities_;
    }

    [[nodiscard]] std::string_view kind() const override { return "discrete"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double u) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return variance_; }
    // "discrete(values=[1, 2, 3], p=[0.2, 0.5, 0.3])", the support and its
    // probabilities after merging; long lists are elided.
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] bool is_discrete() const override { return true; }

private:
    std::vector<double> values_;
    std::vector<double> probabilities_;
    std::vector<double> cumulative_;  // c_j, the last exactly 1
    boost::random::discrete_distribution<std::size_t, double> draw_;
    double mean_ = 0;
    double variance_ = 0;
};

}  // namespace flopcast::dist
