#pragma once
// `flopcast run` as a plan: every decision the command makes from its
// arguments, the scenario and the checkpoint it resumes (sample count, seed,
// precision targets, where the result, checkpoint and kept samples go, the
// shard's blocks, the disk the kept samples need), taken by pure functions
// that run nothing and write nothing, so tests build plans from argument sets
// (tests/cli/run_plan_test.cpp). run_command() only carries a plan out.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/cli/run_command.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/precision.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::cli {

// An argument that cannot be planned: the user's to fix (exit 2). what() is
// the message without the "flopcast: " prefix, naming the option.
class PlanError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// --shard i/N as blocks: [first_block, end_block) of `blocks`.
struct ShardPlan {
    std::uint64_t index = 0, count = 1;
    std::uint64_t first_block = 0, end_block = 0, blocks = 0;
};

struct RunPlan {
    scenario::Scenario scenario;
    // samples (a precision run's cap), seed, threads, keep_all; the command
    // adds the callbacks (progress, checkpoints, stop) when it runs the plan.
    run::RunOptions options;
    // A precision run (--until, or the resumed run's): its targets as written,
    // parsed, and the confidence of their half-widths.
    std::vector<std::string> until_specs;
    std::vector<run::PrecisionTarget> targets;
    double confidence = 0.95;
    bool precision = false;
    std::string output;      // the result file, before output_path.hpp's checks
    std::string checkpoint;  // where checkpoints are saved; "" for none
    // Values kept per sample for /samples: per output (0: not kept), then 1
    // for /samples/log_weight when the scenario has observations.
    std::vector<std::size_t> kept_widths;
    std::uint64_t kept_values = 0;  // over the outputs only
    // Bytes the kept samples need before compression, refused up front when
    // the disk lacks them; 0 for a precision run (its length is unknown: its
    // spool fails when the disk fills, exit 3).
    double kept_bytes = 0.0;
    // Kept samples go to a spool beside the checkpoint when the run may stop
    // and resume, or does not know its length (run/sample_spool.hpp).
    bool spooled = false;
    std::optional<ShardPlan> shard;
    bool strict = false;  // --strict: refuse a result with NaN or infinite samples
    // A resumed run starts at this sample (0 for a fresh one).
    std::uint64_t first_sample = 0;
};

// A checkpoint of another flopcast version may draw differently: refused
// before its scenario is loaded. `path` names it in the message.
void check_checkpoint_version(const run::Checkpoint& resumed, const std::string& path);

// The scenario of a run: the checkpoint's (with its overrides unless --set
// gives others) when resuming without a scenario argument, else the file or
// the built-in one (scenario_source.hpp). Throws scenario::ScenarioError.
[[nodiscard]] scenario::Scenario run_scenario(const RunArgs& args, const run::Checkpoint* resumed);

// The plan of `flopcast run` for these arguments, this loaded scenario and
// the checkpoint resumed (nullptr when not resuming). Pure: reads no file.
// Throws PlanError naming the option (a bad --until target included).
[[nodiscard]] RunPlan plan_run(const RunArgs& args, scenario::Scenario s, const run::Checkpoint* resumed);

}  // namespace flopcast::cli
