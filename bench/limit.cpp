// The limit for flopcast on the baseline scenario: drawing its variates and
// nothing else.
//
// The baseline has 17 random inputs per sample, every one a lognormal, drawn
// by flopcast with boost::random::lognormal_distribution on
// boost::random::mt19937_64, input by input over blocks of 2048 samples, each
// input of each block from its own engine, seeded with one 64-bit word mixed
// from (seed, block, the input's name) (input_engine in
// engine/run/block_stream.hpp; engine/run/input_sampler.cpp). This program
// does exactly that (the seeding included, unless --no-seeding) and sums the
// variates so nothing is optimized away. Formulas, statistics, clipping and
// output are left out: what it reaches is the ceiling for a one-thread run of
// flopcast with the same random streams.
//
//   flopcast_bench_limit [samples, default 1e7] [--no-seeding | --one-stream]
//
// --one-stream draws the way flopcast did before per-input streams (one
// engine per block, seeded by seed_seq{seed_lo, seed_hi, block_lo, block_hi},
// every input from it in turn): kept to measure what per-input streams cost.
//
// Prints one line: "samples <n> seconds <s> samples_per_s <r> checksum <x>".
// Built with the project's flags (bench/CMakeLists.txt, or bench/bench.py's
// fallback g++ command): no -march=native, no -ffast-math.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/seed_seq.hpp>

namespace {

constexpr std::uint64_t kBlockSize = 2048;  // engine/run/block_stream.hpp
constexpr std::uint64_t kSeed = 20230601;   // the scenario's seed
constexpr double kZ95 = 1.6448536269514722;

// The 17 lognormal inputs of scenarios/csc-2023-baseline.toml as median, p5,
// p95 (the parameters hardly matter: the cost of a variate does not depend on
// them; they are here so the variates are the scenario's).
struct Quantiles {
    const char* name;
    double median, p5, p95;
};
constexpr Quantiles kInputs[] = {
    {"gpt4_runs", 10, 5, 20},
    {"gpt4_params", 1e12, 4e11, 2.5e12},
    {"gpt4_tokens", 1e13, 4e12, 2.5e13},
    {"gpt35_runs", 40, 15, 100},
    {"train_window_days", 30, 15, 60},
    {"train_mfu", 0.35, 0.22, 0.55},  // clipped in the scenario
    {"train_runs_growth", 1.16, 1.00, 1.345},
    {"train_params_growth", 1.25, 1.00, 1.56},
    {"train_tokens_growth", 1.227, 1.05, 1.43},
    {"infer_calls_per_day", 5.5e8, 2.2e8, 1.4e9},
    {"infer_tokens_per_call", 1000, 400, 2500},
    {"infer_params", 1.75e11, 7e10, 4.4e11},
    {"infer_peak_factor", 3, 1.8, 5},
    {"infer_utilization", 0.30, 0.15, 0.60},  // clipped in the scenario
    {"infer_calls_growth", 1.55, 1.2, 2.0},
    {"infer_tokens_growth", 1.15, 0.95, 1.4},
    {"infer_params_growth", 1.195, 0.8, 1.8},
};
constexpr std::size_t kInputCount = sizeof(kInputs) / sizeof(kInputs[0]);

// engine/run/block_stream.hpp's mix64, input_stream_key and input_engine,
// copied so this file compiles alone (bench/bench.py's fallback).
constexpr std::uint64_t mix64(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t input_stream_key(const char* name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char* c = name; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 0x100000001b3ULL;
    return mix64(h);
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t samples = 10'000'000;
    bool seeding = true, one_stream = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-seeding") == 0) {
            seeding = false;
        } else if (std::strcmp(argv[i], "--one-stream") == 0) {
            one_stream = true;
        } else {
            char* end = nullptr;
            const double n = std::strtod(argv[i], &end);
            if (end == argv[i] || *end != '\0' || !(n >= 1)) {
                std::fprintf(stderr, "usage: %s [samples] [--no-seeding | --one-stream]\n", argv[0]);
                return 2;
            }
            samples = static_cast<std::uint64_t>(n);
        }
    }

    double mu[kInputCount], sigma[kInputCount];
    std::uint64_t key[kInputCount];
    for (std::size_t j = 0; j < kInputCount; ++j) {
        key[j] = input_stream_key(kInputs[j].name);
        mu[j] = std::log(kInputs[j].median);
        sigma[j] = (std::log(kInputs[j].p95) - std::log(kInputs[j].p5)) / (2 * kZ95);
    }

    const auto start = std::chrono::steady_clock::now();
    double sum = 0;
    boost::random::mt19937_64 rng;
    const std::uint64_t blocks = (samples + kBlockSize - 1) / kBlockSize;
    for (std::uint64_t b = 0; b < blocks; ++b) {
        if (seeding && one_stream) {
            boost::random::seed_seq seq{static_cast<std::uint32_t>(kSeed), static_cast<std::uint32_t>(kSeed >> 32),
                                        static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
            rng.seed(seq);
        }
        const std::uint64_t n = b + 1 < blocks ? kBlockSize : samples - b * kBlockSize;
        for (std::size_t j = 0; j < kInputCount; ++j) {
            if (seeding && !one_stream) rng.seed(mix64(mix64(mix64(kSeed) ^ b) ^ key[j]));
            boost::random::lognormal_distribution<double> draw(mu[j], sigma[j]);
            for (std::uint64_t i = 0; i < n; ++i) sum += draw(rng);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("samples %llu seconds %.6f samples_per_s %.1f checksum %.17g\n",
                static_cast<unsigned long long>(samples), seconds, static_cast<double>(samples) / seconds, sum);
    return 0;
}
