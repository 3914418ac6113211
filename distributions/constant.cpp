#include "distributions/constant.hpp"

#include <algorithm>

#include "distributions/detail.hpp"

namespace flopcast::dist {

Constant::Constant(double value) : value_(value) { detail::require_finite("value", value); }

void Constant::sample(std::span<double> out, Rng& /*rng*/) const {
    std::fill(out.begin(), out.end(), value_);
}

double Constant::quantile(double p) const {
    detail::require_probability(p);
    return value_;
}

double Constant::cdf(double x) const {
    detail::require_not_nan(x);
    return x >= value_ ? 1.0 : 0.0;
}

std::string Constant::describe() const { return "constant(value=" + detail::brief(value_) + ")"; }

}  // namespace flopcast::dist
