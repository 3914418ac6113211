// The limits for flopcast on the baseline scenario: drawing its variates and
// nothing else, three ways.
//
// The baseline has 17 random inputs per sample, every one a lognormal, drawn
// input by input over blocks of 2048 samples, each input of each block from
// its own stream keyed by (seed, block, the input's name)
// (engine/run/block_stream.hpp; engine/run/input_sampler.cpp). Formulas,
// statistics, clipping and output are left out.
//
//   flopcast_bench_limit [samples, default 1e7] [--bits | --transform | --no-seeding | --one-stream]
//
// Default, the old limit (kept for the record): what flopcast drew before
// issue 20, boost::random::lognormal_distribution on mt19937_64, each
// input of each block from an engine seeded with one 64-bit word
// (input_engine), the seeding included unless --no-seeding. --one-stream
// draws the way flopcast did before per-input streams (one engine per block,
// seeded by seed_seq{seed_lo, seed_hi, block_lo, block_hi}, every input from
// it in turn): kept to measure what per-input streams cost.
//
// --bits, the bit limit: the generator flopcast now uses (Philox4x32-10,
// engine/simd/philox.hpp, at the CPU's SIMD level) filling the 64-bit words
// a sample needs (one per lognormal: 17), per input and block as flopcast
// keys them (block_stream.hpp's input_bits), each word turned into its
// double in (0, 1) (one shift, or, subtract), nothing else.
//
// --transform, the transform limit: those bits and the vectorised
// normal -> lognormal transform (engine/simd/bulk_kernels.cpp's lognormal
// kernel: exp(mu + sigma Phi^-1(u))) into one block-sized buffer, nothing
// else. What flopcast's drawing stage could reach if it did nothing more.
//
// So that nothing is optimized away, the old limit sums every variate; the
// new ones add up the last value of each buffer (summing all 2048 would be
// a serial chain of adds longer than the work measured; the buffers are
// filled by out-of-line calls the compiler cannot drop).
//
// Prints one line: "samples <n> seconds <s> samples_per_s <r> checksum <x>".
// Built with the project's flags (bench/CMakeLists.txt, or bench/bench.py's
// fallback g++ command): no -march=native, no -ffast-math.
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/seed_seq.hpp>

#include "distributions/bulk_quantile.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/simd/bulk_apply.hpp"
#include "engine/simd/philox.hpp"

namespace {

using flopcast::run::kBlockSize;
using flopcast::run::input_stream_key;
using flopcast::run::mix64;
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

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t samples = 10'000'000;
    enum class Mode { Scalar, Bits, Transform } mode = Mode::Scalar;
    bool seeding = true, one_stream = false;
    const auto usage = [&] {
        std::fprintf(stderr, "usage: %s [samples] [--bits | --transform | --no-seeding | --one-stream]\n", argv[0]);
        return 2;
    };
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-seeding") == 0) {
            seeding = false;
        } else if (std::strcmp(argv[i], "--one-stream") == 0) {
            one_stream = true;
        } else if (std::strcmp(argv[i], "--bits") == 0) {
            mode = Mode::Bits;
        } else if (std::strcmp(argv[i], "--transform") == 0) {
            mode = Mode::Transform;
        } else {
            char* end = nullptr;
            const double n = std::strtod(argv[i], &end);
            if (end == argv[i] || *end != '\0' || !(n >= 1)) return usage();
            samples = static_cast<std::uint64_t>(n);
        }
    }
    if (mode != Mode::Scalar && (!seeding || one_stream)) return usage();

    double mu[kInputCount], sigma[kInputCount];
    std::uint64_t key[kInputCount];
    for (std::size_t j = 0; j < kInputCount; ++j) {
        key[j] = input_stream_key(kInputs[j].name);
        mu[j] = std::log(kInputs[j].median);
        sigma[j] = (std::log(kInputs[j].p95) - std::log(kInputs[j].p5)) / (2 * kZ95);
    }
    std::vector<flopcast::dist::BulkQuantile> lognormal;
    for (std::size_t j = 0; j < kInputCount; ++j)
        lognormal.emplace_back(flopcast::dist::BulkQuantile::lognormal, std::array<double, 3>{mu[j], sigma[j], 0.0});
    std::vector<double> buffer(kBlockSize);

    const auto start = std::chrono::steady_clock::now();
    double sum = 0;
    boost::random::mt19937_64 rng;
    const std::uint64_t blocks = (samples + kBlockSize - 1) / kBlockSize;
    for (std::uint64_t b = 0; b < blocks; ++b) {
        const std::uint64_t n = b + 1 < blocks ? kBlockSize : samples - b * kBlockSize;
        if (mode != Mode::Scalar) {
            const std::span<double> out(buffer.data(), n);
            for (std::size_t j = 0; j < kInputCount; ++j) {
                flopcast::simd::uniforms(flopcast::run::input_bits(kSeed, b, key[j]), 0, out.data(), n);
                if (mode == Mode::Transform) flopcast::simd::apply_quantile(lognormal[j], out, out);
                sum += out[n - 1];
            }
            continue;
        }
        if (seeding && one_stream) {
            boost::random::seed_seq seq{static_cast<std::uint32_t>(kSeed), static_cast<std::uint32_t>(kSeed >> 32),
                                        static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)};
            rng.seed(seq);
        }
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
