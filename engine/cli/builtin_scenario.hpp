#pragma once
// The default scenario, compiled into the flopcast command so `flopcast run`
// works from any folder: the text of scenarios/csc-2023-baseline.toml at build
// time. It belongs to the command line, not to the engine: the engine
// libraries load whatever text they are given. (Its own small library,
// flopcast_builtin_scenario, so tests and benchmarks can use the same text.)
#include <string_view>

namespace flopcast::cli {

inline constexpr std::string_view kDefaultScenarioName = "csc-2023-baseline.toml";
[[nodiscard]] std::string_view default_scenario_text();

}  // namespace flopcast::cli
