#include "distributions/detail.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>

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

void require_finite_list(std::string_view field, std::span<const double> values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i])) {
            throw ParameterError(std::string(field), std::string(field) + "[" + std::to_string(i) +
                                                         "] (" + exact(values[i]) +
                                                         ") must be a finite number");
        }
    }
}

std::string exact_list(std::span<const double> values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += exact(values[i]);
    }
    return out + "]";
}

double std_normal_cdf(double z) {
    if (std::isinf(z)) return z < 0 ? 0.0 : 1.0;
    return boost::math::cdf(boost::math::normal_distribution<double, MathPolicy>(), z);
}

double std_normal_quantile(double p) {
    return boost::math::quantile(boost::math::normal_distribution<double, MathPolicy>(), p);
}

QuantilePair ordered_quantiles(const QuantilePoint& a, const QuantilePoint& b) {
    for (const QuantilePoint* q : {&a, &b}) {
        if (!(q->p > 0 && q->p < 1)) {
            throw ParameterError(q->name, q->name + ": the level " + exact(q->p) +
                                              " of a quantile must lie strictly between 0 and 1");
        }
        require_finite(q->name, q->value);
    }
    if (a.p == b.p) {
        throw ParameterError(
            b.name, b.name + " and " + a.name + " name the same quantile; give two different ones");
    }
    QuantilePair pair{a.p < b.p ? a : b, a.p < b.p ? b : a};
    require_above(pair.upper.name, pair.upper.value, pair.lower.name, pair.lower.value);
    return pair;
}

double invert_cdf(const std::function<double(double)>& cdf, double p, double lo, double hi,
                  double resolution) {
    const double f_lo = cdf(lo);
    if (!(lo < hi) || f_lo >= p) return lo;
    // In exact arithmetic cdf(hi) >= p; cdf(quantile(p)) may round an ulp
    // below p, so step hi up until it truly brackets (once or twice at most).
    double f_hi = cdf(hi);
    for (int step = 0; f_hi < p && step < 64; ++step) {
        hi += std::max({hi - lo, 1e-12 * std::abs(hi), resolution});
        f_hi = cdf(hi);
    }
    if (f_hi < p) return hi;
    // g is never 0: a point with cdf(x) == p counts as "at or above", so that
    // on a flat stretch of the cdf the search keeps moving left, to the
    // smallest such x. TOMS 748 keeps g(a) < 0 < g(b) throughout.
    auto g = [&](double x) {
        const double f = cdf(x);
        return f >= p ? std::max(f - p, std::numeric_limits<double>::denorm_min()) : f - p;
    };
    auto close_enough = [&](double a, double b) {
        return b - a <= std::max(1e-12 * std::max(std::abs(a), std::abs(b)), resolution);
    };
    // 100 iterations: TOMS 748 falls back on bisection when it converges
    // slowly, and 100 bisections shrink any finite bracket below 1e-12 of it.
    std::uintmax_t iterations = 100;
    const double g_hi = std::max(f_hi - p, std::numeric_limits<double>::denorm_min());
    const auto bracket = boost::math::tools::toms748_solve(g, lo, hi, f_lo - p, g_hi, close_enough,
                                                           iterations, MathPolicy());
    return bracket.second;
}

void require_probability(double p) {
    if (!(p >= 0 && p <= 1)) {
        throw std::domain_error("quantile: probability " + exact(p) + " is outside [0, 1]");
    }
}

void require_not_nan(double x) {
    if (std::isnan(x)) throw std::domain_error("cdf: x is NaN");
}

double require_weights(const std::vector<double>& weights, std::size_t count, std::string_view per) {
    if (weights.size() != count) {
        throw ParameterError("weights", "weights (" + exact_list(weights) + ") must have " + std::to_string(count) +
                                            " entries, one per " + std::string(per) + ", not " +
                                            std::to_string(weights.size()));
    }
    require_finite_list("weights", weights);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] < 0) {
            throw ParameterError("weights", "weights[" + std::to_string(i) + "] (" + exact(weights[i]) +
                                                ") must not be negative");
        }
    }
    const double largest = *std::max_element(weights.begin(), weights.end());
    if (!(largest > 0)) {
        throw ParameterError("weights", "weights (" + exact_list(weights) + ") must have a positive sum");
    }
    return largest;
}

}  // namespace flopcast::dist::detail
