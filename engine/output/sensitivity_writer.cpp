#include "engine/output/sensitivity_writer.hpp"

#include <string>
#include <variant>

#include <fmt/format.h>
#include <hdf5.h>

#include "engine/output/hdf5_writer.hpp"

namespace flopcast::output {
namespace {

// /sensitivity/<method>, created with /sensitivity if needed.
hid_t method_group(Writer& w, hid_t file, const std::string& method) {
    const hid_t sens = H5Lexists(file, "sensitivity", H5P_DEFAULT) > 0
                           ? check(H5Gopen2(file, "sensitivity", H5P_DEFAULT), w.path(), "open /sensitivity")
                           : w.group(file, "sensitivity");
    Handle parent(sens, H5Gclose);
    return w.group(parent, method);
}

// The parts every method writes: the group of one output, its factor names
// and the inputs each factor moves.
class OutputWriter {
public:
    OutputWriter(Writer& w, hid_t method, const scenario::Scenario& s, const std::vector<sensitivity::Factor>& factors,
                 const sensitivity::OutputGrid& grid)
        : w_(w), group_(w.group(method, grid.name), H5Gclose), grid_(grid), k_(factors.size()) {
        std::vector<std::string> names, members;
        for (const auto& f : factors) {
            names.push_back(f.name);
            std::vector<std::string> m;
            for (std::size_t i : f.inputs) m.push_back(s.inputs[i].name);
            members.push_back(sensitivity::join(m, ","));
        }
        w.strings(group_, "inputs", names);
        w.strings(group_, "members", members);
        w.string_attr(group_, "shape", grid.yearly ? "yearly" : "scalar");
        w.string_attr(group_, "transform", sensitivity::transform_name(grid.transform));
    }

    // A [factor, year] (or [factor]) grid.
    template <class T>
    void grid(const std::string& name, const std::vector<T>& values) {
        w_.dataset(group_, name, grid_.yearly ? std::vector<hsize_t>{k_, grid_.width} : std::vector<hsize_t>{k_},
                   values.data());
    }
    // A [year] (or scalar) dataset.
    template <class T>
    void per_year(const std::string& name, const std::vector<T>& values) {
        w_.dataset(group_, name, grid_.yearly ? std::vector<hsize_t>{grid_.width} : std::vector<hsize_t>{}, values.data());
    }
    void text(const char* name, const std::string& value) { w_.string_attr(group_, name, value); }
    template <class T>
    void number(const char* name, T value) {
        w_.number_attr(group_, name, value);
    }

    // A float64 attribute, [Y] for a yearly output, else a scalar.
    void per_year_attr(const char* name, const std::vector<double>& values) {
        if (!grid_.yearly) {
            w_.number_attr(group_, name, values.at(0));
            return;
        }
        const hsize_t dim = values.size();
        Handle space(H5Screate_simple(1, &dim, nullptr), H5Sclose);
        Handle attr(check(H5Acreate2(group_, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT), w_.path(),
                          std::string("write attribute ") + name),
                    H5Aclose);
        std::vector<double> copy;
        check(H5Awrite(attr, H5T_NATIVE_DOUBLE, with_one_nan(values, copy).data()), w_.path(),
              std::string("write attribute ") + name, 0);
    }

private:
    Writer& w_;
    Handle group_;
    sensitivity::OutputGrid grid_;
    hsize_t k_;
};

void common_attrs(Writer& w, hid_t g, const scenario::Scenario& s, const std::vector<sensitivity::Factor>& factors,
                  int threads, double seconds) {
    w.string_attr(g, "fixed_inputs", sensitivity::join(sensitivity::fixed_inputs(s, factors), ","));
    w.number_attr(g, "factors", static_cast<std::uint64_t>(factors.size()));
    w.number_attr(g, "threads", static_cast<std::int64_t>(threads));
    w.number_attr(g, "wall_time_seconds", seconds);
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

void write_sensitivity(ResultFile& file, const scenario::Scenario& s, const sensitivity::Record& r) {
    Writer w(file.handle(), file.temporary_path());
    Handle method(method_group(w, file.handle(), r.method), H5Gclose);
    common_attrs(w, method, s, r.factors, r.threads, r.seconds);
    for (const auto& a : r.attributes)
        std::visit(Overloaded{[&](const std::string& v) { w.string_attr(method, a.name.c_str(), v); },
                              [&](const std::vector<double>&) {
                                  throw OutputError(w.path() + ": a per-year attribute " + a.name + " of a method");
                              },
                              [&](const auto& v) { w.number_attr(method, a.name.c_str(), v); }},
                   a.value);
    for (const auto& o : r.outputs) {
        OutputWriter out(w, method, s, r.factors, o.grid);
        for (const auto& d : o.datasets)
            std::visit(
                [&](const auto& values) {
                    if (d.extent == sensitivity::Extent::Grid) out.grid(d.name, values);
                    else out.per_year(d.name, values);
                },
                d.values);
        for (const auto& a : o.attributes)
            std::visit(Overloaded{[&](const std::string& v) { out.text(a.name.c_str(), v); },
                                  [&](const std::vector<double>& v) { out.per_year_attr(a.name.c_str(), v); },
                                  [&](const auto& v) { out.number(a.name.c_str(), v); }},
                       a.value);
    }
}

}  // namespace flopcast::output
