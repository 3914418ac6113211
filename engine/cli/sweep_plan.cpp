#include "engine/cli/sweep_plan.hpp"

#include <fmt/format.h>

#include "engine/cli/output_names.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

// Where a variant's settings come from, for messages: the variants file's
// line of the key a scenario error names, else of the variant's table.
std::string variant_origin(const batch::Variant& v, const std::string& variants_file, const std::string& message) {
    if (variants_file.empty()) return "--grid variant " + v.name;
    int line = v.line;
    for (const auto& s : v.settings)
        if (message.find("--set " + s.key + ")") != std::string::npos ||
            message.find("--set " + s.key + ":") != std::string::npos)
            line = s.line;
    return fmt::format("{}:{}: variants.{}", variants_file, line, v.name);
}

}  // namespace

std::vector<batch::Variant> sweep_variants(const SweepArgs& args) {
    if (args.grid.empty() == args.variants.empty())
        throw scenario::ScenarioError(args.grid.empty()
                                          ? "sweep: give the variants, with --grid KEY=V1,V2,... or --variants FILE"
                                          : "sweep: give either --grid or --variants, not both");
    if (!args.variants.empty()) return batch::load_variants_file(args.variants);
    std::vector<batch::GridAxis> axes;
    for (const auto& g : args.grid) axes.push_back(batch::parse_grid_option(g));
    return batch::grid_variants(axes);
}

SweepPlan plan_sweep(const SweepArgs& args, scenario::Scenario base, std::vector<batch::Variant> variants) {
    SweepPlan p;
    p.base = std::move(base);
    p.variants = std::move(variants);
    for (const auto& v : p.variants) {
        std::vector<std::string> overrides = args.sets;
        const auto own = v.overrides();
        overrides.insert(overrides.end(), own.begin(), own.end());
        try {
            p.scenarios.push_back(scenario::load_scenario(p.base.text, p.base.source_file, overrides));
        } catch (const scenario::ScenarioError& e) {
            throw scenario::ScenarioError(variant_origin(v, args.variants, e.what()) + ": " + e.what());
        }
    }
    if (args.samples && *args.samples == 0) throw scenario::ScenarioError("--samples must be at least 1");
    for (const auto& s : p.scenarios) {
        run::RunOptions o;
        o.samples = args.samples.value_or(s.samples);
        o.seed = args.seed.value_or(s.seed);
        o.threads = args.threads;
        p.options.push_back(o);
    }
    p.keys = batch::swept_keys(p.variants);
    p.seed = args.seed.value_or(p.base.seed);
    p.samples = args.samples.value_or(p.base.samples);
    p.output = args.output.empty() ? default_output(p.base.name, "-sweep") : args.output;
    return p;
}

}  // namespace flopcast::cli
