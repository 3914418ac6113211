// Named axes: dimension scales and the stacked arrays of dimensioned outputs.
#include "engine/output/dimension_scales.hpp"

#include <algorithm>
#include <deque>
#include <cstdint>
#include <vector>

#include <H5DSpublic.h>

#include "engine/output/hdf5_writer.hpp"

namespace flopcast::output {
namespace {

struct Ctx {
    hid_t file;
    const std::string& path;
};

bool exists(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

std::vector<hsize_t> shape_of(const Ctx& c, hid_t set) {
    Handle space(check(H5Dget_space(set), c.path, "get a dataspace"), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    return dims;
}

void attach(const Ctx& c, hid_t set, hid_t scale, unsigned axis, const char* label) {
    check(H5DSattach_scale(set, scale, axis), c.path, std::string("attach the scale ") + label, 0);
    check(H5DSset_label(set, axis, label), c.path, std::string("label an axis ") + label, 0);
}

struct Scales {
    hid_t years = -1, levels = -1;
    std::vector<hid_t> dims;
    std::vector<std::string> dim_names;
};

// The statistics of /summary/<output>/, and their leading axes.
struct Stat {
    const char* name;
    bool integer;
    bool quantiles;
};
constexpr Stat kStats[] = {{"mean", false, false},     {"std", false, false},   {"stderr", false, false},
                           {"min", false, false},      {"max", false, false},   {"count", true, false},
                           {"nonfinite", true, false}, {"nan", true, false},    {"quantiles", false, true}};

std::vector<std::pair<hid_t, const char*>> lead_axes(const Scales& sc, bool yearly, bool quantiles, bool samples) {
    std::vector<std::pair<hid_t, const char*>> l;
    if (samples) l.emplace_back(-1, "sample");
    if (quantiles) l.emplace_back(sc.levels, "quantile_level");
    if (yearly) l.emplace_back(sc.years, "year");
    return l;
}

void attach_lead(const Ctx& c, hid_t set, const std::vector<std::pair<hid_t, const char*>>& lead) {
    for (unsigned i = 0; i < lead.size(); ++i)
        if (lead[i].first >= 0) attach(c, set, lead[i].first, i, lead[i].second);
        else check(H5DSset_label(set, i, lead[i].second), c.path, "label the sample axis", 0);
}

// Reads a whole dataset as doubles or uint64.
template <class T>
std::vector<T> read_all(const Ctx& c, hid_t set, std::size_t n) {
    std::vector<T> v(n);
    check(H5Dread(set, std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL,
                  H5P_DEFAULT, v.data()),
          c.path, "read a summary", 0);
    return v;
}

template <class T>
void stack(const Ctx& c, Writer& w, hid_t group, const std::string& name, const std::vector<hid_t>& parts,
           const std::vector<hsize_t>& part_shape, const std::vector<hsize_t>& dim_sizes) {
    std::size_t n = 1;
    for (hsize_t d : part_shape) n *= d;
    const std::size_t e = parts.size();
    std::vector<T> out(n * e);
    for (std::size_t k = 0; k < e; ++k) {
        const auto v = read_all<T>(c, parts[k], n);
        for (std::size_t i = 0; i < n; ++i) out[i * e + k] = v[i];  // element axes last, row-major
    }
    std::vector<hsize_t> shape = part_shape;
    shape.insert(shape.end(), dim_sizes.begin(), dim_sizes.end());
    w.dataset(group, name, shape, out.data());
}

// netCDF-4 (and so h5netcdf and xarray) sees a dimension scale only in the
// group that holds it and that group's descendants, and reads coordinates
// only from the opened group's own variables; /years and /dimensions/chip
// are neither for /summary/NAME. Soft links in the stacked group, named as
// the scales they point to, make `xarray.open_dataset(file,
// engine="h5netcdf", group="summary/NAME")` give named dimensions with
// their coordinates, while each scale stays one dataset (h5py's visititems
// and scripts/h5same.py do not follow soft links). A dimension named like
// a statistic (`mean`, `count`, ...) gets no link: that name is taken.
void link_scales(const Ctx& c, hid_t group, const std::string& root, bool yearly, const std::vector<int>& dim_ids,
                 const std::vector<formula::Dimension>& dims) {
    std::vector<std::pair<std::string, std::string>> links;  // name, target
    if (yearly) links.emplace_back("years", root + "/years");
    links.emplace_back("quantile_levels", root + "/quantile_levels");
    for (const int d : dim_ids) {
        const std::string& name = dims[static_cast<std::size_t>(d)].name;
        links.emplace_back(name, root + "/dimensions/" + name);
    }
    for (const auto& [name, target] : links) {
        if (exists(group, name)) continue;
        check(H5Lcreate_soft(target.c_str(), group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT), c.path,
              "link the scale " + target, 0);
    }
}

}  // namespace

void write_named_axes(hid_t file, const std::string& path, const scenario::Scenario& s, const std::string& root) {
    const Ctx c{file, path};
    Writer w(file, path);
    Scales sc;
    Handle years(check(H5Dopen2(file, (root + "/years").c_str(), H5P_DEFAULT), path, "open " + root + "/years"),
                 H5Dclose);
    Handle levels(check(H5Dopen2(file, (root + "/quantile_levels").c_str(), H5P_DEFAULT), path,
                        "open " + root + "/quantile_levels"),
                  H5Dclose);
    check(H5DSset_scale(years, "year"), path, "make " + root + "/years a dimension scale", 0);
    check(H5DSset_scale(levels, "quantile_level"), path, "make " + root + "/quantile_levels a dimension scale", 0);
    sc.years = years;
    sc.levels = levels;
    Handle top(check(H5Gopen2(file, root.empty() ? "/" : root.c_str(), H5P_DEFAULT), path, "open " + root), H5Gclose);

    // One scale per dimension: its element names, in order.
    std::deque<Handle> dim_sets;
    const auto& dims = s.program.dimensions();
    if (!dims.empty()) {
        Handle g(w.group(top, "dimensions"), H5Gclose);
        for (const auto& d : dims) {
            Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
            H5Tset_size(type, H5T_VARIABLE);
            H5Tset_cset(type, H5T_CSET_UTF8);
            const hsize_t n = d.elements.size();
            Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
            dim_sets.emplace_back(check(H5Dcreate2(g, d.name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                        path, "create /dimensions/" + d.name),
                                  H5Dclose);
            std::vector<const char*> names;
            for (const auto& e : d.elements) names.push_back(e.c_str());
            check(H5Dwrite(dim_sets.back(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data()), path,
                  "write /dimensions/" + d.name, 0);
            check(H5DSset_scale(dim_sets.back(), d.name.c_str()), path, "make /dimensions/" + d.name + " a scale", 0);
            sc.dims.push_back(dim_sets.back());
        }
    }

    // The axes of every output's datasets, element outputs included.
    Handle summary(check(H5Gopen2(top, "summary", H5P_DEFAULT), path, "open " + root + "/summary"), H5Gclose);
    const bool any_samples = exists(top, "samples");
    for (const auto& o : s.outputs) {
        const bool yearly = s.program.shape(o.quantity) == formula::Shape::Yearly;
        Handle g(check(H5Gopen2(summary, o.name.c_str(), H5P_DEFAULT), path, "open /summary/" + o.name), H5Gclose);
        for (const Stat& st : kStats) {
            if (!yearly && !st.quantiles) continue;  // HDF5 scalars have no axis
            Handle set(check(H5Dopen2(g, st.name, H5P_DEFAULT), path, "open a summary"), H5Dclose);
            attach_lead(c, set, lead_axes(sc, yearly, st.quantiles, false));
        }
        if (yearly && exists(g, "histogram")) {
            Handle set(check(H5Dopen2(g, "histogram/counts", H5P_DEFAULT), path, "open a histogram"), H5Dclose);
            attach(c, set, sc.years, 0, "year");
        }
        if (any_samples) {
            const std::string sp = "samples/" + o.name;
            if (H5Lexists(top, sp.c_str(), H5P_DEFAULT) > 0) {
                Handle set(check(H5Dopen2(top, sp.c_str(), H5P_DEFAULT), path, "open " + root + "/" + sp), H5Dclose);
                attach_lead(c, set, lead_axes(sc, yearly, false, true));
            }
        }
    }

    // Each dimensioned output, stacked: element axes after the others.
    for (const formula::ArrayInfo& a : s.program.arrays()) {
        std::vector<const scenario::OutputSpec*> parts;
        std::size_t first_index = 0;  // of parts.front() in s.outputs
        for (const int q : a.quantities)
            for (std::size_t k = 0; k < s.outputs.size(); ++k)
                if (s.outputs[k].quantity == q) {
                    if (parts.empty()) first_index = k;
                    parts.push_back(&s.outputs[k]);
                }
        if (parts.size() != a.quantities.size() || exists(summary, a.name)) continue;  // not an output
        const auto& first = *parts.front();
        const bool yearly = s.program.shape(first.quantity) == formula::Shape::Yearly;
        std::vector<hsize_t> dim_sizes;
        std::string dim_list;
        for (const int d : a.dims) {
            dim_sizes.push_back(dims[static_cast<std::size_t>(d)].elements.size());
            dim_list += (dim_list.empty() ? "" : ",") + dims[static_cast<std::size_t>(d)].name;
        }
        Handle g(w.group(summary, a.name), H5Gclose);
        w.string_attr(g, "units", first.units);
        w.string_attr(g, "description", first.description);
        w.string_attr(g, "shape", yearly ? "yearly" : "scalar");
        w.string_attr(g, "display", s.display(first_index).percent ? "percent" : "number");
        w.string_attr(g, "dimensions", dim_list);
        for (const Stat& st : kStats) {
            std::deque<Handle> open;
            std::vector<hid_t> ids;
            for (const auto* o : parts) {
                const std::string p = o->name + "/" + st.name;
                open.emplace_back(check(H5Dopen2(summary, p.c_str(), H5P_DEFAULT), path, "open a summary " + p),
                                  H5Dclose);
                ids.push_back(open.back());
            }
            const std::vector<hsize_t> part_shape = shape_of(c, ids.front());
            if (st.integer) stack<std::uint64_t>(c, w, g, st.name, ids, part_shape, dim_sizes);
            else stack<double>(c, w, g, st.name, ids, part_shape, dim_sizes);
            Handle set(check(H5Dopen2(g, st.name, H5P_DEFAULT), path, "open a stacked summary"), H5Dclose);
            const auto lead = lead_axes(sc, yearly, st.quantiles, false);
            attach_lead(c, set, lead);
            for (std::size_t i = 0; i < a.dims.size(); ++i)
                attach(c, set, sc.dims[static_cast<std::size_t>(a.dims[i])], static_cast<unsigned>(lead.size() + i),
                       dims[static_cast<std::size_t>(a.dims[i])].name.c_str());
        }

        link_scales(c, g, root, yearly, a.dims, dims);

        // Kept samples: sample x (year) x dims, copied a block of rows at a time.
        if (!any_samples) continue;
        bool all_kept = true;
        for (const auto* o : parts) all_kept = all_kept && H5Lexists(top, ("samples/" + o->name).c_str(), H5P_DEFAULT) > 0;
        if (!all_kept) continue;
        std::deque<Handle> open;
        for (const auto* o : parts)
            open.emplace_back(check(H5Dopen2(top, ("samples/" + o->name).c_str(), H5P_DEFAULT), path, "open samples"),
                              H5Dclose);
        const std::vector<hsize_t> part_shape = shape_of(c, open.front());
        const hsize_t rows = part_shape[0];
        const hsize_t width = part_shape.size() > 1 ? part_shape[1] : 1;
        const std::size_t e = parts.size();
        std::vector<hsize_t> shape = part_shape;
        shape.insert(shape.end(), dim_sizes.begin(), dim_sizes.end());
        std::vector<hsize_t> chunk = shape;
        chunk[0] = std::min<hsize_t>(std::max<hsize_t>(rows, 1), 4096);
        Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
        Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
        H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 4);
        Handle samples(check(H5Gopen2(top, "samples", H5P_DEFAULT), path, "open the samples"), H5Gclose);
        Handle out(check(H5Dcreate2(samples, a.name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                         path, "create /samples/" + a.name),
                   H5Dclose);
        w.string_attr(out, "units", first.units);
        constexpr hsize_t kRows = 8192;
        std::vector<double> part, block;
        for (hsize_t r0 = 0; r0 < rows; r0 += kRows) {
            const hsize_t nr = std::min(kRows, rows - r0);
            block.assign(nr * width * e, 0.0);
            for (std::size_t k = 0; k < e; ++k) {
                part.resize(nr * width);
                std::vector<hsize_t> start(part_shape.size(), 0), count = part_shape;
                start[0] = r0;
                count[0] = nr;
                Handle fs(H5Dget_space(open[k]), H5Sclose);
                H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
                Handle ms(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
                check(H5Dread(open[k], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, part.data()), path, "read samples", 0);
                for (std::size_t i = 0; i < nr * width; ++i) block[i * e + k] = part[i];
            }
            std::vector<hsize_t> start(shape.size(), 0), count = shape;
            start[0] = r0;
            count[0] = nr;
            Handle fs(H5Dget_space(out), H5Sclose);
            H5Sselect_hyperslab(fs, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
            Handle ms(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
            check(H5Dwrite(out, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, block.data()), path, "write /samples/" + a.name, 0);
        }
        const auto lead = lead_axes(sc, yearly, false, true);
        attach_lead(c, out, lead);
        for (std::size_t i = 0; i < a.dims.size(); ++i)
            attach(c, out, sc.dims[static_cast<std::size_t>(a.dims[i])], static_cast<unsigned>(lead.size() + i),
                   dims[static_cast<std::size_t>(a.dims[i])].name.c_str());
    }
}

}  // namespace flopcast::output
