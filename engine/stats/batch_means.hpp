#pragma once
// Confidence interval from batch means: G independent groups of samples each
// give an estimate of the same statistic; their spread says how far the
// estimate from all groups together may be from the truth.
//
// The pooled estimate is treated as the mean of the G group estimates, whose
// standard error is s / sqrt(G) (s: their sample standard deviation), and the
// interval uses Student's t with G - 1 degrees of freedom, which is exact
// when the group estimates are normal and conservative enough for the
// G ~ 10-50 groups of a run. It holds for any statistic whose group
// estimates are roughly normal: means, and quantiles once each group has
// a few tens of samples beyond the quantile.
#include <span>

namespace flopcast::stats {

struct BatchMeansInterval {
    double mean = 0.0;        // of the group estimates
    double std_error = 0.0;   // s / sqrt(G)
    double half_width = 0.0;  // t_{G-1, (1 + confidence) / 2} * std_error
};

// Throws std::invalid_argument when there are fewer than 2 estimates, one
// is not finite, or confidence is outside (0, 1).
[[nodiscard]] BatchMeansInterval batch_means(std::span<const double> group_estimates, double confidence);

// The two-sided Student-t factor t_{dof, (1 + confidence) / 2}.
[[nodiscard]] double student_t_factor(double dof, double confidence);

}  // namespace flopcast::stats
