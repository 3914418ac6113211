#pragma once
// `flopcast sweep` as a plan: the variants (a --grid or a variants file),
// every variant's scenario with its overrides checked, each one's sample
// count and seed, and the output, decided before the first sample by
// functions that run nothing (tests/cli/sweep_plan_test.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/batch/variants.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::cli {

struct SweepArgs {
    std::string scenario;  // empty: the built-in default
    std::string output;    // empty: <scenario name>-sweep.h5
    std::vector<std::string> grid;
    std::string variants;
    std::optional<std::uint64_t> samples;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::vector<std::string> sets;
    bool quiet = false;
    bool force = false;
    double progress_every = 30.0;
};

struct SweepPlan {
    scenario::Scenario base;  // with the --set overrides of every variant
    std::vector<batch::Variant> variants;
    std::vector<scenario::Scenario> scenarios;  // one per variant: base text, --set, then its own
    std::vector<run::RunOptions> options;       // one per variant: samples, seed, threads
    std::vector<std::string> keys;              // the swept keys (batch::swept_keys)
    std::uint64_t seed = 0;                     // of the description: --seed, else the base's
    std::uint64_t samples = 0;                  // likewise
    std::string output;                         // before output_path.hpp's checks
};

// The variants of --grid (parsed, pure) or --variants FILE (read); exactly
// one of them must be given. Throws scenario::ScenarioError.
[[nodiscard]] std::vector<batch::Variant> sweep_variants(const SweepArgs& args);

// The plan for these arguments, base scenario and variants: every variant's
// scenario loaded from the base's text. Pure. Throws scenario::ScenarioError
// naming the variant (--grid variant NAME, or FILE:LINE: variants.NAME).
[[nodiscard]] SweepPlan plan_sweep(const SweepArgs& args, scenario::Scenario base,
                                   std::vector<batch::Variant> variants);

}  // namespace flopcast::cli
