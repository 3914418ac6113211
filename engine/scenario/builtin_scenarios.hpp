#pragma once
#include <string_view>

namespace flopcast::scenario {

// The default scenario, compiled into the binary so `flopcast run` works from
// any folder: the text of scenarios/csc-2023-baseline.toml at build time.
inline constexpr std::string_view kDefaultScenarioName = "csc-2023-baseline.toml";
[[nodiscard]] std::string_view default_scenario_text();

}  // namespace flopcast::scenario
