// `flopcast sensitivity`: which inputs drive the outputs, year by year.
// Loads the scenario, runs one method of engine/sensitivity/, writes the
// result file (run description, /summary from an ordinary run, and
// /sensitivity/<method>/; docs/sensitivity.md) and prints a ranking.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/utc_time.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/mpi_run.hpp"
#include "engine/cli/sensitivity_merge.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/shard_set.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/sensitivity_writer.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/builtin_scenarios.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/morris.hpp"
#include "engine/sensitivity/sensitivity_state.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/tornado.hpp"

namespace flopcast::cli {
namespace {

namespace sens = flopcast::sensitivity;

constexpr std::uint64_t kDefaultCorrelationSamples = 20000;
constexpr std::uint64_t kDefaultSobolRows = 8192;
constexpr std::uint64_t kDefaultSummarySamples = 20000;

struct SensitivityArgs {
    std::string scenario;  // empty: the built-in default
    std::string method;
    std::string output_file;
    std::vector<std::string> outputs;
    std::optional<int> year;
    std::vector<std::string> sets;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::optional<std::uint64_t> samples;
    std::size_t bootstrap = 200;
    double confidence = 0.95;
    std::string design = "mc";
    double low = 0.1, high = 0.9;
    std::uint64_t trajectories = 20;
    int levels = 4;
    std::string groups, groups_file;
    std::optional<std::uint64_t> summary_samples;
    std::size_t top = 10;
    bool quiet = false;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> shard;  // (i, N)
};

// Options that apply to some methods only: given with another, they are a
// mistake worth saying (the user expects them to do something).
struct MethodOption {
    CLI::Option* option;
    std::vector<std::string> methods;
};

std::string default_output(const std::string& name, const std::string& method) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return (safe.empty() ? "results" : safe) + "-" + method + ".h5";
}

int fail(const std::string& message) {
    std::fprintf(stderr, "flopcast: %s\n", message.c_str());
    return kExitInput;
}

// 0.4567 -> "0.457"; NaN -> "n/a".
std::string index_text(double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string("n/a"); }
std::string signed_text(double v) { return std::isfinite(v) ? fmt::format("{:+.3f}", v) : std::string("n/a"); }
std::string value_text(double v, bool as_percent) {
    if (!std::isfinite(v)) return fmt::format("{}", v);
    return as_percent ? percent(v) : human(v);
}

// The year a ranking is printed for: --year, else the output's reference
// year, else the last year. -1 for a scalar output.
std::size_t year_index(const scenario::Scenario& s, const sens::OutputGrid& grid, std::optional<int> year) {
    if (!grid.yearly) return 0;
    int y = s.years.back();
    for (const auto& o : s.outputs)
        if (o.name == grid.name && o.reference && o.reference->year) y = *o.reference->year;
    if (year) y = *year;
    return static_cast<std::size_t>(y - s.years.front());
}

std::string heading(const scenario::Scenario& s, const sens::OutputGrid& grid, std::size_t t) {
    return grid.yearly ? fmt::format("{}, {}", grid.name, s.years[t]) : grid.name;
}

// Factors in decreasing order of key (NaN last), at most `top` (0: all).
std::vector<std::size_t> ranked(std::size_t k, std::size_t top, const std::function<double(std::size_t)>& key) {
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double ka = key(a), kb = key(b);
        if (std::isnan(kb)) return !std::isnan(ka);
        return ka > kb;
    });
    if (top > 0 && order.size() > top) order.resize(top);
    return order;
}

std::size_t name_width(const std::vector<sens::Factor>& factors) {
    std::size_t w = 6;
    for (const auto& f : factors) w = std::max(w, f.name.size());
    return w;
}

bool shown_as_percent(const scenario::Scenario& s, const std::string& output) {
    for (const auto& o : s.outputs)
        if (o.name == output) return o.percent;
    return false;
}

std::string print_sobol(const scenario::Scenario& s, const sens::SobolResult& r, const SensitivityArgs& a) {
    std::string out = fmt::format("{}: Sobol indices, N = {} rows, {} model evaluations, {} bootstrap replicates\n",
                                  s.name, grouped(r.options.rows), grouped(r.evaluations), r.options.bootstrap);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    const int pct = static_cast<int>(std::lround(r.options.confidence * 100));
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.total[f * W + t]; });
        const std::size_t best = order.front();
        out += fmt::format("\n{}: total Sobol index of {} {} [{}, {}] ({} % interval)\n", heading(s, o.grid, t),
                           r.factors[best].name, index_text(o.total[best * W + t]),
                           index_text(o.total_low[best * W + t]), index_text(o.total_high[best * W + t]), pct);
        if (!(o.variance[t] > 0.0)) {
            out += "  the output does not vary: no index\n";
            continue;
        }
        out += fmt::format("  {:<{}}  {:>22}  {:>22}\n", "factor", w, "total S_T", "first order S_1");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>6} [{:>6}, {:>6}]  {:>6} [{:>6}, {:>6}]\n", r.factors[f].name, w,
                               index_text(o.total[i]), index_text(o.total_low[i]), index_text(o.total_high[i]),
                               index_text(o.first[i]), index_text(o.first_low[i]), index_text(o.first_high[i]));
        }
    }
    return out;
}

