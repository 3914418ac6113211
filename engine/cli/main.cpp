// flopcast: Monte Carlo forecasts of compute demand. See README.md.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "engine/cli/commands.hpp"
#include "engine/cli/mpi_run.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/version.hpp"

int main(int argc, char** argv) {
    using namespace flopcast::cli;
    CLI::App app{"flopcast: Monte Carlo forecasts of AI compute demand.\n"
                 "Samples a scenario's uncertain inputs, evaluates its formulas year by year and writes\n"
                 "the distributions of its outputs to HDF5.",
                 "flopcast"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(kVersion));

    Action action;
    add_run_command(app, action);
    add_merge_command(app, action);
    add_sensitivity_command(app, action);
    add_sweep_command(app, action);
    add_batch_command(app, action);
    add_version_command(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitInput;
    }
    try {
        const int code = action ? action() : kExitInput;
        mpi_finish();
        return code;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "flopcast: internal error: %s\n", e.what());
        return kExitInternal;
    }
}
