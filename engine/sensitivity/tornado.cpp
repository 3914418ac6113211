#include "engine/sensitivity/tornado.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "engine/run/block_stream.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/block_loop.hpp"
#include "engine/sensitivity/design_map.hpp"

namespace flopcast::sensitivity {
namespace {

struct ThreadState {
    formula::Workspace workspace;
    std::vector<double> design, scratch;
    std::vector<const double*> rows;
};

}  // namespace

std::vector<double> outputs_at_medians(const scenario::Model& s, const OutputLayout& layout) {
    const DesignMap map(s);
    const std::size_t n = run::kBlockSize, dims = map.dimensions();
    formula::Workspace ws(s.program, n);
    std::vector<double> u(dims * n, 0.5), scratch, out(layout.series.size() * n);
    map.to_values(u, n, DesignMap::Dependence::Ignore, scratch);
    std::vector<const double*> rows(dims);
    for (std::size_t d = 0; d < dims; ++d) rows[d] = u.data() + d * n;
    map.load(rows, n, ws);
    s.program.evaluate(ws);
    copy_series(layout, ws, n, out);
    std::vector<double> first(layout.series.size());
    for (std::size_t j = 0; j < first.size(); ++j) first[j] = out[j * n];
    return first;
}

std::uint64_t tornado_block_count(std::size_t factors) { return (2 * factors + 1 + run::kBlockSize - 1) / run::kBlockSize; }

TornadoResult tornado(const scenario::Model& s, const std::vector<Factor>& factors, const TornadoOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    TornadoResult result =
        tornado_result(s, factors, options, tornado_blocks(s, factors, options, 0, tornado_block_count(factors.size())));
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

std::vector<double> tornado_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                   const TornadoOptions& options, std::uint64_t first, std::uint64_t end) {
    if (!(options.low > 0.0 && options.low < 1.0))
        throw std::invalid_argument(fmt::format("--low must be a percentile level strictly between 0 and 1; got {:g}", options.low));
    if (!(options.high > options.low && options.high < 1.0))
        throw std::invalid_argument(fmt::format("--high must be above --low ({:g}) and below 1; got {:g}", options.low, options.high));

    const DesignMap map(s);
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t n = run::kBlockSize, dims = map.dimensions(), k = factors.size(), S = layout.series.size();
    std::vector<std::vector<std::size_t>> moved;
    for (const auto& f : factors) moved.push_back(map.dimensions_of(f));

    // Point 0: every input at its median; point 1 + 2 j: factor j low; 2 + 2 j: high.
    const std::uint64_t points = 2 * k + 1;
    end = std::min(end, tornado_block_count(k));
    first = std::min(first, end);
    std::vector<double> values(S * (end - first) * n);  // [block][series][point in block]

    tbb::enumerable_thread_specific<ThreadState> states(
        [&] { return ThreadState{formula::Workspace(s.program, n), {}, {}, std::vector<const double*>(dims)}; });
    std::vector<double> prototype(S * n);
    for_each_block_in(
        first, end, options.threads, prototype,
        [&](std::uint64_t b, std::vector<double>& slot) {
            ThreadState& st = states.local();
            st.design.assign(dims * n, 0.5);  // padding points stay at the medians
            for (std::size_t i = 0; i < n; ++i) {
                const std::uint64_t p = b * n + i;
                if (p == 0 || p >= points) continue;
                const std::size_t j = static_cast<std::size_t>((p - 1) / 2);
                const double level = (p - 1) % 2 == 0 ? options.low : options.high;
                for (std::size_t d : moved[j]) st.design[d * n + i] = level;
            }
            map.to_values(st.design, n, DesignMap::Dependence::Ignore, st.scratch);
            for (std::size_t d = 0; d < dims; ++d) st.rows[d] = st.design.data() + d * n;
            map.load(st.rows, n, st.workspace);
            s.program.evaluate(st.workspace);
            copy_series(layout, st.workspace, n, slot);
        },
        [&](std::uint64_t b, const std::vector<double>& slot) {
            std::copy_n(slot.data(), S * n, values.data() + (b - first) * S * n);
        });
    return values;
}

TornadoResult tornado_result(const scenario::Model& s, const std::vector<Factor>& factors,
                             const TornadoOptions& options, const std::vector<double>& values) {
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t n = run::kBlockSize, k = factors.size(), S = layout.series.size();
    const std::uint64_t points = 2 * k + 1;
    if (values.size() != S * tornado_block_count(k) * n)
        throw std::invalid_argument("the tornado's values do not match the outputs and factors");
    // Series j at point p.
    auto at = [&](std::size_t j, std::uint64_t p) { return values[(p / n) * S * n + j * n + p % n]; };
    TornadoResult result;
    result.factors = factors;
    result.low = options.low;
    result.high = options.high;
    result.evaluations = points;
    result.threads = thread_count(options.threads);
    const auto grids = grids_of(s, layout);
    for (std::size_t o = 0; o < grids.size(); ++o) {
        TornadoOutput out;
        out.grid = grids[o];
        const std::size_t w = grids[o].width;
        out.baseline.resize(w);
        out.low.resize(k * w);
        out.high.resize(k * w);
        out.swing.resize(k * w);
        for (std::size_t t = 0; t < w; ++t) {
            const std::size_t series = layout.first_series[o] + t;
            out.baseline[t] = at(series, 0);
            for (std::size_t j = 0; j < k; ++j) {
                out.low[j * w + t] = at(series, 1 + 2 * j);
                out.high[j * w + t] = at(series, 2 + 2 * j);
                out.swing[j * w + t] = std::fabs(at(series, 2 + 2 * j) - at(series, 1 + 2 * j));
            }
        }
        result.outputs.push_back(std::move(out));
    }
    return result;
}

// ---- its row in the catalogue -------------------------------------------------

namespace {

class Tornado final : public Method {
public:
    explicit Tornado(TornadoOptions o) : o_(std::move(o)) {}
    const MethodRow& row() const override { return TornadoMethod::row(); }
    std::string options_text() const override {
        return fmt::format("low={}\nhigh={}\n", real_text(o_.low), real_text(o_.high));
    }
    std::uint64_t summary_samples(std::optional<std::uint64_t> given) const override { return given.value_or(20000); }
    std::string start_line(const Analysis& a, const CountText&) const override {
        const std::size_t k = a.factors.size();
        return fmt::format("{}: tornado of {} factors: 2 k + 1 = {} model evaluations", a.s.name, k, 2 * k + 1);
    }
    std::string note(const Analysis& a) const override {
        return a.s.correlation ? "tornado moves one factor at a time and ignores the scenario's [correlation]" : "";
    }
    std::uint64_t block_count(const Analysis& a) const override { return tornado_block_count(a.factors.size()); }
    MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                           const std::function<void(std::uint64_t, std::uint64_t)>&) const override {
        return tornado_blocks(a.s, a.factors, options(a), first, end);
    }
    MethodResult result(const Analysis& a, const MethodState& all, const run::RunResult& summary) const override {
        TornadoResult r = tornado_result(a.s, a.factors, options(a), held<std::vector<double>>(all));
        // The run's median beside the baseline: with skewed inputs or a
        // product, "every input at its median" is not the output's median.
        for (std::size_t o = 0; o < r.outputs.size(); ++o) {
            auto& out = r.outputs[o];
            const auto& series = summary.outputs.at(a.outputs.at(o)).series;
            for (std::size_t t = 0; t < out.grid.width; ++t) {
                const double m = series.at(t).quantile(0.5);
                out.run_median.push_back(out.grid.transform == Transform::Log10
                                             ? (m > 0.0 ? std::log10(m) : std::numeric_limits<double>::quiet_NaN())
                                             : m);
            }
        }
        return r;
    }
    Record record(const Analysis&, const MethodResult& result) const override {
        const auto& r = held<TornadoResult>(result);
        Record rec{"tornado", r.factors, r.threads, r.seconds, {}, {}};
        rec.attributes = {{"low_level", r.low}, {"high_level", r.high}, {"evaluations", r.evaluations}};
        // 0.1 -> "p10": how the plotting scripts' `settings` attribute names levels.
        auto percentile = [](double level) { return fmt::format("p{:g}", level * 100.0); };
        const std::string settings = percentile(r.low) + "/" + percentile(r.high) + ", others at p50";
        for (const auto& o : r.outputs)
            rec.outputs.push_back({o.grid,
                                   {{"low", Extent::Grid, o.low},
                                    {"high", Extent::Grid, o.high},
                                    {"swing", Extent::Grid, o.swing},
                                    {"baseline", Extent::PerYear, o.baseline},
                                    {"run_median", Extent::PerYear, o.run_median}},
                                   {{"baseline", o.baseline}, {"settings", settings}}});
        return rec;
    }

private:
    TornadoOptions o_;  // low, high
    TornadoOptions options(const Analysis& a) const {
        TornadoOptions o = o_;
        o.outputs = a.outputs;
        o.transforms = a.transforms;
        o.threads = a.threads;
        return o;
    }
};

std::unique_ptr<Method> build_tornado(const OptionValues& v) {
    TornadoOptions o;
    o.low = get_real(v, "low").value_or(0.1);
    o.high = get_real(v, "high").value_or(0.9);
    if (!(o.low > 0.0 && o.low < o.high && o.high < 1.0))
        throw OptionError(fmt::format("--low and --high must satisfy 0 < low < high < 1; got --low {:g} --high {:g}", o.low,
                                      o.high));
    return std::make_unique<Tornado>(std::move(o));
}

}  // namespace

const MethodRow& TornadoMethod::row() {
    static const MethodRow r{
        .name = "tornado",
        .about = "tornado",
        .options = {{"--low", "low", OptionKind::Real, "low percentile level (default 0.1)"},
                    {"--high", "high", OptionKind::Real, "high percentile level (default 0.9)"},
                    kSummarySamplesOption},
        .groups = true,
        .build = build_tornado,
    };
    return r;
}

}  // namespace flopcast::sensitivity