std::string print_tornado(const scenario::Scenario& s, const sens::TornadoResult& r, const SensitivityArgs& a) {
    std::string out = fmt::format("{}: one at a time, each factor at p{:g} and p{:g}, the others at their medians\n",
                                  s.name, r.low * 100, r.high * 100);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const bool pc = shown_as_percent(s, o.grid.name);
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.swing[f * W + t]; });
        out += fmt::format("\n{}: baseline (all at medians) {}; widest swing {}\n", heading(s, o.grid, t),
                           value_text(o.baseline[t], pc), r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", "factor", w, fmt::format("p{:g}", r.low * 100),
                           fmt::format("p{:g}", r.high * 100), "swing");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", r.factors[f].name, w, value_text(o.low[i], pc),
                               value_text(o.high[i], pc), value_text(o.swing[i], pc));
        }
    }
    return out;
}

std::string print_morris(const scenario::Scenario& s, const sens::MorrisResult& r, const SensitivityArgs& a) {
    std::string out = fmt::format("{}: Morris elementary effects, r = {} trajectories, p = {} levels, {} model evaluations\n",
                                  s.name, r.options.trajectories, r.options.levels, grouped(r.evaluations));
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return o.mu_star[f * W + t]; });
        out += fmt::format("\n{}: largest mu* {}\n", heading(s, o.grid, t), r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", "factor", w, "mu*", "mu", "sigma");
        for (std::size_t f : order) {
            const std::size_t i = f * W + t;
            out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>10}\n", r.factors[f].name, w, human(o.mu_star[i]),
                               human(o.mu[i]), human(o.sigma[i]));
        }
    }
    return out;
}

std::string print_correlation(const scenario::Scenario& s, const sens::CorrelationResult& r, const SensitivityArgs& a) {
    std::string out = fmt::format("{}: rank correlations over {} samples (seed {})\n", s.name,
                                  grouped(r.options.samples), r.options.seed);
    const std::size_t w = name_width(r.factors), k = r.factors.size();
    for (const auto& o : r.outputs) {
        const std::size_t t = year_index(s, o.grid, a.year), W = o.grid.width;
        const auto order = ranked(k, a.top, [&](std::size_t f) { return std::fabs(o.spearman[f * W + t]); });
        out += fmt::format("\n{}: largest |Spearman| {}\n", heading(s, o.grid, t), r.factors[order.front()].name);
        out += fmt::format("  {:<{}}  {:>9}  {:>9}\n", "input", w, "Spearman", "PRCC");
        for (std::size_t f : order)
            out += fmt::format("  {:<{}}  {:>9}  {:>9}\n", r.factors[f].name, w, signed_text(o.spearman[f * W + t]),
                               signed_text(o.prcc[f * W + t]));
        if (o.count[t] < r.options.samples)
            out += fmt::format("  ({} samples were NaN and left out)\n", grouped(r.options.samples - o.count[t]));
    }
    return out;
}

// What the command will do, once its arguments are checked: shared by one
// process, a shard, the ranks of an MPI job and `flopcast merge`.
struct Plan {
    scenario::Scenario s;
    std::vector<std::size_t> outputs;
    std::vector<sens::Factor> factors;
    std::uint64_t seed = 0, samples = 0, summary_samples = 0;
};

