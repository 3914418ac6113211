#pragma once
// Triangular on [min, max] with peak at mode (a = min, c = mode, b = max):
//
//   f(x) = 2 (x - a) / ((b - a)(c - a))  for a <= x <= c,
//          2 (b - x) / ((b - a)(b - c))  for c <  x <= b,
//   F(x) = (x - a)^2 / ((b - a)(c - a))      for a <= x <= c,
//          1 - (b - x)^2 / ((b - a)(b - c))  for c <  x <= b,
//   E[X] = (a + b + c) / 3,   Var[X] = (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
//
// The mode may sit at either end (a right or left triangle).
// Draws come from boost::random::triangle_distribution (inverse transform).
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Triangular final : public Distribution {
public:
    // Throws ParameterError unless all three are finite, min <= mode <= max,
    // min < max and max - min is representable.
    Triangular(double min, double mode, double max);

    [[nodiscard]] double lower() const noexcept { return min_; }
    [[nodiscard]] double mode() const noexcept { return mode_; }
    [[nodiscard]] double upper() const noexcept { return max_; }
    // The density f above; Clipped integrates it for its moments.
    [[nodiscard]] double pdf(double x) const;

    [[nodiscard]] std::string_view kind() const override { return "triangular"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    double min_;
    double mode_;
    double max_;
};

}  // namespace flopcast::dist
