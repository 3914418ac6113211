#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flopcast::cli {

// Exit codes, documented in docs/errors.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  // a bug: please report it
inline constexpr int kExitInput = 2;     // usage, scenario or output-path errors; nothing written
inline constexpr int kExitWrite = 3;     // the output could not be written during the run; nothing left
inline constexpr int kExitNonFinite = 4; // --strict: some output was NaN or infinite; nothing written
inline constexpr int kExitInterrupted = 5;  // SIGINT/SIGTERM: stopped; the checkpoint (if any) says how to resume

// The cap of a precision run without --max-samples: about half an hour on
// two cores for the baseline.
inline constexpr std::uint64_t kDefaultMaxSamples = 10'000'000'000ULL;

struct RunArgs {
    std::string scenario;  // empty: the built-in default
    std::string output;    // empty: the resumed run's, else <scenario name>.h5
    std::optional<std::uint64_t> samples;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::vector<std::string> sets;
    bool keep_samples = false;
    bool quiet = false;
    bool strict = false;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> shard;  // (i, N)
    std::string checkpoint;       // save the state here
    double checkpoint_every = 300.0;
    std::string resume;           // continue from this checkpoint
    double progress_every = 30.0;
    // Precision run: stop when every target holds (run/precision.hpp), or at
    // max_samples (default kDefaultMaxSamples).
    std::vector<std::string> until;
    double confidence = 0.95;
    std::optional<std::uint64_t> max_samples;
    // Output-path safety (output/output_path.hpp): replace a file that is
    // not flopcast's; further files the caller read (a batch manifest),
    // never to be written.
    bool force = false;
    std::vector<std::string> inputs;
};

// `flopcast run`: load, run, write, print. Returns the exit code; messages go
// to stderr, the summary to stdout.
int run_command(const RunArgs& args);

}  // namespace flopcast::cli
