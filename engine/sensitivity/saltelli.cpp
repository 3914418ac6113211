#include "engine/sensitivity/saltelli.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace flopcast::sensitivity {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void weighted_sums5(const double* w, const double* const x[5], std::size_t n, double* out) {
    // Two interleaved partial sums per quantity: independent add chains, and
    // a grouping that depends only on n.
    double s0[5] = {0, 0, 0, 0, 0}, s1[5] = {0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const double w0 = w[i], w1 = w[i + 1];
        for (int q = 0; q < 5; ++q) {
            s0[q] += w0 * x[q][i];
            s1[q] += w1 * x[q][i + 1];
        }
    }
    if (i < n)
        for (int q = 0; q < 5; ++q) s0[q] += w[i] * x[q][i];
    for (int q = 0; q < 5; ++q) out[q] = s0[q] + s1[q];
}

SaltelliSums::SaltelliSums(std::size_t weightings, std::size_t series, std::size_t factors)
    : weightings_(weightings), series_(series), factors_(factors), sums_(weightings * series * (5 + 5 * factors), 0.0) {}

SaltelliSums SaltelliSums::from_raw(std::size_t weightings, std::size_t series, std::size_t factors,
                                    std::vector<double> sums) {
    SaltelliSums out;
    out.weightings_ = weightings;
    out.series_ = series;
    out.factors_ = factors;
    if (sums.size() != weightings * series * out.stride())
        throw std::invalid_argument("Saltelli sums of the wrong size for their weightings, series and factors");
    out.sums_ = std::move(sums);
    return out;
}

void SaltelliSums::merge(const SaltelliSums& other) {
    if (sums_.empty()) {
        *this = other;
        return;
    }
    for (std::size_t i = 0; i < sums_.size(); ++i) sums_[i] += other.sums_[i];
}

namespace {

// Five rows of n terms summed in place into n / unit unit sums each, in row
// order within a unit.
void unit_sums(double* terms, std::size_t n, std::size_t unit) {
    if (unit == 1) return;
    for (int q = 0; q < 5; ++q) {
        double* x = terms + static_cast<std::size_t>(q) * n;
        for (std::size_t u = 0; u < n / unit; ++u) {
            double sum = 0.0;
            for (std::size_t i = u * unit; i < (u + 1) * unit; ++i) sum += x[i];
            x[u] = sum;
        }
    }
}

}  // namespace

void SaltelliSums::set_ab(std::size_t s, const double* fa, const double* fb, double shift, std::size_t used,
                          std::size_t unit, std::span<const double> weights, std::size_t n,
                          std::vector<double>& scratch) {
    scratch.resize(5 * n);
    double* m = scratch.data();
    double* a = m + n;
    double* b = a + n;
    double* aa = b + n;
    double* bb = aa + n;
    for (std::size_t i = 0; i < n; ++i) {
        const bool ok = i < used && std::isfinite(fa[i]) && std::isfinite(fb[i]);
        // A row that does not count contributes exact zeros (never NaN * 0).
        const double x = ok ? fa[i] - shift : 0.0, y = ok ? fb[i] - shift : 0.0;
        m[i] = ok ? 1.0 : 0.0;
        a[i] = x;
        b[i] = y;
        aa[i] = x * x;
        bb[i] = y * y;
    }
    unit_sums(m, n, unit);
    const std::size_t units = n / unit;
    const double* const x[5] = {m, a, b, aa, bb};
    for (std::size_t w = 0; w < weightings_; ++w) weighted_sums5(weights.data() + w * units, x, units, at(w, s));
}

void SaltelliSums::set_factor(std::size_t s, std::size_t j, const double* fa, const double* fb, const double* fab,
                              double shift, std::size_t used, std::size_t unit, std::span<const double> weights,
                              std::size_t n, std::vector<double>& scratch) {
    scratch.resize(5 * n);
    double* m = scratch.data();
    double* b = m + n;
    double* d = b + n;
    double* dd = d + n;
    double* bd = dd + n;
    for (std::size_t i = 0; i < n; ++i) {
        const bool ok = i < used && std::isfinite(fa[i]) && std::isfinite(fb[i]) && std::isfinite(fab[i]);
        const double y = ok ? fb[i] - shift : 0.0, z = ok ? fab[i] - fa[i] : 0.0;
        m[i] = ok ? 1.0 : 0.0;
        b[i] = y;
        d[i] = z;
        dd[i] = z * z;
        bd[i] = y * z;
    }
    unit_sums(m, n, unit);
    const std::size_t units = n / unit;
    const double* const x[5] = {m, b, d, dd, bd};
    double out[5];
    for (std::size_t w = 0; w < weightings_; ++w) {
        weighted_sums5(weights.data() + w * units, x, units, out);
        double* dst = at(w, s) + 5 + 5 * j;
        for (int q = 0; q < 5; ++q) dst[q] = out[q];
    }
}

double SaltelliSums::variance(std::size_t w, std::size_t s) const {
    const double* p = at(w, s);
    const double count = 2.0 * p[0];
    if (count < 2.0) return kNaN;
    const double mean = (p[1] + p[2]) / count;
    return (p[3] + p[4]) / count - mean * mean;
}

SobolIndex SaltelliSums::index(std::size_t w, std::size_t s, std::size_t j) const {
    const double v = variance(w, s);
    const double* p = at(w, s) + 5 + 5 * j;
    const double n = p[0];
    // A variance at the rounding level of the values' squares: a constant output.
    const double* q = at(w, s);
    const double square = (q[3] + q[4]) / (2.0 * q[0]);
    if (!(v > 1e-12 * square) || n < 1.0) return {kNaN, kNaN};
    const double mean_b = p[1] / n, mean_d = p[2] / n;
    return {(p[4] / n - mean_b * mean_d) / v, p[3] / n / (2.0 * v)};
}

double SaltelliSums::rows(std::size_t s, std::size_t j) const { return at(0, s)[5 + 5 * j]; }

}  // namespace flopcast::sensitivity
