#include "engine/output/result_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <hdf5.h>

#include "engine/output/dimension_scales.hpp"
#include "engine/output/hdf5_writer.hpp"
#include "engine/output/histogram_axis.hpp"
#include "engine/output/posterior_writer.hpp"
#include "engine/output/summary_datasets.hpp"

#include "engine/formula/program.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/temporary_file.hpp"

namespace flopcast::output {
namespace {

namespace fs = std::filesystem;

const char* axis_name(bool log_axis) { return log_axis ? "log" : "linear"; }

}  // namespace

ResultFile::ResultFile(std::string path) : path_(std::move(path)) {
    // A file whose close failed (a full disk) stays in HDF5's tables, and
    // HDF5's own exit handler then crashes closing it again; flopcast closes
    // its files itself, so the handler is not installed. Must precede any
    // other HDF5 call; later calls fail harmlessly.
    H5dont_atexit();
    // HDF5 prints its own error stack by default; flopcast reports errors itself.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    std::error_code ec;
    if (fs::is_directory(path_, ec)) throw OutputError(path_ + ": is a directory; give a file name, e.g. " + (fs::path(path_) / "results.h5").string());
    const fs::path parent = fs::path(path_).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw OutputError(path_ + ": cannot create the output file: the folder " + parent.string() + " does not exist");
    removed_temporaries_ = run::remove_stale_temporaries(path_);
    tmp_path_ = run::temporary_path_for(path_);
    const hid_t f = H5Fcreate(tmp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        std::remove(tmp_path_.c_str());
        throw OutputError(path_ + ": cannot create the output file (is the folder writable?)");
    }
    file_ = f;
}

ResultFile::~ResultFile() {
    close_all();
    if (!committed_ && !tmp_path_.empty()) std::remove(tmp_path_.c_str());
}

void ResultFile::close_all() noexcept {
    for (auto& id : sample_sets_)
        if (id >= 0) H5Dclose(static_cast<hid_t>(id)), id = -1;
    if (file_ >= 0) H5Fclose(static_cast<hid_t>(file_)), file_ = -1;
}

void ResultFile::prepare_samples(const scenario::Scenario& s, const run::RunOptions& options, std::uint64_t samples) {
    Writer w(file_, tmp_path_);
    sample_sets_.assign(s.outputs.size(), -1);
    bool any = false;
    for (std::size_t k = 0; k < s.outputs.size(); ++k) any = any || run::is_kept(s, options, k);
    if (!any) return;
    Handle group(w.group(file_, "samples"), H5Gclose);
    const auto create = [&](const std::string& name, bool yearly, const std::string& units) {
        std::vector<hsize_t> dims{samples};
        if (yearly) dims.push_back(s.years.size());
        std::vector<hsize_t> chunk{std::min<hsize_t>(samples, 16384)};
        if (yearly) chunk.push_back(s.years.size());
        Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
        Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 4);
        const hid_t set = check(H5Dcreate2(group, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                                tmp_path_, "create /samples/" + name);
        w.string_attr(set, "units", units);
        return static_cast<long long>(set);
    };
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        if (!run::is_kept(s, options, k)) continue;
        const auto& o = s.outputs[k];
        sample_sets_[k] = create(o.name, s.program.shape(o.quantity) == formula::Shape::Yearly, o.units);
    }
    // Each kept world's log-weight under the observations: the stream after
    // the outputs' (see runner.hpp).
    if (!s.observations.empty()) {
        sample_sets_.push_back(create("log_weight", false, "log of the weight (likelihood, largest 1)"));
        Handle set_id(H5Dopen2(group, "log_weight", H5P_DEFAULT), H5Dclose);
        w.string_attr(set_id, "description",
                      "sum over the observations of the log-likelihood of the sample's value, each scaled to a "
                      "largest value of 0; -inf: excluded");
    }
}

void ResultFile::write(std::size_t output, std::uint64_t first_sample, std::size_t count, std::size_t width,
                       std::span<const double> values) {
    const hid_t set = static_cast<hid_t>(sample_sets_.at(output));
    Handle file_space(H5Dget_space(set), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(file_space);
    hsize_t start[2] = {first_sample, 0};
    hsize_t extent[2] = {count, width};
    H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, extent, nullptr);
    Handle mem(H5Screate_simple(rank, extent, nullptr), H5Sclose);
    std::vector<double> copy;
    check(H5Dwrite(set, H5T_NATIVE_DOUBLE, mem, file_space, H5P_DEFAULT, with_one_nan(values, copy).data()), tmp_path_,
          "write kept samples", 0);
}

