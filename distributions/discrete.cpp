#include "distributions/discrete.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {

// Up to 8 entries, then "..." and the last one.
std::string brief_list(const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values.size() > 9 && i == 8) {
            out += "..., ";
            i = values.size() - 1;
        } else if (i > 0) {
            out += ", ";
        }
        out += detail::brief(values[i]);
    }
    return out + "]";
}

}  // namespace

Discrete::Discrete(std::vector<double> values, std::vector<double> weights) {
    if (values.empty()) throw ParameterError("values", "values must list at least one number");
    detail::require_finite_list("values", values);
    if (weights.empty()) weights.assign(values.size(), 1.0);
    // Divided by the largest weight first, so that the sum cannot overflow.
    const double largest = detail::require_weights(weights, values.size(), "value");

    // Sort by value (stable, so merged weights add in the given order).
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> merged;
    for (std::size_t i : order) {
        const double w = weights[i] / largest;
        if (!values_.empty() && values_.back() == values[i]) {
            merged.back() += w;
        } else {
            values_.push_back(values[i]);
            merged.push_back(w);
        }
    }
    // Values of weight 0 are not part of the support.
    std::vector<double> kept_values;
    std::vector<double> kept_weights;
    for (std::size_t j = 0; j < values_.size(); ++j) {
        if (merged[j] > 0) {
            kept_values.push_back(values_[j]);
            kept_weights.push_back(merged[j]);
        }
    }
    values_ = std::move(kept_values);
    double total = 0;
    for (double w : kept_weights) total += w;
    double running = 0;
    for (double w : kept_weights) {
        probabilities_.push_back(w / total);
        running += w;
        cumulative_.push_back(running / total);
    }
    cumulative_.back() = 1.0;
    draw_ = boost::random::discrete_distribution<std::size_t, double>(probabilities_.begin(),
                                                                      probabilities_.end());

    for (std::size_t j = 0; j < values_.size(); ++j) mean_ += probabilities_[j] * values_[j];
    for (std::size_t j = 0; j < values_.size(); ++j) {
        const double d = values_[j] - mean_;
        variance_ += probabilities_[j] * d * d;
    }
}

void Discrete::sample(std::span<double> out, Rng& rng) const {
    for (double& x : out) x = values_[draw_(rng)];
}

double Discrete::quantile(double u) const {
    detail::require_probability(u);
    const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
    const auto j = std::min(static_cast<std::size_t>(it - cumulative_.begin()), values_.size() - 1);
    return values_[j];
}

double Discrete::cdf(double x) const {
    detail::require_not_nan(x);
    const auto k = static_cast<std::size_t>(std::upper_bound(values_.begin(), values_.end(), x) -
                                            values_.begin());
    return k == 0 ? 0.0 : cumulative_[k - 1];
}

std::string Discrete::describe() const {
    return "discrete(values=" + brief_list(values_) + ", p=" + brief_list(probabilities_) + ")";
}

}  // namespace flopcast::dist
