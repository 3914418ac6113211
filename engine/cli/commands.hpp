#pragma once
// Each subcommand registers itself on the CLI11 app and, when chosen, sets
// `action` to what main() runs; the action returns the exit code
// (see run_command.hpp for the codes).
#include <functional>

#include <CLI/CLI.hpp>

namespace flopcast::cli {

using Action = std::function<int()>;

void add_run_command(CLI::App& app, Action& action);
void add_version_command(CLI::App& app, Action& action);
void add_merge_command(CLI::App& app, Action& action);        // merge_command.cpp
void add_sensitivity_command(CLI::App& app, Action& action);  // sensitivity_command.cpp
void add_sweep_command(CLI::App& app, Action& action);        // sweep_command.cpp
void add_batch_command(CLI::App& app, Action& action);        // batch_command.cpp

}  // namespace flopcast::cli
