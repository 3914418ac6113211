#include "engine/cli/sensitivity_plan.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/cli/output_names.hpp"

namespace flopcast::cli {
namespace {

namespace sens = flopcast::sensitivity;

bool takes_option(const sens::MethodRow& row, std::string_view key) {
    if (key == "groups" || key == "groups_file") return row.groups;
    return std::any_of(row.options.begin(), row.options.end(), [&](const sens::OptionSpec& o) { return o.key == key; });
}

}  // namespace

std::vector<std::string> method_names() {
    std::vector<std::string> names;
    for (const auto* r : sens::methods()) names.emplace_back(r->name);
    return names;
}

std::string sensitivity_output_name(const std::string& scenario_name, const std::string& method) {
    return default_output(scenario_name, "-" + method);  // output_names.hpp: the one rule
}

std::string sensitivity_output(const SensitivityArgs& a, const std::string& scenario_name) {
    if (!a.output_file.empty()) return a.output_file;
    std::string path = sensitivity_output_name(scenario_name, a.method);
    if (a.shard) path.insert(path.size() - 3, fmt::format("-part-{}-of-{}", a.shard->first, a.shard->second));
    return path;
}

std::string plan_sensitivity(const SensitivityArgs& a, scenario::Scenario s, SensitivityPlan& p) {
    const sens::MethodRow* row = sens::find_method(a.method);
    if (!row) return fmt::format("--method: no method '{}' (methods: {})", a.method, sens::join(method_names()));
    auto& an = p.analysis;
    std::vector<std::string> names;
    for (const auto& o : s.outputs) names.push_back(o.name);
    for (const auto& name : a.outputs) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) return fmt::format("--output: no output '{}' in {} (outputs: {})", name, s.source_file, sens::join(names));
        const auto k = static_cast<std::size_t>(it - names.begin());
        if (std::find(an.outputs.begin(), an.outputs.end(), k) == an.outputs.end()) an.outputs.push_back(k);
    }
    if (an.outputs.empty()) {
        an.outputs.resize(s.outputs.size());
        std::iota(an.outputs.begin(), an.outputs.end(), std::size_t{0});
    }
    an.transforms.assign(an.outputs.size(), sens::Transform::None);
    for (const auto& spec : a.transforms) {
        const auto eq = spec.find('=');
        const std::string name = eq == std::string::npos ? "" : spec.substr(0, eq),
                          kind = eq == std::string::npos ? spec : spec.substr(eq + 1);
        sens::Transform t = sens::Transform::None;
        if (kind == "log" || kind == "log10") t = sens::Transform::Log10;
        else if (kind == "rank") t = sens::Transform::Rank;
        else if (kind != "none")
            return fmt::format("--transform {}: expected log, rank or none, for every output or as OUTPUT=log", spec);
        if (t == sens::Transform::Rank && !row->rank_based)
            return fmt::format("--transform {}: --method {} analyses a design streamed in blocks and cannot rank an "
                               "output; use log (a positive output), or --method delta or correlation, which read ranks "
                               "only",
                               spec, row->name);
        bool found = name.empty();
        for (std::size_t i = 0; i < an.outputs.size(); ++i)
            if (name.empty() || s.outputs[an.outputs[i]].name == name) {
                an.transforms[i] = t;
                found = true;
            }
        if (!found)
            return fmt::format("--transform {}: no output '{}' analysed (outputs: {})", spec, name, sens::join(names));
    }
    if (a.year && (*a.year < s.years.front() || *a.year > s.years.back()))
        return fmt::format("--year {} is not a year of the scenario ({}-{})", *a.year, s.years.front(), s.years.back());

    try {
        std::vector<sens::GroupSpec> groups;
        if (!a.groups.empty()) groups = sens::parse_groups(a.groups);
        if (!a.groups_file.empty()) {
            const auto more = sens::load_groups_file(a.groups_file);
            groups.insert(groups.end(), more.begin(), more.end());
        }
        an.factors = sens::make_factors(s, groups);
        if (!row->independence.empty()) sens::require_independent_factors(s, an.factors, row->independence);
    } catch (const sens::FactorError& e) {
        return e.what();
    }

    an.seed = a.seed.value_or(s.seed);
    an.threads = a.threads;
    try {
        p.method = row->build(a.options);
    } catch (const sens::OptionError& e) {
        return e.what();
    }
    an.summary_samples = p.method->summary_samples(a.summary_samples);
    if (an.summary_samples == 0) return "--summary-samples must be at least 1; got 0";
    an.s = std::move(s);
    return "";
}

const sens::MethodRow& row_of(const SensitivityPlan& p) { return p.method->row(); }
std::string method_name(const SensitivityPlan& p) { return std::string(row_of(p).name); }

std::string options_text(const SensitivityPlan& p) {
    const auto& an = p.analysis;
    std::vector<std::string> outputs, groups;
    for (std::size_t k : an.outputs) outputs.push_back(an.s.outputs[k].name);
    for (const auto& f : an.factors) {
        if (!f.grouped) continue;
        std::vector<std::string> members;
        for (std::size_t i : f.inputs) members.push_back(an.s.inputs[i].name);
        groups.push_back(f.name + "=" + sens::join(members, ","));
    }
    std::string t = fmt::format("outputs={}\nsummary_samples={}\n", sens::join(outputs, ","), an.summary_samples);
    // Only when some output is transformed, so untransformed shards keep the text they always had.
    std::vector<std::string> transformed;
    for (std::size_t i = 0; i < an.outputs.size(); ++i)
        if (an.transforms[i] != sens::Transform::None)
            transformed.push_back(an.s.outputs[an.outputs[i]].name + "=" + sens::transform_name(an.transforms[i]));
    if (!transformed.empty()) t += "transforms=" + sens::join(transformed, ",") + "\n";
    t += p.method->options_text();
    if (row_of(p).groups) t += "groups=" + sens::join(groups, ";") + "\n";
    return t;
}

SensitivityArgs args_from(const std::string& method, std::uint64_t seed, const std::string& text) {
    SensitivityArgs a;
    a.method = method;
    a.seed = seed;
    const sens::MethodRow* row = sens::find_method(method);
    if (!row) throw std::invalid_argument("a shard's method '" + method + "' is not one this flopcast knows");
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("a shard's sensitivity_options line '" + line + "' has no '='");
        const std::string key = line.substr(0, eq), v = line.substr(eq + 1);
        if (key == "outputs") {
            std::stringstream names(v);
            for (std::string n; std::getline(names, n, ',');) a.outputs.push_back(n);
        } else if (key == "summary_samples") a.summary_samples = std::stoull(v);
        else if (key == "transforms") {
            std::stringstream specs(v);
            for (std::string t; std::getline(specs, t, ',');) a.transforms.push_back(t);
        }
        else if (key == "groups" && row->groups) a.groups = v;
        else if (key != "groups_file" && takes_option(*row, key)) a.options[key] = v;
        else throw std::invalid_argument("a shard's sensitivity_options has an unknown option '" + key + "'");
    }
    return a;
}

run::RunOptions summary_options(const SensitivityPlan& p) {
    run::RunOptions o;
    o.samples = p.analysis.summary_samples;
    o.seed = p.analysis.seed;
    o.threads = p.analysis.threads;
    return o;
}

}  // namespace flopcast::cli