void ResultFile::write_results(const scenario::Scenario& s, const run::RunResult& r, const RunMetadata& meta) {
    write_description(s, meta, r.wall_seconds);
    write_summary(s, r);
    write_named_axes(static_cast<hid_t>(file_), tmp_path_, s);  // dimension_scales.hpp
    if (r.posterior) write_posterior(*this, s, r);
}

void ResultFile::write_description(const scenario::Scenario& s, const RunMetadata& meta, double wall_seconds) {
    Writer w(file_, tmp_path_);
    const hid_t root = static_cast<hid_t>(file_);
    w.string_attr(root, "flopcast_version", meta.version);
    w.string_attr(root, "git_commit", meta.git_commit);
    w.string_attr(root, "scenario_name", s.name);
    w.string_attr(root, "scenario_title", s.title);
    w.string_attr(root, "scenario_file", s.source_file);
    w.string_attr(root, "scenario_text", s.text);
    std::string overrides;
    for (const auto& o : s.overrides) overrides += (overrides.empty() ? "" : "\n") + o;
    w.string_attr(root, "overrides", overrides);
    w.number_attr(root, "seed", meta.seed);
    w.number_attr(root, "samples", meta.samples);
    w.string_attr(root, "sampling", s.sampling);
    w.number_attr(root, "block_size", static_cast<std::uint64_t>(run::kBlockSize));
    w.number_attr(root, "threads", static_cast<std::int64_t>(meta.threads));
    w.string_attr(root, "start_time", meta.start_time);
    w.number_attr(root, "wall_time_seconds", wall_seconds);

    std::vector<int> years(s.years.begin(), s.years.end());
    w.dataset(root, "years", {years.size()}, years.data());
    const std::vector<double> levels(std::begin(kQuantileLevels), std::end(kQuantileLevels));
    w.dataset(root, "quantile_levels", {levels.size()}, levels.data());

    write_inputs(s, "/");
}

void ResultFile::write_inputs(const scenario::Scenario& s, const std::string& parent) {
    Writer w(file_, tmp_path_);
    Handle at(check(H5Gopen2(static_cast<hid_t>(file_), parent.c_str(), H5P_DEFAULT), tmp_path_, "open group " + parent),
              H5Gclose);
    // /inputs: what was assumed, for the report's inputs table.
    Handle inputs(w.group(at, "inputs"), H5Gclose);
    for (const auto& in : s.inputs) {
        Handle g(w.group(inputs, in.name), H5Gclose);
        std::vector<std::string> described;
        for (const auto& d : in.distributions) described.push_back(d->describe());
        w.string_attr(g, "distribution", std::string(in.distributions.front()->kind()));
        w.strings(g, "described", described);
        w.string_attr(g, "units", in.units);
        w.string_attr(g, "description", in.description);
        w.number_attr(g, "per_year", static_cast<std::int64_t>(in.per_year));
    }
}

void ResultFile::write_summary(const scenario::Scenario& s, const run::RunResult& r) { write_summary(s, r, "/"); }

