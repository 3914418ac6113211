#pragma once
// Rank statistics: Spearman's rank correlation and the partial rank
// correlation coefficient (PRCC), for monotone relations between inputs and
// an output, from plain Monte Carlo samples.
#include <cstddef>
#include <span>
#include <vector>

namespace flopcast::sensitivity {

// Ranks 1..n of x; tied values share the mean of their ranks (mid-ranks).
// x must hold no NaN.
[[nodiscard]] std::vector<double> ranks(std::span<const double> x);

// Pearson's correlation of x and y (equal lengths); NaN when either is constant.
// Summed in index order: the same bits on every run.
[[nodiscard]] double pearson(std::span<const double> x, std::span<const double> y);

// From the correlation matrix of m variables (row-major m x m), the partial
// correlation of each of the first m - 1 with the last, given all the others:
// -P(i, m-1) / sqrt(P(i, i) P(m-1, m-1)), P the inverse of the matrix. This is
// the correlation of the residuals of both on the others after linear least
// squares (with an intercept). On ranks it is the PRCC. All NaN when the
// matrix is singular (an input a linear function of others).
[[nodiscard]] std::vector<double> partial_correlations(std::vector<double> correlation, std::size_t m);

}  // namespace flopcast::sensitivity
