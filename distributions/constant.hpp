#pragma once
// Constant: a point mass.
//
//   P(X = v) = 1,   F(x) = 1{x >= v},   Q(p) = v,   E[X] = v,   Var[X] = 0.
//
// Lets a model fix an input without a special case in the engine.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Constant final : public Distribution {
public:
    // Throws ParameterError("value", ...) unless value is finite.
    explicit Constant(double value);

    [[nodiscard]] double value() const noexcept { return value_; }

    [[nodiscard]] std::string_view kind() const override { return "constant"; }
    // Consumes no engine output.
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return value_; }
    [[nodiscard]] double variance() const override { return 0.0; }
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] bool is_discrete() const override { return true; }

private:
    double value_;
};

}  // namespace flopcast::dist
