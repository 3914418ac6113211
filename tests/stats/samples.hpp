#pragma once
// Deterministic test data (fixed seeds) and exact order statistics.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace flopcast::stats::testing {

// exp(N(0, sigma^2)).
inline std::vector<double> lognormal_samples(std::size_t n, double sigma, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    boost::random::lognormal_distribution<double> dist(0.0, sigma);
    std::vector<double> v(n);
    for (double& x : v) x = dist(rng);
    return v;
}

inline std::vector<double> normal_samples(std::size_t n, double mean, double sd, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    boost::random::normal_distribution<double> dist(mean, sd);
    std::vector<double> v(n);
    for (double& x : v) x = dist(rng);
    return v;
}

// Insurance-like losses with atoms: 30 % exactly zero, otherwise
// exp(N(0, 1.5^2)) capped at 10 (about 4 % of all values sit on the cap).
inline std::vector<double> capped_losses(std::size_t n, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    boost::random::bernoulli_distribution<double> no_loss(0.3);
    boost::random::lognormal_distribution<double> size(0.0, 1.5);
    std::vector<double> v(n);
    for (double& x : v) {
        const double s = size(rng);  // drawn always, so the stream is fixed
        x = no_loss(rng) ? 0.0 : std::min(s, 10.0);
    }
    return v;
}

// 10^U(0, 6): six decades, log-uniform.
inline std::vector<double> six_decades(std::size_t n, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    boost::random::uniform_real_distribution<double> u(0.0, 6.0);
    std::vector<double> v(n);
    for (double& x : v) x = std::pow(10.0, u(rng));
    return v;
}

// Fisher-Yates with the raw 64-bit stream: the same permutation with every
// standard library (std::shuffle's use of the engine is unspecified).
template <class T>
void shuffle(std::vector<T>& v, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

// The sketch's rank: k = max(1, ceil(p * n)), at most n, in double precision.
inline std::size_t rank_of(double p, std::size_t n) {
    const double k = std::ceil(p * static_cast<double>(n));
    if (k <= 1.0) return 1;
    if (k >= static_cast<double>(n)) return n;
    return static_cast<std::size_t>(k);
}

// Exact lower order statistic x_(k) of sorted values.
inline double exact_quantile(const std::vector<double>& sorted, double p) {
    return sorted[rank_of(p, sorted.size()) - 1];
}

inline const std::vector<double> kLevels = {0.0,  0.01, 0.05, 0.10, 0.25, 0.50,
                                            0.75, 0.90, 0.95, 0.99, 1.0};

}  // namespace flopcast::stats::testing
