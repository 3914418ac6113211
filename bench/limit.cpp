// The limit for flopcast on the baseline scenario: drawing its variates and
// nothing else.
//
// The baseline has 17 random inputs per sample, every one a lognormal, drawn
// by flopcast with boost::random::lognormal_distribution on
// boost::random::mt19937_64, input by input over blocks of 2048 samples, each
// block from an engine seeded by seed_seq{seed_lo, seed_hi, block_lo,
// block_hi} (engine/run/block_stream.hpp, engine/run/input_sampler.cpp). This
// program does exactly that (the block seeding included, unless --no-seeding)
// and sums the variates so nothing is optimized away. Formulas, statistics,
// clipping and output are left out: what it reaches is the ceiling for a
// one-thread run of flopcast with the same random streams.
//
//   flopcast_bench_limit [samples, default 1e7] [--no-seeding]
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
    double median, p5, p95;
};
constexpr Quantiles kInputs[] = {
    {10, 5, 20},              // gpt4_runs
    {1e12, 4e11, 2.5e12},     // gpt4_params
    {1e13, 4e12, 2.5e13},     // gpt4_tokens
    {40, 15, 100},            // gpt35_runs
    {30, 15, 60},             // train_window_days
    {0.35, 0.22, 0.55},       // train_mfu (clipped in the scenario)
    {1.16, 1.00, 1.345},      // train_runs_growth
    {1.25, 1.00, 1.56},       // train_params_growth
    {1.227, 1.05, 1.43},      // train_tokens_growth
    {5.5e8, 2.2e8, 1.4e9},    // infer_calls_per_day
    {1000, 400, 2500},        // infer_tokens_per_call
    {1.75e11, 7e10, 4.4e11},  // infer_params
    {3, 1.8, 5},              // infer_peak_factor
    {0.30, 0.15, 0.60},       // infer_utilization (clipped in the scenario)
    {1.55, 1.2, 2.0},         // infer_calls_growth
    {1.15, 0.95, 1.4},        // infer_tokens_growth
    {1.195, 0.8, 1.8},        // infer_params_growth
};
constexpr std::size_t kInputCount = sizeof(kInputs) / sizeof(kInputs[0]);

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t samples = 10'000'000;
    bool seeding = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-seeding") == 0) {
            seeding = false;
        } else {
            char* end = nullptr;
            const double n = std::strtod(argv[i], &end);
            if (end == argv[i] || *end != '\0' || !(n >= 1)) {
                std::fprintf(stderr, "usage: %s [samples] [--no-seeding]\n", argv[0]);
                return 2;
            }
            samples = static_cast<std::uint64_t>(n);
        }
    }

    double mu[kInputCount], sigma[kInputCount];
    for (std::size_t j = 0; j < kInputCount; ++j) {
        mu[j] = std::log(kInputs[j].median);
        sigma[j] = (std::log(kInputs[j].p95) - std::log(kInputs[j].p5)) / (2 * kZ95);
    }

    const auto start = std::chrono::steady_clock::now();
    double sum = 0;
    boost::random::mt19937_64 rng;
    const std::uint64_t blocks = (samples + kBlockSize - 1) / kBlockSize;
    for (std::uint64_t b = 0; b < blocks; ++b) {
        if (seeding) {
            boost::random::seed_seq seq{static_cast<std::uint32_t>(kSeed), static_cast<std::uint32_t>(kSeed >> 32),
                                        static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
            rng.seed(seq);
        }
        const std::uint64_t n = b + 1 < blocks ? kBlockSize : samples - b * kBlockSize;
        for (std::size_t j = 0; j < kInputCount; ++j) {
            boost::random::lognormal_distribution<double> draw(mu[j], sigma[j]);
            for (std::uint64_t i = 0; i < n; ++i) sum += draw(rng);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("samples %llu seconds %.6f samples_per_s %.1f checksum %.17g\n",
                static_cast<unsigned long long>(samples), seconds, static_cast<double>(samples) / seconds, sum);
    return 0;
}
