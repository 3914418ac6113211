#include "distributions/empirical.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "distributions/detail.hpp"
#include "distributions/parameter_error.hpp"

namespace flopcast::dist {

namespace {

// Quantile of sorted data, interpolated linearly between order statistics
// (Hyndman and Fan's type 7, R's default).
double interpolated_quantile(const std::vector<double>& sorted, double p) {
    const double h = p * static_cast<double>(sorted.size() - 1);
    const auto k = static_cast<std::size_t>(std::floor(h));
    if (k + 1 >= sorted.size()) return sorted.back();
    return sorted[k] + (h - static_cast<double>(k)) * (sorted[k + 1] - sorted[k]);
}

double mean_of(const std::vector<double>& x) {
    double sum = 0;
    for (double v : x) sum += v;
    return sum / static_cast<double>(x.size());
}

// Sum of squared deviations about `mean` (two passes: no cancellation).
double squared_deviations(const std::vector<double>& x, double mean) {
    double sum = 0;
    for (double v : x) sum += (v - mean) * (v - mean);
    return sum;
}

}  // namespace

double Empirical::silverman_bandwidth(std::vector<double> observations) {
    const std::size_t n = observations.size();
    if (n < 2) return 0.0;
    std::sort(observations.begin(), observations.end());
    const double sd = std::sqrt(squared_deviations(observations, mean_of(observations)) /
                                static_cast<double>(n - 1));
    const double iqr =
        interpolated_quantile(observations, 0.75) - interpolated_quantile(observations, 0.25);
    const double spread = iqr > 0 ? std::min(sd, iqr / 1.34) : sd;
    return 0.9 * spread * std::pow(static_cast<double>(n), -0.2);
}

Empirical::Empirical(std::vector<double> observations, Method method,
                     std::optional<double> bandwidth)
    : observations_(std::move(observations)), method_(method) {
    if (observations_.size() < 2) {
        throw ParameterError("observations", "observations (" + detail::exact_list(observations_) +
                                                 ") must list at least 2 numbers");
    }
    detail::require_finite_list("observations", observations_);
    sorted_ = observations_;
    std::sort(sorted_.begin(), sorted_.end());
    mean_ = mean_of(observations_);
    variance_ =
        squared_deviations(observations_, mean_) / static_cast<double>(observations_.size());
    if (!std::isfinite(mean_) || !std::isfinite(variance_)) {
        throw ParameterError("observations",
                             "observations are too large to average: their mean "
                             "or variance overflows");
    }

    if (method_ == Method::resample) {
        if (bandwidth) {
            throw ParameterError("bandwidth", "bandwidth (" + detail::exact(*bandwidth) +
                                                  ") applies only to method = \"kernel\"");
        }
        return;
    }
    if (bandwidth) {
        detail::require_positive("bandwidth", *bandwidth);
        bandwidth_ = *bandwidth;
    } else {
        bandwidth_ = silverman_bandwidth(observations_);
        if (!(bandwidth_ > 0)) {
            throw ParameterError("observations",
                                 "observations are all equal (" + detail::exact(sorted_.front()) +
                                     "): a kernel estimate needs a spread; give a bandwidth or "
                                     "use method = \"resample\"");
        }
    }
    variance_ += bandwidth_ * bandwidth_;
}

void Empirical::sample(std::span<double> out, Rng& rng) const {
    boost::random::uniform_int_distribution<std::size_t> index(0, observations_.size() - 1);
    if (method_ == Method::resample) {
        for (double& x : out) x = observations_[index(rng)];
        return;
    }
    boost::random::normal_distribution<double> noise;
    for (double& x : out) {
        const double o = observations_[index(rng)];
        x = o + bandwidth_ * noise(rng);
    }
}

double Empirical::quantile(double u) const {
    detail::require_probability(u);
    const auto n = static_cast<double>(sorted_.size());
    if (method_ == Method::resample) {
        // The smallest k with k / n >= u, in the same arithmetic as cdf().
        auto k = static_cast<std::size_t>(std::ceil(u * n));
        k = std::clamp<std::size_t>(k, 1, sorted_.size());
        while (k > 1 && static_cast<double>(k - 1) / n >= u) --k;
        while (k < sorted_.size() && static_cast<double>(k) / n < u) ++k;
        return sorted_[k - 1];
    }
    if (u == 0) return -std::numeric_limits<double>::infinity();
    if (u == 1) return std::numeric_limits<double>::infinity();
    // F(x) <= Phi(z_u) = u at min o + h z_u, and >= u at max o + h z_u.
    const double shift = bandwidth_ * detail::std_normal_quantile(u);
    return detail::invert_cdf([this](double x) { return cdf(x); }, u, sorted_.front() + shift,
                              sorted_.back() + shift, 1e-12 * bandwidth_);
}

double Empirical::cdf(double x) const {
    detail::require_not_nan(x);
    const auto n = static_cast<double>(sorted_.size());
    if (method_ == Method::resample) {
        const auto count = std::upper_bound(sorted_.begin(), sorted_.end(), x) - sorted_.begin();
        return static_cast<double>(count) / n;
    }
    if (std::isinf(x)) return x < 0 ? 0.0 : 1.0;
    // Observations more than 9 h below x add Phi(> 9) = 1 exactly; more than
    // 40 h above, Phi(< -40) = 0 exactly (it underflows).
    const auto first = std::lower_bound(sorted_.begin(), sorted_.end(), x - 9 * bandwidth_);
    const auto last = std::upper_bound(first, sorted_.end(), x + 40 * bandwidth_);
    double sum = static_cast<double>(first - sorted_.begin());
    for (auto it = first; it != last; ++it) sum += detail::std_normal_cdf((x - *it) / bandwidth_);
    return std::min(sum / n, 1.0);
}

std::string Empirical::describe() const {
    std::string out = "empirical(n=" + std::to_string(observations_.size());
    if (method_ == Method::resample) return out + ", method=resample)";
    return out + ", method=kernel, bandwidth=" + detail::brief(bandwidth_) + ")";
}

}  // namespace flopcast::dist
