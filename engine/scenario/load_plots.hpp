#pragma once
// [plots.NAME] tables read and checked against the scenario's [outputs]
// (plot_spec.hpp). Kept apart from load_scenario.cpp: presentation, not model.
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "engine/scenario/plot_spec.hpp"

namespace flopcast::scenario {

// `root` is the whole scenario; its [plots] table, if any, is read, each
// plot's outputs looked up in its [outputs] table. Throws ScenarioError naming
// file:line and the field; `overridden` are the --set keys (no line there).
[[nodiscard]] std::vector<PlotSpec> load_plots(const toml::table& root, const std::string& file,
                                               const std::set<std::string>& overridden);

}  // namespace flopcast::scenario
