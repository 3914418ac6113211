#include "engine/output/sensitivity_writer.hpp"

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

// 0.1 -> "p10": how the plotting scripts' `settings` attribute names levels.
std::string percentile_name(double level) { return fmt::format("p{:g}", level * 100.0); }

}  // namespace

void write_tornado(ResultFile& file, const scenario::Scenario& s, const sensitivity::TornadoResult& r) {
    Writer w(file.handle(), file.temporary_path());
    Handle method(method_group(w, file.handle(), "tornado"), H5Gclose);
    common_attrs(w, method, s, r.factors, r.threads, r.seconds);
    w.number_attr(method, "low_level", r.low);
    w.number_attr(method, "high_level", r.high);
    w.number_attr(method, "evaluations", r.evaluations);
    const std::string settings = percentile_name(r.low) + "/" + percentile_name(r.high) + ", others at p50";
    for (const auto& o : r.outputs) {
        OutputWriter out(w, method, s, r.factors, o.grid);
        out.grid("low", o.low);
        out.grid("high", o.high);
        out.grid("swing", o.swing);
        out.per_year("baseline", o.baseline);
        out.per_year_attr("baseline", o.baseline);
        out.text("settings", settings);
    }
}

void write_sobol(ResultFile& file, const scenario::Scenario& s, const sensitivity::SobolResult& r) {
    Writer w(file.handle(), file.temporary_path());
    Handle method(method_group(w, file.handle(), "sobol"), H5Gclose);
    common_attrs(w, method, s, r.factors, r.threads, r.seconds);
    const auto& o = r.options;
    w.number_attr(method, "rows", o.rows);
    w.number_attr(method, "evaluations", r.evaluations);
    w.number_attr(method, "seed", o.seed);
    w.string_attr(method, "design", o.design == sensitivity::UniformDesign::Sobol ? "sobol" : "mc");
    w.number_attr(method, "bootstrap", static_cast<std::uint64_t>(o.bootstrap));
    w.number_attr(method, "confidence", o.confidence);
    w.string_attr(method, "estimators",
                  "first: Saltelli 2010, cov(f(B), f(A_B^i) - f(A)) / V; total: Jansen 1999, "
                  "mean((f(A) - f(A_B^i))^2) / (2 V); V: variance of f(A) and f(B)");
    w.string_attr(method, "intervals", "Poisson bootstrap over rows, percentile");
    for (const auto& out : r.outputs) {
        OutputWriter g(w, method, s, r.factors, out.grid);
        g.grid("first", out.first);
        g.grid("total", out.total);
        g.grid("first_low", out.first_low);
        g.grid("first_high", out.first_high);
        g.grid("total_low", out.total_low);
        g.grid("total_high", out.total_high);
        g.grid("rows", out.rows);
        g.per_year("variance", out.variance);
    }
}

void write_morris(ResultFile& file, const scenario::Scenario& s, const sensitivity::MorrisResult& r) {
    Writer w(file.handle(), file.temporary_path());
    Handle method(method_group(w, file.handle(), "morris"), H5Gclose);
    common_attrs(w, method, s, r.factors, r.threads, r.seconds);
    w.number_attr(method, "trajectories", r.options.trajectories);
    w.number_attr(method, "levels", static_cast<std::int64_t>(r.options.levels));
    w.number_attr(method, "delta", r.delta);
    w.number_attr(method, "evaluations", r.evaluations);
    w.number_attr(method, "seed", r.options.seed);
    for (const auto& out : r.outputs) {
        OutputWriter g(w, method, s, r.factors, out.grid);
        g.grid("mu_star", out.mu_star);
        g.grid("mu", out.mu);
        g.grid("sigma", out.sigma);
        g.grid("count", out.count);
    }
}

void write_correlation(ResultFile& file, const scenario::Scenario& s, const sensitivity::CorrelationResult& r) {
    Writer w(file.handle(), file.temporary_path());
    Handle method(method_group(w, file.handle(), "correlation"), H5Gclose);
    common_attrs(w, method, s, r.factors, r.threads, r.seconds);
    w.number_attr(method, "samples", r.options.samples);
    w.number_attr(method, "seed", r.options.seed);
    for (const auto& out : r.outputs) {
        OutputWriter g(w, method, s, r.factors, out.grid);
        g.grid("spearman", out.spearman);
        g.grid("prcc", out.prcc);
        g.per_year("count", out.count);
    }
}

}  // namespace flopcast::output
