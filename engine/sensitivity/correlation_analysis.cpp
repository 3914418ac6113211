#include "engine/sensitivity/correlation_analysis.hpp"

#include <chrono>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "engine/run/block_stream.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/run/input_sampler.hpp"
#include "engine/run/runner.hpp"
#include "engine/sensitivity/rank_correlation.hpp"

namespace flopcast::sensitivity {
namespace {

// Keeps the analysed outputs' samples of rows [base, base + rows), [series][row].
class SeriesSink final : public run::SampleSink {
public:
    SeriesSink(const OutputLayout& layout, std::size_t scenario_outputs, std::uint64_t base, std::uint64_t rows)
        : layout_(layout), analysed_(scenario_outputs, -1), base_(base),
          values_(layout.series.size(), std::vector<double>(rows)) {
        for (std::size_t o = 0; o < layout.outputs.size(); ++o) analysed_[layout.outputs[o]] = static_cast<long>(o);
    }
    void write(std::size_t output, std::uint64_t first, std::size_t count, std::size_t width,
               std::span<const double> v) override {
        if (analysed_[output] < 0) return;
        const std::size_t first_series = layout_.first_series[static_cast<std::size_t>(analysed_[output])];
        for (std::size_t t = 0; t < width; ++t) {
            double* dst = values_[first_series + t].data() + (first - base_);
            for (std::size_t i = 0; i < count; ++i) dst[i] = v[i * width + t];
        }
    }
    [[nodiscard]] std::vector<std::vector<double>> take() { return std::move(values_); }

private:
    const OutputLayout& layout_;
    std::vector<long> analysed_;
    std::uint64_t base_;
    std::vector<std::vector<double>> values_;
};

struct ThreadState {
    formula::Workspace workspace;
    run::SamplerScratch scratch;
};

constexpr std::size_t kScalar = static_cast<std::size_t>(-1);  // the context of a scalar output

}  // namespace

std::uint64_t correlation_block_count(const CorrelationOptions& options) { return run::block_count(options.samples); }

CorrelationResult rank_correlations(const scenario::Model& s, const std::vector<Factor>& factors,
                                    const CorrelationOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const CorrelationSamples all = correlation_blocks(s, factors, options, 0, correlation_block_count(options));
    run::RunResult run = run::to_result(s, all.run, options.samples);
    run.threads = thread_count(options.threads);
    run.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CorrelationResult result = correlation_result(s, factors, options, all, std::move(run));
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

CorrelationSamples correlation_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                      const CorrelationOptions& options, std::uint64_t first, std::uint64_t end) {
    if (options.samples == 0) throw std::invalid_argument("--samples must be at least 1; got 0");
    for (const auto& f : factors)
        if (f.inputs.size() != 1 || f.grouped)
            throw FactorError("--groups does not apply to --method correlation: rank correlations are per input (group '" +
                              f.name + "')");
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::uint64_t N = options.samples;
    const std::size_t n = run::kBlockSize;
    end = std::min(end, correlation_block_count(options));
    first = std::min(first, end);
    const std::uint64_t base = std::min(N, first * n), rows = std::min(N, end * n) - base;

    // The ordinary run of these blocks: its state, and every analysed output's samples.
    SeriesSink sink(layout, s.outputs.size(), base, rows);
    run::RunOptions ro;
    ro.samples = N;
    ro.seed = options.seed;
    ro.threads = options.threads;
    ro.keep_all = true;
    ro.progress = options.progress;
    CorrelationSamples out;
    out.first_block = first;
    out.next_block = end;
    out.rows = rows;
    out.series = layout.series.size();
    out.run = run::run_blocks(s, ro, first, end, &sink);
    out.outputs = sink.take();

    // The same inputs, redrawn: block b's draws depend only on (seed, b).
    const run::InputSampler sampler(s, options.seed);
    const std::size_t D = sampler.dimensions();
    out.dimensions = D;
    out.inputs.assign(D, std::vector<double>(rows));
    tbb::enumerable_thread_specific<ThreadState> states(
        [&] { return ThreadState{formula::Workspace(s.program, n), {}}; });
    for_each_block_in(
        first, end, options.threads, 0,
        [&](std::uint64_t b, int&) {
            ThreadState& st = states.local();
            sampler.draw(b, st.workspace, st.scratch);
            const std::size_t used = static_cast<std::size_t>(std::min<std::uint64_t>(n, N - b * n));
            for (std::size_t i = 0; i < s.inputs.size(); ++i) {
                const std::size_t count = s.inputs[i].per_year ? s.years.size() : 1;
                for (std::size_t t = 0; t < count; ++t) {
                    const auto v = st.workspace.values(s.inputs[i].quantity, t);
                    std::copy_n(v.data(), used, out.inputs[sampler.first_dimension(i) + t].data() + (b * n - base));
                }
            }
        },
        [](std::uint64_t, int) {});
    return out;
}

void append_samples(CorrelationSamples& a, const CorrelationSamples& b) {
    if (b.first_block != a.next_block)
        throw run::StateError("sample states do not meet: one ends at block " + std::to_string(a.next_block) +
                              ", the next starts at block " + std::to_string(b.first_block));
    if (a.dimensions != b.dimensions || a.series != b.series)
        throw run::StateError("sample states of different scenarios or outputs cannot be merged");
    for (std::size_t c = 0; c < a.dimensions; ++c) a.inputs[c].insert(a.inputs[c].end(), b.inputs[c].begin(), b.inputs[c].end());
    for (std::size_t c = 0; c < a.series; ++c) a.outputs[c].insert(a.outputs[c].end(), b.outputs[c].begin(), b.outputs[c].end());
    run::append(a.run, b.run);
    a.rows += b.rows;
    a.next_block = b.next_block;
}

void check_samples_fit(const CorrelationSamples& all, std::uint64_t rows, std::size_t series, std::size_t dimensions,
                       const char* what) {
    bool fits = all.rows == rows && all.series == series && all.dimensions == dimensions &&
                all.inputs.size() == all.dimensions && all.outputs.size() == series;
    for (const auto* columns : {&all.inputs, &all.outputs})
        for (const auto& c : *columns) fits = fits && c.size() == rows;
    if (!fits)
        throw std::invalid_argument(std::string("the ") + what +
                                    " samples do not match the run's samples, inputs and outputs");
}

CorrelationResult correlation_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                     const CorrelationOptions& options, const CorrelationSamples& all,
                                     run::RunResult run) {
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::uint64_t N = options.samples;
    const std::size_t S = layout.series.size(), k = factors.size();
    const run::InputSampler sampler(s, options.seed);
    check_samples_fit(all, N, S, sampler.dimensions(), "correlation");
    const auto& x = all.inputs;  // [dimension][sample]
    auto series = [&](std::size_t j) { return std::span<const double>(all.outputs[j]); };
    CorrelationResult result;
    result.run = std::move(run);

    // The rank scores of every input in a context (a year index, or kScalar),
    // over the rows kept (all when `keep` is empty).
    auto scores = [&](std::size_t context, const std::vector<std::size_t>& keep) {
        auto column = [&](std::size_t d) {
            const double* row = x[d].data();
            if (keep.empty()) return ranks(std::span<const double>(row, N));
            std::vector<double> v(keep.size());
            for (std::size_t i = 0; i < keep.size(); ++i) v[i] = row[keep[i]];
            return ranks(v);
        };
        std::vector<std::vector<double>> out;
        for (const auto& f : factors) {
            const auto& in = s.inputs[f.inputs[0]];
            const std::size_t first = sampler.first_dimension(f.inputs[0]);
            if (!in.per_year) {
                out.push_back(column(first));
            } else if (context != kScalar) {
                out.push_back(column(first + context));
            } else {
                std::vector<double> mean = column(first);
                for (std::size_t t = 1; t < s.years.size(); ++t) {
                    const auto r = column(first + t);
                    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += r[i];
                }
                out.push_back(ranks(mean));
            }
        }
        return out;
    };
    struct Context {
        std::vector<std::vector<double>> scores;
        std::vector<double> correlation;  // k x k
    };
    auto make_context = [&](std::size_t context, const std::vector<std::size_t>& keep) {
        Context c{scores(context, keep), std::vector<double>(k * k, 1.0)};
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = a + 1; b < k; ++b)
                c.correlation[a * k + b] = c.correlation[b * k + a] = pearson(c.scores[a], c.scores[b]);
        return c;
    };
    std::map<std::size_t, Context> contexts;  // over all rows, built when first needed

    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> spearman(S * k, nan), prcc(S * k, nan);
    std::vector<std::uint64_t> counted(S, 0);
    for (std::size_t j = 0; j < S; ++j) {
        const auto y = series(j);
        const bool yearly = s.program.shape(layout.series[j].quantity) == formula::Shape::Yearly;
        const std::size_t context = yearly ? layout.series[j].year : kScalar;
        std::vector<std::size_t> keep;  // empty: every row
        if (std::any_of(y.begin(), y.end(), [](double v) { return std::isnan(v); }))
            for (std::size_t i = 0; i < N; ++i)
                if (!std::isnan(y[i])) keep.push_back(i);
        const bool all_rows = keep.size() == 0 && !std::isnan(y[0]);
        if (!all_rows && keep.size() < 2) continue;  // (nearly) every sample NaN: nothing to rank

        Context local;
        const Context* c = nullptr;
        std::vector<double> values;
        if (all_rows) {
            auto it = contexts.find(context);
            if (it == contexts.end()) it = contexts.emplace(context, make_context(context, {})).first;
            c = &it->second;
            values.assign(y.begin(), y.end());
        } else {
            local = make_context(context, keep);
            c = &local;
            for (std::size_t i : keep) values.push_back(y[i]);
        }
        counted[j] = values.size();
        const std::vector<double> ry = ranks(values);
        std::vector<double> m((k + 1) * (k + 1), 1.0);
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = 0; b < k; ++b) m[a * (k + 1) + b] = c->correlation[a * k + b];
        for (std::size_t a = 0; a < k; ++a) {
            const double r = pearson(c->scores[a], ry);
            m[a * (k + 1) + k] = m[k * (k + 1) + a] = r;
            spearman[j * k + a] = r;
        }
        const std::vector<double> partial = partial_correlations(m, k + 1);
        for (std::size_t a = 0; a < k; ++a) prcc[j * k + a] = partial[a];
    }

    result.factors = factors;
    result.options = options;
    result.options.progress = nullptr;
    result.threads = result.run.threads;
    const auto grids = grids_of(s, layout);
    for (std::size_t o = 0; o < grids.size(); ++o) {
        CorrelationOutput out;
        out.grid = grids[o];
        const std::size_t w = grids[o].width;
        out.spearman.resize(k * w);
        out.prcc.resize(k * w);
        out.count.resize(w);
        for (std::size_t t = 0; t < w; ++t) {
            const std::size_t j = layout.first_series[o] + t;
            out.count[t] = counted[j];
            for (std::size_t a = 0; a < k; ++a) {
                out.spearman[a * w + t] = spearman[j * k + a];
                out.prcc[a * w + t] = prcc[j * k + a];
            }
        }
        result.outputs.push_back(std::move(out));
    }
    return result;
}

