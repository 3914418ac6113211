#pragma once
// Shared statistical checks for the distribution tests.
//
// Every check compares a sample of n = 1e6 draws from a fixed seed with the
// distribution's own claims. A fixed seed makes each check deterministic;
// the tolerances are set so that a correct implementation would fail for a
// random seed with probability about 1e-6, so the seeds were not tuned.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>

#include "distributions/distribution.hpp"
#include "distributions/factory.hpp"

namespace flopcast::dist::testing {

inline constexpr std::size_t n_draws = 1'000'000;

inline ParamSet scalars(std::initializer_list<std::pair<const std::string, double>> values) {
    ParamSet p;
    p.scalars = std::map<std::string, double, std::less<>>(values);
    return p;
}

inline ParamSet with_clip(ParamSet p, double lo, double hi) {
    p.lists["clip"] = {lo, hi};
    return p;
}

inline ParamSet with_list(ParamSet p, const std::string& key, std::vector<double> values) {
    p.lists[key] = std::move(values);
    return p;
}

inline ParamSet with_string(ParamSet p, const std::string& key, const std::string& text) {
    p.strings[key] = text;
    return p;
}

inline std::vector<double> draw(const Distribution& d, std::uint64_t seed,
                                std::size_t n = n_draws) {
    Rng rng(seed);
    std::vector<double> x(n);
    d.sample(x, rng);
    return x;
}

struct SampleMoments {
    double mean;
    double variance;  // unbiased (n - 1)
    double mu4;       // central fourth moment about the sample mean
};

// Two passes: the deviations are small numbers, so no cancellation.
inline SampleMoments sample_moments(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    double sum = 0;
    for (double v : x) sum += v;
    const double mean = sum / n;
    double s2 = 0;
    double s4 = 0;
    for (double v : x) {
        const double d2 = (v - mean) * (v - mean);
        s2 += d2;
        s4 += d2 * d2;
    }
    return {mean, s2 / (n - 1), s4 / n};
}

// The sample mean and variance must lie within 5 standard errors of mean() and
// variance(). SE(mean) = sqrt(var / n); SE(sample variance) ~ sqrt((mu4 - var^2) / n)
// (delta method; the caller says where mu4 comes from). A 5 SE two-sided miss
// has probability 5.7e-7 under the normal approximation, which holds at n = 1e6.
inline void check_moments(const Distribution& d, const std::vector<double>& x, double mu4) {
    const double n = static_cast<double>(x.size());
    const SampleMoments s = sample_moments(x);
    const double var = d.variance();
    const double se_mean = std::sqrt(var / n);
    const double se_var = std::sqrt((mu4 - var * var) / n);
    INFO(d.describe() << ": sample mean " << s.mean << " vs mean() " << d.mean() << " (SE "
                      << se_mean << "); sample variance " << s.variance << " vs variance() " << var
                      << " (SE " << se_var << ")");
    CHECK(std::abs(s.mean - d.mean()) < 5 * se_mean);
    CHECK(std::abs(s.variance - var) < 5 * se_var);
}

// Kolmogorov-Smirnov statistic D = sup |F_n - F| for a continuous F: at the
// i-th order statistic (1-based) the empirical cdf jumps from (i-1)/n to i/n.
inline double ks_statistic(std::vector<double> x, const Distribution& d) {
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double stat = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double f = d.cdf(x[i]);
        stat = std::max({stat, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
    }
    return stat;
}

// Asymptotic Kolmogorov tail: P(D > c) ~ 2 exp(-2 n c^2); c at level 1e-6.
inline double ks_critical(std::size_t n) {
    return std::sqrt(-std::log(1e-6 / 2) / (2.0 * static_cast<double>(n)));
}

// Sample quantile x_(ceil(n p)) (1-based order statistic).
inline double empirical_quantile(std::vector<double> x, double p) {
    const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(x.size()))) - 1;
    std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k), x.end());
    return x[k];
}

// Pearson's chi-square test of a discrete sample: the counts of each support
// value v_j against n p_j. Under the null the statistic is asymptotically
// chi-square(k - 1) (every expected count here is >= 1e4, far above the
// textbook 5); the threshold is its upper 1e-6 quantile from Boost.Math, the
// same false-alarm rate as the 5-SE and KS checks. Every draw must be one of
// the support values.
inline void check_categories(const std::vector<double>& x, const std::vector<double>& values,
                             const std::vector<double>& probabilities) {
    const double n = static_cast<double>(x.size());
    double statistic = 0;
    double counted = 0;
    for (std::size_t j = 0; j < values.size(); ++j) {
        const auto count = static_cast<double>(std::count(x.begin(), x.end(), values[j]));
        const double expected = n * probabilities[j];
        REQUIRE(expected >= 5);
        statistic += (count - expected) * (count - expected) / expected;
        counted += count;
    }
    CHECK(counted == n);  // nothing outside the support
    const boost::math::chi_squared_distribution<> null(static_cast<double>(values.size() - 1));
    const double threshold = boost::math::quantile(boost::math::complement(null, 1e-6));
    INFO("chi-square " << statistic << " with " << values.size() - 1 << " dof, 1e-6 threshold "
                       << threshold);
    CHECK(statistic < threshold);
}

// The central fourth moment of a discrete law, for check_moments.
inline double discrete_mu4(const std::vector<double>& values,
                           const std::vector<double>& probabilities) {
    double mean = 0;
    for (std::size_t j = 0; j < values.size(); ++j) mean += probabilities[j] * values[j];
    double mu4 = 0;
    for (std::size_t j = 0; j < values.size(); ++j) {
        const double d = values[j] - mean;
        mu4 += probabilities[j] * d * d * d * d;
    }
    return mu4;
}

inline void check_ks(const Distribution& d, const std::vector<double>& x) {
    const double ks = ks_statistic(x, d);
    INFO(d.describe() << ": KS statistic " << ks << ", critical value " << ks_critical(x.size()));
    CHECK(ks < ks_critical(x.size()));
}

inline double relative_error(double actual, double expected) {
    return std::abs(actual - expected) / std::abs(expected);
}

}  // namespace flopcast::dist::testing