// Checks the arguments against the scenario; returns the message of the
// first mistake, or "" with `p` filled.
std::string make_plan(const SensitivityArgs& a, scenario::Scenario s, Plan& p) {
    std::vector<std::string> names;
    for (const auto& o : s.outputs) names.push_back(o.name);
    for (const auto& name : a.outputs) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) return fmt::format("--output: no output '{}' in {} (outputs: {})", name, s.source_file, sens::join(names));
        const auto k = static_cast<std::size_t>(it - names.begin());
        if (std::find(p.outputs.begin(), p.outputs.end(), k) == p.outputs.end()) p.outputs.push_back(k);
    }
    if (p.outputs.empty()) {
        p.outputs.resize(s.outputs.size());
        std::iota(p.outputs.begin(), p.outputs.end(), std::size_t{0});
    }
    if (a.year && (*a.year < s.years.front() || *a.year > s.years.back()))
        return fmt::format("--year {} is not a year of the scenario ({}-{})", *a.year, s.years.front(), s.years.back());

    try {
        std::vector<sens::GroupSpec> groups;
        if (!a.groups.empty()) groups = sens::parse_groups(a.groups);
        if (!a.groups_file.empty()) {
            const auto more = sens::load_groups_file(a.groups_file);
            groups.insert(groups.end(), more.begin(), more.end());
        }
        if (a.method == "correlation" && !groups.empty())
            return "--groups applies to tornado, sobol and morris; --method correlation ranks each input on its own";
        p.factors = sens::make_factors(s, groups);
        if (a.method == "sobol") sens::require_independent_factors(s, p.factors, "Sobol analysis");
        if (a.method == "morris") sens::require_independent_factors(s, p.factors, "Morris screening");
    } catch (const sens::FactorError& e) {
        return e.what();
    }

    p.seed = a.seed.value_or(s.seed);
    p.samples = a.samples.value_or(a.method == "correlation" ? kDefaultCorrelationSamples : kDefaultSobolRows);
    if ((a.method == "correlation" || a.method == "sobol") && p.samples == 0) return "--samples must be at least 1; got 0";
    if (a.method == "sobol" && !(a.confidence > 0.0 && a.confidence < 1.0))
        return fmt::format("--confidence must be strictly between 0 and 1; got {:g}", a.confidence);
    if (a.method == "sobol" && a.design != "mc" && a.design != "sobol")
        return fmt::format("--design must be mc or sobol; got '{}'", a.design);
    if (a.method == "tornado" && !(a.low > 0.0 && a.low < a.high && a.high < 1.0))
        return fmt::format("--low and --high must satisfy 0 < low < high < 1; got --low {:g} --high {:g}", a.low, a.high);
    if (a.method == "morris" && a.trajectories == 0) return "--trajectories must be at least 1; got 0";
    if (a.method == "morris" && (a.levels < 2 || a.levels % 2 != 0))
        return fmt::format("--levels must be an even number of at least 2; got {}", a.levels);
    p.summary_samples = a.method == "correlation"
                            ? p.samples
                            : a.summary_samples.value_or(a.method == "sobol" ? p.samples : kDefaultSummarySamples);
    if (p.summary_samples == 0) return "--summary-samples must be at least 1; got 0";
    p.s = std::move(s);
    return "";
}

// The options that change a result, one `key=value` line each, with numbers
// exact (%a for doubles): shards must agree on them, and `flopcast merge`
// rebuilds the analysis from them.
std::string options_text(const SensitivityArgs& a, const Plan& p) {
    std::vector<std::string> outputs, groups;
    for (std::size_t k : p.outputs) outputs.push_back(p.s.outputs[k].name);
    for (const auto& f : p.factors) {
        if (!f.grouped) continue;
        std::vector<std::string> members;
        for (std::size_t i : f.inputs) members.push_back(p.s.inputs[i].name);
        groups.push_back(f.name + "=" + sens::join(members, ","));
    }
    std::string t = fmt::format("outputs={}\nsummary_samples={}\n", sens::join(outputs, ","), p.summary_samples);
    if (a.method == "correlation" || a.method == "sobol") t += fmt::format("samples={}\n", p.samples);
    if (a.method == "sobol")
        t += fmt::format("bootstrap={}\nconfidence={:a}\ndesign={}\n", a.bootstrap, a.confidence, a.design);
    if (a.method == "tornado") t += fmt::format("low={:a}\nhigh={:a}\n", a.low, a.high);
    if (a.method == "morris") t += fmt::format("trajectories={}\nlevels={}\n", a.trajectories, a.levels);
    if (a.method != "correlation") t += "groups=" + sens::join(groups, ";") + "\n";
    return t;
}

// The arguments `options_text` describes; throws std::invalid_argument.
SensitivityArgs args_from(const std::string& method, std::uint64_t seed, const std::string& text) {
    SensitivityArgs a;
    a.method = method;
    a.seed = seed;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("a shard's sensitivity_options line '" + line + "' has no '='");
        const std::string key = line.substr(0, eq), v = line.substr(eq + 1);
        if (key == "outputs") {
            std::stringstream names(v);
            for (std::string n; std::getline(names, n, ',');) a.outputs.push_back(n);
        } else if (key == "summary_samples") a.summary_samples = std::stoull(v);
        else if (key == "samples") a.samples = std::stoull(v);
        else if (key == "bootstrap") a.bootstrap = std::stoull(v);
        else if (key == "confidence") a.confidence = std::strtod(v.c_str(), nullptr);
        else if (key == "design") a.design = v;
        else if (key == "low") a.low = std::strtod(v.c_str(), nullptr);
        else if (key == "high") a.high = std::strtod(v.c_str(), nullptr);
        else if (key == "trajectories") a.trajectories = std::stoull(v);
        else if (key == "levels") a.levels = std::stoi(v);
        else if (key == "groups") a.groups = v;
        else throw std::invalid_argument("a shard's sensitivity_options has an unknown option '" + key + "'");
    }
    return a;
}

