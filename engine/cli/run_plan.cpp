#include "engine/cli/run_plan.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/cli/output_names.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/cli/version.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

std::string joined(const std::vector<std::string>& specs) {
    return specs.empty() ? "none" : fmt::format("{}", fmt::join(specs, " "));
}

// A resumed run continues the checkpoint's scenario, overrides, seed and
// sample count; anything given again on the command line must agree. Every
// difference is named, in one message.
void check_resumable(const RunArgs& args, const RunPlan& p, const run::Checkpoint& resumed) {
    std::string differs;
    if (p.scenario.text != resumed.scenario_text) differs += "; the scenario text differs from the checkpoint's";
    if (p.scenario.overrides != resumed.overrides) differs += "; the --set overrides differ";
    if (p.options.seed != resumed.seed)
        differs += fmt::format("; the seed differs ({} here, {} in the checkpoint)", p.options.seed, resumed.seed);
    if (p.options.samples != resumed.samples)
        differs += fmt::format("; the {} differs ({} here, {} in the checkpoint)",
                               p.precision ? "--max-samples" : "sample count", p.options.samples, resumed.samples);
    if (p.until_specs != resumed.until)
        differs += fmt::format("; the --until targets differ ({} here, {} in the checkpoint)", joined(p.until_specs),
                               joined(resumed.until));
    else if (p.precision && p.confidence != resumed.confidence)
        differs += fmt::format("; the confidence differs ({} here, {} in the checkpoint)", p.confidence,
                               resumed.confidence);
    if (!differs.empty()) throw PlanError(fmt::format("cannot resume {}{}", args.resume, differs));
    if (args.keep_samples && !resumed.keep_all)
        throw PlanError(fmt::format("cannot resume {}; --keep-samples was not given to the run it saved", args.resume));
}

}  // namespace

void check_checkpoint_version(const run::Checkpoint& resumed, const std::string& path) {
    if (resumed.version != kVersion)
        throw PlanError(fmt::format("{} was written by flopcast {}; this is {}, which may draw differently", path,
                                    resumed.version, kVersion));
}

scenario::Scenario run_scenario(const RunArgs& args, const run::Checkpoint* resumed) {
    if (resumed && args.scenario.empty())
        return scenario::load_scenario(resumed->scenario_text, resumed->scenario_file,
                                       args.sets.empty() ? resumed->overrides : args.sets);
    return load_scenario_source(args.scenario, args.sets);
}

RunPlan plan_run(const RunArgs& args, scenario::Scenario s, const run::Checkpoint* resumed) {
    RunPlan p;
    p.scenario = std::move(s);
    const scenario::Scenario& sc = p.scenario;

    // A precision run: its targets (from the checkpoint when resuming).
    const bool from_checkpoint = resumed && args.until.empty();
    p.until_specs = from_checkpoint ? resumed->until : args.until;
    p.confidence = from_checkpoint ? resumed->confidence : args.confidence;
    try {
        for (const auto& spec : p.until_specs) p.targets.push_back(run::parse_precision_target(spec, sc));
    } catch (const run::PrecisionError& e) {
        throw PlanError(e.what());
    }
    p.precision = !p.targets.empty();
    if (p.precision && args.samples)
        throw PlanError("--samples and --until: the targets decide the sample count; cap it with --max-samples");
    if (!p.precision && args.max_samples)
        throw PlanError("--max-samples caps a precision run: give --until too, or use --samples");
    if (p.precision && args.shard)
        throw PlanError("--until decides when to stop as the run goes, which a shard of fixed blocks cannot; run it "
                        "as one process");

    p.options.samples = p.precision ? args.max_samples.value_or(resumed ? resumed->samples : kDefaultMaxSamples)
                                    : args.samples.value_or(resumed ? resumed->samples : sc.samples);
    p.options.seed = args.seed.value_or(resumed ? resumed->seed : sc.seed);
    if (resumed) check_resumable(args, p, *resumed);
    p.options.threads = args.threads;
    p.options.keep_all = args.keep_samples || (resumed && resumed->keep_all);
    if (p.options.samples == 0) throw PlanError("--samples must be at least 1");

    // A resumed run writes where the interrupted one was told to, unless -o says otherwise.
    p.output = !args.output.empty()                   ? args.output
               : resumed && !resumed->output.empty() ? resumed->output
                                                     : default_output(sc.name);
    p.checkpoint = !args.checkpoint.empty() ? args.checkpoint : args.resume;

    // One width per output: a yearly output keeps a value per year.
    p.kept_widths.assign(sc.outputs.size(), 0);
    for (std::size_t k = 0; k < sc.outputs.size(); ++k)
        if (run::is_kept(sc, p.options, k))
            p.kept_widths[k] = sc.program.shape(sc.outputs[k].quantity) == formula::Shape::Yearly ? sc.years.size() : 1;
    for (std::size_t w : p.kept_widths) p.kept_values += w;
    if (!sc.observations.empty()) p.kept_widths.push_back(1);  // /samples/log_weight
    p.kept_bytes =
        p.precision ? 0.0 : static_cast<double>(p.kept_values) * static_cast<double>(p.options.samples) * 8.0;
    p.spooled = p.kept_values > 0 && !args.shard && (!p.checkpoint.empty() || p.precision);

    if (args.shard) {
        // Only this shard's share of the blocks, as `flopcast merge` expects.
        ShardPlan sh;
        std::tie(sh.index, sh.count) = *args.shard;
        sh.blocks = run::block_count(p.options.samples);
        sh.first_block = sh.blocks * sh.index / sh.count;
        sh.end_block = sh.blocks * (sh.index + 1) / sh.count;
        p.shard = sh;
    }
    p.strict = args.strict;
    p.first_sample = resumed ? std::min(p.options.samples, resumed->state.next_block * run::kBlockSize) : 0;
    return p;
}

}  // namespace flopcast::cli
