#include "distributions/mixture.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/random/uniform_01.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

Mixture::Mixture(std::vector<std::shared_ptr<const Distribution>> components,
                 std::vector<double> weights)
    : components_(std::move(components)) {
    if (components_.empty()) {
        throw ParameterError("components", "a mixture needs at least one component");
    }
    for (const auto& c : components_) {
        if (!c) throw std::invalid_argument("Mixture: a component is null");
    }
    // Divided by the largest weight first, so that the sum cannot overflow.
    const double largest = detail::require_weights(weights, components_.size(), "component");
    double total = 0;
    for (double& w : weights) total += (w /= largest);
    double running = 0;
    for (double w : weights) {
        weights_.push_back(w / total);
        running += w;
        cumulative_.push_back(running / total);
    }
    cumulative_.back() = 1.0;

    // Moments; components of weight 0 are skipped so that an undefined mean
    // of theirs cannot poison the sum.
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0) mean_ += weights_[i] * components_[i]->mean();
    }
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0) {
            const double d = components_[i]->mean() - mean_;
            variance_ += weights_[i] * (components_[i]->variance() + d * d);
        }
    }
    if (std::isnan(mean_)) variance_ = std::numeric_limits<double>::quiet_NaN();

    // Near 0 a relative tolerance means nothing: use 1e-12 of the narrowest
    // 10-90 % range among the components (1e-12 if every range is 0).
    double narrowest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < size(); ++i) {
        const double range = components_[i]->quantile(0.9) - components_[i]->quantile(0.1);
        if (weights_[i] > 0 && range > 0) narrowest = std::min(narrowest, range);
    }
    resolution_ = 1e-12 * (std::isfinite(narrowest) ? narrowest : 1.0);
}

void Mixture::sample(std::span<double> out, Rng& rng) const {
    constexpr std::size_t chunk = 512;
    std::array<std::uint32_t, chunk> which{};    // component of each value in the chunk
    std::array<std::uint32_t, chunk> slot{};     // chunk positions grouped by component
    std::array<double, chunk> values{};          // draws grouped by component
    std::vector<std::size_t> start(size() + 1);  // run of component i: [start[i], start[i + 1])
    std::vector<std::size_t> next(size());
    boost::random::uniform_01<double> uniform;

    for (std::size_t base = 0; base < out.size(); base += chunk) {
        const std::size_t n = std::min(chunk, out.size() - base);
        // Pick the components: u < 1 always, so the index is below size();
        // components of weight 0 have an empty interval and are never picked.
        std::fill(start.begin(), start.end(), std::size_t{0});
        for (std::size_t j = 0; j < n; ++j) {
            const double u = uniform(rng);
            const auto i = static_cast<std::uint32_t>(
                std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
            which[j] = std::min<std::uint32_t>(i, static_cast<std::uint32_t>(size() - 1));
            ++start[which[j] + 1];
        }
        // Counting sort of the positions by component.
        for (std::size_t i = 0; i < size(); ++i) start[i + 1] += start[i];
        std::copy(start.begin(), start.end() - 1, next.begin());
        for (std::size_t j = 0; j < n; ++j) slot[next[which[j]]++] = static_cast<std::uint32_t>(j);
        // Each component fills its own run, in component order.
        for (std::size_t i = 0; i < size(); ++i) {
            const std::size_t count = start[i + 1] - start[i];
            if (count > 0)
                components_[i]->sample(std::span<double>(values.data() + start[i], count), rng);
        }
        for (std::size_t k = 0; k < n; ++k) out[base + slot[k]] = values[k];
    }
}

double Mixture::cdf(double x) const {
    detail::require_not_nan(x);
    double sum = 0;
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0) sum += weights_[i] * components_[i]->cdf(x);
    }
    return std::min(sum, 1.0);
}

double Mixture::quantile(double u) const {
    detail::require_probability(u);
    // Q(u) lies between the smallest and the largest component quantile: below
    // every Q_i(u) each F_i is < u, at or above every one each F_i is >= u.
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0) {
            const double q = components_[i]->quantile(u);
            lo = std::min(lo, q);
            hi = std::max(hi, q);
        }
    }
    if (u == 0) return lo;  // the bottom of the support
    if (u == 1) return hi;  // the top
    if (!(lo < hi)) return lo;
    const double x =
        detail::invert_cdf([this](double y) { return cdf(y); }, u, lo, hi, resolution_);
    // An atom of a discrete component just below x is where F jumps past u:
    // answer the atom itself rather than a point within the tolerance above it.
    const double tolerance = std::max(1e-12 * std::abs(x), resolution_);
    double best = x;
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0 && components_[i]->is_discrete()) {
            const double atom = components_[i]->quantile(components_[i]->cdf(x));
            if (atom <= x && x - atom <= tolerance && atom < best && cdf(atom) >= u) best = atom;
        }
    }
    return best;
}

std::string Mixture::describe() const {
    std::string out = "mixture(";
    for (std::size_t i = 0; i < size(); ++i) {
        if (i > 0) out += "; ";
        out += detail::brief(weights_[i]) + ": " + components_[i]->describe();
    }
    return out + ")";
}

bool Mixture::is_discrete() const {
    for (std::size_t i = 0; i < size(); ++i) {
        if (weights_[i] > 0 && !components_[i]->is_discrete()) return false;
    }
    return true;
}

}  // namespace flopcast::dist