sens::SobolOptions sobol_options(const SensitivityArgs& a, const Plan& p) {
    sens::SobolOptions o;
    o.rows = p.samples;
    o.seed = p.seed;
    o.threads = a.threads;
    o.bootstrap = a.bootstrap;
    o.confidence = a.confidence;
    o.design = a.design == "sobol" ? sens::UniformDesign::Sobol : sens::UniformDesign::MonteCarlo;
    o.outputs = p.outputs;
    return o;
}

sens::MorrisOptions morris_options(const SensitivityArgs& a, const Plan& p) {
    sens::MorrisOptions o;
    o.trajectories = a.trajectories;
    o.levels = a.levels;
    o.seed = p.seed;
    o.threads = a.threads;
    o.outputs = p.outputs;
    return o;
}

sens::TornadoOptions tornado_options(const SensitivityArgs& a, const Plan& p) {
    sens::TornadoOptions o;
    o.low = a.low;
    o.high = a.high;
    o.outputs = p.outputs;
    o.threads = a.threads;
    return o;
}

sens::CorrelationOptions correlation_options(const SensitivityArgs& a, const Plan& p) {
    sens::CorrelationOptions o;
    o.samples = p.samples;
    o.seed = p.seed;
    o.threads = a.threads;
    o.outputs = p.outputs;
    return o;
}

run::RunOptions summary_options(const SensitivityArgs& a, const Plan& p) {
    run::RunOptions o;
    o.samples = p.summary_samples;
    o.seed = p.seed;
    o.threads = a.threads;
    return o;
}

// Blocks of the design (rows, trajectories, points or samples of 2048).
std::uint64_t design_blocks(const SensitivityArgs& a, const Plan& p) {
    if (a.method == "sobol") return sens::sobol_block_count(sobol_options(a, p));
    if (a.method == "morris") return sens::morris_block_count(p.factors.size(), morris_options(a, p));
    if (a.method == "tornado") return sens::tornado_block_count(p.factors.size());
    return sens::correlation_block_count(correlation_options(a, p));
}

// Share i of N of `blocks` blocks: [B i / N, B (i + 1) / N), as run shards.
std::pair<std::uint64_t, std::uint64_t> share(std::uint64_t blocks, std::uint64_t index, std::uint64_t count) {
    return {blocks * index / count, blocks * (index + 1) / count};
}

// The state of share i of N of the design and of the summary run; the whole
// analysis for 0 of 1. `progress` gets the design's rows (or samples) done.
sens::SensitivityState compute_share(const SensitivityArgs& a, const Plan& p, std::uint64_t index, std::uint64_t count,
                                     const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    sens::SensitivityState st;
    st.method = a.method;
    std::tie(st.first_block, st.next_block) = share(design_blocks(a, p), index, count);
    const std::uint64_t first = st.first_block, end = st.next_block;
    if (a.method == "correlation") {
        auto o = correlation_options(a, p);
        o.progress = progress;
        st.samples = sens::correlation_blocks(p.s, p.factors, o, first, end);
        return st;
    }
    if (a.method == "sobol") {
        auto o = sobol_options(a, p);
        const std::uint64_t rows = p.samples, base = first;
        if (progress)
            o.progress = [&, rows, base](std::uint64_t done, std::uint64_t total) {
                progress(std::min(rows, (base + done) * run::kBlockSize) - std::min(rows, base * run::kBlockSize),
                         std::min(rows, (base + total) * run::kBlockSize) - std::min(rows, base * run::kBlockSize));
            };
        st.saltelli = sens::sobol_blocks(p.s, p.factors, o, first, end);
    } else if (a.method == "morris") {
        st.morris = sens::morris_blocks(p.s, p.factors, morris_options(a, p), first, end);
    } else {
        st.tornado = sens::tornado_blocks(p.s, p.factors, tornado_options(a, p), first, end);
    }
    const auto [sfirst, send] = share(run::block_count(p.summary_samples), index, count);
    st.summary = run::run_blocks(p.s, summary_options(a, p), sfirst, send);
    return st;
}

