#include "engine/cli/run_command.hpp"

#include <algorithm>
#include <cmath>
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
#include <fmt/ranges.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/utc_time.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/output_names.hpp"
#include "engine/cli/posterior_report.hpp"
#include "engine/cli/mpi_run.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/run_plan.hpp"
#include "engine/cli/stop_signals.hpp"
#include "engine/cli/summary_table.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/convergence_writer.hpp"
#include "engine/output/output_path.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/precision.hpp"
#include "engine/run/sample_spool.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/run/temporary_file.hpp"
#include "engine/simd/simd_level.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

// "p95 total_a100@2027 ±0.62 % (target ±0.5 %)": the target furthest from
// holding, for the progress line.
std::string precision_note(const std::vector<run::PrecisionTarget>& targets, const run::PrecisionStatus& st) {
    std::size_t worst = 0;
    double ratio = -1.0;
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& t = st.targets[k];
        const double r = !t.ready || !(t.half_width >= 0) ? INFINITY : t.half_width / t.allowed;
        if (r > ratio) ratio = r, worst = k;
    }
    const auto& t = targets[worst];
    const auto& ts = st.targets[worst];
    const std::string what = fmt::format("{} {}", t.statistic, t.spec.substr(t.spec.find(':') + 1, t.spec.rfind(':') - t.spec.find(':') - 1));
    if (!ts.ready || !(ts.half_width >= 0)) return fmt::format("{}: too few samples per group to judge yet", what);
    const auto hw = t.relative ? fmt::format("±{:.3g} %", 100.0 * ts.half_width / std::abs(ts.estimate))
                               : fmt::format("±{:.4g}", ts.half_width);
    const auto goal = t.relative ? fmt::format("±{:.3g} %", 100.0 * t.tolerance) : fmt::format("±{:.4g}", t.tolerance);
    return fmt::format("{} {} (target {}){}", what, hw, goal,
                       targets.size() > 1 ? fmt::format(", {} of {} targets met",
                                                        std::count_if(st.targets.begin(), st.targets.end(),
                                                                      [](const auto& x) { return x.met; }),
                                                        targets.size())
                                          : "");
}

// The samples at which every target would hold if half-widths keep
// shrinking as 1/sqrt(n); the cap while some target cannot be judged yet.
std::uint64_t projected_samples(const run::PrecisionStatus& st, std::uint64_t cap) {
    double factor = 1.0;
    for (const auto& t : st.targets) {
        if (!t.ready || !(t.half_width >= 0) || !(t.allowed > 0)) return cap;
        factor = std::max(factor, (t.half_width / t.allowed) * (t.half_width / t.allowed));
    }
    const double n = static_cast<double>(st.samples) * factor;
    return n >= static_cast<double>(cap) ? cap : std::max<std::uint64_t>(st.samples, static_cast<std::uint64_t>(n));
}

// The closing lines of a precision run: each target's estimate, half-width
// and whether it held.
std::string precision_report(const scenario::Scenario& s, const std::vector<run::PrecisionTarget>& targets,
                             double confidence, const run::PrecisionStatus& st) {
    std::string out = fmt::format("precision at {} % confidence (batch means over independent groups of blocks):\n",
                                  100.0 * confidence);
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& t = targets[k];
        const auto& ts = st.targets[k];
        const auto& o = s.outputs[t.output];
        const bool pct = s.display(t.output).percent;
        const auto value = [&](double v) { return pct ? percent(v) : human(v); };
        const std::string rel = ts.estimate != 0.0 && std::isfinite(ts.half_width)
                                    ? fmt::format(" ({:.3g} %)", 100.0 * ts.half_width / std::abs(ts.estimate))
                                    : "";
        out += fmt::format("  {:<8} {}{}  {} ± {}{}  target ± {}  {}\n", t.statistic, o.name,
                           t.year ? fmt::format(" {}", *t.year) : "", value(ts.estimate),
                           pct ? fmt::format("{:.3g} pp", 100.0 * ts.half_width) : human(ts.half_width), rel,
                           t.relative ? fmt::format("{:.3g} %", 100.0 * t.tolerance)
                                      : (pct ? fmt::format("{:.3g} pp", 100.0 * t.tolerance) : human(t.tolerance)),
                           ts.met ? "met" : (ts.ready ? "NOT met" : "NOT met (too few samples per group)"));
    }
    return out;
}

}  // namespace

