#pragma once
// Builds a Distribution from a kind name and named parameters.
//
// This is the only door through which parameters enter: every check happens
// here, with messages that name the parameter and its value.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "distributions/bulk_quantile.hpp"
#include "distributions/distribution.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

// Named parameters, neutral about where they came from.
struct ParamSet {
    std::map<std::string, double, std::less<>> scalars;             // median = 0.35
    std::map<std::string, std::vector<double>, std::less<>> lists;  // clip = [0, 0.65]
    std::map<std::string, std::string, std::less<>> strings;        // method = "kernel"
    // The components of a "mixture", in order, each naming its own kind in
    // strings["dist"]; their weights are the mixture's lists["weights"].
    // Empty for every other kind.
    std::vector<ParamSet> components;
};

// Throws ParameterError for an unknown kind, a missing, unknown or impossible
// parameter (NaN and infinities included). Two generic list keys apply to
// every kind:
//   "truncate" = [lo, hi]  (continuous kinds only) conditions on lo < X <= hi;
//                          see truncated.hpp;
//   "clip" = [lo, hi]      sets draws outside to the nearest bound; see clipped.hpp.
// Given both, truncate applies first, then clip.
// Lognormal and normal also accept any two quantiles: keys "qNN" (NN an
// integer 1..99: q10 = 3, q90 = 30) and "median" (= q50).
// An error inside a mixture's component i (0-based) names the field
// "components[i].<field>" and prefixes the message "component i+1 (<kind>): ".
[[nodiscard]] std::unique_ptr<Distribution> make_distribution(std::string_view kind,
                                                              const ParamSet& params);

// The vectorized quantile function of a distribution make_distribution
// built, truncation and clip included; nothing for a family without one
// (bulk_quantile.hpp lists those with one) or inside a mixture.
[[nodiscard]] std::optional<BulkQuantile> bulk_quantile(const Distribution& d);

// Every kind make_distribution accepts, sorted.
[[nodiscard]] std::vector<std::string> known_kinds();

}  // namespace flopcast::dist
