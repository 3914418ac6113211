// The Gaussian copula's matrix checks and the correlation it produces.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include <boost/random/normal_distribution.hpp>

#include "distributions/random_engine.hpp"
#include "distributions/sampling/gaussian_copula.hpp"

using flopcast::sampling::GaussianCopula;

namespace {
std::string refusal(std::size_t k, std::vector<double> m) {
    try {
        (void)GaussianCopula::from_spearman(k, m);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("matrices that are not correlation matrices are refused with the entry named", "[sampling][copula]") {
    CHECK(refusal(2, {1, 0.5, 0.4, 1}).find("entry [1, 2] (0.5) differs from its mirror [2, 1]") != std::string::npos);
    CHECK(refusal(2, {1, 1.5, 1.5, 1}).find("entry [1, 2] (1.5) is not in [-1, 1]") != std::string::npos);
    CHECK(refusal(2, {0.9, 0, 0, 1}).find("must be 1 on the diagonal") != std::string::npos);
    CHECK(refusal(2, {1, NAN, NAN, 1}).find("is not in [-1, 1]") != std::string::npos);
    // Pairwise fine, jointly impossible: a and b strongly together, both
    // strongly against c.
    CHECK(refusal(3, {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1}).find("not positive definite") != std::string::npos);
    CHECK(refusal(2, {1, 0.3, 0.3, 1}).empty());
}

TEST_CASE("correlated normals have the Pearson correlation 2 sin(pi rho_s / 6)", "[sampling][copula]") {
    const auto c = GaussianCopula::from_spearman(3, std::vector<double>{1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1});
    constexpr std::size_t n = 200000;
    std::vector<double> z(3 * n);
    flopcast::dist::Rng rng(99);
    boost::random::normal_distribution<double> normal;
    for (double& x : z) x = normal(rng);
    c.correlate(z, n);
    auto corr = [&](std::size_t a, std::size_t b) {
        double sab = 0, saa = 0, sbb = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sab += z[a * n + i] * z[b * n + i];
            saa += z[a * n + i] * z[a * n + i];
            sbb += z[b * n + i] * z[b * n + i];
        }
        return sab / std::sqrt(saa * sbb);
    };
    // The standard error of a sample correlation r is about (1 - r^2) / sqrt(n)
    // <= 1 / sqrt(2e5) = 0.0022; 5 of them: 0.011.
    CHECK(corr(0, 1) == Approx(GaussianCopula::pearson_for_spearman(0.6)).margin(0.011));
    CHECK(corr(0, 2) == Approx(GaussianCopula::pearson_for_spearman(-0.3)).margin(0.011));
    CHECK(corr(1, 2) == Approx(GaussianCopula::pearson_for_spearman(0.2)).margin(0.011));
    // Each row stays standard normal: variance 1 within 5 SE (sqrt(2 / n) = 0.0032).
    for (std::size_t a = 0; a < 3; ++a) {
        double ss = 0;
        for (std::size_t i = 0; i < n; ++i) ss += z[a * n + i] * z[a * n + i];
        CHECK(ss / n == Approx(1.0).margin(5 * 0.0032));
    }
}
