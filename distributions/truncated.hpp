#pragma once
// A continuous distribution X truncated to [lo, hi]: Y = X given lo < X <= hi.
//
// Unlike clipping (clipped.hpp), nothing piles up on the bounds: the density
// inside is rescaled by the probability kept, m = F_X(hi) - F_X(lo):
//   F_Y(y) = (F_X(y) - F_X(lo)) / m   for lo <= y < hi,
//   Q_Y(p) = Q_X(F_X(lo) + p m),
//   E[g(Y)] = (1 / m) integral_{F_X(lo)}^{F_X(hi)} g(Q_X(u)) du.
//
// Sampling is by inverse CDF only: U uniform on [F_X(lo), F_X(hi)), then
// Q_X(U), never a rejection loop, so a narrow window costs no more than a
// wide one and each value uses exactly one uniform draw. Values are clamped
// to [lo, hi] against the last-ulp rounding of Q_X(F_X(.)).
//
// Mean and variance are computed once, at construction, by adaptive
// Gauss-Kronrod quadrature of Q_Y over the kept probabilities (about 1e-12
// relative for a smooth Q_X). F_X is stored as a double, so in an upper tail
// (F_X near 1) the kept probability m is known only to ~1e-16 absolute: the
// cdf, the moments and the sample's resolution are then accurate to about
// 1e-16 / m. Hence m must be at least 1e-12 and at least 1e6 ulps of F_X(hi)
// (2.2e-10 when F_X(hi) is near 1), a million distinct uniforms to invert.
#include <memory>

#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Truncated final : public Distribution {
public:
    // Throws ParameterError("truncate", ...) unless inner is not discrete, lo
    // and hi are finite, lo < hi and the window keeps enough probability (see
    // above); std::invalid_argument if inner is null.
    Truncated(std::shared_ptr<const Distribution> inner, double lo, double hi);

    [[nodiscard]] const Distribution& inner() const noexcept { return *inner_; }
    [[nodiscard]] double lower() const noexcept { return lo_; }
    [[nodiscard]] double upper() const noexcept { return hi_; }
    // The probability kept, F_X(hi) - F_X(lo).
    [[nodiscard]] double kept() const noexcept { return mass_; }

    // The catalogue name it was built from ("normal"): "truncate" is a
    // parameter of any continuous kind rather than a kind of its own.
    [[nodiscard]] std::string_view kind() const override { return inner_->kind(); }
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return variance_; }
    // "<inner>, truncate=[lo, hi]"
    [[nodiscard]] std::string describe() const override;

private:
    std::shared_ptr<const Distribution> inner_;
    double lo_;
    double hi_;
    double f_lo_ = 0;  // F_X(lo)
    double f_hi_ = 0;  // F_X(hi)
    double mass_ = 0;
    double mean_ = 0;
    double variance_ = 0;
};

}  // namespace flopcast::dist
