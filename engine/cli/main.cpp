// flopcast: Monte Carlo forecasts of compute demand. See README.md.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

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

    RunArgs args;
    CLI::App* run = app.add_subcommand("run", "Run a scenario and write its distributions to HDF5");
    run->add_option("scenario", args.scenario,
                    "Scenario file (TOML). Default: the built-in csc-2023-baseline scenario");
    run->add_option("-o,--output", args.output, "HDF5 file to write (default: <scenario name>.h5)");
    run->add_option("-n,--samples", args.samples, "Number of samples (default: the scenario's)");
    run->add_option("--seed", args.seed, "Random seed (default: the scenario's)");
    run->add_option("-t,--threads", args.threads, "Worker threads (default: all cores); results do not depend on it")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--set", args.sets,
                    "Override a scalar of the scenario, e.g. --set inputs.train_mfu.median=0.5 (repeatable; "
                    "recorded in the output)")
        ->allow_extra_args(false);
    run->add_flag("--keep-samples", args.keep_samples, "Also write every sample of every output to /samples");
    run->add_flag("-q,--quiet", args.quiet, "No progress or start line on stderr");
    run->add_flag("--strict", args.strict,
                  "Fail (exit 4, no output file) if any output is NaN or infinite for any sample");
    run->add_option("--progress-every", args.progress_every,
                    "Seconds between progress lines when stderr is not a terminal")
        ->default_val(30.0)
        ->check(CLI::PositiveNumber);

    CLI::App* version = app.add_subcommand("version", "Print the version and the git commit it was built from");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? kExitOk : kExitInput;
    }
    try {
        if (version->parsed()) {
            std::printf("flopcast %s (git %s)\n", kVersion, kGitCommit);
            return kExitOk;
        }
        return run_command(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "flopcast: internal error: %s\n", e.what());
        return kExitInternal;
    }
}
