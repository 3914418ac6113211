#pragma once
// Temporary files written beside a target and renamed over it when whole
// (results, checkpoints). Each is named for its host and process,
// TARGET.tmp-HOST-PID, so that the leftovers of a killed process (SIGKILL,
// a power cut) can be told from those of a live one and removed.
#include <string>
#include <vector>

namespace flopcast::run {

// TARGET.tmp-HOST-PID for this process, in the target's own folder.
[[nodiscard]] std::string temporary_path_for(const std::string& target);

// Removes the temporary files of `target` left by processes of this host
// that no longer exist; files of other hosts (a shared file system) and of
// live processes are left alone. Returns the paths removed.
std::vector<std::string> remove_stale_temporaries(const std::string& target);

}  // namespace flopcast::run
