// `flopcast batch MANIFEST`: the manifest's runs one after another, each as
// `flopcast run` would do it, skipping those whose output is already
// complete, then a closing table. Usage: docs/overnight.md ("Batches").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/batch/manifest.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/stop_signals.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/result_info.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

struct BatchArgs {
    std::string manifest;
    int threads = 0;
    bool quiet = false;
    double progress_every = 30.0;
};

struct Outcome {
    std::string status = "not run";  // ran, skipped, failed, interrupted, not run
    std::string note;
    std::uint64_t samples = 0;
    double seconds = 0;
    int code = kExitOk;
};

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

// What an existing output says against what the entry would write: "" when
// it is the same run, else what differs.
std::string differences(const output::ResultInfo& info, const scenario::Scenario& s, std::uint64_t seed,
                        std::uint64_t samples, const batch::BatchEntry& e) {
    std::string d;
    if (info.scenario_text != s.text) d += "; the scenario text differs";
    if (info.overrides != joined(s.overrides)) d += "; the --set overrides differ";
    if (info.seed != seed) d += fmt::format("; the seed differs ({} in the file, {} here)", info.seed, seed);
    if (e.until.empty()) {
        if (!info.until.empty()) d += "; the file is a precision run (until), this run is not";
        else if (info.samples != samples)
            d += fmt::format("; the sample count differs ({} in the file, {} here)", info.samples, samples);
    } else {
        // A precision run decided its own sample count: the same targets,
        // confidence and cap make it the same run.
        auto until = e.until;
        std::sort(until.begin(), until.end());
        if (info.until != until)
            d += fmt::format("; the until targets differ ({} in the file, {} here)",
                             info.until.empty() ? "none" : fmt::format("{}", fmt::join(info.until, " ")),
                             fmt::format("{}", fmt::join(until, " ")));
        else if (info.confidence != e.confidence.value_or(0.95))
            d += fmt::format("; the confidence differs ({} in the file, {} here)", info.confidence, e.confidence.value_or(0.95));
        else if (info.max_samples != e.max_samples.value_or(kDefaultMaxSamples))
            d += fmt::format("; max_samples differs ({} in the file, {} here)", info.max_samples,
                             e.max_samples.value_or(kDefaultMaxSamples));
    }
    return d.empty() ? d : d.substr(2);
}

Outcome run_entry(const batch::BatchEntry& e, const BatchArgs& args) {
    Outcome o;
    // Messages start with the manifest's line of the run: "night.toml:12: run base: ...".
    const std::string where = fmt::format("{}:{}", args.manifest, e.line);
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    scenario::Scenario s;
    try {
        s = load_scenario_source(e.scenario, e.sets);  // the manifest always names a file
    } catch (const scenario::ScenarioError& err) {
        std::fprintf(stderr, "flopcast: %s: run %s: %s\n", where.c_str(), e.name.c_str(), err.what());
        return {"failed", "scenario error", 0, elapsed(), kExitInput};
    }
    o.samples = e.until.empty() ? e.samples.value_or(s.samples) : 0;  // a precision run's: known when done
    const std::uint64_t seed = e.seed.value_or(s.seed);
    // A complete output of the same run is kept; one of a different run is
    // an error, never overwritten: it may be the only copy of a night's work.
    try {
        if (const auto info = output::read_result_info(e.output)) {
            const std::string d = differences(*info, s, seed, o.samples, e);
            if (d.empty()) return {"skipped", "complete", info->samples, elapsed(), kExitOk};
            std::fprintf(stderr,
                         "flopcast: %s: run %s: %s exists but was made by a different run: %s; delete it or "
                         "choose another output\n",
                         where.c_str(), e.name.c_str(), e.output.c_str(), d.c_str());
            return {"failed", "output differs", o.samples, elapsed(), kExitInput};
        }
    } catch (const output::OutputError& err) {
        std::fprintf(stderr, "flopcast: %s: run %s: %s; delete it or choose another output\n", where.c_str(), e.name.c_str(),
                     err.what());
        return {"failed", "output not a result", o.samples, elapsed(), kExitInput};
    }
    RunArgs run;
    run.scenario = e.scenario;
    run.output = e.output;
    run.samples = e.samples;
    run.until = e.until;
    run.max_samples = e.max_samples;
    run.confidence = e.confidence.value_or(0.95);
    run.seed = e.seed;
    run.threads = args.threads;
    run.sets = e.sets;
    run.quiet = args.quiet;
    run.progress_every = args.progress_every;
    run.inputs = {args.manifest};  // never written, whatever an entry's output says
    bool resumed = false;
    if (e.checkpoint) {
        const std::string ckpt = e.output + ".ckpt";
        std::error_code ec;
        if (std::filesystem::exists(ckpt, ec)) run.resume = ckpt, resumed = true;
        else run.checkpoint = ckpt;
    }
    if (!args.quiet) std::fprintf(stderr, "flopcast: %s: run %s: %s -> %s%s\n", where.c_str(), e.name.c_str(), e.scenario.c_str(),
                                  e.output.c_str(), resumed ? " (resuming its checkpoint)" : "");
    std::fflush(stdout);
    const int rc = run_command(run);
    std::fflush(stdout);
    o.seconds = elapsed();
    o.code = rc;
    if (rc == kExitOk) {
        o.status = "ran", o.note = resumed ? "resumed" : "";
        if (!e.until.empty()) {
            try {
                if (const auto info = output::read_result_info(e.output)) o.samples = info->samples;
            } catch (const output::OutputError&) {
            }
        }
    }
    else if (rc == kExitInterrupted) o.status = "interrupted", o.note = e.checkpoint ? "checkpoint kept" : "";
    else o.status = "failed", o.note = fmt::format("exit {}", rc);
    return o;
}

