// Where one thread's time goes, stage by stage, on flopcast's own block loop:
// drawing the inputs, evaluating the formulas, and the statistics of every
// output series, timed around each stage of every block with the steady
// clock (a few tens of nanoseconds per stage against about 100 microseconds
// a block). The same calls as engine/run/runner.cpp's run_block, in the
// same order, on one thread, without the wave merges, HDF5 or start-up.
//
//   flopcast_bench_stages [SCENARIO.toml] [samples, default 1e7] [--repeat R]
//
// Without a scenario: the built-in baseline. Prints, for each stage, the
// nanoseconds per sample of the fastest of R repetitions (default 3) and its
// share of the three stages. A steadier way to compare two versions of one
// stage than the whole run's wall time, which moves by several per cent
// from run to run on the shared machines.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/formula/program.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/input_sampler.hpp"
#include "engine/run/run_state.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "engine/stats/block_stats.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Times {
    double draw = 0, formulas = 0, stats = 0;
};

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

Times run_once(const flopcast::scenario::Scenario& s, std::uint64_t blocks) {
    using namespace flopcast;
    const run::InputSampler sampler(s, s.seed);
    formula::Workspace ws(s.program, run::kBlockSize);
    run::SamplerScratch scratch;
    const run::SeriesLayout layout(s);
    std::vector<stats::QuantileSketch> sketches(layout.count);
    std::vector<double> spare;
    Times t;
    double checksum = 0;
    for (std::uint64_t b = 0; b < blocks; ++b) {
        const auto t0 = Clock::now();
        sampler.draw(b, ws, scratch);
        const auto t1 = Clock::now();
        s.program.evaluate(ws);
        const auto t2 = Clock::now();
        for (std::size_t k = 0; k < s.outputs.size(); ++k)
            for (std::size_t y = 0; y < layout.width[k]; ++y) {
                stats::NonFiniteCounts non_finite;
                checksum += stats::block_stats(ws.values(s.outputs[k].quantity, y), spare, non_finite,
                                               sketches[layout.first[k] + y])
                                .mean();
            }
        const auto t3 = Clock::now();
        t.draw += seconds(t0, t1);
        t.formulas += seconds(t1, t2);
        t.stats += seconds(t2, t3);
    }
    if (checksum == 0.123456789) std::puts("");  // keeps the statistics from being optimized away
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    double samples = 1e7;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--help") == 0) {
            std::puts("usage: flopcast_bench_stages [SCENARIO.toml] [samples, default 1e7] [--repeat R, default 3]");
            return 0;
        } else {
            // A number is the sample count; anything else the scenario file.
            char* end = nullptr;
            const double n = std::strtod(argv[i], &end);
            if (end != argv[i] && *end == '\0') samples = n;
            else path = argv[i];
        }
    }
    if (!(samples >= 1) || repeat < 1) {
        std::fputs("flopcast_bench_stages: samples must be >= 1 and --repeat >= 1\n", stderr);
        return 2;
    }
    try {
        const auto s = path.empty() ? flopcast::scenario::load_scenario(flopcast::cli::default_scenario_text(),
                                                                        std::string(flopcast::cli::kDefaultScenarioName), {})
                                    : flopcast::scenario::load_scenario_file(path, {});
        const auto blocks = static_cast<std::uint64_t>((samples + flopcast::run::kBlockSize - 1) / flopcast::run::kBlockSize);
        Times best{1e300, 1e300, 1e300};
        for (int r = 0; r < repeat; ++r) {
            const Times t = run_once(s, blocks);
            best = {std::min(best.draw, t.draw), std::min(best.formulas, t.formulas), std::min(best.stats, t.stats)};
        }
        const double n = static_cast<double>(blocks * flopcast::run::kBlockSize);
        const double total = best.draw + best.formulas + best.stats;
        std::printf("%s, %.0f samples, 1 thread, fastest of %d\n", path.empty() ? "built-in baseline" : path.c_str(), n, repeat);
        std::printf("%-10s %10s %7s\n", "stage", "ns/sample", "share");
        const auto row = [&](const char* name, double sec) {
            std::printf("%-10s %10.1f %6.1f%%\n", name, sec / n * 1e9, 100 * sec / total);
        };
        row("draw", best.draw);
        row("formulas", best.formulas);
        row("stats", best.stats);
        row("total", total);
        std::printf("(formulas + stats) / draw = %.3f: flopcast / limit ~ %.3f if drawing costs what the limit's does\n",
                    (best.formulas + best.stats) / best.draw, total / best.draw);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "flopcast_bench_stages: %s\n", e.what());
        return 2;
    }
    return 0;
}
