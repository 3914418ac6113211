#pragma once
// Squiggle-style shorthand for the two commonest inputs, written as text:
//
//   "5 to 50"   a 90 % interval: the lognormal whose 5th and 95th percentiles
//               are 5 and 50, or, when either bound is 0 or negative
//               ("-1 to 1"), the normal with those percentiles;
//   "3"         the constant 3.
//
// Numbers are decimal, with an optional sign, fraction and exponent
// ("1.5e3"); words and numbers are separated by blanks.
#include <memory>
#include <string_view>

#include "distributions/distribution.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

// Throws ParameterError with an empty field() for anything else (a message
// quoting the text and saying what is accepted), when the lower bound is not
// below the upper one ("50 to 5"), or for a number that is not finite.
[[nodiscard]] std::unique_ptr<Distribution> from_shorthand(std::string_view text);

}  // namespace flopcast::dist
