#include "engine/cli/run_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/mpi_run.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/summary_table.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/builtin_scenarios.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// SIGINT and SIGTERM ask the run to stop after the wave in flight; the one
// process-wide flag is the only thing a signal handler may safely touch.
std::atomic<bool>& stop_requested() {
    static std::atomic<bool> flag{false};
    return flag;
}

extern "C" void on_stop_signal(int) { stop_requested().store(true); }

// Installs the handlers for the lifetime of a run and restores the old ones.
class StopOnSignals {
public:
    StopOnSignals() {
        old_int_ = std::signal(SIGINT, on_stop_signal);
        old_term_ = std::signal(SIGTERM, on_stop_signal);
    }
    ~StopOnSignals() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;

private:
    void (*old_int_)(int);
    void (*old_term_)(int);
};

std::string default_output(const std::string& name) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return (safe.empty() ? "results" : safe) + ".h5";
}

}  // namespace

int run_command(const RunArgs& args) {
    if (mpi_active()) return mpi_run_command(args);
    const std::string start_time = utc_now();
    // A resumed run continues the checkpoint's scenario, overrides, seed and
    // sample count; anything given again on the command line must agree.
    std::optional<run::Checkpoint> resumed;
    if (!args.resume.empty()) {
        try {
            resumed = run::load_checkpoint(args.resume);
        } catch (const run::StateError& e) {
            std::fprintf(stderr, "flopcast: %s\n", e.what());
            return kExitInput;
        }
        if (resumed->version != kVersion) {
            std::fprintf(stderr, "flopcast: %s was written by flopcast %s; this is %s, which may draw differently\n",
                         args.resume.c_str(), resumed->version.c_str(), kVersion);
            return kExitInput;
        }
    }
    scenario::Scenario s;
    try {
        if (resumed && args.scenario.empty())
            s = scenario::load_scenario(resumed->scenario_text, resumed->scenario_file,
                                        args.sets.empty() ? resumed->overrides : args.sets);
        else
            s = args.scenario.empty()
                    ? scenario::load_scenario(scenario::default_scenario_text(),
                                              std::string(scenario::kDefaultScenarioName) + " (built in)", args.sets)
                    : scenario::load_scenario_file(args.scenario, args.sets);
    } catch (const scenario::ScenarioError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }

    run::RunOptions options;
    options.samples = args.samples.value_or(resumed ? resumed->samples : s.samples);
    options.seed = args.seed.value_or(resumed ? resumed->seed : s.seed);
    if (resumed) {
        std::string differs;
        if (s.text != resumed->scenario_text) differs += "; the scenario text differs from the checkpoint's";
        if (s.overrides != resumed->overrides) differs += "; the --set overrides differ";
        if (options.seed != resumed->seed)
            differs += fmt::format("; the seed differs ({} here, {} in the checkpoint)", options.seed, resumed->seed);
        if (options.samples != resumed->samples)
            differs += fmt::format("; the sample count differs ({} here, {} in the checkpoint)", options.samples,
                                   resumed->samples);
        if (!differs.empty()) {
            std::fprintf(stderr, "flopcast: cannot resume %s%s\n", args.resume.c_str(), differs.c_str());
            return kExitInput;
        }
    }
    if ((resumed || !args.checkpoint.empty()) && (args.keep_samples || std::any_of(s.outputs.begin(), s.outputs.end(), [](const auto& o) { return o.keep; }))) {
        std::fprintf(stderr, "flopcast: checkpoints do not cover kept samples yet; drop --keep-samples (and keep = true) or run shards\n");
        return kExitInput;
    }
    options.threads = args.threads;
    options.keep_all = args.keep_samples;
    if (options.samples == 0) {
        std::fprintf(stderr, "flopcast: --samples must be at least 1\n");
        return kExitInput;
    }
    const std::string path = args.output.empty() ? default_output(s.name) : args.output;

    // Kept samples are refused up front when they could not fit on the disk.
    std::uint64_t kept_values = 0;
    for (std::size_t k = 0; k < s.outputs.size(); ++k)
        if (run::is_kept(s, options, k))
            kept_values += s.program.shape(s.outputs[k].quantity) == formula::Shape::Yearly ? s.years.size() : 1;
    const double kept_bytes = static_cast<double>(kept_values) * static_cast<double>(options.samples) * 8.0;

    // Errors before sampling starts are the user's to fix (exit 2); a failure
    // to write during or after the run is exit 3. Neither leaves a file.
    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(path);
        if (kept_bytes > 0) {
            std::error_code ec;
            const auto space =
                std::filesystem::space(std::filesystem::absolute(opened->temporary_path()).parent_path(), ec);
            if (!ec && kept_bytes > static_cast<double>(space.available))
                throw output::OutputError(fmt::format(
                    "{}: the kept samples need up to {}B before compression, and the disk has {}B free; "
                    "keep fewer outputs or samples",
                    path, human(kept_bytes), human(static_cast<double>(space.available))));
        }
        opened->prepare_samples(s, options, options.samples);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    output::ResultFile& file = *opened;
    try {

        const bool terminal = ::isatty(STDERR_FILENO) != 0;
        Progress progress(!args.quiet, terminal, args.progress_every);
        options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
        if (!args.quiet)
            std::fprintf(stderr, "flopcast: %s: %s samples, seed %llu\n", s.name.c_str(),
                         grouped(options.samples).c_str(), static_cast<unsigned long long>(options.seed));
        if (args.shard) {
            // Only this shard's share of the blocks; the mergeable state goes
            // to the file and `flopcast merge` makes the result.
            const auto [index, count] = *args.shard;
            const std::uint64_t blocks = run::block_count(options.samples);
            const std::uint64_t first = blocks * index / count, end = blocks * (index + 1) / count;
            const auto started = std::chrono::steady_clock::now();
            const run::RunState state = run::run_blocks(s, options, first, end, &file);
            progress.finish();
            const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            file.write_description(s, {kVersion, kGitCommit, start_time, options.seed, options.samples,
                                       run::thread_count(options)}, wall);
            output::write_shard_state(file, state, index, count);
            file.commit();
            std::printf("shard %llu/%llu of %s: blocks %llu to %llu of %llu (%s samples) in %.2f s; written to %s\n"
                        "merge the %llu shards with: flopcast merge <shard files> -o results.h5\n",
                        static_cast<unsigned long long>(index), static_cast<unsigned long long>(count), s.name.c_str(),
                        static_cast<unsigned long long>(first), static_cast<unsigned long long>(end),
                        static_cast<unsigned long long>(blocks),
                        grouped(std::min(options.samples, end * run::kBlockSize) -
                                std::min(options.samples, first * run::kBlockSize))
                            .c_str(),
                        wall, path.c_str(), static_cast<unsigned long long>(count));
            return kExitOk;
        }
        // Checkpoints (and a clean stop on SIGINT or SIGTERM) when asked for.
        const std::string checkpoint_path = !args.checkpoint.empty() ? args.checkpoint : args.resume;
        if (!checkpoint_path.empty()) {
            options.checkpoint_every = args.checkpoint_every;
            options.checkpoint = [&](const run::RunState& state) {
                try {
                    run::save_checkpoint(checkpoint_path,
                                         {kVersion, s.source_file, s.text, s.overrides, options.seed, options.samples,
                                          options.keep_all, state});
                } catch (const run::StateError& e) {
                    throw output::OutputError(e.what());  // a write failure: exit 3
                }
            };
        }
        const StopOnSignals stop_on_signals;
        options.stop = &stop_requested();
        const auto started = std::chrono::steady_clock::now();
        const std::uint64_t blocks = run::block_count(options.samples);
        run::RunState state;
        try {
            state = resumed ? run::resume_blocks(s, options, resumed->state, blocks, &file)
                            : run::run_blocks(s, options, 0, blocks, &file);
        } catch (const run::StateError& e) {
            std::fprintf(stderr, "flopcast: %s\n", e.what());
            return kExitInput;
        }
        progress.finish();
        if (state.next_block < blocks) {
            if (checkpoint_path.empty()) {
                std::fprintf(stderr, "flopcast: interrupted at block %llu of %llu; nothing written (use --checkpoint FILE to be able to resume)\n",
                             static_cast<unsigned long long>(state.next_block), static_cast<unsigned long long>(blocks));
            } else {
                std::fprintf(stderr,
                             "flopcast: interrupted at block %llu of %llu; checkpoint written to %s\n"
                             "resume with: flopcast run --resume %s -o %s\n",
                             static_cast<unsigned long long>(state.next_block), static_cast<unsigned long long>(blocks),
                             checkpoint_path.c_str(), checkpoint_path.c_str(), path.c_str());
            }
            return kExitInterrupted;
        }
        run::RunResult result = run::to_result(s, state, options.samples);
        result.threads = run::thread_count(options);
        result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

        if (args.strict) {
            for (std::size_t k = 0; k < result.outputs.size(); ++k)
                for (std::size_t t = 0; t < result.outputs[k].series.size(); ++t) {
                    const auto bad = result.outputs[k].series[t].non_finite().total();
                    if (bad == 0) continue;
                    const std::string where =
                        result.outputs[k].yearly ? fmt::format(" in {}", s.years[t]) : std::string();
                    std::fprintf(stderr, "flopcast: %s samples of %s%s were NaN or infinite; --strict refuses the result\n",
                                 grouped(bad).c_str(), s.outputs[k].name.c_str(), where.c_str());
                    return kExitNonFinite;  // the ResultFile's destructor removes the temporary file
                }
        }
        output::RunMetadata meta{kVersion, kGitCommit, start_time, options.seed, options.samples, result.threads};
        file.write_results(s, result, meta);
        file.commit();
        if (!checkpoint_path.empty()) std::remove(checkpoint_path.c_str());  // the result supersedes it

        // The rate counts only the samples drawn by this process (a resumed
        // run drew the rest before).
        const std::uint64_t first_here = resumed ? std::min(options.samples, resumed->state.next_block * run::kBlockSize) : 0;
        const double here = static_cast<double>(options.samples - first_here);
        std::printf("%s", fmt::format("{}\n{}\n{} samples, seed {}, {} thread(s), {:.2f} s ({}/s){}; results in {}\n",
                                      s.title.empty() ? s.name : s.name + ": " + s.title,
                                      summary_table(s, result), grouped(options.samples), options.seed,
                                      result.threads, result.wall_seconds, human(here / result.wall_seconds),
                                      resumed ? fmt::format(", resumed at sample {}", grouped(first_here)) : "", path)
                              .c_str());
        for (const auto& o : s.overrides) std::printf("  with --set %s\n", o.c_str());
        return kExitOk;
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

void add_run_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<RunArgs>();
    CLI::App* run = app.add_subcommand("run", "Run a scenario and write its distributions to HDF5");
    run->add_option("scenario", args->scenario,
                    "Scenario file (TOML). Default: the built-in csc-2023-baseline scenario");
    run->add_option("-o,--output", args->output, "HDF5 file to write (default: <scenario name>.h5)");
    run->add_option("-n,--samples", args->samples, "Number of samples (default: the scenario's)");
    run->add_option("--seed", args->seed, "Random seed (default: the scenario's)");
    run->add_option("-t,--threads", args->threads, "Worker threads (default: all cores); results do not depend on it")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--set", args->sets,
                    "Override a scalar of the scenario, e.g. --set inputs.train_mfu.median=0.5 (repeatable; "
                    "recorded in the output)")
        ->allow_extra_args(false);
    run->add_flag("--keep-samples", args->keep_samples, "Also write every sample of every output to /samples");
    run->add_option("--checkpoint", args->checkpoint,
                    "Save the run's state to FILE every --checkpoint-every seconds and on SIGINT/SIGTERM, "
                    "atomically; continue with --resume FILE")
        ->type_name("FILE");
    run->add_option("--checkpoint-every", args->checkpoint_every, "Seconds between checkpoints")
        ->default_val(300.0)
        ->check(CLI::PositiveNumber);
    run->add_option("--resume", args->resume,
                    "Continue the run saved in this checkpoint: the result is bit-identical to an uninterrupted run")
        ->type_name("FILE");
    run->add_option_function<std::string>(
           "--shard",
           [args](const std::string& v) {
               const auto slash = v.find('/');
               std::uint64_t i = 0, n = 0;
               try {
                   if (slash == std::string::npos) throw std::invalid_argument(v);
                   std::size_t used_i = 0, used_n = 0;
                   i = std::stoull(v.substr(0, slash), &used_i);
                   n = std::stoull(v.substr(slash + 1), &used_n);
                   if (used_i != slash || used_n != v.size() - slash - 1) throw std::invalid_argument(v);
               } catch (const std::exception&) {
                   throw CLI::ValidationError("--shard", "expected i/N, e.g. 0/4, got '" + v + "'");
               }
               if (n == 0 || i >= n)
                   throw CLI::ValidationError("--shard", "shard " + std::to_string(i) + "/" + std::to_string(n) +
                                                             ": need N >= 1 and 0 <= i < N");
               args->shard = std::make_pair(i, n);
           },
           "Compute only shard i of N (e.g. 0/4) and write its mergeable state; combine with `flopcast merge`")
        ->type_name("i/N");
    run->add_flag("-q,--quiet", args->quiet, "No progress or start line on stderr");
    run->add_flag("--strict", args->strict,
                  "Fail (exit 4, no output file) if any output is NaN or infinite for any sample");
    run->add_option("--progress-every", args->progress_every,
                    "Seconds between progress lines when stderr is not a terminal")
        ->default_val(30.0)
        ->check(CLI::PositiveNumber);
    run->callback([args, &action] { action = [args] { return run_command(*args); }; });
}

void add_version_command(CLI::App& app, Action& action) {
    CLI::App* version = app.add_subcommand("version", "Print the version and the git commit it was built from");
    version->callback([&action] {
        action = [] {
            std::printf("flopcast %s (git %s)\n", kVersion, kGitCommit);
            return kExitOk;
        };
    });
}

}  // namespace flopcast::cli
