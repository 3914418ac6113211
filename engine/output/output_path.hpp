#pragma once
// Where a command may write. Every output path (result, checkpoint, shard,
// sweep) is checked before anything is written, so that a typo or a hostile
// path never destroys what stands there: the result is written to a
// temporary file and renamed over the path, and a rename replaces whatever
// it finds. docs/errors.md lists the refusals.
#include <string>
#include <vector>

#include "engine/output/result_file.hpp"

namespace flopcast::output {

// What an existing regular file at the path may be, to be replaced without
// --force: a flopcast result (HDF5 with the root attribute
// flopcast_version) or a flopcast checkpoint.
enum class Replaceable { Result, Checkpoint };

struct OutputRules {
    // Files the command reads (scenario, variant and manifest files, shards
    // being merged, the checkpoint being resumed): never an output. Compared
    // by device and inode, so another name for the same file is caught.
    std::vector<std::string> inputs;
    bool force = false;  // replace a regular file even when it is not flopcast's
    Replaceable replaceable = Replaceable::Result;
};

// Returns the path to write: `path` itself, or the final target when `path`
// is a symbolic link (written atomically in the target's own folder, the
// link left as it is). Throws OutputError, naming `path` and why, when the
// path is an input of the command, a directory, a device, a FIFO or a
// socket, or an existing regular file that is not flopcast's (without
// force). Writes nothing.
[[nodiscard]] std::string checked_output_path(const std::string& path, const OutputRules& rules);

// True when two output paths (as checked_output_path returned them) are
// one file: the same existing inode, or the same absolute path.
[[nodiscard]] bool same_output(const std::string& a, const std::string& b);

// True when `path` is an HDF5 file that flopcast wrote (a result, shard or
// sweep: the root attribute flopcast_version).
[[nodiscard]] bool is_flopcast_result(const std::string& path);

}  // namespace flopcast::output
