#pragma once
// Rank correlation between inputs through a Gaussian copula.
//
// Correlated standard normals z = L e (L the Cholesky factor of the normal
// correlation matrix) are turned into uniforms Phi(z) and then into each
// input's own quantile: every input keeps its exact marginal, and the rank
// (Spearman) correlation between inputs i and j is rho_s exactly when the
// normals' correlation is 2 sin(pi rho_s / 6).
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace flopcast::sampling {

class GaussianCopula {
public:
    // spearman: k x k, row-major, symmetric, unit diagonal, entries in [-1, 1].
    // Throws std::invalid_argument naming the entry, or saying the matrix is
    // not positive definite (with the smallest pivot).
    [[nodiscard]] static GaussianCopula from_spearman(std::size_t k, std::span<const double> spearman);

    [[nodiscard]] std::size_t size() const noexcept { return k_; }

    // z holds k rows of n independent standard normals (row i is variable i);
    // on return the rows are correlated. In place, sample by sample.
    void correlate(std::span<double> z, std::size_t n) const;

    // The normal correlation 2 sin(pi rho_s / 6) that gives Spearman rho_s.
    [[nodiscard]] static double pearson_for_spearman(double rho_s);

private:
    std::size_t k_ = 0;
    std::vector<double> lower_;  // Cholesky factor, row-major k x k
};

}  // namespace flopcast::sampling
