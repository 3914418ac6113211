#include "engine/sensitivity/delta_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/run/input_sampler.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/rank_correlation.hpp"

namespace flopcast::sensitivity {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The dummy input of row i: a function of (seed, i) only, so the same
// whatever the blocks or shards (splitmix64's finalizer).
double dummy_value(std::uint64_t seed, std::uint64_t row) {
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + row + 0x6A09E667F3BCC909ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11);
}

// The class 0..M-1 of mid-rank r among n: equal-count classes, ties together.
std::size_t class_of(double r, std::size_t n, std::size_t classes) {
    const auto c = static_cast<std::size_t>((r - 0.5) * static_cast<double>(classes) / static_cast<double>(n));
    return std::min(c, classes - 1);
}

}  // namespace

std::size_t delta_classes(std::uint64_t n, std::size_t classes) {
    if (classes > 0) return classes;
    return std::max<std::size_t>(2, static_cast<std::size_t>(std::lround(std::pow(static_cast<double>(n), 0.25))));
}

double delta_from_ranks(const std::vector<double>& rx, const std::vector<double>& ry, std::size_t classes) {
    const std::size_t n = ry.size(), M = classes;
    if (rx.size() != n) throw std::invalid_argument("delta: the input's and the output's ranks differ in length");
    if (n < 2 || M < 2) return kNaN;
    std::vector<double> cells(M * M, 0.0), by_input(M, 0.0), by_output(M, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t m = class_of(rx[i], n, M), b = class_of(ry[i], n, M);
        cells[m * M + b] += 1.0;
        by_input[m] += 1.0;
        by_output[b] += 1.0;
    }
    const double N = static_cast<double>(n);
    if (*std::max_element(by_output.begin(), by_output.end()) == N) return kNaN;  // the output does not vary
    double sum = 0.0;
    for (std::size_t m = 0; m < M; ++m)
        for (std::size_t b = 0; b < M; ++b) {
            const double e = by_input[m] * by_output[b] / N;
            const double v = e * (1.0 - by_input[m] / N) * (1.0 - by_output[b] / N) * N / (N - 1.0);
            const double d = cells[m * M + b] - e;
            sum += std::sqrt(std::max(d * d - v, 0.0));
        }
    return sum / (2.0 * N);
}

DeltaResult delta_result(const scenario::Model& s, const std::vector<Factor>& factors, const DeltaOptions& options,
                         const CorrelationSamples& all) {
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::uint64_t N = options.samples;
    const std::size_t S = layout.series.size(), k = factors.size();
    const run::InputSampler sampler(s, options.seed);
    check_samples_fit(all, N, S, sampler.dimensions(), "delta");
    for (const auto& f : factors)
        if (f.inputs.size() != 1 || f.grouped)
            throw FactorError("--groups does not apply to --method delta: its indices are per input (group '" + f.name + "')");

    DeltaResult result;
    result.factors = factors;
    result.options = options;
    result.threads = thread_count(options.threads);
    const auto grids = grids_of(s, layout);
    for (std::size_t o = 0; o < grids.size(); ++o) {
        DeltaOutput out;
        out.grid = grids[o];
        const std::size_t w = grids[o].width;
        out.delta.assign(k * w, kNaN);
        out.dummy.assign(w, kNaN);
        out.count.assign(w, 0);
        out.classes.assign(w, 0);
        for (std::size_t t = 0; t < w; ++t) {
            const std::size_t j = layout.first_series[o] + t;
            const bool yearly = s.program.shape(layout.series[j].quantity) == formula::Shape::Yearly;
            const auto& y = all.outputs[j];
            std::vector<std::size_t> keep;  // rows where the output is a number
            for (std::size_t i = 0; i < N; ++i)
                if (!std::isnan(y[i])) keep.push_back(i);
            const std::size_t n = keep.size();
            out.count[t] = n;
            if (n < 2) continue;
            const std::size_t M = delta_classes(n, options.classes);
            out.classes[t] = M;
            auto ranks_of = [&](const std::vector<double>& column) {
                std::vector<double> v(n);
                for (std::size_t i = 0; i < n; ++i) v[i] = column[keep[i]];
                return ranks(v);
            };
            const std::vector<double> ry = ranks_of(y);
            std::vector<double> dummy(N);
            for (std::uint64_t i = 0; i < N; ++i) dummy[i] = dummy_value(options.seed, i);
            out.dummy[t] = delta_from_ranks(ranks_of(dummy), ry, M);
            for (std::size_t f = 0; f < k; ++f) {
                const auto& in = s.inputs[factors[f].inputs[0]];
                const std::size_t first = sampler.first_dimension(factors[f].inputs[0]);
                std::vector<double> rx;
                if (!in.per_year) {
                    rx = ranks_of(all.inputs[first]);
                } else if (yearly) {
                    rx = ranks_of(all.inputs[first + layout.series[j].year]);
                } else {
                    // Against a scalar output: the mean of its yearly ranks.
                    rx = ranks_of(all.inputs[first]);
                    for (std::size_t year = 1; year < s.years.size(); ++year) {
                        const auto r = ranks_of(all.inputs[first + year]);
                        for (std::size_t i = 0; i < n; ++i) rx[i] += r[i];
                    }
                    rx = ranks(rx);
                }
                out.delta[f * w + t] = delta_from_ranks(rx, ry, M);
            }
        }
        result.outputs.push_back(std::move(out));
    }
    return result;
}

