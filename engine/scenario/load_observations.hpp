#pragma once
// [observations.NAME] tables: read and checked against a compiled scenario
// (names, years, evidence parameters). See observation.hpp and
// docs/scenario-format.md.
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "engine/scenario/scenario.hpp"

namespace flopcast::scenario {

// The names of formulas the observations read (so the compiler keeps them
// readable), before the scenario's program is compiled. Names that are no
// formula are ignored here and reported by load_observations.
[[nodiscard]] std::vector<std::string> observed_names(const toml::node* observations);

// Throws ScenarioError naming file:line and the field. `overridden` are the
// --set keys (a value set there has no line).
[[nodiscard]] std::vector<ObservationSpec> load_observations(const toml::node& observations, const Scenario& s,
                                                             const std::string& file,
                                                             const std::set<std::string>& overridden);

}  // namespace flopcast::scenario
