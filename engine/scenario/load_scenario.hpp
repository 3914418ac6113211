#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/scenario/scenario_error.hpp"

namespace flopcast::scenario {

// Parses and checks a scenario. `file` names the source in messages.
// `overrides` are "dotted.key=value" strings applied before checking: the key
// must name an existing scalar; the value is read as TOML (number, boolean,
// quoted or bare string). Throws ScenarioError naming file, line and field.
[[nodiscard]] Scenario load_scenario(std::string_view text, const std::string& file,
                                     const std::vector<std::string>& overrides = {});

// Reads a file and loads it; a file that cannot be read is a ScenarioError.
[[nodiscard]] Scenario load_scenario_file(const std::string& path,
                                          const std::vector<std::string>& overrides = {});

}  // namespace flopcast::scenario
