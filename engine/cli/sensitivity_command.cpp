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
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/sensitivity_writer.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/builtin_scenarios.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/morris.hpp"
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
};

// Options that apply to some methods only: given with another, they are a
// mistake worth saying (the user expects them to do something).
struct MethodOption {
    CLI::Option* option;
    std::vector<std::string> methods;
};

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

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

int sensitivity_command(const SensitivityArgs& a, const std::vector<MethodOption>& method_options) {
    const std::string start_time = utc_now();
    const auto started = std::chrono::steady_clock::now();
    for (const auto& mo : method_options)
        if (mo.option->count() > 0 && std::find(mo.methods.begin(), mo.methods.end(), a.method) == mo.methods.end())
            return fail(fmt::format("{} applies to --method {}, not {}", mo.option->get_name(),
                                    sens::join(mo.methods, " or "), a.method));

    scenario::Scenario s;
    try {
        s = a.scenario.empty() ? scenario::load_scenario(scenario::default_scenario_text(),
                                                         std::string(scenario::kDefaultScenarioName) + " (built in)", a.sets)
                               : scenario::load_scenario_file(a.scenario, a.sets);
    } catch (const scenario::ScenarioError& e) {
        return fail(e.what());
    }

    // What to analyse.
    std::vector<std::size_t> outputs;
    std::vector<std::string> names;
    for (const auto& o : s.outputs) names.push_back(o.name);
    for (const auto& name : a.outputs) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) return fail(fmt::format("--output: no output '{}' in {} (outputs: {})", name, s.source_file, sens::join(names)));
        const auto k = static_cast<std::size_t>(it - names.begin());
        if (std::find(outputs.begin(), outputs.end(), k) == outputs.end()) outputs.push_back(k);
    }
    if (outputs.empty()) {
        outputs.resize(s.outputs.size());
        std::iota(outputs.begin(), outputs.end(), std::size_t{0});
    }
    if (a.year && (*a.year < s.years.front() || *a.year > s.years.back()))
        return fail(fmt::format("--year {} is not a year of the scenario ({}-{})", *a.year, s.years.front(), s.years.back()));

    std::vector<sens::Factor> factors;
    try {
        std::vector<sens::GroupSpec> groups;
        if (!a.groups.empty()) groups = sens::parse_groups(a.groups);
        if (!a.groups_file.empty()) {
            const auto more = sens::load_groups_file(a.groups_file);
            groups.insert(groups.end(), more.begin(), more.end());
        }
        if (a.method == "correlation" && !groups.empty())
            return fail("--groups applies to tornado, sobol and morris; --method correlation ranks each input on its own");
        factors = sens::make_factors(s, groups);
        if (a.method == "sobol") sens::require_independent_factors(s, factors, "Sobol analysis");
        if (a.method == "morris") sens::require_independent_factors(s, factors, "Morris screening");
    } catch (const sens::FactorError& e) {
        return fail(e.what());
    }

    // Arguments checked before any file is made.
    const std::uint64_t seed = a.seed.value_or(s.seed);
    const std::uint64_t samples =
        a.samples.value_or(a.method == "correlation" ? kDefaultCorrelationSamples : kDefaultSobolRows);
    if ((a.method == "correlation" || a.method == "sobol") && samples == 0) return fail("--samples must be at least 1; got 0");
    if (a.method == "sobol" && !(a.confidence > 0.0 && a.confidence < 1.0))
        return fail(fmt::format("--confidence must be strictly between 0 and 1; got {:g}", a.confidence));
    if (a.method == "sobol" && a.design != "mc" && a.design != "sobol")
        return fail(fmt::format("--design must be mc or sobol; got '{}'", a.design));
    if (a.method == "tornado" && !(a.low > 0.0 && a.low < a.high && a.high < 1.0))
        return fail(fmt::format("--low and --high must satisfy 0 < low < high < 1; got --low {:g} --high {:g}", a.low, a.high));
    if (a.method == "morris" && a.trajectories == 0) return fail("--trajectories must be at least 1; got 0");
    if (a.method == "morris" && (a.levels < 2 || a.levels % 2 != 0))
        return fail(fmt::format("--levels must be an even number of at least 2; got {}", a.levels));
    const std::uint64_t summary_samples =
        a.method == "correlation" ? samples : a.summary_samples.value_or(a.method == "sobol" ? samples : kDefaultSummarySamples);
    if (summary_samples == 0) return fail("--summary-samples must be at least 1; got 0");

    const std::string path = a.output_file.empty() ? default_output(s.name, a.method) : a.output_file;
    std::optional<output::ResultFile> opened;
    try {
        opened.emplace(path);
    } catch (const output::OutputError& e) {
        return fail(e.what());
    }
    output::ResultFile& file = *opened;

    const std::size_t k = factors.size();
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    Progress progress(!a.quiet, terminal, 30.0);
    auto say = [&](const std::string& line) {
        if (!a.quiet) std::fprintf(stderr, "flopcast: %s\n", line.c_str());
    };
    const std::string fixed = sens::join(sens::fixed_inputs(s, factors));
    if (!fixed.empty()) say(fmt::format("{}: inputs that cannot vary are left out: {}", s.name, fixed));
    if (s.correlation && a.method == "tornado")
        say("tornado moves one factor at a time and ignores the scenario's [correlation]");

    try {
        std::string ranking;
        run::RunResult summary;
        int threads = 0;
        run::RunOptions summary_options;
        summary_options.samples = summary_samples;
        summary_options.seed = seed;
        summary_options.threads = a.threads;
        auto write_head = [&](const run::RunResult& r) {
            output::RunMetadata meta{kVersion, kGitCommit, start_time, seed, summary_samples, threads};
            file.write_description(s, meta, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            file.write_summary(s, r);
        };
        if (a.method == "sobol") {
            sens::SobolOptions o;
            o.rows = samples;
            o.seed = seed;
            o.threads = a.threads;
            o.bootstrap = a.bootstrap;
            o.confidence = a.confidence;
            o.design = a.design == "sobol" ? sens::UniformDesign::Sobol : sens::UniformDesign::MonteCarlo;
            o.outputs = outputs;
            o.progress = [&](std::uint64_t done, std::uint64_t total) {
                progress.update(std::min(samples, done * run::kBlockSize), std::min(samples, total * run::kBlockSize));
            };
            say(fmt::format("{}: Sobol indices of {} factors, N = {} rows: N x (k + 2) = {} model evaluations, "
                            "{} bootstrap replicates, seed {}",
                            s.name, k, grouped(samples), grouped(sens::sobol_evaluations(samples, k)), a.bootstrap, seed));
            const auto r = sens::sobol_indices(s, factors, o);
            progress.finish();
            threads = r.threads;
            summary = run::run_scenario(s, summary_options);
            write_head(summary);
            output::write_sobol(file, s, r);
            ranking = print_sobol(s, r, a);
        } else if (a.method == "morris") {
            sens::MorrisOptions o;
            o.trajectories = a.trajectories;
            o.levels = a.levels;
            o.seed = seed;
            o.threads = a.threads;
            o.outputs = outputs;
            say(fmt::format("{}: Morris screening of {} factors, r = {} trajectories x (k + 1) = {} model evaluations, seed {}",
                            s.name, k, a.trajectories, grouped(a.trajectories * (k + 1)), seed));
            const auto r = sens::morris(s, factors, o);
            threads = r.threads;
            summary = run::run_scenario(s, summary_options);
            write_head(summary);
            output::write_morris(file, s, r);
            ranking = print_morris(s, r, a);
        } else if (a.method == "tornado") {
            sens::TornadoOptions o;
            o.low = a.low;
            o.high = a.high;
            o.outputs = outputs;
            o.threads = a.threads;
            say(fmt::format("{}: tornado of {} factors: 2 k + 1 = {} model evaluations", s.name, k, 2 * k + 1));
            const auto r = sens::tornado(s, factors, o);
            threads = r.threads;
            summary = run::run_scenario(s, summary_options);
            write_head(summary);
            output::write_tornado(file, s, r);
            ranking = print_tornado(s, r, a);
        } else {
            sens::CorrelationOptions o;
            o.samples = samples;
            o.seed = seed;
            o.threads = a.threads;
            o.outputs = outputs;
            o.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
            say(fmt::format("{}: rank correlations of {} inputs over {} samples, seed {}", s.name, k, grouped(samples), seed));
            const auto r = sens::rank_correlations(s, factors, o);
            progress.finish();
            threads = r.threads;
            write_head(r.run);
            output::write_correlation(file, s, r);
            ranking = print_correlation(s, r, a);
        }
        file.commit();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("%s", fmt::format("{}\n{} thread(s), {:.2f} s; results in {}\n", ranking, threads, seconds, path).c_str());
        for (const auto& o : s.overrides) std::printf("  with --set %s\n", o.c_str());
        return kExitOk;
    } catch (const std::invalid_argument& e) {
        return fail(e.what());  // the ResultFile's destructor removes the temporary file
    } catch (const sens::FactorError& e) {
        return fail(e.what());
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

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
    mo.push_back({cmd->add_option("-n,--samples", args->samples,
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
    mo.push_back({cmd->add_option("--summary-samples", args->summary_samples,
                                  "Samples of the ordinary run written to /summary (default: N for sobol, 20000 for "
                                  "tornado and morris)"),
                  {"tornado", "sobol", "morris"}});
    cmd->add_option("--top", args->top, "Factors printed per output (default 10; 0: all)");
    cmd->add_flag("-q,--quiet", args->quiet, "No progress or start line on stderr");
    cmd->callback([args, method_options, &action] {
        action = [args, method_options] { return sensitivity_command(*args, *method_options); };
    });
}

}  // namespace flopcast::cli
