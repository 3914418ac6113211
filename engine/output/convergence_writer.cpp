#include "engine/output/convergence_writer.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "engine/output/hdf5_writer.hpp"

namespace flopcast::output {
namespace {

// A group name from the target: letters, digits, '_' and '.' kept, the rest
// made '_' (so p99.9:total@2027:0.5% becomes p99.9_total_2027).
std::string group_name(const run::PrecisionTarget& t, const scenario::Scenario& s) {
    std::string raw = fmt::format("{}_{}", t.statistic, s.outputs[t.output].name);
    if (t.year) raw += fmt::format("_{}", *t.year);
    for (char& c : raw)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
    return raw;
}

}  // namespace

void write_convergence(ResultFile& file, const scenario::Scenario& s, std::span<const run::PrecisionTarget> targets,
                       double confidence, std::size_t groups, std::uint64_t max_samples,
                       std::span<const run::PrecisionStatus> history) {
    Writer w(file.handle(), file.temporary_path());
    Handle root(w.group(file.handle(), "convergence"), H5Gclose);
    w.number_attr(root, "confidence", confidence);
    w.number_attr(root, "groups", static_cast<std::uint64_t>(groups));
    w.number_attr(root, "max_samples", max_samples);
    const bool met = !history.empty() && history.back().met;
    w.number_attr(root, "met", static_cast<std::int64_t>(met ? 1 : 0));
    w.string_attr(root, "method",
                  "batch means: the spread of the statistic between independent groups of blocks, "
                  "Student t with groups - 1 degrees of freedom");
    std::vector<std::string> names;
    for (std::size_t k = 0; k < targets.size(); ++k) {
        const auto& t = targets[k];
        std::string name = group_name(t, s);
        // Two targets on one statistic (different tolerances) get distinct groups.
        for (int n = 2; std::find(names.begin(), names.end(), name) != names.end(); ++n)
            name = fmt::format("{}_{}", group_name(t, s), n);
        names.push_back(name);
        Handle g(w.group(root, name), H5Gclose);
        const hsize_t m = history.size();
        std::vector<std::uint64_t> samples;
        std::vector<double> estimate, half_width, allowed;
        for (const auto& h : history) {
            samples.push_back(h.samples);
            estimate.push_back(h.targets.at(k).estimate);
            half_width.push_back(h.targets.at(k).half_width);
            allowed.push_back(h.targets.at(k).allowed);
        }
        w.dataset(g, "samples", {m}, samples.data());
        w.dataset(g, "estimate", {m}, estimate.data());
        w.dataset(g, "half_width", {m}, half_width.data());
        w.dataset(g, "allowed", {m}, allowed.data());
        w.string_attr(g, "target", t.spec);
        w.string_attr(g, "statistic", t.statistic);
        w.string_attr(g, "output", s.outputs[t.output].name);
        w.string_attr(g, "units", s.outputs[t.output].units);
        if (t.year) w.number_attr(g, "year", static_cast<std::int64_t>(*t.year));
        if (t.quantile) w.number_attr(g, "level", t.level);
        w.number_attr(g, "tolerance", t.tolerance);
        w.string_attr(g, "tolerance_kind", t.relative ? "relative" : "absolute");
        w.number_attr(g, "met", static_cast<std::int64_t>(!history.empty() && history.back().targets.at(k).met ? 1 : 0));
    }
}

}  // namespace flopcast::output
