#include "engine/sensitivity/sobol_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "engine/run/block_stream.hpp"
#include "distributions/sampling/uniform_designs.hpp"
#include "engine/sensitivity/bootstrap.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/design_map.hpp"
#include "engine/sensitivity/saltelli.hpp"
#include "engine/sensitivity/tornado.hpp"
#include "engine/sensitivity/trust.hpp"
#include "engine/stats/ordered_reduction.hpp"

namespace flopcast::sensitivity {
namespace {

struct ThreadState {
    formula::Workspace workspace;
    std::vector<double> design;   // A's D rows, then B's, n each
    std::vector<double> weights;  // (1 + R) rows of n
    std::vector<double> fa, fb, fab;  // series rows of n
    std::vector<double> scratch, map_scratch;
    std::vector<const double*> rows;
};

// Memory for the slots of one wave; the merge tree does not depend on the
// wave size, so a smaller wave changes no bit.
constexpr std::size_t kWaveBytes = std::size_t{16} << 20;

}  // namespace

std::uint64_t sobol_evaluations(std::uint64_t rows, std::size_t factors) { return rows * (factors + 2); }

std::uint64_t sobol_block_count(const SobolOptions& options) {
    return (options.rows + run::kBlockSize - 1) / run::kBlockSize;
}

SobolResult sobol_indices(const scenario::Model& s, const std::vector<Factor>& factors, const SobolOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const SaltelliReduction sums = sobol_blocks(s, factors, options, 0, sobol_block_count(options));
    SobolResult result = sobol_result(s, factors, options, sums.result());
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

SaltelliReduction sobol_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                               const SobolOptions& options, std::uint64_t first, std::uint64_t end) {
    if (options.rows == 0) throw std::invalid_argument("--samples (the design's N) must be at least 1; got 0");
    if (!(options.confidence > 0.0 && options.confidence < 1.0))
        throw std::invalid_argument(fmt::format("--confidence must be strictly between 0 and 1; got {:g}", options.confidence));
    require_independent_factors(s, factors, "Sobol analysis");

    const DesignMap map(s);
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t n = run::kBlockSize, D = map.dimensions(), k = factors.size(), S = layout.series.size();
    const std::size_t R = options.bootstrap, weightings = 1 + R;
    if (options.design == UniformDesign::Sobol && 2 * D > sampling::SobolDesign::kMaxDimensions)
        throw std::invalid_argument(fmt::format("--design sobol: the design needs 2 x {} = {} dimensions, more than the {} "
                                                "of the Sobol sequence; use --design mc",
                                                D, 2 * D, sampling::SobolDesign::kMaxDimensions));
    std::vector<std::vector<std::size_t>> moved;
    for (const auto& f : factors) moved.push_back(map.dimensions_of(f));
    const std::vector<double> shift = outputs_at_medians(s, layout);
    std::vector<double> shifts(S);
    for (std::size_t j = 0; j < S; ++j) shifts[j] = std::isfinite(shift[j]) ? shift[j] : 0.0;

    const std::uint64_t N = options.rows;
    end = std::min(end, sobol_block_count(options));
    first = std::min(first, end);
    const int threads = thread_count(options.threads);
    const std::size_t unit = bootstrap_unit(N), units = n / unit;

    tbb::enumerable_thread_specific<ThreadState> states([&] {
        ThreadState st{formula::Workspace(s.program, n), {}, {}, {}, {}, {}, {}, {}, std::vector<const double*>(D)};
        st.design.resize(2 * D * n);
        st.weights.resize(weightings * units);
        st.fa.resize(S * n);
        st.fb.resize(S * n);
        st.fab.resize(S * n);
        return st;
    });
    auto evaluate = [&](ThreadState& st, std::vector<double>& out) {
        map.load(st.rows, n, st.workspace);
        s.program.evaluate(st.workspace);
        copy_series(layout, st.workspace, n, out);
    };

    SaltelliReduction reduction(first);
    const SaltelliSums prototype(weightings, S, k);
    const std::size_t slot_bytes = weightings * S * (5 + 5 * k) * sizeof(double);
    const std::size_t wave = std::min<std::size_t>(
        run::kWaveBlocks, std::max<std::size_t>(kWaveBytes / std::max<std::size_t>(slot_bytes, 1),
                                                static_cast<std::size_t>(threads)));
    for_each_block_in(
        first, end, threads, prototype,
        [&](std::uint64_t b, SaltelliSums& sums) {
            ThreadState& st = states.local();
            // The design's rows of this block: a function of (seed, b) only.
            if (options.design == UniformDesign::MonteCarlo) {
                dist::Rng rng = run::block_engine(options.seed, b);
                for (double& u : st.design) u = unit_from_bits(rng());
            } else {
                sampling::SobolDesign design(2 * D, options.seed, 0);
                design.fill(st.design, b * n, n);
            }
            map.to_values(std::span<double>(st.design).first(D * n), n, DesignMap::Dependence::Keep, st.map_scratch);
            map.to_values(std::span<double>(st.design).subspan(D * n), n, DesignMap::Dependence::Keep, st.map_scratch);

            // Weighting 0 (the point estimate) counts every unit once; rows
            // past N count for nothing (the last block is drawn in full, so
            // row i is the same whatever N).
            const std::size_t used = static_cast<std::size_t>(std::min<std::uint64_t>(n, N - b * n));
            std::fill(st.weights.begin(), st.weights.begin() + static_cast<std::ptrdiff_t>(units), 1.0);
            if (R > 0) poisson_weights(options.seed, b, R, units, std::span<double>(st.weights).subspan(units));

            for (std::size_t d = 0; d < D; ++d) st.rows[d] = st.design.data() + d * n;
            evaluate(st, st.fa);
            for (std::size_t d = 0; d < D; ++d) st.rows[d] = st.design.data() + (D + d) * n;
            evaluate(st, st.fb);
            for (std::size_t j = 0; j < S; ++j)
                sums.set_ab(j, st.fa.data() + j * n, st.fb.data() + j * n, shifts[j], used, unit, st.weights, n, st.scratch);
            for (std::size_t f = 0; f < k; ++f) {
                // A_B^f: A's rows, with factor f's dimensions from B.
                for (std::size_t d = 0; d < D; ++d) st.rows[d] = st.design.data() + d * n;
                for (std::size_t d : moved[f]) st.rows[d] = st.design.data() + (D + d) * n;
                evaluate(st, st.fab);
                for (std::size_t j = 0; j < S; ++j)
                    sums.set_factor(j, f, st.fa.data() + j * n, st.fb.data() + j * n, st.fab.data() + j * n, shifts[j],
                                    used, unit, st.weights, n, st.scratch);
            }
        },
        [&](std::uint64_t, const SaltelliSums& sums) { reduction.push(sums); }, options.progress, wave);
    return reduction;
}

SobolResult sobol_result(const scenario::Model& s, const std::vector<Factor>& factors, const SobolOptions& options,
                         const SaltelliSums& total) {
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t k = factors.size(), R = options.bootstrap;
    if (total.weightings() != 1 + R || total.series() != layout.series.size() || total.factors() != k)
        throw std::invalid_argument("the Sobol sums do not match the design's outputs, factors and replicates");
    const std::uint64_t N = options.rows;
    SobolResult result;
    result.factors = factors;
    result.options = options;
    result.options.progress = nullptr;
    result.evaluations = sobol_evaluations(N, k);
    result.threads = thread_count(options.threads);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const auto grids = grids_of(s, layout);
    std::vector<double> first_r(R), total_r(R);
    for (std::size_t o = 0; o < grids.size(); ++o) {
        SobolOutput out;
        out.grid = grids[o];
        const std::size_t w = grids[o].width;
        for (auto* v : {&out.first, &out.total, &out.first_low, &out.first_high, &out.total_low, &out.total_high})
            v->assign(k * w, nan);
        out.variance.resize(w);
        out.rows.resize(k * w);
        for (std::size_t t = 0; t < w; ++t) {
            const std::size_t j = layout.first_series[o] + t;
            out.variance[t] = total.variance(0, j);
            for (std::size_t f = 0; f < k; ++f) {
                const std::size_t at = f * w + t;
                const SobolIndex point = total.index(0, j, f);
                out.first[at] = point.first;
                out.total[at] = point.total;
                out.rows[at] = static_cast<std::uint64_t>(total.rows(j, f));
                if (R == 0) continue;
                for (std::size_t r = 0; r < R; ++r) {
                    const SobolIndex rep = total.index(1 + r, j, f);
                    first_r[r] = rep.first;
                    total_r[r] = rep.total;
                }
                const Interval fi = percentile_interval(first_r, options.confidence);
                const Interval ti = percentile_interval(total_r, options.confidence);
                out.first_low[at] = fi.low;
                out.first_high[at] = fi.high;
                out.total_low[at] = ti.low;
                out.total_high[at] = ti.high;
            }
        }
        result.outputs.push_back(std::move(out));
    }
    return result;
}

void add_trust_warnings(const scenario::Model& s, const run::RunResult& run, SobolResult& r) {
    const std::size_t k = r.factors.size();
    for (std::size_t o = 0; o < r.outputs.size(); ++o) {
        auto& out = r.outputs[o];
        const std::size_t w = out.grid.width;
        out.warnings.assign(w, "");
        const auto& series = run.outputs.at(r.options.outputs.at(o)).series;
        for (std::size_t t = 0; t < w; ++t) {
            std::vector<std::string> problems;
            for (std::size_t f = 0; f < k; ++f) {
                const std::size_t i = f * w + t;
                if (auto p = untrusted_index(r.factors[f].name, out.total[i], out.total_low[i], out.total_high[i]); !p.empty())
                    problems.push_back(std::move(p));
            }
            if (auto p = heavy_tail(series.at(t), out.grid.transform); !p.empty())
                problems.insert(problems.begin(), "the output is " + p);
            const std::string where = out.grid.yearly ? fmt::format("{}, {}", out.grid.name, s.years.at(t)) : out.grid.name;
            out.warnings[t] = trust_warning(where, out.grid.name, problems, out.grid.transform);
        }
    }
}

// ---- its row in the catalogue -------------------------------------------------

namespace {

// The warnings of every year, one line each ("" when none).
std::string warnings_text(const std::vector<std::string>& warnings) {
    std::string text;
    for (const auto& w : warnings)
        if (!w.empty()) text += (text.empty() ? "" : "\n") + w;
    return text;
}

class Sobol final : public Method {
public:
    explicit Sobol(SobolOptions o) : o_(std::move(o)) {}
    const MethodRow& row() const override { return SobolMethod::row(); }
    std::string options_text() const override {
        return fmt::format("samples={}\nbootstrap={}\nconfidence={}\ndesign={}\n", o_.rows, o_.bootstrap,
                           real_text(o_.confidence), o_.design == UniformDesign::Sobol ? "sobol" : "mc");
    }
    std::uint64_t summary_samples(std::optional<std::uint64_t> given) const override { return given.value_or(o_.rows); }
    std::string start_line(const Analysis& a, const CountText& count) const override {
        const std::size_t k = a.factors.size();
        return fmt::format("{}: Sobol indices of {} factors, N = {} rows: N x (k + 2) = {} model evaluations, "
                           "{} bootstrap replicates, seed {}",
                           a.s.name, k, count(o_.rows), count(sobol_evaluations(o_.rows, k)), o_.bootstrap, a.seed);
    }
    bool shows_progress() const override { return true; }
    std::uint64_t block_count(const Analysis& a) const override { return sobol_block_count(options(a)); }
    MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                           const std::function<void(std::uint64_t, std::uint64_t)>& progress) const override {
        auto o = options(a);
        const std::uint64_t rows = o_.rows, base = first;
        // Blocks to rows of the design.
        if (progress)
            o.progress = [&progress, rows, base](std::uint64_t done, std::uint64_t total) {
                progress(std::min(rows, (base + done) * run::kBlockSize) - std::min(rows, base * run::kBlockSize),
                         std::min(rows, (base + total) * run::kBlockSize) - std::min(rows, base * run::kBlockSize));
            };
        return sobol_blocks(a.s, a.factors, o, first, end);
    }
    MethodResult result(const Analysis& a, const MethodState& all, const run::RunResult& summary) const override {
        SobolResult r = sobol_result(a.s, a.factors, options(a), held<SaltelliReduction>(all).result());
        add_trust_warnings(a.s, summary, r);
        return r;
    }
    Record record(const Analysis&, const MethodResult& result) const override {
        const auto& r = held<SobolResult>(result);
        const auto& o = r.options;
        Record rec{"sobol", r.factors, r.threads, r.seconds, {}, {}};
        rec.attributes = {
            {"rows", o.rows},
            {"evaluations", r.evaluations},
            {"seed", o.seed},
            {"design", std::string(o.design == UniformDesign::Sobol ? "sobol" : "mc")},
            {"bootstrap", static_cast<std::uint64_t>(o.bootstrap)},
            {"confidence", o.confidence},
            {"estimators", std::string("first: Saltelli 2010, cov(f(B), f(A_B^i) - f(A)) / V; total: Jansen 1999, "
                                       "mean((f(A) - f(A_B^i))^2) / (2 V); V: variance of f(A) and f(B)")},
            {"intervals", std::string("Poisson bootstrap over rows, percentile")},
        };
        for (const auto& out : r.outputs)
            rec.outputs.push_back({out.grid,
                                   {{"first", Extent::Grid, out.first},
                                    {"total", Extent::Grid, out.total},
                                    {"first_low", Extent::Grid, out.first_low},
                                    {"first_high", Extent::Grid, out.first_high},
                                    {"total_low", Extent::Grid, out.total_low},
                                    {"total_high", Extent::Grid, out.total_high},
                                    {"rows", Extent::Grid, out.rows},
                                    {"variance", Extent::PerYear, out.variance}},
                                   {{"warnings", warnings_text(out.warnings)}}});
        return rec;
    }

private:
    SobolOptions o_;  // rows, bootstrap, confidence, design
    SobolOptions options(const Analysis& a) const {
        SobolOptions o = o_;
        o.seed = a.seed;
        o.threads = a.threads;
        o.outputs = a.outputs;
        o.transforms = a.transforms;
        return o;
    }
};

std::unique_ptr<Method> build_sobol(const OptionValues& v) {
    SobolOptions o;
    o.rows = get_unsigned(v, "samples").value_or(8192);
    o.bootstrap = get_unsigned(v, "bootstrap").value_or(200);
    o.confidence = get_real(v, "confidence").value_or(0.95);
    const std::string design = get_text(v, "design").value_or("mc");
    if (o.rows == 0) throw OptionError("--samples must be at least 1; got 0");
    if (!(o.confidence > 0.0 && o.confidence < 1.0))
        throw OptionError(fmt::format("--confidence must be strictly between 0 and 1; got {:g}", o.confidence));
    if (design != "mc" && design != "sobol") throw OptionError(fmt::format("--design must be mc or sobol; got '{}'", design));
    o.design = design == "sobol" ? UniformDesign::Sobol : UniformDesign::MonteCarlo;
    return std::make_unique<Sobol>(std::move(o));
}

}  // namespace

const MethodRow& SobolMethod::row() {
    static const MethodRow r{
        .name = "sobol",
        .about = "Sobol indices",
        .options = {{"-n,--samples", "samples", OptionKind::Count, "the design's N rows (default 8192)"},
                    {"--bootstrap", "bootstrap", OptionKind::Unsigned, "bootstrap replicates (default 200; 0: no intervals)"},
                    {"--confidence", "confidence", OptionKind::Real, "level of the bootstrap intervals (default 0.95)"},
                    {"--design", "design", OptionKind::Text, "uniform design of A and B, mc (default) or sobol"},
                    kSummarySamplesOption},
        .groups = true,
        .independence = "Sobol analysis",
        .build = build_sobol,
    };
    return r;
}

}  // namespace flopcast::sensitivity