std::string closing_table(const std::vector<batch::BatchEntry>& entries, const std::vector<Outcome>& outcomes) {
    std::size_t name_w = 5, status_w = 6;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        name_w = std::max(name_w, entries[i].name.size());
        status_w = std::max(status_w, outcomes[i].status.size() + (outcomes[i].note.empty() ? 0 : outcomes[i].note.size() + 3));
    }
    std::string out = fmt::format("{:<{}}  {:<{}}  {:>13}  {:>9}  {}\n", "entry", name_w, "status", status_w, "samples",
                                  "wall (s)", "output");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& o = outcomes[i];
        const std::string status = o.note.empty() ? o.status : o.status + " (" + o.note + ")";
        out += fmt::format("{:<{}}  {:<{}}  {:>13}  {:>9.2f}  {}\n", entries[i].name, name_w, status, status_w,
                           o.samples ? grouped(o.samples) : "-", o.seconds, entries[i].output);
    }
    return out;
}

int batch_command(const BatchArgs& args) {
    std::vector<batch::BatchEntry> entries;
    try {
        entries = batch::load_manifest_file(args.manifest);
    } catch (const scenario::ScenarioError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    const StopSignalsGuard stop_on_signals;  // between runs; each run installs its own while it runs
    std::vector<Outcome> outcomes(entries.size());
    int code = kExitOk;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (stop_flag().load()) break;
        outcomes[i] = run_entry(entries[i], args);
        if (outcomes[i].status == "failed" && code == kExitOk) code = outcomes[i].code;
        if (outcomes[i].status == "interrupted") {
            code = kExitInterrupted;
            break;
        }
    }
    if (stop_flag().load()) code = kExitInterrupted;
    std::size_t ran = 0, skipped = 0, failed = 0, left = 0;
    for (const auto& o : outcomes) {
        ran += o.status == "ran";
        skipped += o.status == "skipped";
        failed += o.status == "failed";
        left += o.status == "not run" || o.status == "interrupted";
    }
    std::printf("\nbatch %s: %zu ran, %zu skipped (already complete), %zu failed, %zu not finished\n%s",
                args.manifest.c_str(), ran, skipped, failed, left, closing_table(entries, outcomes).c_str());
    if (code == kExitInterrupted)
        std::printf("interrupted: run `flopcast batch %s` again to finish the batch\n", args.manifest.c_str());
    else if (failed)
        std::printf("fix the failed runs (messages above) and run `flopcast batch %s` again: complete runs are skipped\n",
                    args.manifest.c_str());
    return code;
}

}  // namespace

void add_batch_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<BatchArgs>();
    CLI::App* cmd = app.add_subcommand(
        "batch", "Run the scenarios of a manifest one after another, skipping those whose output is already complete");
    cmd->add_option("manifest", args->manifest, "Batch manifest (TOML): [[run]] tables of scenario, output, ...")
        ->required();
    add_threads_option(cmd, args->threads);
    cmd->add_flag("-q,--quiet", args->quiet, "No progress or start lines on stderr");
    add_duration_option(cmd, "--progress-every", args->progress_every,
                        "Time between progress lines when stderr is not a terminal (default 30s)");
    cmd->callback([args, &action] { action = [args] { return batch_command(*args); }; });
}

}  // namespace flopcast::cli
