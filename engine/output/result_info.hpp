#pragma once
// What an existing result file says about the run that made it: enough for
// `flopcast batch` to decide whether an output is already complete.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flopcast::output {

struct ResultInfo {
    std::string version, scenario_text, overrides;  // overrides: one per line, as written
    std::uint64_t seed = 0, samples = 0;
    // A precision run's /convergence: its targets (sorted), confidence and cap.
    std::vector<std::string> until;
    double confidence = 0.0;
    std::uint64_t max_samples = 0;
};

// The description of a complete `flopcast run` result (root attributes and a
// /summary group; not a shard, not a sweep). std::nullopt when the file is
// missing; throws OutputError naming the file when it exists but is not such
// a result (another format, a shard, a sweep, unreadable).
[[nodiscard]] std::optional<ResultInfo> read_result_info(const std::string& path);

}  // namespace flopcast::output
