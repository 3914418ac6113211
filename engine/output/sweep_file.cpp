#include "engine/output/sweep_file.hpp"

#include "engine/output/dimension_scales.hpp"
#include "engine/output/hdf5_writer.hpp"

namespace flopcast::output {

std::vector<Headline> headlines(const scenario::Scenario& s, const run::RunResult& r) {
    std::vector<Headline> out;
    for (const auto& o : r.outputs) {
        const auto& last = o.series.back();
        out.push_back({o.yearly ? s.years.back() : 0, last.moments().mean(), last.quantile(0.05), last.quantile(0.5),
                       last.quantile(0.95)});
    }
    return out;
}

void write_variant(ResultFile& file, const std::string& name, const scenario::Scenario& s, const run::RunResult& r,
                   std::uint64_t seed, std::uint64_t samples, const std::vector<std::string>& settings) {
    const hid_t root = static_cast<hid_t>(file.handle());
    Writer w(root, file.temporary_path());
    if (H5Lexists(root, "variants", H5P_DEFAULT) <= 0) Handle created(w.group(root, "variants"), H5Gclose);
    const std::string path = "/variants/" + name;
    {
        Handle g(w.group(root, path), H5Gclose);
        std::string joined, all;
        for (const auto& o : settings) joined += (joined.empty() ? "" : "\n") + o;
        for (const auto& o : s.overrides) all += (all.empty() ? "" : "\n") + o;
        w.string_attr(g, "settings", joined);
        w.string_attr(g, "overrides", all);
        w.number_attr(g, "seed", seed);
        w.number_attr(g, "samples", samples);
        w.string_attr(g, "sampling", s.sampling);
        w.number_attr(g, "wall_time_seconds", r.wall_seconds);
        std::vector<int> years(s.years.begin(), s.years.end());
        w.dataset(g, "years", {years.size()}, years.data());
        // The variant's own axes, so that its summaries' dimension scales
        // live beside them (write_named_axes) as in a run's file.
        const std::vector<double> levels(std::begin(kQuantileLevels), std::end(kQuantileLevels));
        w.dataset(g, "quantile_levels", {levels.size()}, levels.data());
    }
    file.write_inputs(s, path);
    file.write_summary(s, r, path);
    write_named_axes(root, file.temporary_path(), s, path);  // the same named axes as a run's file
}

void write_sweep_table(ResultFile& file, const scenario::Scenario& s, const SweepTable& t) {
    const hid_t root = static_cast<hid_t>(file.handle());
    Writer w(root, file.temporary_path());
    w.string_attr(root, "kind", "sweep");
    Handle sweep(w.group(root, "sweep"), H5Gclose);
    w.strings(sweep, "variant", t.variants);
    w.strings(sweep, "keys", t.keys);
    {
        Handle settings(w.group(sweep, "settings"), H5Gclose);
        for (std::size_t k = 0; k < t.keys.size(); ++k) {
            std::vector<std::string> column;
            for (const auto& row : t.values) column.push_back(row[k]);
            w.strings(settings, t.keys[k], column);
        }
    }
    Handle headline(w.group(sweep, "headline"), H5Gclose);
    const hsize_t v = t.variants.size();
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        Handle g(w.group(headline, s.outputs[k].name), H5Gclose);
        w.string_attr(g, "units", s.outputs[k].units);
        std::vector<int> year;
        std::vector<double> mean, p5, median, p95;
        for (const auto& row : t.headlines) {
            year.push_back(row[k].year);
            mean.push_back(row[k].mean);
            p5.push_back(row[k].p5);
            median.push_back(row[k].median);
            p95.push_back(row[k].p95);
        }
        w.dataset(g, "year", {v}, year.data());
        w.dataset(g, "mean", {v}, mean.data());
        w.dataset(g, "p5", {v}, p5.data());
        w.dataset(g, "median", {v}, median.data());
        w.dataset(g, "p95", {v}, p95.data());
    }
}

}  // namespace flopcast::output
