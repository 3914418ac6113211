#pragma once
// What the command says about a conditioned run: the refusal when no world
// survives the observations, the warning when few do, and the lines on the
// effective sample size and each observation printed under the summary.
#include <optional>
#include <string>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::cli {

// The run warns when the effective sample size is below this many worlds,
// or below kLowEssShare of the samples.
inline constexpr double kLowEss = 1000.0;
inline constexpr double kLowEssShare = 0.01;

// Every world has weight zero: a message naming the file, the line and the
// observation that excluded them all (exit 2, nothing written). Empty when
// some world has weight, or the scenario has no observations.
[[nodiscard]] std::optional<std::string> posterior_error(const scenario::Scenario& s, const run::RunResult& r);

// A warning when the posterior rests on few worlds, naming the most
// restrictive observation (the smallest effective sample size alone).
[[nodiscard]] std::optional<std::string> posterior_warning(const scenario::Scenario& s, const run::RunResult& r);

// The lines printed after the summary: ESS, its share, the log of the mean
// weight, and for each observation what it says, where its value falls in
// the prior (PIT) and its effective sample size alone.
[[nodiscard]] std::string posterior_lines(const scenario::Scenario& s, const run::RunResult& r);

}  // namespace flopcast::cli
