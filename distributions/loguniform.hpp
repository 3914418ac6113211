#pragma once
// Log-uniform (reciprocal) on [min, max], 0 < min < max: ln X is uniform on
// [ln min, ln max]. With L = ln(max / min):
//
//   f(x) = 1 / (x L),   F(x) = ln(x / min) / L,   Q(p) = min exp(p L),
//   E[X] = (max - min) / L,
//   Var[X] = min max (sinh L / L - 2 (cosh L - 1) / L^2)
//          = (max - min) ((max + min) / (2 L) - (max - min) / L^2).
//
// Every decade (or any ratio) between min and max is equally likely: the
// natural "somewhere between 1e20 and 1e26" prior. The variance uses the
// series sum_{k>=1} 2k L^2k / (2k+2)! of the first form for L < 2, whose terms
// are all positive, so narrow ranges keep full relative accuracy.
//
// Draws are min exp(U) with U from boost::random::uniform_real_distribution
// on [0, L) (Boost.Random has no log-uniform), kept inside [min, max].
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Loguniform final : public Distribution {
public:
    // Throws ParameterError unless min and max are finite, 0 < min < max.
    Loguniform(double min, double max);

    [[nodiscard]] double lower() const noexcept { return min_; }
    [[nodiscard]] double upper() const noexcept { return max_; }
    [[nodiscard]] double log_range() const noexcept { return log_range_; }  // L

    [[nodiscard]] std::string_view kind() const override { return "loguniform"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    // ln(x / min), accurate also for x close to min.
    [[nodiscard]] double log_ratio(double x) const;

    double min_;
    double max_;
    double log_range_;  // L = ln(max / min)
};

}  // namespace flopcast::dist
