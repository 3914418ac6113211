// `flopcast merge`: shard files into the ordinary result file, bit-identical
// to one `flopcast run` with the same scenario, overrides, seed and samples.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "engine/cli/utc_time.hpp"
#include "engine/cli/commands.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/sensitivity_merge.hpp"
#include "engine/cli/posterior_report.hpp"
#include "engine/cli/summary_table.hpp"
#include "engine/cli/shard_set.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/output_path.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

struct MergeArgs {
    std::vector<std::string> parts;
    std::string output = "results.h5";
    bool quiet = false;
    bool force = false;
};

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string l; std::getline(ss, l);) out.push_back(l);
    return out;
}

// Every part must come from the same run: scenario text, overrides, seed,
// sample count, shard count and flopcast version. Returns the parts sorted by
// shard index, or throws naming the files at fault.
std::vector<output::ShardInfo> check_parts(std::vector<output::ShardInfo> parts) {
    const auto& ref = parts.front();
    for (const auto& p : parts) {
        auto differs = [&](const char* what) {
            throw output::OutputError(fmt::format("{} and {} are shards of different runs: their {} differ", ref.path,
                                                  p.path, what));
        };
        if (p.version != ref.version) differs("flopcast versions");
        if (p.scenario_text != ref.scenario_text) differs("scenarios");
        if (p.overrides != ref.overrides) differs("--set overrides");
        if (p.seed != ref.seed) differs("seeds");
        if (p.samples != ref.samples) differs("sample counts");
        if (p.count != ref.count) differs("shard counts");
        if (p.kept != ref.kept) differs("kept outputs");
    }
    sort_complete_shards(parts, ref.count);
    return parts;
}

int merge(const MergeArgs& args) {
    const auto started = std::chrono::steady_clock::now();
    // The output is checked before any shard is read: never one of the
    // shards, a directory, a device, nor a file that is not flopcast's.
    std::string target;
    try {
        target = output::checked_output_path(args.output, {args.parts, args.force, output::Replaceable::Result});
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    // Shards of `flopcast run` or of `flopcast sensitivity`, never both.
    try {
        const std::string kind = output::shard_kind(args.parts.front());
        for (const auto& p : args.parts)
            if (output::shard_kind(p) != kind)
                throw output::OutputError(fmt::format(
                    "{} and {} are shards of different commands ({} and {}): merge run shards and sensitivity "
                    "shards separately",
                    args.parts.front(), p, kind == "shard" ? "flopcast run" : "flopcast sensitivity",
                    kind == "shard" ? "flopcast sensitivity" : "flopcast run"));
        if (kind == "sensitivity-shard") return merge_sensitivity_shards(args.parts, target, args.quiet);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    std::vector<output::ShardInfo> parts;
    scenario::Scenario s;
    try {
        for (const auto& p : args.parts) parts.push_back(output::read_shard_info(p));
        parts = check_parts(std::move(parts));
        s = scenario::load_scenario(parts.front().scenario_text, parts.front().scenario_file,
                                    lines(parts.front().overrides));
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    } catch (const scenario::ScenarioError& e) {
        std::fprintf(stderr, "flopcast: the shards' scenario no longer loads: %s\n", e.what());
        return kExitInput;
    }
    const auto& ref = parts.front();
    run::RunState state;
    try {
        for (std::size_t i = 0; i < parts.size(); ++i) {
            run::RunState part = output::read_shard_state(parts[i].path);
            if (i == 0) state = std::move(part);
            else run::append(state, part);
        }
        if (state.first_block != 0 || state.next_block != run::block_count(ref.samples))
            throw output::OutputError("the shards cover blocks " + std::to_string(state.first_block) + " to " +
                                      std::to_string(state.next_block) + ", not the run's 0 to " +
                                      std::to_string(run::block_count(ref.samples)));
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    } catch (const run::StateError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }

    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(target);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitInput;
    }
    try {
        output::ResultFile& file = *opened;
        run::RunOptions options;
        options.samples = ref.samples;
        options.seed = ref.seed;
        // The kept outputs are those the shards kept.
        for (auto& o : s.outputs) o.keep = std::find(ref.kept.begin(), ref.kept.end(), o.name) != ref.kept.end();
        file.prepare_samples(s, options, ref.samples);
        for (const auto& p : parts)
            for (std::size_t k = 0; k < s.outputs.size(); ++k)
                if (s.outputs[k].keep)
                    output::copy_shard_samples(p.path, s.outputs[k].name, std::min(ref.samples, p.first_block * run::kBlockSize),
                                               std::min(ref.samples, p.end_block * run::kBlockSize), file, k);
        // The kept samples' log-weights, after the outputs' (result_file.cpp).
        if (!s.observations.empty() && !ref.kept.empty())
            for (const auto& p : parts)
                output::copy_shard_samples(p.path, "log_weight", std::min(ref.samples, p.first_block * run::kBlockSize),
                                           std::min(ref.samples, p.end_block * run::kBlockSize), file, s.outputs.size());
        run::RunResult result = run::to_result(s, state, ref.samples);
        result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (const auto why = posterior_error(s, result)) {
            std::fprintf(stderr, "flopcast: %s\n", why->c_str());
            return kExitInput;
        }
        file.write_results(s, result, {kVersion, kGitCommit, utc_now(), ref.seed, ref.samples, 0});
        file.commit();
        if (!args.quiet)
            std::printf("%s", fmt::format("{}\n{}\n{} samples, seed {}, merged from {} shards; results in {}\n",
                                          s.title.empty() ? s.name : s.name + ": " + s.title, summary_table(s, result),
                                          grouped(ref.samples), ref.seed, parts.size(), args.output)
                                  .c_str());
        if (!args.quiet) std::printf("%s", posterior_lines(s, result).c_str());
        if (const auto warning = posterior_warning(s, result)) std::fprintf(stderr, "flopcast: warning: %s\n", warning->c_str());
        return kExitOk;
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

}  // namespace

void add_merge_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<MergeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "merge", "Combine shard files (flopcast run or sensitivity --shard i/N) into one result file, bit-identical to a "
        "single process");
    cmd->add_option("shards", args->parts, "Shard files, one per shard, in any order")->required();
    cmd->add_option("-o,--output", args->output, "Result file to write")->capture_default_str();
    add_force_flag(cmd, args->force);
    cmd->add_flag("-q,--quiet", args->quiet, "Do not print the summary");
    cmd->callback([args, &action] { action = [args] { return merge(*args); }; });
}

}  // namespace flopcast::cli
