#include "distributions/detail.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "distributions/parameter_error.hpp"

namespace flopcast::dist::detail {

std::string exact(double value) {
    // to_chars without a precision gives the shortest round-trip form.
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), result.ptr};
}

std::string brief(double value) {
    std::ostringstream out;  // default stream formatting is %g with 6 digits
    out << value;
    return out.str();
}

void require_finite(std::string_view field, double value) {
    if (!std::isfinite(value)) {
        throw ParameterError(std::string(field), std::string(field) + " (" + exact(value) +
                                                     ") must be a finite number");
    }
}

void require_positive(std::string_view field, double value) {
    require_finite(field, value);
    if (!(value > 0)) {
        throw ParameterError(std::string(field),
                             std::string(field) + " (" + exact(value) + ") must be positive");
    }
}

void require_above(std::string_view field, double value, std::string_view other_field,
                   double other) {
    if (!(value > other)) {
        throw ParameterError(std::string(field), std::string(field) + " (" + exact(value) +
                                                     ") must be above " + std::string(other_field) +
                                                     " (" + exact(other) + ")");
    }
}

void require_probability(double p) {
    if (!(p >= 0 && p <= 1)) {
        throw std::domain_error("quantile: probability " + exact(p) + " is outside [0, 1]");
    }
}

void require_not_nan(double x) {
    if (std::isnan(x)) throw std::domain_error("cdf: x is NaN");
}

}  // namespace flopcast::dist::detail
