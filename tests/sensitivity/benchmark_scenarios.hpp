#pragma once
// The benchmark scenarios of scenarios/benchmarks/, loaded through the
// ordinary scenario path, and the analysis of every factor of one.
#include <string>

#include "engine/scenario/load_scenario.hpp"
#include "engine/sensitivity/factors.hpp"

namespace flopcast::testing {

inline scenario::Scenario benchmark(const std::string& name) {
    return scenario::load_scenario_file(std::string(FLOPCAST_SOURCE_DIR) + "/scenarios/benchmarks/" + name + ".toml");
}

inline std::vector<sensitivity::Factor> every_input(const scenario::Scenario& s) {
    return sensitivity::make_factors(s, {});
}

}  // namespace flopcast::testing
