#pragma once
// Uniform on [min, max):
//
//   f(x) = 1 / (max - min) on [min, max],   F(x) = (x - min) / (max - min),
//   Q(p) = min + p (max - min),   E[X] = (min + max) / 2,   Var[X] = (max - min)^2 / 12.
//
// Draws come from boost::random::uniform_real_distribution, which never
// returns max itself.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Uniform final : public Distribution {
public:
    // Throws ParameterError unless min and max are finite, min < max and
    // max - min is representable.
    Uniform(double min, double max);

    [[nodiscard]] double lower() const noexcept { return min_; }
    [[nodiscard]] double upper() const noexcept { return max_; }

    [[nodiscard]] std::string_view kind() const override { return "uniform"; }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    double min_;
    double max_;
};

}  // namespace flopcast::dist