namespace {

CorrelationOptions samples_options(const DeltaOptions& o) {
    CorrelationOptions c;
    c.samples = o.samples;
    c.seed = o.seed;
    c.threads = o.threads;
    c.outputs = o.outputs;
    c.transforms = o.transforms;
    return c;
}

}  // namespace

DeltaResult delta_indices(const scenario::Model& s, const std::vector<Factor>& factors, const DeltaOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const auto c = samples_options(options);
    DeltaResult r = delta_result(s, factors, options, correlation_blocks(s, factors, c, 0, correlation_block_count(c)));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

// ---- its row in the catalogue -------------------------------------------------

namespace {

class Delta final : public Method {
public:
    explicit Delta(DeltaOptions o) : o_(std::move(o)) {}
    const MethodRow& row() const override { return DeltaMethod::row(); }
    std::string options_text() const override { return fmt::format("samples={}\nclasses={}\n", o_.samples, o_.classes); }
    std::uint64_t summary_samples(std::optional<std::uint64_t>) const override { return o_.samples; }
    bool keeps_run() const override { return true; }
    std::string start_line(const Analysis& a, const CountText& count) const override {
        return fmt::format("{}: Borgonovo's delta of {} inputs over {} samples, seed {}", a.s.name, a.factors.size(),
                           count(o_.samples), a.seed);
    }
    bool shows_progress() const override { return true; }
    std::uint64_t block_count(const Analysis& a) const override { return correlation_block_count(samples_options(options(a))); }
    MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                           const std::function<void(std::uint64_t, std::uint64_t)>& progress) const override {
        auto c = samples_options(options(a));
        c.progress = progress;
        return MethodState(std::in_place_index<kIndex>, correlation_blocks(a.s, a.factors, c, first, end));
    }
    MethodResult result(const Analysis& a, const MethodState& all, const run::RunResult&) const override {
        return delta_result(a.s, a.factors, options(a), held<CorrelationSamples>(all));
    }
    Record record(const Analysis&, const MethodResult& result) const override {
        const auto& r = held<DeltaResult>(result);
        Record rec{"delta", r.factors, r.threads, r.seconds, {}, {}};
        rec.attributes = {{"samples", r.options.samples},
                          {"seed", r.options.seed},
                          {"classes", static_cast<std::uint64_t>(r.options.classes)},
                          {"estimator", std::string("Borgonovo's delta, given data: 1/2 sum over an M x M grid of rank "
                                                    "classes of sqrt(max((O - E)^2 - V, 0)) / n")}};
        for (const auto& out : r.outputs)
            rec.outputs.push_back({out.grid,
                                   {{"delta", Extent::Grid, out.delta},
                                    {"dummy", Extent::PerYear, out.dummy},
                                    {"count", Extent::PerYear, out.count},
                                    {"classes", Extent::PerYear, out.classes}},
                                   {}});
        return rec;
    }

private:
    // Its place in Methods (catalogue.hpp): correlation has the same state type.
    static constexpr std::size_t kIndex = 4;
    static_assert(std::is_same_v<std::variant_alternative_t<kIndex, MethodState>, CorrelationSamples> &&
                  std::is_same_v<std::variant_alternative_t<kIndex, MethodResult>, DeltaResult>);
    DeltaOptions o_;  // samples, classes
    DeltaOptions options(const Analysis& a) const {
        DeltaOptions o = o_;
        o.seed = a.seed;
        o.threads = a.threads;
        o.outputs = a.outputs;
        o.transforms = a.transforms;
        return o;
    }
};

std::unique_ptr<Method> build_delta(const OptionValues& v) {
    DeltaOptions o;
    o.samples = get_unsigned(v, "samples").value_or(20000);
    o.classes = static_cast<std::size_t>(get_unsigned(v, "classes").value_or(0));
    if (o.samples == 0) throw OptionError("--samples must be at least 1; got 0");
    if (o.classes == 1 || o.classes > 1000)
        throw OptionError(fmt::format("--classes must be 0 (automatic) or 2 to 1000; got {}", o.classes));
    return std::make_unique<Delta>(std::move(o));
}

}  // namespace

const MethodRow& DeltaMethod::row() {
    static const MethodRow r{
        .name = "delta",
        .about = "Borgonovo's delta",
        .options = {{"-n,--samples", "samples", OptionKind::Count, "samples of the run analysed (default 20000)"},
                    {"--classes", "classes", OptionKind::Unsigned,
                     "rank classes M of the M x M grid (default 0: n^(1/4), 12 at 20000 samples)"}},
        .rank_based = true,
        .build = build_delta,
    };
    return r;
}

}  // namespace flopcast::sensitivity