void ResultFile::write_summary(const scenario::Scenario& s, const run::RunResult& r, const std::string& parent) {
    Writer w(file_, tmp_path_);
    Handle root(check(H5Gopen2(static_cast<hid_t>(file_), parent.c_str(), H5P_DEFAULT), tmp_path_, "open group " + parent),
                H5Gclose);
    const std::vector<double> levels(std::begin(kQuantileLevels), std::end(kQuantileLevels));
    Handle summary(w.group(root, "summary"), H5Gclose);
    const std::size_t q = levels.size();
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
        const auto& spec = s.outputs[k];
        const auto& shown = s.display(k);
        const auto& res = r.outputs[k];
        const std::size_t n = res.series.size();
        Handle g(w.group(summary, spec.name), H5Gclose);
        write_output_attributes(w, g, s, k, res.yearly);
        const auto& series = res.series;
        write_moment_datasets(
            w, g, res.yearly, n,
            [&](std::size_t t) {
                const auto& m = series[t].moments();
                return SeriesSummary{m.mean(), m.std_dev(), m.std_error(), m.min(), m.max(), m.count()};
            },
            [&](std::size_t t, double p) { return series[t].quantile(p); });
        std::vector<std::uint64_t> nan(n), nonfinite(n);
        for (std::size_t t = 0; t < n; ++t) {
            nonfinite[t] = series[t].non_finite().total();
            nan[t] = series[t].non_finite().nan;
        }
        const std::vector<hsize_t> shape = res.yearly ? std::vector<hsize_t>{n} : std::vector<hsize_t>{};
        w.dataset(g, "nonfinite", shape, nonfinite.data());
        w.dataset(g, "nan", shape, nan.data());

        // Histogram from the sketch: one axis for all years, so the years can be
        // compared bin by bin. Log when every value is positive and they span
        // more than two decades, unless the scenario says otherwise.
        const auto [lo, hi, log_axis] = histogram_range(shown, res);
        const int bins = shown.bins;
        std::vector<double> edges;
        std::vector<std::uint64_t> counts;
        for (std::size_t t = 0; t < n; ++t) {
            const auto h = res.series[t].sketch().histogram(lo, hi, bins, log_axis);
            if (t == 0) edges = h.edges;
            counts.insert(counts.end(), h.counts.begin(), h.counts.end());
        }
        // Statistics of each independent group of blocks: their spread is an
        // error bar (the standard error of a statistic is the groups' standard
        // deviation over sqrt(G), nearly: each group has 1/G of the samples).
        if (!res.groups.empty()) {
            const std::size_t groups = res.groups.size();
            Handle gg(w.group(g, "groups"), H5Gclose);
            w.string_attr(gg, "assignment", "block b (samples 2048 b .. 2048 b + 2047) is in group b mod G");
            std::vector<double> gmean(groups * n), gquant(groups * q * n);
            std::vector<std::uint64_t> gcount(groups * n);
            for (std::size_t gi = 0; gi < groups; ++gi)
                for (std::size_t t = 0; t < n; ++t) {
                    const auto& st = res.groups[gi][t];
                    gmean[gi * n + t] = st.mean();
                    gcount[gi * n + t] = st.count();
                    for (std::size_t i = 0; i < q; ++i) gquant[(gi * q + i) * n + t] = st.quantile(levels[i]);
                }
            const hsize_t G = groups;
            w.dataset(gg, "mean", res.yearly ? std::vector<hsize_t>{G, n} : std::vector<hsize_t>{G}, gmean.data());
            w.dataset(gg, "count", res.yearly ? std::vector<hsize_t>{G, n} : std::vector<hsize_t>{G}, gcount.data());
            w.dataset(gg, "quantiles", res.yearly ? std::vector<hsize_t>{G, q, n} : std::vector<hsize_t>{G, q}, gquant.data());
        }

        Handle hg(w.group(g, "histogram"), H5Gclose);
        w.string_attr(hg, "axis", axis_name(log_axis));
        w.dataset(hg, "edges", {edges.size()}, edges.data());
        w.dataset(hg, "counts", res.yearly ? std::vector<hsize_t>{n, static_cast<hsize_t>(bins)}
                                           : std::vector<hsize_t>{static_cast<hsize_t>(bins)},
                  counts.data());
    }
}

void ResultFile::commit() {
    if (H5Fflush(static_cast<hid_t>(file_), H5F_SCOPE_GLOBAL) < 0)
        throw OutputError(path_ + ": cannot flush the output file (disk full?)");
    for (auto& id : sample_sets_)
        if (id >= 0) {
            if (H5Dclose(static_cast<hid_t>(id)) < 0) throw OutputError(path_ + ": cannot close the kept samples (disk full?)");
            id = -1;
        }
    const herr_t rc = H5Fclose(static_cast<hid_t>(file_));
    file_ = -1;
    if (rc < 0) throw OutputError(path_ + ": cannot close the output file (disk full?)");
    std::error_code ec;
    fs::rename(tmp_path_, path_, ec);
    if (ec) throw OutputError(path_ + ": cannot move the finished file into place: " + ec.message());
    committed_ = true;
}

}  // namespace flopcast::output
