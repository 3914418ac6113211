#pragma once
// Empirical: the distribution of a list of n observations o_1..o_n, either
// as they are or smoothed.
//
// method "resample" (the default): X = o_I with I uniform on 1..n, so
//   F(x) = #{o_i <= x} / n,   Q(u) = o_(k) for the smallest k with k / n >= u
//   (o_(k) the k-th smallest),   E[X] = mean(o),   Var[X] = sum (o_i - mean)^2 / n.
//
// method "kernel": X = o_I + h Z with Z standard normal (a Gaussian kernel
// density estimate), so
//   F(x) = (1/n) sum Phi((x - o_i) / h),   E[X] = mean(o),   Var[X] = sum (o_i - mean)^2 / n + h^2,
// and Q by TOMS 748 on F, bracketed by [min o + h z_u, max o + h z_u] (z_u = Phi^-1(u)),
// to 1e-12 relative (or 1e-12 h near 0). The bandwidth h defaults to
// Silverman's rule of thumb
//   h = 0.9 min(sd, IQR / 1.34) n^(-1/5)
// with sd the sample standard deviation (n - 1) and IQR the interquartile
// range (quantiles interpolated linearly between order statistics); when the
// IQR is 0 but sd is not, sd alone is used (as R's bw.nrd0 does).
//
// Cost: F sums only the observations within 9 h below to 40 h above x (the
// rest contribute exactly 1 or 0 in double precision), found by binary search
// in a sorted copy; a kernel quantile costs some 10 to 20 such sums.
//
// Draws: an index from boost::random::uniform_int_distribution over the
// observations in the order given, then (kernel) a draw of
// boost::random::normal_distribution.
#include <optional>
#include <vector>

#include "distributions/distribution.hpp"

namespace flopcast::dist {

class Empirical final : public Distribution {
public:
    enum class Method { resample, kernel };

    // Throws ParameterError unless there are at least 2 observations, all
    // finite; a bandwidth only with Method::kernel, finite and positive; and,
    // with Method::kernel and no bandwidth, observations that are not all equal.
    explicit Empirical(std::vector<double> observations, Method method = Method::resample,
                       std::optional<double> bandwidth = std::nullopt);

    // Silverman's h for these observations (0 when they are all equal).
    [[nodiscard]] static double silverman_bandwidth(std::vector<double> observations);

    [[nodiscard]] Method method() const noexcept { return method_; }
    // h for Method::kernel, 0 for Method::resample.
    [[nodiscard]] double bandwidth() const noexcept { return bandwidth_; }
    [[nodiscard]] const std::vector<double>& observations() const noexcept { return observations_; }

    [[nodiscard]] std::string_view kind() const override { return "empirical"; }
    void sample(std::span<double> out, Rng& rng) const override;
    // Kernel: Q(0) = -inf, Q(1) = +inf.
    [[nodiscard]] double quantile(double u) const override;
    [[nodiscard]] double cdf(double x) const override;
    [[nodiscard]] double mean() const override { return mean_; }
    [[nodiscard]] double variance() const override { return variance_; }
    // "empirical(n=20, method=resample)", "empirical(n=20, method=kernel, bandwidth=0.31)".
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] bool is_discrete() const override { return method_ == Method::resample; }

private:
    std::vector<double> observations_;  // as given: draws index into these
    std::vector<double> sorted_;
    Method method_;
    double bandwidth_ = 0;
    double mean_ = 0;
    double variance_ = 0;
};

}  // namespace flopcast::dist
