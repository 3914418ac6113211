// engine/simd/philox.hpp against Random123's scalar philox4x32 (10 rounds),
// its value layout, and the uniforms it makes.
#include <catch2/catch.hpp>

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <boost/random/mersenne_twister.hpp>

#include "engine/simd/philox.hpp"
#include "levels.hpp"

using namespace flopcast::simd;

namespace {

r123::Philox4x32::ctr_type reference(std::uint32_t c0, const PhiloxStream& s) {
    r123::Philox4x32 philox;
    const r123::Philox4x32::ctr_type ctr = {{c0, 0, s.c2, s.c3}};
    const r123::Philox4x32::key_type key = {{s.k0, s.k1}};
    return philox(ctr, key);
}

// Value i of a stream as documented in philox.hpp, from Random123.
double documented_value(const PhiloxStream& s, std::uint64_t i) {
    const std::uint64_t g = i / 16, l = i % 16;
    const auto x = reference(static_cast<std::uint32_t>(8 * g + l % 8), s);
    const std::uint64_t w = l < 8 ? (std::uint64_t{x[1]} << 32 | x[0]) : (std::uint64_t{x[3]} << 32 | x[2]);
    return (static_cast<double>(w >> 12) + 0.5) * 0x1p-52;
}

[[gnu::flatten]] void words_sse2(std::uint32_t c0, const PhiloxStream& s, std::uint64_t out[8]) {
    Lanes<2>::U lane{c0, c0 + 1};
    Lanes<2>::U x[4];
    philox4x32_10<2>(lane, s, x);
    for (int w = 0; w < 4; ++w) out[2 * w] = x[w][0], out[2 * w + 1] = x[w][1];
}

std::vector<double> fill(const PhiloxStream& s, std::uint64_t first, std::size_t n, Level l) {
    std::vector<double> out(n);
    uniforms(s, first, out.data(), n, l);
    return out;
}

}  // namespace

TEST_CASE("Philox4x32-10 gives Random123's words, including its known answer", "[simd][philox]") {
    // Random123's kat_vectors: philox4x32 10 rounds, counter and key all zero.
    const auto zero = reference(0, {0, 0, 0, 0});
    CHECK(zero[0] == 0x6627e8d5u);
    CHECK(zero[1] == 0xe169c58du);
    CHECK(zero[2] == 0xbc57ac4cu);
    CHECK(zero[3] == 0x9b00dbd8u);
    boost::random::mt19937_64 rng(12);
    for (int trial = 0; trial < 2000; ++trial) {
        const std::uint64_t a = rng(), b = rng();
        const PhiloxStream s{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                             static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
        const auto c0 = static_cast<std::uint32_t>(rng());
        std::uint64_t got[8];
        words_sse2(c0, s, got);
        for (int lane = 0; lane < 2; ++lane) {
            const auto want = reference(c0 + lane, s);
            for (int w = 0; w < 4; ++w) CHECK(got[2 * w + lane] == want[w]);
        }
    }
}

TEST_CASE("uniforms: value i is the documented word of the documented call, at every level", "[simd][philox]") {
    const PhiloxStream s{0x12345678u, 0x9abcdef0u, 7, 0};
    const auto sse2 = fill(s, 0, 2048, Level::Sse2);
    for (std::uint64_t i = 0; i < 2048; ++i) CHECK(sse2[i] == documented_value(s, i));
    for (Level l : testing::levels()) {
        CHECK(fill(s, 0, 2048, l) == sse2);
        // Any stretch of the stream on its own, aligned or not.
        for (auto [first, n] : {std::pair<std::uint64_t, std::size_t>{5, 3}, {13, 40}, {16, 16}, {1000, 1048}, {2047, 1}}) {
            const auto part = fill(s, first, n, l);
            CHECK(std::equal(part.begin(), part.end(), sse2.begin() + first));
        }
    }
}

TEST_CASE("uniforms lie strictly inside (0, 1) on the 2^-52 grid, with mean and variance within 5 SE", "[simd][philox]") {
    const std::size_t n = 1'000'000;
    const auto u = fill({1, 2, 3, 4}, 0, n, level());
    double sum = 0, sum2 = 0;
    for (double x : u) {
        REQUIRE(x > 0);
        REQUIRE(x < 1);
        REQUIRE(std::ldexp(x, 53) == std::floor(std::ldexp(x, 53)));  // (2k + 1) 2^-53
        REQUIRE(std::fmod(std::ldexp(x, 53), 2.0) == 1.0);
        sum += x;
    }
    const double mean = sum / n;
    for (double x : u) sum2 += (x - mean) * (x - mean);
    // Uniform: mean 1/2, SE sqrt(1/12 / n); variance 1/12, SE sqrt((1/80 - 1/144) / n).
    CHECK(std::fabs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
    CHECK(std::fabs(sum2 / (n - 1) - 1.0 / 12) < 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}

TEST_CASE("uniforms: neighbouring keys and blocks give unrelated streams", "[simd][philox]") {
    // Correlation of two streams' values: under independence about N(0, 1/n);
    // 5 SE at n = 1e5 is 0.016.
    const std::size_t n = 100'000;
    const auto base = fill({1, 0, 0, 0}, 0, n, level());
    for (const PhiloxStream other : {PhiloxStream{2, 0, 0, 0}, PhiloxStream{1, 1, 0, 0}, PhiloxStream{1, 0, 1, 0},
                                     PhiloxStream{1, 0, 0, 1}}) {
        const auto v = fill(other, 0, n, level());
        double c = 0;
        for (std::size_t i = 0; i < n; ++i) c += (base[i] - 0.5) * (v[i] - 0.5);
        CHECK(std::fabs(c / n * 12) < 5 / std::sqrt(static_cast<double>(n)));
    }
}
