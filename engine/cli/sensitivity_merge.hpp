#pragma once
// `flopcast merge` of sensitivity shards (`flopcast sensitivity --shard i/N`):
// the result file of the unsharded `flopcast sensitivity`, dataset for
// dataset bit-identical. Lives beside the command (sensitivity_command.cpp),
// which it shares the analysis' checks and writing with.
#include <string>
#include <vector>

namespace flopcast::cli {

// Returns the exit code; refusals (missing, duplicated or mismatched shards)
// name the files and exit 2 before any file is made.
int merge_sensitivity_shards(const std::vector<std::string>& paths, const std::string& output, bool quiet);

}  // namespace flopcast::cli
