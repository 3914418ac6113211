#include "engine/sensitivity/morris.hpp"

#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/uniform_int_distribution.hpp>
#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "engine/run/block_stream.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/design_map.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/ordered_reduction.hpp"

namespace flopcast::sensitivity {
namespace {

struct ThreadState {
    formula::Workspace workspace;
    std::vector<double> design, values, effects, magnitudes, scratch;
    std::vector<const double*> rows;
};

}  // namespace

void MorrisSums::merge(const MorrisSums& other) {
    if (effect.empty()) {
        *this = other;
        return;
    }
    for (std::size_t i = 0; i < effect.size(); ++i) {
        effect[i].merge(other.effect[i]);
        magnitude[i].merge(other.magnitude[i]);
    }
}

int other_level(int level, int levels) { return level < levels / 2 ? level + levels / 2 : level - levels / 2; }

std::vector<Trajectory> morris_trajectories(std::uint64_t seed, std::uint64_t block, std::size_t count,
                                            std::size_t factors, int levels) {
    dist::Rng rng = run::block_engine(seed, block);
    boost::random::uniform_int_distribution<int> level(0, levels - 1);
    std::vector<Trajectory> out(count);
    for (auto& t : out) {
        t.start.resize(factors);
        for (auto& l : t.start) l = level(rng);
        t.order.resize(factors);
        std::iota(t.order.begin(), t.order.end(), std::size_t{0});
        // Fisher-Yates with Boost's integer distribution: the same order on
        // every platform (std::shuffle's algorithm is not specified).
        for (std::size_t i = factors; i > 1; --i) {
            boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
            std::swap(t.order[i - 1], t.order[pick(rng)]);
        }
        t.step_of.resize(factors);
        for (std::size_t m = 0; m < factors; ++m) t.step_of[t.order[m]] = m;
    }
    return out;
}

std::uint64_t morris_block_count(std::size_t factors, const MorrisOptions& options) {
    const std::size_t per_block = run::kBlockSize / (factors + 1);
    return per_block == 0 ? 0 : (options.trajectories + per_block - 1) / per_block;
}

MorrisResult morris(const scenario::Model& s, const std::vector<Factor>& factors, const MorrisOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const MorrisReduction sums = morris_blocks(s, factors, options, 0, morris_block_count(factors.size(), options));
    MorrisResult result = morris_result(s, factors, options, sums.result());
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

MorrisReduction morris_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                              const MorrisOptions& options, std::uint64_t first, std::uint64_t end) {
    const std::size_t n = run::kBlockSize, k = factors.size();
    if (options.trajectories == 0) throw std::invalid_argument("--trajectories must be at least 1; got 0");
    if (options.levels < 2 || options.levels % 2 != 0)
        throw std::invalid_argument(fmt::format(
            "--levels must be an even number of at least 2 (a step of p/2 levels needs it); got {}", options.levels));
    if (k + 1 > n)
        throw std::invalid_argument(fmt::format("morris: {} factors need {} points a trajectory, more than a block of {}; "
                                                "group inputs with --groups",
                                                k, k + 1, n));
    require_independent_factors(s, factors, "Morris screening");

    const DesignMap map(s);
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t D = map.dimensions(), S = layout.series.size();
    const std::size_t per_block = n / (k + 1);
    const std::uint64_t r = options.trajectories;
    end = std::min(end, morris_block_count(k, options));
    first = std::min(first, end);
    const int p = options.levels;
    const double delta = 0.5;
    std::vector<std::vector<std::size_t>> moved;
    for (const auto& f : factors) moved.push_back(map.dimensions_of(f));

    tbb::enumerable_thread_specific<ThreadState> states([&] {
        return ThreadState{formula::Workspace(s.program, n), std::vector<double>(D * n), std::vector<double>(S * n), {}, {},
                           {}, std::vector<const double*>(D)};
    });
    MorrisSums prototype{std::vector<stats::Moments>(S * k), std::vector<stats::Moments>(S * k)};
    MorrisReduction reduction(first);
    for_each_block_in(
        first, end, options.threads, prototype,
        [&](std::uint64_t b, MorrisSums& sums) {
            ThreadState& st = states.local();
            // Every trajectory of the block is drawn, so trajectory i does not
            // depend on r; only the first r are counted.
            const auto trajectories = morris_trajectories(options.seed, b, per_block, k, p);
            const std::size_t counted =
                static_cast<std::size_t>(std::min<std::uint64_t>(per_block, r - b * per_block));
            std::fill(st.design.begin(), st.design.end(), 0.5);  // fixed inputs and padding: medians
            for (std::size_t tr = 0; tr < per_block; ++tr) {
                std::vector<int> level = trajectories[tr].start;
                for (std::size_t m = 0; m <= k; ++m) {
                    if (m > 0) level[trajectories[tr].order[m - 1]] = other_level(level[trajectories[tr].order[m - 1]], p);
                    const std::size_t i = tr * (k + 1) + m;
                    for (std::size_t f = 0; f < k; ++f) {
                        const double u = (level[f] + 0.5) / p;
                        for (std::size_t d : moved[f]) st.design[d * n + i] = u;
                    }
                }
            }
            map.to_values(st.design, n, DesignMap::Dependence::Ignore, st.scratch);
            for (std::size_t d = 0; d < D; ++d) st.rows[d] = st.design.data() + d * n;
            map.load(st.rows, n, st.workspace);
            s.program.evaluate(st.workspace);
            copy_series(layout, st.workspace, n, st.values);

            for (std::size_t j = 0; j < S; ++j) {
                const double* y = st.values.data() + j * n;
                for (std::size_t f = 0; f < k; ++f) {
                    st.effects.clear();
                    st.magnitudes.clear();
                    for (std::size_t tr = 0; tr < counted; ++tr) {
                        const Trajectory& t = trajectories[tr];
                        const std::size_t m = t.step_of[f];  // point m + 1 differs from point m in f
                        const double before = y[tr * (k + 1) + m], after = y[tr * (k + 1) + m + 1];
                        const bool up = t.start[f] < p / 2;
                        const double ee = (up ? after - before : before - after) / delta;
                        if (!std::isfinite(ee)) continue;
                        st.effects.push_back(ee);
                        st.magnitudes.push_back(std::fabs(ee));
                    }
                    sums.effect[j * k + f] = stats::Moments::of(st.effects);
                    sums.magnitude[j * k + f] = stats::Moments::of(st.magnitudes);
                }
            }
        },
        [&](std::uint64_t, const MorrisSums& sums) { reduction.push(sums); }, options.progress);
    return reduction;
}

MorrisResult morris_result(const scenario::Model& s, const std::vector<Factor>& factors,
                           const MorrisOptions& options, const MorrisSums& total) {
    const OutputLayout layout = layout_of(s, options.outputs, options.transforms);
    const std::size_t k = factors.size();
    if (total.effect.size() != layout.series.size() * k || total.magnitude.size() != total.effect.size())
        throw std::invalid_argument("the Morris statistics do not match the outputs and factors");
    const std::uint64_t r = options.trajectories;
    const double delta = 0.5;
    MorrisResult result;
    result.factors = factors;
    result.options = options;
    result.options.progress = nullptr;
    result.delta = delta;
    result.evaluations = r * (k + 1);
    result.threads = thread_count(options.threads);
    const auto grids = grids_of(s, layout);
    for (std::size_t o = 0; o < grids.size(); ++o) {
        MorrisOutput out;
        out.grid = grids[o];
        const std::size_t w = grids[o].width;
        out.mu.resize(k * w);
        out.mu_star.resize(k * w);
        out.sigma.resize(k * w);
        out.count.resize(k * w);
        for (std::size_t t = 0; t < w; ++t) {
            const std::size_t j = layout.first_series[o] + t;
            for (std::size_t f = 0; f < k; ++f) {
                const stats::Moments& e = total.effect[j * k + f];
                out.mu[f * w + t] = e.mean();
                out.sigma[f * w + t] = e.std_dev();
                out.mu_star[f * w + t] = total.magnitude[j * k + f].mean();
                out.count[f * w + t] = e.count();
            }
        }
        result.outputs.push_back(std::move(out));
    }
    return result;
}

// ---- its row in the catalogue -------------------------------------------------

namespace {

class Morris final : public Method {
public:
    explicit Morris(MorrisOptions o) : o_(std::move(o)) {}
    const MethodRow& row() const override { return MorrisMethod::row(); }
    std::string options_text() const override {
        return fmt::format("trajectories={}\nlevels={}\n", o_.trajectories, o_.levels);
    }
    std::uint64_t summary_samples(std::optional<std::uint64_t> given) const override { return given.value_or(20000); }
    std::string start_line(const Analysis& a, const CountText& count) const override {
        const std::size_t k = a.factors.size();
        return fmt::format("{}: Morris screening of {} factors, r = {} trajectories x (k + 1) = {} model evaluations, seed {}",
                           a.s.name, k, o_.trajectories, count(o_.trajectories * (k + 1)), a.seed);
    }
    std::uint64_t block_count(const Analysis& a) const override { return morris_block_count(a.factors.size(), options(a)); }
    MethodState run_blocks(const Analysis& a, std::uint64_t first, std::uint64_t end,
                           const std::function<void(std::uint64_t, std::uint64_t)>&) const override {
        return morris_blocks(a.s, a.factors, options(a), first, end);
    }
    MethodResult result(const Analysis& a, const MethodState& all, const run::RunResult&) const override {
        return morris_result(a.s, a.factors, options(a), held<MorrisReduction>(all).result());
    }
    Record record(const Analysis&, const MethodResult& result) const override {
        const auto& r = held<MorrisResult>(result);
        Record rec{"morris", r.factors, r.threads, r.seconds, {}, {}};
        rec.attributes = {{"trajectories", r.options.trajectories},
                          {"levels", static_cast<std::int64_t>(r.options.levels)},
                          {"delta", r.delta},
                          {"evaluations", r.evaluations},
                          {"seed", r.options.seed}};
        for (const auto& out : r.outputs)
            rec.outputs.push_back({out.grid,
                                   {{"mu_star", Extent::Grid, out.mu_star},
                                    {"mu", Extent::Grid, out.mu},
                                    {"sigma", Extent::Grid, out.sigma},
                                    {"count", Extent::Grid, out.count}},
                                   {}});
        return rec;
    }

private:
    MorrisOptions o_;  // trajectories, levels
    MorrisOptions options(const Analysis& a) const {
        MorrisOptions o = o_;
        o.seed = a.seed;
        o.threads = a.threads;
        o.outputs = a.outputs;
        o.transforms = a.transforms;
        return o;
    }
};

std::unique_ptr<Method> build_morris(const OptionValues& v) {
    MorrisOptions o;
    o.trajectories = get_unsigned(v, "trajectories").value_or(20);
    const std::int64_t levels = get_integer(v, "levels").value_or(4);
    if (o.trajectories == 0) throw OptionError("--trajectories must be at least 1; got 0");
    if (levels < 2 || levels % 2 != 0 || levels > 1 << 20)
        throw OptionError(fmt::format("--levels must be an even number of at least 2; got {}", levels));
    o.levels = static_cast<int>(levels);
    return std::make_unique<Morris>(std::move(o));
}

}  // namespace

const MethodRow& MorrisMethod::row() {
    static const MethodRow r{
        .name = "morris",
        .about = "Morris screening",
        .options = {{"-r,--trajectories", "trajectories", OptionKind::Unsigned, "trajectories (default 20)"},
                    {"--levels", "levels", OptionKind::Integer, "grid levels p, even (default 4)"},
                    kSummarySamplesOption},
        .groups = true,
        .independence = "Morris screening",
        .build = build_morris,
    };
    return r;
}

}  // namespace flopcast::sensitivity
