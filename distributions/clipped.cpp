#include "distributions/clipped.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <utility>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "distributions/constant.hpp"
#include "distributions/detail.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/normal.hpp"
#include "distributions/parameter_error.hpp"
#include "distributions/triangular.hpp"
#include "distributions/uniform.hpp"

namespace flopcast::dist {

namespace {

struct Moments {
    double mean;
    double variance;
};

// One part of a mixture: a weight with the mean and variance of that part.
struct Part {
    double weight;
    double mean;
    double variance;
};

// Law of total variance: Var = sum w_i (v_i + (m_i - m)^2). Summing squared
// deviations instead of E[Y^2] - E[Y]^2 avoids cancellation. Parts of weight 0
// are skipped so that their (possibly infinite) means cannot poison the sum.
Moments mix(std::initializer_list<Part> parts) {
    double total = 0;
    double mean = 0;
    for (const Part& part : parts) {
        if (part.weight > 0) {
            total += part.weight;
            mean += part.weight * part.mean;
        }
    }
    mean /= total;
    double variance = 0;
    for (const Part& part : parts) {
        if (part.weight > 0) {
            const double d = part.mean - mean;
            variance += part.weight * (part.variance + d * d);
        }
    }
    return {mean, variance / total};
}

// ---- standard normal helpers -------------------------------------------------

using MathNormal = boost::math::normal_distribution<double, detail::MathPolicy>;

double Phi(double z) {
    if (std::isinf(z)) return z < 0 ? 0.0 : 1.0;
    return boost::math::cdf(MathNormal(), z);
}

double phi(double z) { return std::isinf(z) ? 0.0 : boost::math::pdf(MathNormal(), z); }

// z phi(z), which tends to 0 at both infinities.
double z_phi(double z) { return std::isinf(z) ? 0.0 : z * phi(z); }

// P(a < Z <= b). Right of 0 the difference is taken between upper tails, which
// are accurate there, instead of between two numbers close to 1.
double interval(double a, double b) {
    if (a > 0) return Phi(-a) - Phi(-b);
    return Phi(b) - Phi(a);
}

// Z standard normal clipped to [a, b] (a < b, either may be infinite). With
// P0, P1, P2 the partial moments int_a^b z^k phi(z) dz:
//   P0 = Phi(b) - Phi(a),   P1 = phi(a) - phi(b),   P2 = P0 + a phi(a) - b phi(b).
Moments clipped_standard_normal(double a, double b) {
    const double p_lo = Phi(a);
    const double p_hi = Phi(-b);
    const double p0 = interval(a, b);
    const double p1 = phi(a) - phi(b);
    const double p2 = p0 + z_phi(a) - z_phi(b);
    const double inner_mean = p0 > 0 ? p1 / p0 : 0.0;
    const double inner_var = p0 > 0 ? std::max(0.0, p2 / p0 - inner_mean * inner_mean) : 0.0;
    return mix({{p_lo, a, 0.0}, {p_hi, b, 0.0}, {p0, inner_mean, inner_var}});
}

// ---- closed forms per kind ---------------------------------------------------

Moments clip(const Constant& d, double lo, double hi) {
    return {std::clamp(d.value(), lo, hi), 0.0};
}

Moments clip(const Uniform& d, double lo, double hi) {
    const double a = d.lower();
    const double b = d.upper();
    if (hi <= a) return {hi, 0.0};
    if (lo >= b) return {lo, 0.0};
    const double inner_lo = std::max(lo, a);
    const double inner_hi = std::min(hi, b);
    const double width = b - a;
    const double inner_width = inner_hi - inner_lo;
    return mix({{(inner_lo - a) / width, lo, 0.0},
                {(b - inner_hi) / width, hi, 0.0},
                {inner_width / width, inner_lo + inner_width / 2, inner_width * inner_width / 12}});
}

// The density is linear on [a, c] and on [c, b], so the integrands x f(x) and
// (x - m)^2 f(x) are polynomials of degree <= 3 on each piece, which 7-point
// Gauss-Legendre integrates exactly.
Moments clip(const Triangular& d, double lo, double hi) {
    const double a = d.lower();
    const double c = d.mode();
    const double b = d.upper();
    if (hi <= a) return {hi, 0.0};
    if (lo >= b) return {lo, 0.0};
    const double inner_lo = std::max(lo, a);
    const double inner_hi = std::min(hi, b);
    const double weight = d.cdf(inner_hi) - d.cdf(inner_lo);
    if (!(weight > 0)) return mix({{d.cdf(lo), lo, 0.0}, {1 - d.cdf(hi), hi, 0.0}});

    using Gauss = boost::math::quadrature::gauss<double, 7>;
    auto integrate = [&](auto&& g) {
        double sum = 0;
        if (inner_lo < c) sum += Gauss::integrate(g, inner_lo, std::min(c, inner_hi));
        if (c < inner_hi) sum += Gauss::integrate(g, std::max(c, inner_lo), inner_hi);
        return sum;
    };
    const double inner_mean = integrate([&](double x) { return x * d.pdf(x); }) / weight;
    const double inner_var =
        integrate([&](double x) { return (x - inner_mean) * (x - inner_mean) * d.pdf(x); }) /
        weight;
    return mix({{d.cdf(lo), lo, 0.0}, {1 - d.cdf(hi), hi, 0.0}, {weight, inner_mean, inner_var}});
}

// X = mean + sd Z, so Y = mean + sd clip(Z, (lo - mean)/sd, (hi - mean)/sd).
Moments clip(const Normal& d, double lo, double hi) {
    const double sd = d.sd();
    const Moments z = clipped_standard_normal((lo - d.mean()) / sd, (hi - d.mean()) / sd);
    return {d.mean() + sd * z.mean, sd * sd * z.variance};
}

// Measured in units of the median e^mu, X = W e^mu with W = exp(sigma Z), and
// with a = (ln lo - mu) / sigma, b = (ln hi - mu) / sigma the partial moments are
//   int_{lo}^{hi} w^k dF_W = exp(k^2 sigma^2 / 2) (Phi(b - k sigma) - Phi(a - k sigma)).
// The interior variance is a difference of such moments: for small sigma it
// loses about log10(1 / sigma^2) digits (sigma = 0.01: ~1e-12 relative).
Moments clip(const Lognormal& d, double lo, double hi) {
    if (hi <= 0) return {hi, 0.0};
    const double mu = d.mu();
    const double s = d.sigma();
    const double a = lo > 0 ? (std::log(lo) - mu) / s : -std::numeric_limits<double>::infinity();
    const double b = (std::log(hi) - mu) / s;
    auto partial = [&](int k) {
        const double p = interval(a - k * s, b - k * s);
        // In logs: exp(k^2 s^2 / 2) alone can overflow while the product is small.
        return p > 0 ? std::exp(k * k * s * s / 2 + std::log(p)) : 0.0;
    };
    const double m0 = partial(0);
    const double lo_w = lo > 0 ? std::exp(std::log(lo) - mu) : 0.0;  // weight 0 if lo <= 0
    const double hi_w = std::exp(std::log(hi) - mu);
    Moments w{};
    if (m0 > 0) {
        const double inner_mean = partial(1) / m0;
        const double inner_var = std::max(0.0, partial(2) / m0 - inner_mean * inner_mean);
        w = mix({{Phi(a), lo_w, 0.0}, {Phi(-b), hi_w, 0.0}, {m0, inner_mean, inner_var}});
    } else {
        w = mix({{Phi(a), lo_w, 0.0}, {Phi(-b), hi_w, 0.0}});
    }
    const double scale = std::exp(mu);
    return {scale * w.mean, scale * scale * w.variance};
}

// Any other distribution: E[g(Y)] = int_0^1 g(clamp(Q_X(p))) dp. Below F_X(lo)
// the integrand is g(lo), above F_X(hi) it is g(hi); only the middle needs
// quadrature. Accurate to about 1e-10 relative for a smooth Q_X; slower and
// less exact where Q_X jumps (atoms or gaps in X).
Moments clip_numerically(const Distribution& d, double lo, double hi) {
    const double f_lo = d.cdf(lo);
    const double f_hi = d.cdf(hi);
    const double weight = f_hi - f_lo;
    if (!(weight > 0)) return mix({{f_lo, lo, 0.0}, {1 - f_hi, hi, 0.0}});
    using GaussKronrod = boost::math::quadrature::gauss_kronrod<double, 31>;
    constexpr unsigned max_depth = 15;
    constexpr double tolerance = 1e-12;
    auto y = [&](double p) { return std::clamp(d.quantile(p), lo, hi); };
    const double inner_mean = GaussKronrod::integrate(y, f_lo, f_hi, max_depth, tolerance) / weight;
    const double inner_var = GaussKronrod::integrate(
                                 [&](double p) {
                                     const double dev = y(p) - inner_mean;
                                     return dev * dev;
                                 },
                                 f_lo, f_hi, max_depth, tolerance) /
                             weight;
    return mix({{f_lo, lo, 0.0}, {1 - f_hi, hi, 0.0}, {weight, inner_mean, inner_var}});
}

Moments clipped_moments(const Distribution& d, double lo, double hi) {
    // Distribution's interface has no partial moments; the concrete kinds do
    // have closed forms, so look for them here rather than widen the interface.
    if (const auto* c = dynamic_cast<const Constant*>(&d)) return clip(*c, lo, hi);
    if (const auto* u = dynamic_cast<const Uniform*>(&d)) return clip(*u, lo, hi);
    if (const auto* t = dynamic_cast<const Triangular*>(&d)) return clip(*t, lo, hi);
    if (const auto* n = dynamic_cast<const Normal*>(&d)) return clip(*n, lo, hi);
    if (const auto* l = dynamic_cast<const Lognormal*>(&d)) return clip(*l, lo, hi);
    return clip_numerically(d, lo, hi);
}

}  // namespace

Clipped::Clipped(std::shared_ptr<const Distribution> inner, double lo, double hi)
    : inner_(std::move(inner)), lo_(lo), hi_(hi) {
    if (!inner_) throw std::invalid_argument("Clipped: inner distribution is null");
    if (!std::isfinite(lo)) {
        throw ParameterError(
            "clip", "clip lower bound (" + detail::exact(lo) + ") must be a finite number");
    }
    if (!std::isfinite(hi)) {
        throw ParameterError(
            "clip", "clip upper bound (" + detail::exact(hi) + ") must be a finite number");
    }
    if (!(lo < hi)) {
        throw ParameterError("clip", "clip upper bound (" + detail::exact(hi) +
                                         ") must be above its lower bound (" + detail::exact(lo) +
                                         ")");
    }
    const Moments m = clipped_moments(*inner_, lo_, hi_);
    mean_ = m.mean;
    variance_ = m.variance;
}

void Clipped::sample(std::span<double> out, Rng& rng) const {
    inner_->sample(out, rng);
    for (double& x : out) x = std::clamp(x, lo_, hi_);
}

// Clamping the inner quantile is the generalised inverse of F_Y: every p up to
// F_X(lo) maps to lo, every p above F_X(hi) to hi.
double Clipped::quantile(double p) const { return std::clamp(inner_->quantile(p), lo_, hi_); }

double Clipped::cdf(double x) const {
    detail::require_not_nan(x);
    if (x < lo_) return 0.0;
    if (x >= hi_) return 1.0;
    return inner_->cdf(x);
}

std::string Clipped::describe() const {
    return inner_->describe() + ", clip=[" + detail::brief(lo_) + ", " + detail::brief(hi_) + "]";
}

}  // namespace flopcast::dist
