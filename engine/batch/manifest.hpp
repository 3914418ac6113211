#pragma once
// A batch manifest: the scenarios `flopcast batch` runs one after another
// (format in docs/overnight.md, "Batches").
//
//   [defaults]                 # optional; applies to every run
//   samples = 1e7
//   checkpoint = true
//
//   [[run]]
//   scenario = "scenarios/csc-2023-baseline.toml"   # relative to the manifest
//   output = "out/baseline.h5"                      # relative to the manifest
//   seed = 7                                        # optional
//   set = ["inputs.train_mfu.median=0.5"]           # optional, after the defaults'
//   until = ["p95:total_a100@2027:0.5%"]            # optional: a precision run
//   max_samples = 1e9                                # optional, with until
//   confidence = 0.95                                # optional, with until
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::batch {

struct BatchEntry {
    std::string name;      // `name`, or the output's file name without .h5
    std::string scenario;  // path, resolved against the manifest's folder
    std::string output;    // path, resolved against the manifest's folder
    std::optional<std::uint64_t> samples;  // unset: the scenario's
    std::optional<std::uint64_t> seed;     // unset: the scenario's
    std::vector<std::string> sets;         // the defaults' first, then the run's own
    bool checkpoint = false;               // checkpoint to <output>.ckpt, resume from it when present
    std::vector<std::string> until;        // precision targets (run --until); then samples is not allowed
    std::optional<std::uint64_t> max_samples;  // cap of a precision run
    std::optional<double> confidence;          // of a precision run's half-widths
    int line = 0;                          // of the [[run]] table
};

// Throws ScenarioError as "file:line: field: message". `folder` is what
// relative paths are resolved against (the manifest's folder).
[[nodiscard]] std::vector<BatchEntry> load_manifest(std::string_view text, const std::string& file,
                                                    const std::string& folder);
[[nodiscard]] std::vector<BatchEntry> load_manifest_file(const std::string& path);

}  // namespace flopcast::batch
