#pragma once
// Student's t with df degrees of freedom, location loc and scale s:
// X = loc + s T, T ~ t(df),
//
//   F(x) = F_t((x - loc) / s),   Q(p) = loc + s Q_t(p),
//   E[X] = loc for df > 1, undefined (NaN) for df <= 1,
//   Var[X] = s^2 df / (df - 2) for df > 2, infinite for 1 < df <= 2,
//            undefined (NaN) for df <= 1.
//
// A normal with heavier tails; df = 1 is the Cauchy distribution, and large
// df approach the normal. Draws come from boost::random::student_t_distribution
// (a normal over the root of a chi-square); cdf and quantile from Boost.Math's
// students_t_distribution.
#include "distributions/distribution.hpp"

namespace flopcast::dist {

class StudentT final : public Distribution {
public:
    // Throws ParameterError unless df and scale are finite and positive and
    // loc is finite.
    explicit StudentT(double df, double loc = 0.0, double scale = 1.0);

    [[nodiscard]] double df() const noexcept { return df_; }
    [[nodiscard]] double loc() const noexcept { return loc_; }
    [[nodiscard]] double scale() const noexcept { return scale_; }

    [[nodiscard]] std::string_view kind() const override { return "student_t"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Q(0) = -inf, Q(1) = +inf.
    [[nodiscard]] double quantile(double p) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override;
    [[nodiscard]] double variance() const override;
    [[nodiscard]] std::string describe() const override;

private:
    double df_;
    double loc_;
    double scale_;
};

}  // namespace flopcast::dist
