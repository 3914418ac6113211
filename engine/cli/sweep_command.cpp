// `flopcast sweep`: one scenario run once per variant (a --grid of values or
// a variants file), every variant with the same seed, into one HDF5 file.
// Layout: docs/hdf5-layout.md ("Sweep files"); usage: docs/overnight.md.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <unistd.h>

#include <fmt/format.h>

#include "engine/batch/variants.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/utc_time.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/output_names.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/stop_signals.hpp"
#include "engine/cli/sweep_plan.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/output_path.hpp"
#include "engine/output/sweep_file.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

std::string padded(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string number(double v, bool percent_display) { return percent_display ? percent(v) : human(v); }

// The closing table: the variants' settings, then each output's headline.
std::string sweep_table(const scenario::Scenario& base, const output::SweepTable& t) {
    std::size_t name_w = 7;
    for (const auto& n : t.variants) name_w = std::max(name_w, n.size());
    std::string out = "variants (same seed: differences are not sampling noise)\n  " + padded("variant", name_w);
    std::vector<std::size_t> key_w;
    for (std::size_t k = 0; k < t.keys.size(); ++k) {
        std::size_t w = t.keys[k].size();
        for (const auto& row : t.values) w = std::max(w, row[k].size());
        key_w.push_back(w);
        out += "  " + padded(t.keys[k], w);
    }
    while (out.back() == ' ') out.pop_back();
    out += "\n";
    for (std::size_t v = 0; v < t.variants.size(); ++v) {
        out += "  " + padded(t.variants[v], name_w);
        for (std::size_t k = 0; k < t.keys.size(); ++k)
            out += "  " + padded(t.values[v][k].empty() ? "-" : t.values[v][k], key_w[k]);
        while (out.back() == ' ') out.pop_back();
        out += "\n";
    }
    for (std::size_t k = 0; k < base.outputs.size(); ++k) {
        const auto& o = base.outputs[k];
        const bool pct = base.display(k).percent;
        const int year = t.headlines.empty() ? 0 : t.headlines.front()[k].year;
        out += fmt::format("\n{}{}{}\n  {}  {:>10}  {:>10}  {:>10}  {:>10}\n", o.name,
                           year ? fmt::format(" in {}", year) : std::string(),
                           o.units.empty() ? std::string() : " (" + o.units + ")", padded("variant", name_w), "p5",
                           "median", "p95", "mean");
        for (std::size_t v = 0; v < t.variants.size(); ++v) {
            const auto& h = t.headlines[v][k];
            out += fmt::format("  {}  {:>10}  {:>10}  {:>10}  {:>10}{}\n", padded(t.variants[v], name_w),
                               number(h.p5, pct), number(h.median, pct), number(h.p95, pct),
                               number(h.mean, pct), h.year != year ? fmt::format("  (in {})", h.year) : "");
        }
    }
    return out;
}

int sweep_command(const SweepArgs& args) {
    const std::string start_time = utc_now();
    const auto started = std::chrono::steady_clock::now();
    // Everything is checked before the first sample: the base scenario, the
    // variants, and every variant's scenario with its overrides (sweep_plan.hpp).
    SweepPlan plan;
    try {
        scenario::Scenario base = load_scenario_source(args.scenario, args.sets);
        plan = plan_sweep(args, std::move(base), sweep_variants(args));
    } catch (const scenario::ScenarioError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    const scenario::Scenario& base = plan.base;
    const std::vector<batch::Variant>& variants = plan.variants;
    const std::string& path = plan.output;
    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(output::checked_output_path(
            path, {{args.scenario, args.variants}, args.force, output::Replaceable::Result}));
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    output::ResultFile& out = *opened;

    const std::vector<std::string>& keys = plan.keys;
    output::SweepTable table;
    table.keys = keys;
    const StopSignalsGuard stop_on_signals;
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    try {
        for (std::size_t i = 0; i < variants.size(); ++i) {
            const auto& v = variants[i];
            const scenario::Scenario& s = plan.scenarios[i];
            run::RunOptions options = plan.options[i];
            options.stop = &stop_flag();
            Progress progress(!args.quiet, terminal, args.progress_every);
            options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
            if (!args.quiet)
                std::fprintf(stderr, "flopcast: variant %zu of %zu, %s: %s samples, seed %llu\n", i + 1,
                             variants.size(), v.name.c_str(), grouped(options.samples).c_str(),
                             static_cast<unsigned long long>(options.seed));
            const auto t0 = std::chrono::steady_clock::now();
            const std::uint64_t blocks = run::block_count(options.samples);
            const run::RunState state = run::run_blocks(s, options, 0, blocks, nullptr);
            progress.finish();
            if (state.next_block < blocks || stop_flag().load()) {
                std::fprintf(stderr, "flopcast: interrupted in variant %zu of %zu (%s); nothing written\n", i + 1,
                             variants.size(), v.name.c_str());
                return kExitInterrupted;  // the ResultFile's destructor removes the temporary file
            }
            run::RunResult result = run::to_result(s, state, options.samples);
            result.threads = run::thread_count(options);
            result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            output::write_variant(out, v.name, s, result, options.seed, options.samples, v.overrides());
            table.variants.push_back(v.name);
            std::vector<std::string> row;
            for (const auto& k : keys) row.push_back(batch::value_of(v, k));
            table.values.push_back(row);
            table.headlines.push_back(output::headlines(s, result));
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        run::RunOptions base_options;
        base_options.threads = args.threads;
        out.write_description(base, {kVersion, kGitCommit, start_time, plan.seed, plan.samples,
                                     run::thread_count(base_options)},
                              wall);
        output::write_sweep_table(out, base, table);
        out.commit();
        std::printf("%s\n%s\n%zu variant%s, seed %llu, %.2f s; results in %s\n",
                    base.title.empty() ? base.name.c_str() : (base.name + ": " + base.title).c_str(),
                    sweep_table(base, table).c_str(), variants.size(), variants.size() == 1 ? "" : "s",
                    static_cast<unsigned long long>(plan.seed), wall, path.c_str());
        for (const auto& o : base.overrides) std::printf("  with --set %s (every variant)\n", o.c_str());
        return kExitOk;
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<SweepArgs>();
    CLI::App* cmd = app.add_subcommand(
        "sweep", "Run a scenario once per variant (a --grid of values or a --variants file), all with the same seed, "
                 "into one HDF5 file");
    cmd->add_option("scenario", args->scenario, "Scenario file (TOML). Default: the built-in csc-2023-baseline scenario");
    cmd->add_option("--grid", args->grid,
                    "KEY=V1,V2,...: one axis of the grid (repeatable); every combination of the axes is a variant")
        ->allow_extra_args(false)
        ->type_name("KEY=V1,V2");
    cmd->add_option("--variants", args->variants, "TOML file of named variants: [variants.NAME] KEY = value ...")
        ->type_name("FILE");
    cmd->add_option("-o,--output", args->output, "HDF5 file to write (default: <scenario name>-sweep.h5)");
    add_force_flag(cmd, args->force);
    add_count_option(cmd, "-n,--samples", args->samples, "Samples per variant (default: the scenario's); 1e6 works");
    cmd->add_option("--seed", args->seed, "Random seed of every variant (default: the scenario's)");
    add_threads_option(cmd, args->threads);
    cmd->add_option("--set", args->sets, "Override a value of the scenario for every variant (repeatable)")
        ->allow_extra_args(false);
    cmd->add_flag("-q,--quiet", args->quiet, "No progress or start lines on stderr");
    add_duration_option(cmd, "--progress-every", args->progress_every,
                        "Time between progress lines when stderr is not a terminal (default 30s)");
    cmd->callback([args, &action] { action = [args] { return sweep_command(*args); }; });
}

}  // namespace flopcast::cli