// Writes the result file from the state of every block and prints the
// ranking: the end of one process, of rank 0 of an MPI job, and of a merge.
int finish(const SensitivityArgs& a, const Plan& p, const sens::SensitivityState& total, output::ResultFile& file,
           const std::string& path, const std::string& start_time, std::chrono::steady_clock::time_point started,
           int threads, const std::string& how) {
    const scenario::Scenario& s = p.s;
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    if (total.first_block != 0 || total.next_block != design_blocks(a, p))
        throw run::StateError(fmt::format("the states cover design blocks {} to {}, not the analysis' 0 to {}",
                                          total.first_block, total.next_block, design_blocks(a, p)));
    const run::RunState& summary_state = a.method == "correlation" ? total.samples.run : total.summary;
    const std::uint64_t summary_blocks = run::block_count(p.summary_samples);
    if (summary_state.first_block != 0 || summary_state.next_block != summary_blocks)
        throw run::StateError(fmt::format("the states cover summary blocks {} to {}, not the run's 0 to {}",
                                          summary_state.first_block, summary_state.next_block, summary_blocks));
    run::RunResult summary = run::to_result(s, summary_state, p.summary_samples);
    summary.threads = threads;
    summary.wall_seconds = elapsed();
    auto write_head = [&](const run::RunResult& r) {
        output::RunMetadata meta{kVersion, kGitCommit, start_time, p.seed, p.summary_samples, threads};
        file.write_description(s, meta, elapsed());
        file.write_summary(s, r);
    };
    std::string ranking;
    if (a.method == "sobol") {
        auto r = sens::sobol_result(s, p.factors, sobol_options(a, p), total.saltelli.result());
        r.threads = threads;
        r.seconds = elapsed();
        write_head(summary);
        output::write_sobol(file, s, r);
        ranking = print_sobol(s, r, a);
    } else if (a.method == "morris") {
        auto r = sens::morris_result(s, p.factors, morris_options(a, p), total.morris.result());
        r.threads = threads;
        r.seconds = elapsed();
        write_head(summary);
        output::write_morris(file, s, r);
        ranking = print_morris(s, r, a);
    } else if (a.method == "tornado") {
        auto r = sens::tornado_result(s, p.factors, tornado_options(a, p), total.tornado);
        r.threads = threads;
        r.seconds = elapsed();
        write_head(summary);
        output::write_tornado(file, s, r);
        ranking = print_tornado(s, r, a);
    } else {
        auto r = sens::correlation_result(s, p.factors, correlation_options(a, p), total.samples, summary);
        r.threads = threads;
        r.seconds = elapsed();
        write_head(r.run);
        output::write_correlation(file, s, r);
        ranking = print_correlation(s, r, a);
    }
    file.commit();
    if (!a.quiet || how.empty())
        std::printf("%s", fmt::format("{}\n{}, {:.2f} s; results in {}\n", ranking,
                                      how.empty() ? fmt::format("{} thread(s)", threads) : how, elapsed(), path)
                              .c_str());
    for (const auto& o : s.overrides) std::printf("  with --set %s\n", o.c_str());
    return kExitOk;
}

// The line said before a method starts: its cost.
std::string start_line(const SensitivityArgs& a, const Plan& p) {
    const std::size_t k = p.factors.size();
    const auto& name = p.s.name;
    if (a.method == "sobol")
        return fmt::format("{}: Sobol indices of {} factors, N = {} rows: N x (k + 2) = {} model evaluations, "
                           "{} bootstrap replicates, seed {}",
                           name, k, grouped(p.samples), grouped(sens::sobol_evaluations(p.samples, k)), a.bootstrap, p.seed);
    if (a.method == "morris")
        return fmt::format("{}: Morris screening of {} factors, r = {} trajectories x (k + 1) = {} model evaluations, seed {}",
                           name, k, a.trajectories, grouped(a.trajectories * (k + 1)), p.seed);
    if (a.method == "tornado") return fmt::format("{}: tornado of {} factors: 2 k + 1 = {} model evaluations", name, k, 2 * k + 1);
    return fmt::format("{}: rank correlations of {} inputs over {} samples, seed {}", name, k, grouped(p.samples), p.seed);
}

// Errors a method finds only when it starts (too many dimensions for the
// Sobol sequence, say) are input errors.
int method_error(const std::exception& e) {
    std::fprintf(stderr, "flopcast: %s\n", e.what());
    return kExitInput;
}

