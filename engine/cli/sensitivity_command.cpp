// `flopcast sensitivity`: placeholder until the sensitivity methods land.
#include <cstdio>

#include "engine/cli/commands.hpp"
#include "engine/cli/run_command.hpp"

namespace flopcast::cli {

void add_sensitivity_command(CLI::App&, Action&) {}

}  // namespace flopcast::cli
