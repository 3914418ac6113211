#include "distributions/bernoulli.hpp"

#include <boost/random/bernoulli_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

Bernoulli::Bernoulli(double p) : p_(p) {
    detail::require_finite("p", p);
    if (!(p >= 0 && p <= 1)) {
        throw ParameterError("p", "p (" + detail::exact(p) + ") must be a probability in [0, 1]");
    }
}

void Bernoulli::sample(std::span<double> out, Rng& rng) const {
    boost::random::bernoulli_distribution<double> draw(p_);
    for (double& x : out) x = draw(rng) ? 1.0 : 0.0;
}

// The smallest value whose cumulative probability reaches u; 0 is skipped
// when it has no probability at all (p = 1).
double Bernoulli::quantile(double u) const {
    detail::require_probability(u);
    return p_ < 1 && u <= 1 - p_ ? 0.0 : 1.0;
}

double Bernoulli::cdf(double x) const {
    detail::require_not_nan(x);
    if (x < 0) return 0.0;
    if (x < 1) return 1 - p_;
    return 1.0;
}

std::string Bernoulli::describe() const { return "bernoulli(p=" + detail::brief(p_) + ")"; }

}  // namespace flopcast::dist
