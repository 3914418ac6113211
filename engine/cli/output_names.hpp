#pragma once
// The one rule for where a command writes when -o is not given: the
// scenario's name made safe for a file name, a suffix naming what the file
// holds ("-sobol", "-sweep"; none for a run), and ".h5", in the current folder.
#include <cctype>
#include <string>

namespace flopcast::cli {

[[nodiscard]] inline std::string default_output(const std::string& scenario_name, const std::string& suffix = "") {
    std::string safe;
    for (char c : scenario_name)
        safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return (safe.empty() ? "results" : safe) + suffix + ".h5";
}

}  // namespace flopcast::cli
