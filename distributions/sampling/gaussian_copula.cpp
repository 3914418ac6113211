#include "distributions/sampling/gaussian_copula.hpp"

#include <cmath>
#include <numbers>
#include <sstream>

namespace flopcast::sampling {

double GaussianCopula::pearson_for_spearman(double rho_s) {
    return 2.0 * std::sin(std::numbers::pi * rho_s / 6.0);
}

GaussianCopula GaussianCopula::from_spearman(std::size_t k, std::span<const double> s) {
    if (s.size() != k * k) throw std::invalid_argument("the correlation matrix must be square");
    auto at = [&](std::size_t i, std::size_t j) { return s[i * k + j]; };
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < k; ++j) {
            std::ostringstream where;
            where << "entry [" << i + 1 << ", " << j + 1 << "] (" << at(i, j) << ")";
            if (!std::isfinite(at(i, j)) || at(i, j) < -1.0 || at(i, j) > 1.0)
                throw std::invalid_argument(where.str() + " is not in [-1, 1]");
            if (i == j && at(i, j) != 1.0) throw std::invalid_argument(where.str() + " must be 1 on the diagonal");
            if (at(i, j) != at(j, i))
                throw std::invalid_argument(where.str() + " differs from its mirror [" + std::to_string(j + 1) +
                                            ", " + std::to_string(i + 1) + "]: the matrix must be symmetric");
        }
    GaussianCopula c;
    c.k_ = k;
    std::vector<double> r(k * k);
    for (std::size_t i = 0; i < k * k; ++i) r[i] = pearson_for_spearman(s[i]);
    // Cholesky; a pivot that is not clearly positive means the matrix is not
    // positive definite (the correlations contradict each other).
    c.lower_.assign(k * k, 0.0);
    auto& L = c.lower_;
    for (std::size_t j = 0; j < k; ++j) {
        double d = r[j * k + j];
        for (std::size_t m = 0; m < j; ++m) d -= L[j * k + m] * L[j * k + m];
        if (!(d > 1e-10)) {
            std::ostringstream msg;
            msg << "the correlation matrix is not positive definite (pivot " << j + 1 << " is " << d
                << "): some correlations contradict each other";
            throw std::invalid_argument(msg.str());
        }
        L[j * k + j] = std::sqrt(d);
        for (std::size_t i = j + 1; i < k; ++i) {
            double v = r[i * k + j];
            for (std::size_t m = 0; m < j; ++m) v -= L[i * k + m] * L[j * k + m];
            L[i * k + j] = v / L[j * k + j];
        }
    }
    return c;
}

void GaussianCopula::correlate(std::span<double> z, std::size_t n) const {
    std::vector<double> e(k_);
    for (std::size_t s = 0; s < n; ++s) {
        for (std::size_t i = 0; i < k_; ++i) e[i] = z[i * n + s];
        // Row i of L e, for i from the last down, so e is read before it is
        // overwritten: z is written row by row in place.
        for (std::size_t i = 0; i < k_; ++i) {
            double v = 0.0;
            for (std::size_t m = 0; m <= i; ++m) v += lower_[i * k_ + m] * e[m];
            z[i * n + s] = v;
        }
    }
}

}  // namespace flopcast::sampling