// ---- its row in the catalogue -------------------------------------------------

namespace {

class Correlation final : public Method {
public:
    explicit Correlation(std::uint64_t samples) : samples_(samples) {}
    const MethodRow& row() const override { return CorrelationMethod::row(); }
    std::string options_text() const override { return fmt::format("samples={}\n", samples_); }
    std::uint64_t summary_samples(std::optional<std::uint64_t>) const override { return samples_; }
    bool keeps_run() const override { return true; }
    std::string start_line(const Analysis& a, const CountText& count) const override {
        return fmt::format("{}: rank correlations of {} inputs over {} samples, seed {}", a.s.name, a.factors.size(),
                           count(samples_), a.seed);
    }
    bool shows_progress() const override { return true; }
    std::uint64_t block_count(const Analysis& a) const override { return correlation_block_count(options(a)); }
    MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                           const std::function<void(std::uint64_t, std::uint64_t)>& progress) const override {
        auto o = options(a);
        o.progress = progress;
        return MethodState(std::in_place_index<0>, correlation_blocks(a.s, a.factors, o, first, end));
    }
    MethodResult result(const Analysis& a, const MethodState& all, const run::RunResult& summary) const override {
        return correlation_result(a.s, a.factors, options(a), held<CorrelationSamples>(all), summary);
    }
    Record record(const Analysis&, const MethodResult& result) const override {
        const auto& r = held<CorrelationResult>(result);
        Record rec{"correlation", r.factors, r.threads, r.seconds, {}, {}};
        rec.attributes = {{"samples", r.options.samples}, {"seed", r.options.seed}};
        for (const auto& out : r.outputs)
            rec.outputs.push_back({out.grid,
                                   {{"spearman", Extent::Grid, out.spearman},
                                    {"prcc", Extent::Grid, out.prcc},
                                    {"count", Extent::PerYear, out.count}},
                                   {}});
        return rec;
    }

private:
    std::uint64_t samples_;
    CorrelationOptions options(const Analysis& a) const {
        CorrelationOptions o;
        o.samples = samples_;
        o.seed = a.seed;
        o.threads = a.threads;
        o.outputs = a.outputs;
        o.transforms = a.transforms;
        return o;
    }
};

std::unique_ptr<Method> build_correlation(const OptionValues& v) {
    const std::uint64_t samples = get_unsigned(v, "samples").value_or(20000);
    if (samples == 0) throw OptionError("--samples must be at least 1; got 0");
    return std::make_unique<Correlation>(samples);
}

}  // namespace

const MethodRow& CorrelationMethod::row() {
    static const MethodRow r{
        .name = "correlation",
        .about = "rank correlation",
        .options = {{"-n,--samples", "samples", OptionKind::Count, "samples ranked (default 20000)"}},
        .rank_based = true,
        .build = build_correlation,
    };
    return r;
}

}  // namespace flopcast::sensitivity