int run_command(const RunArgs& args) {
    if (mpi_active()) {
        if (!args.until.empty()) {
            std::fprintf(stderr, "flopcast: --until decides when to stop as the run goes, which MPI ranks running "
                                 "fixed shares cannot; run it as one process\n");
            return kExitInput;
        }
        return mpi_run_command(args);
    }
    const std::string start_time = utc_now();
    std::optional<run::Checkpoint> resumed;
    RunPlan plan;
    try {
        if (!args.resume.empty()) {
            resumed = run::load_checkpoint(args.resume);
            check_checkpoint_version(*resumed, args.resume);
        }
        plan = plan_run(args, run_scenario(args, resumed ? &*resumed : nullptr), resumed ? &*resumed : nullptr);
    } catch (const run::StateError& e) {  // an unreadable checkpoint
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    } catch (const scenario::ScenarioError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    } catch (const PlanError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    const scenario::Scenario& s = plan.scenario;
    run::RunOptions options = plan.options;
    const bool precision = plan.precision;
    const std::vector<std::string>& until_specs = plan.until_specs;
    const std::vector<run::PrecisionTarget>& targets = plan.targets;
    const double confidence = plan.confidence;
    const std::string& path = plan.output;
    const std::string& checkpoint_path = plan.checkpoint;
    const bool spooled = plan.spooled;

    // Errors before sampling starts are the user's to fix (exit 2); a failure
    // to write during or after the run is exit 3. Neither leaves a file.
    // Every output path is checked before anything is written: never an
    // input of this run, a directory, a device or a FIFO, nor a file that is
    // not flopcast's (without --force); a symbolic link's target is written.
    std::optional<output::ResultFile> opened;
    try {
        output::OutputRules rules{{args.scenario, args.resume}, args.force, output::Replaceable::Result};
        rules.inputs.insert(rules.inputs.end(), args.inputs.begin(), args.inputs.end());
        const std::string target = output::checked_output_path(path, rules);
        if (!args.checkpoint.empty()) {
            // A checkpoint is replaced only by a checkpoint; resuming into
            // the checkpoint being resumed is what --resume does.
            output::OutputRules ck = rules;
            ck.replaceable = output::Replaceable::Checkpoint;
            if (output::same_output(args.checkpoint, args.resume))
                std::erase(ck.inputs, args.resume);
            const std::string ck_target = output::checked_output_path(args.checkpoint, ck);
            if (output::same_output(ck_target, target))
                throw output::OutputError(fmt::format("refusing to write {}: --checkpoint and the output name the same file",
                                                      path));
        }
        opened.emplace(target);
        if (!args.quiet)
            for (const auto& stale : opened->removed_temporaries())
                std::fprintf(stderr, "flopcast: removed %s, the temporary file of a run that was killed\n", stale.c_str());
        if (plan.kept_bytes > 0) {
            std::error_code ec;
            const auto space =
                std::filesystem::space(std::filesystem::absolute(opened->temporary_path()).parent_path(), ec);
            if (!ec && plan.kept_bytes > static_cast<double>(space.available))
                throw output::OutputError(fmt::format(
                    "{}: the kept samples need up to {}B before compression, and the disk has {}B free; "
                    "keep fewer outputs or samples",
                    path, human(plan.kept_bytes), human(static_cast<double>(space.available))));
        }
        if (!spooled) opened->prepare_samples(s, options, options.samples);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    output::ResultFile& file = *opened;
    try {

        const bool terminal = ::isatty(STDERR_FILENO) != 0;
        Progress progress(!args.quiet, terminal, args.progress_every);
        options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
        if (!args.quiet && precision)
            std::fprintf(stderr, "flopcast: %s: until %s at %g %% confidence (at most %s samples), seed %llu\n",
                         s.name.c_str(), fmt::format("{}", fmt::join(until_specs, " and ")).c_str(),
                         100.0 * confidence, grouped(options.samples).c_str(),
                         static_cast<unsigned long long>(options.seed));
        else if (!args.quiet)
            std::fprintf(stderr, "flopcast: %s: %s samples, seed %llu\n", s.name.c_str(),
                         grouped(options.samples).c_str(), static_cast<unsigned long long>(options.seed));
        if (plan.shard) {
            // Only this shard's share of the blocks; the mergeable state goes
            // to the file and `flopcast merge` makes the result.
            const auto [index, count, first, end, blocks] = *plan.shard;
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
        // A precision run judges its targets at the checks precision.hpp
        // fixes, records each check, and stops once all targets hold.
        std::vector<run::PrecisionStatus> history = resumed ? resumed->history : std::vector<run::PrecisionStatus>{};
        bool precise = false;
        // Samples the targets need, from half-widths shrinking as 1/sqrt(n):
        // the progress line's total, so its percentage and ETA mean something.
        std::uint64_t projected = options.samples;
        if (precision)
            options.progress = [&](std::uint64_t done, std::uint64_t) {
                // Never "done" before the run says so: a total at least one wave ahead.
                progress.update(done, std::max(done + run::kWaveBlocks * run::kBlockSize, projected));
            };
        if (precision) {
            options.precision_series = run::precision_series(targets);
            options.posterior_precision_series = run::posterior_precision_series(targets);
            options.until = [&](const run::RunState& state) {
                const std::uint64_t done = std::min(options.samples, state.next_block * run::kBlockSize);
                history.push_back(run::assess_precision(state, targets, confidence, done));
                progress.set_note(precision_note(targets, history.back()));
                projected = projected_samples(history.back(), options.samples);
                precise = history.back().met;
                return precise;
            };
        }
        std::optional<run::SampleSpool> spool;
        if (spooled) {
            try {
                spool.emplace(checkpoint_path.empty() ? file.temporary_path() : checkpoint_path, plan.kept_widths,
                              plan.first_sample);
                // Beside a checkpoint the spool lives as long as it does:
                // removed only once the result is written.
                if (!checkpoint_path.empty()) spool->keep();
            } catch (const run::SpoolError& e) {
                std::fprintf(stderr, "flopcast: %s\n", e.what());
                return resumed ? kExitInput : kExitWrite;
            }
        }
        run::SampleSink* sink = spool ? static_cast<run::SampleSink*>(&*spool) : &file;
        // Checkpoints (and a clean stop on SIGINT or SIGTERM) when asked for.
        if (!checkpoint_path.empty()) {
            options.checkpoint_every = args.checkpoint_every;
            options.checkpoint = [&](const run::RunState& state) {
                try {
                    if (spool) spool->sync();  // the checkpoint never claims samples the disk lacks
                    run::save_checkpoint(checkpoint_path,
                                         {kVersion, s.source_file, s.text, s.overrides, options.seed, options.samples,
                                          options.keep_all, until_specs, confidence, history, state, path});
                } catch (const std::runtime_error& e) {  // StateError, SpoolError
                    throw output::OutputError(e.what());  // a write failure: exit 3
                }
            };
        }
        const StopSignalsGuard stop_on_signals;  // SIGINT/SIGTERM: stop after the wave in flight
        options.stop = &stop_flag();
        const auto started = std::chrono::steady_clock::now();
        const std::uint64_t blocks = run::block_count(options.samples);
        run::RunState state;
        try {
            state = resumed ? run::resume_blocks(s, options, resumed->state, blocks, sink)
                            : run::run_blocks(s, options, 0, blocks, sink);
        } catch (const run::StateError& e) {
            std::fprintf(stderr, "flopcast: %s\n", e.what());
            return kExitInput;
        }
        progress.finish();
        if (state.next_block < blocks && !precise) {
            if (checkpoint_path.empty()) {
                std::fprintf(stderr, "flopcast: interrupted at block %llu of %llu; nothing written (use --checkpoint FILE to be able to resume)\n",
                             static_cast<unsigned long long>(state.next_block), static_cast<unsigned long long>(blocks));
            } else {
                std::fprintf(stderr,
                             "flopcast: interrupted at block %llu of %llu; checkpoint written to %s\n"
                             "resume with: flopcast run --resume %s (the result goes to %s)\n",
                             static_cast<unsigned long long>(state.next_block), static_cast<unsigned long long>(blocks),
                             checkpoint_path.c_str(), checkpoint_path.c_str(), path.c_str());
            }
            return kExitInterrupted;
        }
        // A precision run ends at a whole block; otherwise this is options.samples.
        const std::uint64_t samples = std::min(options.samples, state.next_block * run::kBlockSize);
        if (precision && (history.empty() || history.back().samples != samples)) {
            // Capped by --max-samples between two checks: judge the end too.
            history.push_back(run::assess_precision(state, targets, confidence, samples));
        }
        if (spool) {
            try {
                file.prepare_samples(s, options, samples);
                spool->replay(file, samples);
            } catch (const run::SpoolError& e) {
                throw output::OutputError(e.what());
            }
        }
        run::RunResult result = run::to_result(s, state, samples);
        result.threads = run::thread_count(options);
        result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

        if (plan.strict) {
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
        // Observations that leave no world: the user's to fix, nothing written.
        if (const auto why = posterior_error(s, result)) {
            std::fprintf(stderr, "flopcast: %s\n", why->c_str());
            return kExitInput;
        }
        output::RunMetadata meta{kVersion, kGitCommit, start_time, options.seed, samples, result.threads};
        file.write_results(s, result, meta);
        if (precision) output::write_convergence(file, s, targets, confidence, state.groups, options.samples, history);
        file.commit();
        if (!checkpoint_path.empty()) {
            std::remove(checkpoint_path.c_str());  // the result supersedes it
            // and so the half-written checkpoint of a run killed while it
            // saved one (a resumed run that saves none would leave it).
            (void)run::remove_stale_temporaries(checkpoint_path);
        }
        if (spool) spool->discard();  // and its spooled samples

        // The rate counts only the samples drawn by this process (a resumed
        // run drew the rest before).
        const std::uint64_t first_here = plan.first_sample;
        const double here = static_cast<double>(samples - first_here);
        std::printf("%s", fmt::format("{}\n{}\n{} samples, seed {}, {} thread(s), {:.2f} s ({}/s){}; results in {}\n",
                                      s.title.empty() ? s.name : s.name + ": " + s.title,
                                      summary_table(s, result), grouped(samples), options.seed,
                                      result.threads, result.wall_seconds, human(here / result.wall_seconds),
                                      resumed ? fmt::format(", resumed at sample {}", grouped(first_here)) : "", path)
                              .c_str());
        for (const auto& o : s.overrides) std::printf("  with --set %s\n", o.c_str());
        std::printf("%s", posterior_lines(s, result).c_str());
        if (const auto warning = posterior_warning(s, result)) std::fprintf(stderr, "flopcast: warning: %s\n", warning->c_str());
        if (precision) {
            std::printf("%s", precision_report(s, targets, confidence, history.back()).c_str());
            if (!history.back().met)
                std::fprintf(stderr, "flopcast: --max-samples (%s) reached before every --until target held; "
                                     "the results are written, /convergence says how far each got\n",
                             grouped(options.samples).c_str());
        }
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
    run->add_option("-o,--output", args->output,
                    "HDF5 file to write (default: <scenario name>.h5; when resuming, the interrupted run's)");
    add_force_flag(run, args->force);
    add_count_option(run, "-n,--samples", args->samples, "Number of samples (default: the scenario's); 1e6 and 1_000_000 work");
    run->add_option("--seed", args->seed, "Random seed (default: the scenario's)");
    add_threads_option(run, args->threads);
    run->add_option("--set", args->sets,
                    "Override a scalar of the scenario, e.g. --set inputs.train_mfu.median=0.5 (repeatable; "
                    "recorded in the output)")
        ->allow_extra_args(false);
    run->add_flag("--keep-samples", args->keep_samples, "Also write every sample of every output to /samples");
    run->add_option("--checkpoint", args->checkpoint,
                    "Save the run's state to FILE every --checkpoint-every seconds and on SIGINT/SIGTERM, "
                    "atomically; continue with --resume FILE")
        ->type_name("FILE");
    add_duration_option(run, "--checkpoint-every", args->checkpoint_every,
                        "Time between checkpoints: 90 (seconds), 30s, 5m, 2h (default 5m)");
    run->add_option("--resume", args->resume,
                    "Continue the run saved in this checkpoint: the result is bit-identical to an uninterrupted run")
        ->type_name("FILE");
    add_shard_option(run, args->shard,
                     "Compute only shard i of N (e.g. 0/4) and write its mergeable state; combine with `flopcast merge`");
    run->add_option("--until", args->until,
                    "Stop when this precision target holds, e.g. p95:total_a100@2027:0.5% (the 95th percentile "
                    "of total_a100 in 2027 to within ±0.5 %); STAT is mean, median or pNN, TOL is relative "
                    "with % or absolute in the output's units. Repeatable: all must hold. See docs/overnight.md")
        ->type_name("STAT:OUTPUT[@YEAR]:TOL")
        ->allow_extra_args(false);
    run->add_option_function<std::string>(
           "--confidence",
           [args](const std::string& v) {
               std::size_t used = 0;
               double c = 0.0;
               try {
                   c = std::stod(v, &used);
               } catch (const std::exception&) {
                   used = 0;
               }
               if (used != v.size() || !(c >= 0.5 && c <= 0.9999))
                   throw CLI::ValidationError("--confidence", "'" + v + "' is not a confidence level; give one "
                                                              "from 0.5 to 0.9999, e.g. 0.95");
               args->confidence = c;
           },
           "Confidence level of the --until half-widths (default 0.95)")
        ->type_name("LEVEL");
    add_count_option(run, "--max-samples", args->max_samples,
                 "Cap of a --until run (default 1e10); it then ends with the targets not met, and says so");
    run->add_flag("-q,--quiet", args->quiet, "No progress or start line on stderr");
    run->add_flag("--strict", args->strict,
                  "Fail (exit 4, no output file) if any output is NaN or infinite for any sample");
    add_duration_option(run, "--progress-every", args->progress_every,
                        "Time between progress lines when stderr is not a terminal (default 30s)");
    run->callback([args, &action] { action = [args] { return run_command(*args); }; });
}

void add_version_command(CLI::App& app, Action& action) {
    CLI::App* version = app.add_subcommand("version", "Print the version and the git commit it was built from");
    version->callback([&action] {
        action = [] {
            // The vector loops this CPU runs (engine/simd/simd_level.hpp):
            // they change the speed, never the results. The Philox uniforms
            // may run wider than the rest (AVX-512): then both are named.
            const simd::Level loops = simd::level(), draws = simd::draw_level();
            if (draws == loops) std::printf("flopcast %s (git %s), %s loops\n", kVersion, kGitCommit, simd::name(loops));
            else
                std::printf("flopcast %s (git %s), %s draws, %s loops\n", kVersion, kGitCommit, simd::name(draws),
                            simd::name(loops));
            return kExitOk;
        };
    });
}

}  // namespace flopcast::cli
