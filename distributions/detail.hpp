#pragma once
// Helpers shared by the distribution implementations. Not part of the public
// interface: nothing outside distributions/ should include this header.
#include <functional>
#include <span>
#include <vector>
#include <string>
#include <string_view>

#include <boost/math/policies/policy.hpp>

#include "distributions/quantile_point.hpp"

namespace flopcast::dist::detail {

// Boost.Math evaluates double functions in long double by default. long double
// is 80-bit on x86 and 64- or 128-bit elsewhere, so the same cdf or quantile
// could differ in the last bits between machines; evaluating in double keeps
// Boost.Math's part of the result the same everywhere.
using MathPolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// z_0.95 = Phi^-1(0.95): the quantile parametrizations ("p5", "p95") use it.
inline constexpr double z95 = 1.6448536269514722;

// Shortest decimal that reads back as the same double: "0.2", "1e+300", "nan".
// Used in error messages so the user sees the value they wrote.
[[nodiscard]] std::string exact(double value);

// %g-style (6 significant digits), for describe().
[[nodiscard]] std::string brief(double value);

// Each throws ParameterError naming `field` and `value` when the check fails.
void require_finite(std::string_view field, double value);
void require_positive(std::string_view field, double value);  // finite and > 0
void require_above(std::string_view field, double value,      // value > other
                   std::string_view other_field, double other);

// Each element finite; the message names the element: "values[2] (nan) must
// be a finite number", with `field` ("values") as the ParameterError's field.
void require_finite_list(std::string_view field, std::span<const double> values);

// Checks the weights of a discrete or mixture distribution: `count` finite,
// non-negative entries (one per `per`, e.g. "value") with a positive sum.
// Returns the largest weight, by which callers normalize (so sums cannot
// overflow). Throws ParameterError naming field "weights".
double require_weights(const std::vector<double>& weights, std::size_t count, std::string_view per);

// "[0, 0.65]": every element in exact().
[[nodiscard]] std::string exact_list(std::span<const double> values);

// Standard normal cdf Phi(z), 0 and 1 at the infinities.
[[nodiscard]] double std_normal_cdf(double z);
// Phi^-1(p) for p in (0, 1).
[[nodiscard]] double std_normal_quantile(double p);

// Two quantiles ordered by level, {lower, upper}. Throws ParameterError
// naming the quantile unless both levels lie in (0, 1) and differ, both
// values are finite and the upper value is above the lower one.
struct QuantilePair {
    QuantilePoint lower;
    QuantilePoint upper;
};
[[nodiscard]] QuantilePair ordered_quantiles(const QuantilePoint& a, const QuantilePoint& b);

// The generalised inverse of a non-decreasing cdf: the smallest x with
// cdf(x) >= p, for a bracket with cdf(x) < p for every x < lo and
// cdf(hi) >= p. Located by TOMS 748 (boost/math/tools/roots.hpp) until the
// bracket is within 1e-12 relative, or within `resolution` (> 0) where the
// answer is near 0; about 10 to 20 cdf evaluations for a smooth cdf. Where
// the cdf jumps (an atom) the answer is the jump's location to that
// tolerance.
[[nodiscard]] double invert_cdf(const std::function<double(double)>& cdf, double p, double lo,
                                double hi, double resolution);

// Precondition of every quantile(): throws std::domain_error unless 0 <= p <= 1.
void require_probability(double p);
// Precondition of every cdf(): throws std::domain_error if x is NaN.
void require_not_nan(double x);

}  // namespace flopcast::dist::detail
