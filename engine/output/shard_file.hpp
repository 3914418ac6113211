#pragma once
// Shard files: what `flopcast run --shard i/N` writes and `flopcast merge`
// reads. A shard file is an ordinary flopcast HDF5 file with the run's
// description (root attributes, /years, /inputs), the mergeable state of its
// blocks in /state (bytes, see engine/run/run_state.hpp), the kept samples of
// its rows in /samples, and no /summary.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/output/result_file.hpp"
#include "engine/run/run_state.hpp"

namespace flopcast::output {

struct ShardInfo {
    std::string path;
    std::string version, scenario_text, scenario_file, overrides, sampling;
    std::uint64_t seed = 0, samples = 0;
    std::uint64_t index = 0, count = 0;  // shard i of N
    std::uint64_t first_block = 0, end_block = 0;
    std::vector<std::string> kept;  // outputs with /samples
};

// Writes the shard's own part: /state and the shard attributes.
void write_shard_state(ResultFile& file, const run::RunState& state, std::uint64_t index, std::uint64_t count);

// Reads a shard file's description; throws OutputError naming the file when
// it is not a flopcast shard (not HDF5, truncated, a result file, ...).
[[nodiscard]] ShardInfo read_shard_info(const std::string& path);
[[nodiscard]] run::RunState read_shard_state(const std::string& path);

// Copies rows [first, end) of /samples/<name> from the shard into `out`.
void copy_shard_samples(const std::string& shard_path, const std::string& name, std::uint64_t first,
                        std::uint64_t end, ResultFile& out, std::size_t output_index);

// Sensitivity shards (`flopcast sensitivity --shard i/N`): the same
// description, root attribute kind = "sensitivity-shard", the method and its
// options (sensitivity_method, sensitivity_options: one `key=value` line per
// option that changes a result), and the state of the shard's share of the
// design and of the summary run in /sensitivity_state (bytes, see
// engine/sensitivity/sensitivity_state.hpp). No /summary, no /sensitivity.
struct SensitivityShardInfo {
    std::string path;
    std::string version, scenario_text, scenario_file, overrides;
    std::uint64_t seed = 0;
    std::string method, options;
    std::uint64_t index = 0, count = 0;  // shard i of N
};

// "shard" (flopcast run) or "sensitivity-shard"; throws OutputError naming
// the file when it is neither (not HDF5, truncated, a result file, ...).
[[nodiscard]] std::string shard_kind(const std::string& path);

void write_sensitivity_shard(ResultFile& file, const std::vector<std::uint8_t>& state, const std::string& method,
                             const std::string& options, std::uint64_t index, std::uint64_t count);
[[nodiscard]] SensitivityShardInfo read_sensitivity_shard_info(const std::string& path);
[[nodiscard]] std::vector<std::uint8_t> read_sensitivity_shard_state(const std::string& path);

}  // namespace flopcast::output
