#pragma once
#include <string>

#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::cli {

// The printed summary: for each output and year the mean and the 5th, 50th and
// 95th percentiles, with the scenario's reference figure beside the year (or
// the reduction) it belongs to, and the share of samples above it.
[[nodiscard]] std::string summary_table(const scenario::Scenario& s, const run::RunResult& r);

}  // namespace flopcast::cli
