#include "distributions/pert.hpp"

#include <cmath>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {

// Checks in the order a user reads them, then the Beta's shape parameters.
Beta pert_beta(double min, double mode, double max, double lambda) {
    detail::require_finite("min", min);
    detail::require_finite("mode", mode);
    detail::require_finite("max", max);
    detail::require_positive("lambda", lambda);
    detail::require_above("max", max, "min", min);
    if (!(min <= mode && mode <= max)) {
        throw ParameterError("mode", "mode (" + detail::exact(mode) + ") must be between min (" +
                                         detail::exact(min) + ") and max (" + detail::exact(max) +
                                         ")");
    }
    const double width = max - min;
    if (!std::isfinite(width)) {
        throw ParameterError("max", "the range from min (" + detail::exact(min) + ") to max (" +
                                        detail::exact(max) + ") is too wide to represent");
    }
    const double alpha = 1 + lambda * ((mode - min) / width);
    const double beta = 1 + lambda * ((max - mode) / width);
    return Beta(alpha, beta, min, max);
}

}  // namespace

Pert::Pert(double min, double mode, double max, double lambda)
    : mode_(mode), lambda_(lambda), beta_(pert_beta(min, mode, max, lambda)) {}

std::string Pert::describe() const {
    return "pert(min=" + detail::brief(beta_.lower()) + ", mode=" + detail::brief(mode_) +
           ", max=" + detail::brief(beta_.upper()) + ", lambda=" + detail::brief(lambda_) + ")";
}

}  // namespace flopcast::dist
