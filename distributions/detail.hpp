#pragma once
// Helpers shared by the distribution implementations. Not part of the public
// interface: nothing outside distributions/ should include this header.
#include <string>
#include <string_view>

#include <boost/math/policies/policy.hpp>

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

// Precondition of every quantile(): throws std::domain_error unless 0 <= p <= 1.
void require_probability(double p);
// Precondition of every cdf(): throws std::domain_error if x is NaN.
void require_not_nan(double x);

}  // namespace flopcast::dist::detail
