#pragma once
// Any distribution X clipped to [lo, hi]: Y = min(max(X, lo), hi).
//
// Clipping is a cap, not a truncation: draws outside the bounds are moved onto
// them, so for a continuous X the bounds carry atoms
//   P(Y = lo) = F_X(lo),   P(Y = hi) = 1 - F_X(hi),
// and
//   F_Y(y) = 0 for y < lo,   F_X(y) for lo <= y < hi,   1 for y >= hi,
//   Q_Y(p) = min(max(Q_X(p), lo), hi),
//   E[g(Y)] = g(lo) F_X(lo) + g(hi) (1 - F_X(hi)) + integral_lo^hi g(x) dF_X(x).
//
// Mean and variance are computed once, at construction: in closed form when X
// is a Constant, Uniform, Triangular, Normal or Lognormal, otherwise by
// adaptive Gauss-Kronrod quadrature of Q_Y over (0, 1).
#include <memory>

#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Clipped final : public Distribution {
public:
    // Throws ParameterError("clip", ...) unless lo and hi are finite and lo < hi;
    // std::invalid_argument if inner is null.
    Clipped(std::shared_ptr<const Distribution> inner, double lo, double hi);

    [[nodiscard]] const Distribution& inner() const noexcept { return *inner_; }
    [[nodiscard]] double lower() const noexcept { return lo_; }
    [[nodiscard]] double upper() const noexcept { return hi_; }

    // The catalogue name it was built from ("lognormal"), since "clip" is a
    // parameter of any kind rather than a kind of its own.
    [[nodiscard]] std::string_view kind() const override { return inner_->kind(); }
    // Exactly the inner distribution's draws, each clamped to [lo, hi].
    void sample(std::span<double> out, Rng& rng) const override;
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return variance_; }
    // "<inner>, clip=[lo, hi]"
    [[nodiscard]] std::string describe() const override;
    // Clipping a discrete distribution leaves it discrete; clipping a
    // continuous one adds atoms at the bounds but keeps a continuous part.
    [[nodiscard]] bool is_discrete() const override { return inner_->is_discrete(); }

private:
    std::shared_ptr<const Distribution> inner_;
    double lo_;
    double hi_;
    double mean_;
    double variance_;
};

}  // namespace flopcast::dist
