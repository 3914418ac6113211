#include "engine/sensitivity/rank_correlation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace flopcast::sensitivity {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<double> ranks(std::span<const double> x) {
    const std::size_t n = x.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Stable, so the result is fully determined even before ties are averaged.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> r(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && x[order[j]] == x[order[i]]) ++j;
        const double mid = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i + 1 .. j
        for (std::size_t m = i; m < j; ++m) r[order[m]] = mid;
        i = j;
    }
    return r;
}

double pearson(std::span<const double> x, std::span<const double> y) {
    const std::size_t n = x.size();
    if (n < 2) return kNaN;
    double mx = 0.0, my = 0.0;
    for (std::size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (!(sxx > 0.0) || !(syy > 0.0)) return kNaN;
    return sxy / std::sqrt(sxx * syy);
}

std::vector<double> partial_correlations(std::vector<double> c, std::size_t m) {
    std::vector<double> out(m > 0 ? m - 1 : 0, kNaN);
    for (double v : c)
        if (!std::isfinite(v)) return out;
    // Gauss-Jordan inversion with partial pivoting; a correlation matrix is
    // symmetric positive semi-definite, so a tiny pivot means singular.
    std::vector<double> inv(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i) inv[i * m + i] = 1.0;
    for (std::size_t col = 0; col < m; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < m; ++r)
            if (std::fabs(c[r * m + col]) > std::fabs(c[pivot * m + col])) pivot = r;
        if (std::fabs(c[pivot * m + col]) < 1e-12) return out;
        if (pivot != col)
            for (std::size_t j = 0; j < m; ++j) {
                std::swap(c[col * m + j], c[pivot * m + j]);
                std::swap(inv[col * m + j], inv[pivot * m + j]);
            }
        const double p = c[col * m + col];
        for (std::size_t j = 0; j < m; ++j) {
            c[col * m + j] /= p;
            inv[col * m + j] /= p;
        }
        for (std::size_t r = 0; r < m; ++r) {
            if (r == col) continue;
            const double f = c[r * m + col];
            if (f == 0.0) continue;
            for (std::size_t j = 0; j < m; ++j) {
                c[r * m + j] -= f * c[col * m + j];
                inv[r * m + j] -= f * inv[col * m + j];
            }
        }
    }
    const std::size_t y = m - 1;
    for (std::size_t i = 0; i < y; ++i) {
        const double d = inv[i * m + i] * inv[y * m + y];
        out[i] = d > 0.0 ? -inv[i * m + y] / std::sqrt(d) : kNaN;
    }
    return out;
}

}  // namespace flopcast::sensitivity
