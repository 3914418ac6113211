#pragma once
// The one place a command gets its scenario: the file named on the command
// line, or the built-in default when none is (builtin_scenario.hpp). Every
// command (run, sensitivity, sweep, MPI ranks) loads through it, so the
// default and its name in messages are the same everywhere.
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace flopcast::cli {

// "csc-2023-baseline.toml (built in)": the built-in scenario's name in
// messages and in the result file's scenario_file.
[[nodiscard]] std::string builtin_scenario_label();

// Loads `file` with the --set `overrides`, or the built-in scenario when
// `file` is empty. Throws scenario::ScenarioError naming file:line.
[[nodiscard]] scenario::Scenario load_scenario_source(const std::string& file,
                                                      const std::vector<std::string>& overrides);

}  // namespace flopcast::cli
