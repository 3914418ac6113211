#pragma once
// Checkpoint files: a run's whole state (merged accumulators, next block) and
// what it needs to continue (the scenario text, overrides, seed, sample
// count), saved atomically: written to a temporary file, flushed to disk,
// then renamed over the previous checkpoint. A power cut loses at most the
// time since the last checkpoint, never the checkpoint itself.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run/precision.hpp"
#include "engine/run/run_state.hpp"

namespace flopcast::run {

struct Checkpoint {
    std::string version;         // flopcast's
    std::string scenario_file;   // as the user named it
    std::string scenario_text;
    std::vector<std::string> overrides;
    std::uint64_t seed = 0;
    std::uint64_t samples = 0;
    bool keep_all = false;
    // A precision run's targets (--until, as written), confidence and the
    // checks made so far, so the resumed run's /convergence is the whole history.
    std::vector<std::string> until;
    double confidence = 0.95;
    std::vector<PrecisionStatus> history;
    RunState state;
};

// Throws StateError naming the file when it cannot be written.
void save_checkpoint(const std::string& path, const Checkpoint& c);

// Throws StateError naming the file when it is missing, truncated, corrupt or
// not a flopcast checkpoint.
[[nodiscard]] Checkpoint load_checkpoint(const std::string& path);

}  // namespace flopcast::run