int sensitivity_mpi(const SensitivityArgs& a, const Plan& p, const std::string& path, const std::string& start_time,
                    std::chrono::steady_clock::time_point started) {
    const int rank = mpi_rank(), ranks = mpi_ranks();
    const bool root = rank == 0;
    std::string error;
    if (a.shard) error = "--shard and mpirun do the same thing; use one of them";
    std::optional<output::ResultFile> file;
    if (root && error.empty()) {
        try {
            file.emplace(path);
        } catch (const output::OutputError& e) {
            error = e.what();
        }
    }
    if (!mpi_all_ok(error.empty())) {
        if (root) std::fprintf(stderr, "flopcast: %s\n", error.c_str());
        return kExitInput;
    }
    if (root && !a.quiet) std::fprintf(stderr, "flopcast: %s, %d MPI ranks\n", start_line(a, p).c_str(), ranks);
    std::vector<std::uint8_t> mine;
    try {
        // Tests make one rank fail on purpose, to prove the job then stops
        // instead of hanging in the gather below.
        if (const char* fail = std::getenv("FLOPCAST_MPI_FAIL_RANK"); fail && std::atoi(fail) == rank)
            throw std::runtime_error("failure injected by FLOPCAST_MPI_FAIL_RANK");
        mine = sens::serialize(compute_share(a, p, static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(ranks), {}));
    } catch (const std::invalid_argument& e) {
        mpi_abort(e.what(), kExitInput);
    } catch (const sens::FactorError& e) {
        mpi_abort(e.what(), kExitInput);
    } catch (const std::exception& e) {
        mpi_abort(e.what(), kExitInternal);
    }
    // Gathered to rank 0 in rank order, appended in that order: the merge
    // order is fixed.
    const auto parts = mpi_gather(mine);
    if (!root) return kExitOk;
    try {
        sens::SensitivityState total = sens::deserialize_sensitivity(parts[0]);
        for (std::size_t r = 1; r < parts.size(); ++r) sens::append(total, sens::deserialize_sensitivity(parts[r]));
        const int threads = sens::thread_count(a.threads) * ranks;
        return finish(a, p, total, *file, path, start_time, started, threads,
                      fmt::format("{} MPI ranks x {} thread(s)", ranks, sens::thread_count(a.threads)));
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    } catch (const run::StateError& e) {
        std::fprintf(stderr, "flopcast: internal error: %s\n", e.what());
        return kExitInternal;
    }
}

