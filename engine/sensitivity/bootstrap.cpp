#include "engine/sensitivity/bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <boost/random/seed_seq.hpp>

#include "distributions/random_engine.hpp"
#include "engine/sensitivity/design_map.hpp"

namespace flopcast::sensitivity {
namespace {

// P(K <= k) for K ~ Poisson(1), k = 0..19; past 19 the tail is below 1e-18,
// under the resolution of a 53-bit uniform.
constexpr std::size_t kPoissonTable = 20;

std::array<double, kPoissonTable> poisson_cdf() {
    std::array<double, kPoissonTable> cdf{};
    double p = std::exp(-1.0), sum = 0.0;
    for (std::size_t k = 0; k < kPoissonTable; ++k) {
        sum += p;
        cdf[k] = sum;
        p /= static_cast<double>(k + 1);
    }
    return cdf;
}

}  // namespace

std::size_t bootstrap_unit(std::uint64_t rows) {
    std::size_t unit = 1;
    while (unit < 16 && rows / (2 * unit) >= 512) unit *= 2;
    return unit;
}

void poisson_weights(std::uint64_t seed, std::uint64_t block, std::size_t replicates, std::size_t n,
                     std::span<double> out) {
    static const std::array<double, kPoissonTable> cdf = poisson_cdf();
    // Five words (a tag in the middle): no block's design stream, seeded from
    // four, can coincide with it.
    boost::random::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), 0xb0075u,
                                static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32)};
    dist::Rng rng(seq);
    for (std::size_t i = 0; i < replicates * n; ++i) {
        const double u = unit_from_bits(rng());
        std::size_t k = 0;
        while (k + 1 < kPoissonTable && u > cdf[k]) ++k;
        out[i] = static_cast<double>(k);
    }
}

Interval percentile_interval(std::vector<double>& estimates, double confidence) {
    const auto end = std::remove_if(estimates.begin(), estimates.end(), [](double v) { return !std::isfinite(v); });
    const std::size_t m = static_cast<std::size_t>(end - estimates.begin());
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (m == 0) return {nan, nan};
    std::sort(estimates.begin(), end);
    auto at = [&](double p) {
        const double h = p * static_cast<double>(m - 1);
        const std::size_t lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, m - 1);
        return estimates[lo] + (h - static_cast<double>(lo)) * (estimates[hi] - estimates[lo]);
    };
    return {at((1.0 - confidence) / 2.0), at((1.0 + confidence) / 2.0)};
}

}  // namespace flopcast::sensitivity
