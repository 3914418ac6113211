#pragma once
// Builds a Distribution from a kind name and named parameters.
//
// This is the only door through which parameters enter: every check happens
// here, with messages that name the parameter and its value.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "distributions/distribution.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

// Named parameters, neutral about where they came from.
struct ParamSet {
    std::map<std::string, double, std::less<>> scalars;              // median = 0.35
    std::map<std::string, std::vector<double>, std::less<>> lists;   // clip = [0, 0.65]
    std::map<std::string, std::string, std::less<>> strings;         // (future: "5 to 50")
};

// Throws ParameterError for an unknown kind, a missing, unknown or impossible
// parameter (NaN and infinities included). The generic keys "clip" = [lo, hi]
// wrap any kind: draws outside are set to the nearest bound.
[[nodiscard]] std::unique_ptr<Distribution> make_distribution(std::string_view kind,
                                                              const ParamSet& params);

// Every kind make_distribution accepts, sorted.
[[nodiscard]] std::vector<std::string> known_kinds();

}  // namespace flopcast::dist
