#pragma once
// The estimators of Sobol indices from a Saltelli design, as streaming sums.
//
// Rows i = 1..N of two independent design matrices A and B; A_B^j is A with
// the columns of factor j taken from B. With f the model output (one series):
//   V     = variance of the 2N values f(A), f(B)
//   S_j   = mean(f(B) (f(A_B^j) - f(A))) / V              (Saltelli et al. 2010)
//   S_Tj  = mean((f(A) - f(A_B^j))^2) / (2 V)               (Jansen 1999)
// The first-order numerator is computed as the covariance of f(B) and
// f(A_B^j) - f(A), i.e. with f(B) centred at its sample mean: the same
// expectation (E[f(A_B^j) - f(A)] = 0), but a variance that does not grow
// with the output's mean (a demand of 2e6 +- 1e6 A100s, say).
//
// Values enter shifted by a constant c (the output at the inputs' medians):
// every estimator is unchanged, and the sums stay well conditioned.
//
// A row counts for series s only where the values it needs are finite
// (f(A), f(B) for V; also f(A_B^j) for factor j); the rows counted are kept.
//
// Every sum carries a weight per row: 1 for the point estimate, Poisson(1)
// for a bootstrap replicate (see bootstrap.hpp), so replicates stream too.
#include <cstddef>
#include <span>
#include <vector>

namespace flopcast::sensitivity {

struct SobolIndex {
    double first, total;  // NaN when the output does not vary
};

class SaltelliSums {
public:
    SaltelliSums() = default;
    // `weightings`: 1 + bootstrap replicates.
    SaltelliSums(std::size_t weightings, std::size_t series, std::size_t factors);

    // Adds the other's sums (a later stretch of rows).
    void merge(const SaltelliSums& other);

    // Sets the sums to those of one block's n rows, for series s (and factor
    // j). Rows `used`.. are past the design's end and count for nothing.
    // Rows are summed in units of `unit` consecutive rows (unit divides n),
    // then weighted: weights holds `weightings` rows of n / unit (row 0, the
    // point estimate's, all 1). fa, fb, fab: n values each.
    void set_ab(std::size_t s, const double* fa, const double* fb, double shift, std::size_t used, std::size_t unit,
                std::span<const double> weights, std::size_t n, std::vector<double>& scratch);
    void set_factor(std::size_t s, std::size_t j, const double* fa, const double* fb, const double* fab, double shift,
                    std::size_t used, std::size_t unit, std::span<const double> weights, std::size_t n,
                    std::vector<double>& scratch);

    // The estimates under weighting w (0: the point estimate).
    [[nodiscard]] double variance(std::size_t w, std::size_t s) const;
    [[nodiscard]] SobolIndex index(std::size_t w, std::size_t s, std::size_t j) const;
    // Rows counted for factor j of series s (weighting 0).
    [[nodiscard]] double rows(std::size_t s, std::size_t j) const;

    [[nodiscard]] std::size_t weightings() const noexcept { return weightings_; }
    [[nodiscard]] std::size_t series() const noexcept { return series_; }
    [[nodiscard]] std::size_t factors() const noexcept { return factors_; }

    // The sums as they are, for saved states (sensitivity_state.hpp): a state
    // read back merges into exactly the bits of the one written.
    [[nodiscard]] const std::vector<double>& raw() const noexcept { return sums_; }
    // Throws std::invalid_argument when `sums` does not fit the shape.
    [[nodiscard]] static SaltelliSums from_raw(std::size_t weightings, std::size_t series, std::size_t factors,
                                               std::vector<double> sums);

private:
    std::size_t weightings_ = 0, series_ = 0, factors_ = 0;
    // Per weighting and series: W, sum a, sum b, sum a^2, sum b^2 (a = f(A) - c,
    // b = f(B) - c), then per factor W_j, sum b, sum d, sum d^2, sum b d
    // (d = f(A_B^j) - f(A)), over the rows that count.
    std::vector<double> sums_;
    [[nodiscard]] std::size_t stride() const noexcept { return 5 + 5 * factors_; }
    [[nodiscard]] double* at(std::size_t w, std::size_t s) { return sums_.data() + (w * series_ + s) * stride(); }
    [[nodiscard]] const double* at(std::size_t w, std::size_t s) const {
        return sums_.data() + (w * series_ + s) * stride();
    }
};

// sum_i w[i] x[i] for five x at once, in a fixed order (interleaved partial
// sums): the same bits on every run. out[5].
void weighted_sums5(const double* w, const double* const x[5], std::size_t n, double* out);

}  // namespace flopcast::sensitivity
