#include "distributions/truncated.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

Truncated::Truncated(std::shared_ptr<const Distribution> inner, double lo, double hi)
    : inner_(std::move(inner)), lo_(lo), hi_(hi) {
    if (!inner_) throw std::invalid_argument("Truncated: inner distribution is null");
    if (inner_->is_discrete()) {
        throw ParameterError("truncate", "truncate needs a continuous distribution, and " +
                                             inner_->describe() +
                                             " is discrete; use clip to bound it");
    }
    if (!std::isfinite(lo)) {
        throw ParameterError(
            "truncate", "truncate lower bound (" + detail::exact(lo) + ") must be a finite number");
    }
    if (!std::isfinite(hi)) {
        throw ParameterError(
            "truncate", "truncate upper bound (" + detail::exact(hi) + ") must be a finite number");
    }
    if (!(lo < hi)) {
        throw ParameterError("truncate", "truncate upper bound (" + detail::exact(hi) +
                                             ") must be above its lower bound (" +
                                             detail::exact(lo) + ")");
    }
    f_lo_ = inner_->cdf(lo);
    f_hi_ = inner_->cdf(hi);
    mass_ = f_hi_ - f_lo_;
    const std::string window = "truncate [" + detail::exact(lo) + ", " + detail::exact(hi) + "]";
    if (!(mass_ > 0)) {
        throw ParameterError("truncate",
                             window + " has zero probability under " + inner_->describe());
    }
    const double needed = std::max(1e-12, 1e6 * std::numeric_limits<double>::epsilon() * f_hi_);
    if (mass_ < needed) {
        throw ParameterError("truncate", window + " keeps a probability of only " +
                                             detail::brief(mass_) + " under " + inner_->describe() +
                                             ", too little to sample by inverse CDF (at least " +
                                             detail::brief(needed) + " needed)");
    }

    // Moments: E[g(Y)] = (1/m) int g(clamp(Q_X(u))) du over [F(lo), F(hi)].
    using GaussKronrod = boost::math::quadrature::gauss_kronrod<double, 31>;
    constexpr unsigned max_depth = 15;
    constexpr double tolerance = 1e-12;
    auto y = [&](double u) { return std::clamp(inner_->quantile(u), lo_, hi_); };
    mean_ = GaussKronrod::integrate(y, f_lo_, f_hi_, max_depth, tolerance) / mass_;
    variance_ = GaussKronrod::integrate(
                    [&](double u) {
                        const double d = y(u) - mean_;
                        return d * d;
                    },
                    f_lo_, f_hi_, max_depth, tolerance) /
                mass_;
    // Rounding in the quadrature must not leave the window.
    mean_ = std::clamp(mean_, lo_, hi_);
}

void Truncated::sample(std::span<double> out, Rng& rng) const {
    boost::random::uniform_real_distribution<double> uniform(f_lo_, f_hi_);
    for (double& x : out) x = std::clamp(inner_->quantile(uniform(rng)), lo_, hi_);
}

double Truncated::quantile(double p) const {
    detail::require_probability(p);
    const double u = std::min(f_lo_ + p * mass_, f_hi_);
    return std::clamp(inner_->quantile(u), lo_, hi_);
}

double Truncated::cdf(double x) const {
    detail::require_not_nan(x);
    if (x < lo_) return 0.0;
    if (x >= hi_) return 1.0;
    return std::clamp((inner_->cdf(x) - f_lo_) / mass_, 0.0, 1.0);
}

std::string Truncated::describe() const {
    return inner_->describe() + ", truncate=[" + detail::brief(lo_) + ", " + detail::brief(hi_) +
           "]";
}

}  // namespace flopcast::dist