int sensitivity_shard(const SensitivityArgs& a, const Plan& p, const std::string& path, const std::string& start_time,
                      std::chrono::steady_clock::time_point started) {
    const auto [index, count] = *a.shard;
    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(path);
    } catch (const output::OutputError& e) {
        return fail(e.what());
    }
    if (!a.quiet) std::fprintf(stderr, "flopcast: %s; shard %llu/%llu\n", start_line(a, p).c_str(),
                               static_cast<unsigned long long>(index), static_cast<unsigned long long>(count));
    try {
        const auto st = compute_share(a, p, index, count, {});
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const int threads = sens::thread_count(a.threads);
        opened->write_description(p.s, {kVersion, kGitCommit, start_time, p.seed, p.summary_samples, threads}, wall);
        output::write_sensitivity_shard(*opened, sens::serialize(st), a.method, options_text(a, p), index, count);
        opened->commit();
        std::printf("sensitivity shard %llu/%llu of %s (%s): design blocks %llu to %llu of %llu in %.2f s; written to %s\n"
                    "merge the %llu shards with: flopcast merge <shard files> -o %s\n",
                    static_cast<unsigned long long>(index), static_cast<unsigned long long>(count), p.s.name.c_str(),
                    a.method.c_str(), static_cast<unsigned long long>(st.first_block),
                    static_cast<unsigned long long>(st.next_block),
                    static_cast<unsigned long long>(design_blocks(a, p)), wall, path.c_str(),
                    static_cast<unsigned long long>(count), default_output(p.s.name, a.method).c_str());
        return kExitOk;
    } catch (const std::invalid_argument& e) {
        return method_error(e);
    } catch (const sens::FactorError& e) {
        return method_error(e);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

int sensitivity_command(const SensitivityArgs& a, const std::vector<MethodOption>& method_options) {
    const std::string start_time = utc_now();
    const auto started = std::chrono::steady_clock::now();
    // Under mpirun every rank checks the same arguments and finds the same
    // mistake; rank 0 says it.
    const bool mpi = mpi_active();
    auto stop = [&](const std::string& message) { return mpi_rank() == 0 ? fail(message) : kExitInput; };
    for (const auto& mo : method_options)
        if (mo.option->count() > 0 && std::find(mo.methods.begin(), mo.methods.end(), a.method) == mo.methods.end())
            return stop(fmt::format("{} applies to --method {}, not {}", mo.option->get_name(),
                                    sens::join(mo.methods, " or "), a.method));

    scenario::Scenario loaded;
    try {
        loaded = a.scenario.empty() ? scenario::load_scenario(scenario::default_scenario_text(),
                                                              std::string(scenario::kDefaultScenarioName) + " (built in)", a.sets)
                                    : scenario::load_scenario_file(a.scenario, a.sets);
    } catch (const scenario::ScenarioError& e) {
        return stop(e.what());
    }
    Plan p;
    if (const std::string error = make_plan(a, std::move(loaded), p); !error.empty()) return stop(error);
    const scenario::Scenario& s = p.s;

    std::string path = a.output_file.empty() ? default_output(s.name, a.method) : a.output_file;
    if (a.output_file.empty() && a.shard) {
        path = default_output(s.name, a.method);
        path.insert(path.size() - 3, fmt::format("-part-{}-of-{}", a.shard->first, a.shard->second));
    }
    const bool root = !mpi || mpi_rank() == 0;
    auto say = [&](const std::string& line) {
        if (!a.quiet && root) std::fprintf(stderr, "flopcast: %s\n", line.c_str());
    };
    const std::string fixed = sens::join(sens::fixed_inputs(s, p.factors));
    if (!fixed.empty()) say(fmt::format("{}: inputs that cannot vary are left out: {}", s.name, fixed));
    if (s.correlation && a.method == "tornado")
        say("tornado moves one factor at a time and ignores the scenario's [correlation]");
    if (mpi) return sensitivity_mpi(a, p, path, start_time, started);
    if (a.shard) return sensitivity_shard(a, p, path, start_time, started);

    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(path);
    } catch (const output::OutputError& e) {
        return fail(e.what());
    }
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    Progress progress(!a.quiet, terminal, 30.0);
    say(start_line(a, p));
    try {
        const bool shows = a.method == "sobol" || a.method == "correlation";
        const auto st = compute_share(a, p, 0, 1,
                                      shows ? std::function<void(std::uint64_t, std::uint64_t)>(
                                                  [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); })
                                            : nullptr);
        progress.finish();
        return finish(a, p, st, *opened, path, start_time, started, sens::thread_count(a.threads), "");
    } catch (const std::invalid_argument& e) {
        return method_error(e);  // the ResultFile's destructor removes the temporary file
    } catch (const sens::FactorError& e) {
        return method_error(e);
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

// Every shard must come from the same analysis; returns them sorted by
// index, or throws OutputError naming the files at fault.
std::vector<output::SensitivityShardInfo> check_shards(std::vector<output::SensitivityShardInfo> parts) {
    const auto& ref = parts.front();
    for (const auto& p : parts) {
        auto differs = [&](const std::string& what) {
            throw output::OutputError(fmt::format("{} and {} are shards of different sensitivity analyses: their {} differ",
                                                  ref.path, p.path, what));
        };
        if (p.version != ref.version) differs("flopcast versions");
        if (p.scenario_text != ref.scenario_text) differs("scenarios");
        if (p.overrides != ref.overrides) differs("--set overrides");
        if (p.seed != ref.seed) differs("seeds");
        if (p.method != ref.method) differs(fmt::format("methods ({} and {})", ref.method, p.method));
        if (p.options != ref.options) {
            // Name the first option that differs.
            std::stringstream x(ref.options), y(p.options);
            std::string lx, ly;
            while (std::getline(x, lx) && std::getline(y, ly) && lx == ly) {}
            differs(fmt::format("options ({} and {})", lx, ly));
        }
        if (p.count != ref.count) differs("shard counts");
    }
    sort_complete_shards(parts, ref.count);
    return parts;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    for (std::string l; std::getline(ss, l);) out.push_back(l);
    return out;
}

}  // namespace

