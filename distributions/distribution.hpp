#pragma once
// A univariate probability distribution, as the engine sees it.
//
// Distributions are immutable value objects: parameters are checked once, when
// the object is built (see factory.hpp), and never again on the hot path.
// They know nothing of scenarios, years or formulas.
#include <span>
#include <string>
#include <string_view>

#include "distributions/random_engine.hpp"

namespace flopcast::dist {

class Distribution {
public:
    virtual ~Distribution() = default;

    // The catalogue name, e.g. "lognormal".
    [[nodiscard]] virtual std::string_view kind() const = 0;

    // Fills `out` with independent draws, out[0] first. Consumes a variable
    // number of engine outputs (ziggurat rejection), so callers must never
    // assume a fixed budget per variate.
    virtual void sample(std::span<double> out, Rng& rng) const = 0;

    // Inverse CDF for p in [0, 1]. Lets quasi-random and stratified designs
    // drive any distribution.
    [[nodiscard]] virtual double quantile(double p) const = 0;
    [[nodiscard]] virtual double cdf(double x) const = 0;

    [[nodiscard]] virtual double mean() const = 0;
    [[nodiscard]] virtual double variance() const = 0;

    // Human-readable, with the resolved parameters: "lognormal(mu=0.5, sigma=0.3)".
    [[nodiscard]] virtual std::string describe() const = 0;

    // True when all the probability sits on finitely many values (a
    // probability mass function: bernoulli, discrete, empirical resampling,
    // constant). Such a cdf is a step function: the Kolmogorov-Smirnov test and
    // truncation by inverse CDF do not apply to it.
    [[nodiscard]] virtual bool is_discrete() const { return false; }
};

}  // namespace flopcast::dist
