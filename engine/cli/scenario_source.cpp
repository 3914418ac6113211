#include "engine/cli/scenario_source.hpp"

#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {

std::string builtin_scenario_label() { return std::string(kDefaultScenarioName) + " (built in)"; }

scenario::Scenario load_scenario_source(const std::string& file, const std::vector<std::string>& overrides) {
    return file.empty() ? scenario::load_scenario(default_scenario_text(), builtin_scenario_label(), overrides)
                        : scenario::load_scenario_file(file, overrides);
}

}  // namespace flopcast::cli
