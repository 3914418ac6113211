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
    std::string output;  // the result path the run was given: --resume's default
};

// Throws StateError naming the file when it cannot be written. Written to
// PATH.tmp-HOST-PID (temporary_file.hpp), flushed and renamed over PATH;
// temporaries of killed processes are removed first.
void save_checkpoint(const std::string& path, const Checkpoint& c);

// Throws StateError naming the file when it is missing, truncated, corrupt or
// not a flopcast checkpoint: the file carries a checksum of its content, so
// any corrupted byte is caught.
[[nodiscard]] Checkpoint load_checkpoint(const std::string& path);

// True when the file at `path` begins as a flopcast checkpoint does (of any
// format version): what an existing checkpoint path may be replaced by.
[[nodiscard]] bool is_checkpoint_file(const std::string& path);

}  // namespace flopcast::run