int merge_sensitivity_shards(const std::vector<std::string>& paths, const std::string& output, bool quiet) {
    const std::string start_time = utc_now();
    const auto started = std::chrono::steady_clock::now();
    std::vector<output::SensitivityShardInfo> parts;
    SensitivityArgs a;
    Plan p;
    try {
        for (const auto& path : paths) parts.push_back(output::read_sensitivity_shard_info(path));
        parts = check_shards(std::move(parts));
        const auto& ref = parts.front();
        a = args_from(ref.method, ref.seed, ref.options);
        a.quiet = quiet;
        auto s = scenario::load_scenario(ref.scenario_text, ref.scenario_file, lines(ref.overrides));
        if (const std::string error = make_plan(a, std::move(s), p); !error.empty())
            return fail("the shards' analysis no longer checks: " + error);
    } catch (const output::OutputError& e) {
        return fail(e.what());
    } catch (const scenario::ScenarioError& e) {
        return fail(std::string("the shards' scenario no longer loads: ") + e.what());
    } catch (const std::exception& e) {  // a damaged sensitivity_options
        return fail(parts.empty() ? e.what() : parts.front().path + ": " + e.what());
    }
    sens::SensitivityState total;
    try {
        for (std::size_t i = 0; i < parts.size(); ++i) {
            sens::SensitivityState part;
            try {
                part = sens::deserialize_sensitivity(output::read_sensitivity_shard_state(parts[i].path));
            } catch (const run::StateError& e) {
                throw output::OutputError(parts[i].path + ": " + e.what());
            }
            if (i == 0) total = std::move(part);
            else sens::append(total, part);
        }
    } catch (const output::OutputError& e) {
        return fail(e.what());
    } catch (const run::StateError& e) {
        return fail(e.what());
    }
    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(output);
    } catch (const output::OutputError& e) {
        return fail(e.what());
    }
    try {
        return finish(a, p, total, *opened, output, start_time, started, 0,
                      fmt::format("merged from {} shards", parts.size()));
    } catch (const run::StateError& e) {
        return fail(e.what());
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

namespace {
}  // namespace

void add_sensitivity_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<SensitivityArgs>();
    auto method_options = std::make_shared<std::vector<MethodOption>>();
    CLI::App* cmd = app.add_subcommand(
        "sensitivity", "Which inputs drive the outputs: rank correlation, tornado, Sobol indices or Morris screening");
    cmd->add_option("scenario", args->scenario, "Scenario file (TOML). Default: the built-in csc-2023-baseline scenario");
    cmd->add_option("-m,--method", args->method, "correlation, tornado, sobol or morris")
        ->required()
        ->check(CLI::IsMember({"correlation", "tornado", "sobol", "morris"}));
    cmd->add_option("--output", args->outputs,
                    "Output to analyse and rank (repeatable; default: every output)")
        ->allow_extra_args(false);
    cmd->add_option("--year", args->year, "Year of the printed ranking (default: the output's reference year, else the last)");
    cmd->add_option("-o,--file", args->output_file, "HDF5 file to write (default: <scenario name>-<method>.h5)");
    cmd->add_option("--set", args->sets, "Override a scalar of the scenario, e.g. --set inputs.train_mfu.median=0.5 (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--seed", args->seed, "Random seed (default: the scenario's)");
    cmd->add_option("-t,--threads", args->threads, "Worker threads (default: all cores); results do not depend on it")
        ->check(CLI::NonNegativeNumber);
    auto& mo = *method_options;
    mo.push_back({add_count_option(cmd, "-n,--samples", args->samples,
                                  "correlation: samples ranked (default 20000); sobol: the design's N rows (default 8192)"),
                  {"correlation", "sobol"}});
    mo.push_back({cmd->add_option("--bootstrap", args->bootstrap, "sobol: bootstrap replicates (default 200; 0: no intervals)"),
                  {"sobol"}});
    mo.push_back({cmd->add_option("--confidence", args->confidence, "sobol: level of the bootstrap intervals (default 0.95)"),
                  {"sobol"}});
    mo.push_back({cmd->add_option("--design", args->design, "sobol: uniform design of A and B, mc (default) or sobol"),
                  {"sobol"}});
    mo.push_back({cmd->add_option("--low", args->low, "tornado: low percentile level (default 0.1)"), {"tornado"}});
    mo.push_back({cmd->add_option("--high", args->high, "tornado: high percentile level (default 0.9)"), {"tornado"}});
    mo.push_back({cmd->add_option("-r,--trajectories", args->trajectories, "morris: trajectories (default 20)"), {"morris"}});
    mo.push_back({cmd->add_option("--levels", args->levels, "morris: grid levels p, even (default 4)"), {"morris"}});
    mo.push_back({cmd->add_option("--groups", args->groups,
                                  "Inputs moved as one factor: \"a,b;c,d\" or \"name=a,b;...\" (tornado, sobol, morris)"),
                  {"tornado", "sobol", "morris"}});
    mo.push_back({cmd->add_option("--groups-file", args->groups_file,
                                  "TOML file with a [groups] table: name = [\"a\", \"b\"] (tornado, sobol, morris)"),
                  {"tornado", "sobol", "morris"}});
    mo.push_back({add_count_option(cmd, "--summary-samples", args->summary_samples,
                                  "Samples of the ordinary run written to /summary (default: N for sobol, 20000 for "
                                  "tornado and morris)"),
                  {"tornado", "sobol", "morris"}});
    cmd->add_option("--top", args->top, "Factors printed per output (default 10; 0: all)");
    add_shard_option(cmd, args->shard,
                     "Compute only shard i of N of the design (e.g. 0/4) and write its mergeable state; combine with `flopcast merge`");
    cmd->add_flag("-q,--quiet", args->quiet, "No progress or start line on stderr");
    cmd->callback([args, method_options, &action] {
        action = [args, method_options] { return sensitivity_command(*args, *method_options); };
    });
}

}  // namespace flopcast::cli
