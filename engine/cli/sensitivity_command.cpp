// `flopcast sensitivity`: which inputs drive the outputs, year by year.
// Loads the scenario, plans the analysis, runs the method of the catalogue
// (engine/sensitivity/catalogue.hpp) it names, writes the result file (run
// description, /summary from an ordinary run, and /sensitivity/<method>/;
// docs/sensitivity.md) and prints a ranking (sensitivity_print.cpp). Nothing
// here knows a method: each says its options, cost and result itself.
// Over 500 lines for now: one process, a shard, MPI ranks and `flopcast merge`
// share the plan and the finish below; moving them to a sensitivity_plan.hpp
// is the next split.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/cli/mpi_run.hpp"
#include "engine/cli/number_format.hpp"
#include "engine/cli/options.hpp"
#include "engine/cli/progress.hpp"
#include "engine/cli/run_command.hpp"
#include "engine/cli/sensitivity_merge.hpp"
#include "engine/cli/sensitivity_print.hpp"
#include "engine/cli/shard_set.hpp"
#include "engine/cli/utc_time.hpp"
#include "engine/cli/version.hpp"
#include "engine/cli/output_names.hpp"
#include "engine/output/output_path.hpp"
#include "engine/output/result_file.hpp"
#include "engine/output/sensitivity_writer.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/sensitivity_state.hpp"

namespace flopcast::cli {
namespace {

namespace sens = flopcast::sensitivity;

struct SensitivityArgs {
    std::string scenario;  // empty: the built-in default
    std::string method;
    std::string output_file;
    std::vector<std::string> outputs;
    std::optional<int> year;
    std::vector<std::string> sets;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string groups, groups_file;
    std::vector<std::string> transforms;  // --transform: log, rank, none, or OUTPUT=one of them
    std::optional<std::uint64_t> summary_samples;
    sens::OptionValues options;  // the method's options given, as canonical text
    std::size_t top = 10;
    bool quiet = false;
    bool force = false;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> shard;  // (i, N)
};

// An option of some methods on the command line: its value is kept as typed
// (CLI11 checks the type) and handed to the method as canonical text.
struct MethodOption {
    sens::OptionSpec spec;
    CLI::Option* option = nullptr;
    std::optional<std::uint64_t> count;
    std::uint64_t whole = 0;
    int integer = 0;
    double real = 0.0;
    std::string text;
    // The rows that take it (catalogue order).
    std::vector<std::string> methods;
};

std::string canonical(const MethodOption& o) {
    switch (o.spec.kind) {
    case sens::OptionKind::Count: return std::to_string(o.count.value_or(0));
    case sens::OptionKind::Unsigned: return std::to_string(o.whole);
    case sens::OptionKind::Integer: return std::to_string(o.integer);
    case sens::OptionKind::Real: return sens::real_text(o.real);
    case sens::OptionKind::Text: return o.text;
    }
    return o.text;
}

bool takes_option(const sens::MethodRow& row, std::string_view key) {
    if (key == "groups" || key == "groups_file") return row.groups;
    return std::any_of(row.options.begin(), row.options.end(), [&](const sens::OptionSpec& o) { return o.key == key; });
}

// "a, b or c".
std::string listing(const std::vector<std::string>& names, const char* last) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? last : ", ") + names[i];
    return out;
}

std::vector<std::string> method_names() {
    std::vector<std::string> names;
    for (const auto* r : sens::methods()) names.emplace_back(r->name);
    return names;
}

std::string default_output(const std::string& name, const std::string& method) {
    return cli::default_output(name, "-" + method);  // output_names.hpp: the one rule
}

int fail(const std::string& message) {
    std::fprintf(stderr, "flopcast: %s\n", message.c_str());
    return kExitInput;
}

// What the command will do, once its arguments are checked: shared by one
// process, a shard, the ranks of an MPI job and `flopcast merge`.
struct Plan {
    sens::Analysis analysis;
    std::unique_ptr<sens::Method> method;
};

// Checks the arguments against the scenario; returns the message of the
// first mistake, or "" with `p` filled.
std::string make_plan(const SensitivityArgs& a, scenario::Scenario s, Plan& p) {
    const sens::MethodRow* row = sens::find_method(a.method);
    if (!row) return fmt::format("--method: no method '{}' (methods: {})", a.method, sens::join(method_names()));
    auto& an = p.analysis;
    std::vector<std::string> names;
    for (const auto& o : s.outputs) names.push_back(o.name);
    for (const auto& name : a.outputs) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) return fmt::format("--output: no output '{}' in {} (outputs: {})", name, s.source_file, sens::join(names));
        const auto k = static_cast<std::size_t>(it - names.begin());
        if (std::find(an.outputs.begin(), an.outputs.end(), k) == an.outputs.end()) an.outputs.push_back(k);
    }
    if (an.outputs.empty()) {
        an.outputs.resize(s.outputs.size());
        std::iota(an.outputs.begin(), an.outputs.end(), std::size_t{0});
    }
    an.transforms.assign(an.outputs.size(), sens::Transform::None);
    for (const auto& spec : a.transforms) {
        const auto eq = spec.find('=');
        const std::string name = eq == std::string::npos ? "" : spec.substr(0, eq),
                          kind = eq == std::string::npos ? spec : spec.substr(eq + 1);
        sens::Transform t = sens::Transform::None;
        if (kind == "log" || kind == "log10") t = sens::Transform::Log10;
        else if (kind == "rank") t = sens::Transform::Rank;
        else if (kind != "none")
            return fmt::format("--transform {}: expected log, rank or none, for every output or as OUTPUT=log", spec);
        if (t == sens::Transform::Rank && !row->rank_based)
            return fmt::format("--transform {}: --method {} analyses a design streamed in blocks and cannot rank an "
                               "output; use log (a positive output), or --method delta or correlation, which read ranks "
                               "only",
                               spec, row->name);
        bool found = name.empty();
        for (std::size_t i = 0; i < an.outputs.size(); ++i)
            if (name.empty() || s.outputs[an.outputs[i]].name == name) {
                an.transforms[i] = t;
                found = true;
            }
        if (!found)
            return fmt::format("--transform {}: no output '{}' analysed (outputs: {})", spec, name, sens::join(names));
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
        an.factors = sens::make_factors(s, groups);
        if (!row->independence.empty()) sens::require_independent_factors(s, an.factors, row->independence);
    } catch (const sens::FactorError& e) {
        return e.what();
    }

    an.seed = a.seed.value_or(s.seed);
    an.threads = a.threads;
    try {
        p.method = row->build(a.options);
    } catch (const sens::OptionError& e) {
        return e.what();
    }
    an.summary_samples = p.method->summary_samples(a.summary_samples);
    if (an.summary_samples == 0) return "--summary-samples must be at least 1; got 0";
    an.s = std::move(s);
    return "";
}

const sens::MethodRow& row_of(const Plan& p) { return p.method->row(); }
std::string method_name(const Plan& p) { return std::string(row_of(p).name); }

// The options that change a result, one `key=value` line each, with numbers
// exact (%a for doubles): shards must agree on them, and `flopcast merge`
// rebuilds the analysis from them.
std::string options_text(const Plan& p) {
    const auto& an = p.analysis;
    std::vector<std::string> outputs, groups;
    for (std::size_t k : an.outputs) outputs.push_back(an.s.outputs[k].name);
    for (const auto& f : an.factors) {
        if (!f.grouped) continue;
        std::vector<std::string> members;
        for (std::size_t i : f.inputs) members.push_back(an.s.inputs[i].name);
        groups.push_back(f.name + "=" + sens::join(members, ","));
    }
    std::string t = fmt::format("outputs={}\nsummary_samples={}\n", sens::join(outputs, ","), an.summary_samples);
    // Only when some output is transformed, so untransformed shards keep the text they always had.
    std::vector<std::string> transformed;
    for (std::size_t i = 0; i < an.outputs.size(); ++i)
        if (an.transforms[i] != sens::Transform::None)
            transformed.push_back(an.s.outputs[an.outputs[i]].name + "=" + sens::transform_name(an.transforms[i]));
    if (!transformed.empty()) t += "transforms=" + sens::join(transformed, ",") + "\n";
    t += p.method->options_text();
    if (row_of(p).groups) t += "groups=" + sens::join(groups, ";") + "\n";
    return t;
}

// The arguments `options_text` describes; throws std::invalid_argument.
SensitivityArgs args_from(const std::string& method, std::uint64_t seed, const std::string& text) {
    SensitivityArgs a;
    a.method = method;
    a.seed = seed;
    const sens::MethodRow* row = sens::find_method(method);
    if (!row) throw std::invalid_argument("a shard's method '" + method + "' is not one this flopcast knows");
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("a shard's sensitivity_options line '" + line + "' has no '='");
        const std::string key = line.substr(0, eq), v = line.substr(eq + 1);
        if (key == "outputs") {
            std::stringstream names(v);
            for (std::string n; std::getline(names, n, ',');) a.outputs.push_back(n);
        } else if (key == "summary_samples") a.summary_samples = std::stoull(v);
        else if (key == "transforms") {
            std::stringstream specs(v);
            for (std::string t; std::getline(specs, t, ',');) a.transforms.push_back(t);
        }
        else if (key == "groups" && row->groups) a.groups = v;
        else if (key != "groups_file" && takes_option(*row, key)) a.options[key] = v;
        else throw std::invalid_argument("a shard's sensitivity_options has an unknown option '" + key + "'");
    }
    return a;
}

run::RunOptions summary_options(const Plan& p) {
    run::RunOptions o;
    o.samples = p.analysis.summary_samples;
    o.seed = p.analysis.seed;
    o.threads = p.analysis.threads;
    return o;
}

// Share i of N of `blocks` blocks: [B i / N, B (i + 1) / N), as run shards.
std::pair<std::uint64_t, std::uint64_t> share(std::uint64_t blocks, std::uint64_t index, std::uint64_t count) {
    return {blocks * index / count, blocks * (index + 1) / count};
}

// The state of share i of N of the design and of the summary run; the whole
// analysis for 0 of 1. `progress` gets the design's rows (or samples) done.
sens::SensitivityState compute_share(const Plan& p, std::uint64_t index, std::uint64_t count,
                                     const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    sens::SensitivityState st;
    std::tie(st.first_block, st.next_block) = share(p.method->block_count(p.analysis), index, count);
    st.method = p.method->run_blocks(p.analysis, st.first_block, st.next_block, progress);
    if (!p.method->keeps_run()) {
        const auto [sfirst, send] = share(run::block_count(p.analysis.summary_samples), index, count);
        st.summary = run::run_blocks(p.analysis.s, summary_options(p), sfirst, send);
    }
    return st;
}

// Writes the result file from the state of every block and prints the
// ranking: the end of one process, of rank 0 of an MPI job, and of a merge.
int finish(const SensitivityArgs& a, const Plan& p, const sens::SensitivityState& total, output::ResultFile& file,
           const std::string& path, const std::string& start_time, std::chrono::steady_clock::time_point started,
           int threads, const std::string& how) {
    const auto& an = p.analysis;
    const scenario::Scenario& s = an.s;
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    if (&sens::method_of(total) != &row_of(p))
        throw run::StateError(fmt::format("the states are of --method {}, not the analysis' {}", sens::method_of(total).name,
                                          row_of(p).name));
    const std::uint64_t blocks = p.method->block_count(an);
    if (total.first_block != 0 || total.next_block != blocks)
        throw run::StateError(fmt::format("the states cover design blocks {} to {}, not the analysis' 0 to {}",
                                          total.first_block, total.next_block, blocks));
    const run::RunState& summary_state = sens::summary_run(total);
    const std::uint64_t summary_blocks = run::block_count(an.summary_samples);
    if (summary_state.first_block != 0 || summary_state.next_block != summary_blocks)
        throw run::StateError(fmt::format("the states cover summary blocks {} to {}, not the run's 0 to {}",
                                          summary_state.first_block, summary_state.next_block, summary_blocks));
    run::RunResult summary = run::to_result(s, summary_state, an.summary_samples);
    summary.threads = threads;
    summary.wall_seconds = elapsed();
    sens::MethodResult result = p.method->result(an, total.method, summary);
    std::visit(
        [&](auto& r) {
            r.threads = threads;
            r.seconds = elapsed();
        },
        result);
    output::RunMetadata meta{kVersion, kGitCommit, start_time, an.seed, an.summary_samples, threads};
    file.write_description(s, meta, elapsed());
    file.write_summary(s, summary);
    output::write_sensitivity(file, s, p.method->record(an, result));
    const std::string ranking = print_ranking(s, result, {a.year, a.top});
    file.commit();
    if (!a.quiet || how.empty())
        std::printf("%s", fmt::format("{}\n{}, {:.2f} s; results in {}\n", ranking,
                                      how.empty() ? fmt::format("{} thread(s)", threads) : how, elapsed(), path)
                              .c_str());
    for (const auto& o : s.overrides) std::printf("  with --set %s\n", o.c_str());
    return kExitOk;
}

// The line said before a method starts: its cost.
std::string start_line(const Plan& p) {
    return p.method->start_line(p.analysis, [](std::uint64_t n) { return grouped(n); });
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
    if (root && !a.quiet) std::fprintf(stderr, "flopcast: %s, %d MPI ranks\n", start_line(p).c_str(), ranks);
    std::vector<std::uint8_t> mine;
    try {
        // Tests make one rank fail on purpose, to prove the job then stops
        // instead of hanging in the gather below.
        if (const char* fail = std::getenv("FLOPCAST_MPI_FAIL_RANK"); fail && std::atoi(fail) == rank)
            throw std::runtime_error("failure injected by FLOPCAST_MPI_FAIL_RANK");
        mine = sens::serialize(compute_share(p, static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(ranks), {}));
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
        const int threads = sens::thread_count(p.analysis.threads) * ranks;
        return finish(a, p, total, *file, path, start_time, started, threads,
                      fmt::format("{} MPI ranks x {} thread(s)", ranks, sens::thread_count(p.analysis.threads)));
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
    if (!a.quiet) std::fprintf(stderr, "flopcast: %s; shard %llu/%llu\n", start_line(p).c_str(),
                               static_cast<unsigned long long>(index), static_cast<unsigned long long>(count));
    try {
        const auto st = compute_share(p, index, count, {});
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const int threads = sens::thread_count(p.analysis.threads);
        opened->write_description(p.analysis.s, {kVersion, kGitCommit, start_time, p.analysis.seed, p.analysis.summary_samples, threads}, wall);
        output::write_sensitivity_shard(*opened, sens::serialize(st), method_name(p), options_text(p), index, count);
        opened->commit();
        std::printf("sensitivity shard %llu/%llu of %s (%s): design blocks %llu to %llu of %llu in %.2f s; written to %s\n"
                    "merge the %llu shards with: flopcast merge <shard files> -o %s\n",
                    static_cast<unsigned long long>(index), static_cast<unsigned long long>(count), p.analysis.s.name.c_str(),
                    method_name(p).c_str(), static_cast<unsigned long long>(st.first_block),
                    static_cast<unsigned long long>(st.next_block),
                    static_cast<unsigned long long>(p.method->block_count(p.analysis)), wall, path.c_str(),
                    static_cast<unsigned long long>(count), default_output(p.analysis.s.name, method_name(p)).c_str());
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

int sensitivity_command(const SensitivityArgs& a, const std::deque<MethodOption>& method_options) {
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
        loaded = load_scenario_source(a.scenario, a.sets);
    } catch (const scenario::ScenarioError& e) {
        return stop(e.what());
    }
    Plan p;
    if (const std::string error = make_plan(a, std::move(loaded), p); !error.empty()) return stop(error);
    const scenario::Scenario& s = p.analysis.s;

    std::string path = a.output_file.empty() ? default_output(s.name, a.method) : a.output_file;
    if (a.output_file.empty() && a.shard) {
        path = default_output(s.name, a.method);
        path.insert(path.size() - 3, fmt::format("-part-{}-of-{}", a.shard->first, a.shard->second));
    }
    // Checked before anything is written (output/output_path.hpp).
    try {
        path = output::checked_output_path(path, {{a.scenario, a.groups_file}, a.force, output::Replaceable::Result});
    } catch (const output::OutputError& e) {
        return fail(e.what());
    }
    const bool root = !mpi || mpi_rank() == 0;
    auto say = [&](const std::string& line) {
        if (!a.quiet && root) std::fprintf(stderr, "flopcast: %s\n", line.c_str());
    };
    const std::string fixed = sens::join(sens::fixed_inputs(s, p.analysis.factors));
    if (!fixed.empty()) say(fmt::format("{}: inputs that cannot vary are left out: {}", s.name, fixed));
    if (const std::string note = p.method->note(p.analysis); !note.empty()) say(note);
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
    say(start_line(p));
    try {
        const auto st = compute_share(p, 0, 1,
                                      p.method->shows_progress()
                                          ? std::function<void(std::uint64_t, std::uint64_t)>(
                                                [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); })
                                          : nullptr);
        progress.finish();
        return finish(a, p, st, *opened, path, start_time, started, sens::thread_count(p.analysis.threads), "");
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

// The options of every method, once each, in catalogue order. An option
// several methods take gets one help text: theirs joined, or one text and the
// methods when they say the same.
std::deque<MethodOption> method_options(SensitivityArgs& args) {
    std::deque<MethodOption> out;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> helps;  // key -> (method, help)
    static constexpr sens::OptionSpec kGroups{"--groups", "groups", sens::OptionKind::Text,
                                              "Inputs moved as one factor: \"a,b;c,d\" or \"name=a,b;...\""};
    static constexpr sens::OptionSpec kGroupsFile{"--groups-file", "groups_file", sens::OptionKind::Text,
                                                  "TOML file with a [groups] table: name = [\"a\", \"b\"]"};
    for (const auto* row : sens::methods()) {
        std::vector<sens::OptionSpec> specs = row->options;
        if (row->groups) {
            // Before --summary-samples, as the help has always listed them.
            const auto at = std::find_if(specs.begin(), specs.end(),
                                         [](const sens::OptionSpec& o) { return o.key == "summary_samples"; });
            specs.insert(specs.insert(at, kGroups) + 1, kGroupsFile);
        }
        for (const auto& spec : specs) {
            auto it = std::find_if(out.begin(), out.end(), [&](const MethodOption& o) { return o.spec.key == spec.key; });
            if (it == out.end()) {
                MethodOption added;
                added.spec = spec;
                it = out.insert(out.end(), std::move(added));
            }
            it->methods.emplace_back(row->name);
            helps[std::string(spec.key)].emplace_back(row->name, spec.help);
        }
    }
    (void)args;
    for (auto& o : out) {
        const auto& h = helps[std::string(o.spec.key)];
        const bool same = std::all_of(h.begin(), h.end(), [&](const auto& x) { return x.second == h.front().second; });
        std::string help;
        if (same && h.size() > 1) {
            help = h.front().second + " (" + sens::join(o.methods) + ")";
        } else {
            for (const auto& [method, text] : h) help += (help.empty() ? "" : "; ") + method + ": " + text;
        }
        o.text = help;  // the help, until the option is registered
    }
    return out;
}

}  // namespace

void add_sensitivity_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<SensitivityArgs>();
    std::vector<std::string> abouts;
    for (const auto* row : sens::methods()) abouts.emplace_back(row->about);
    CLI::App* cmd = app.add_subcommand("sensitivity", "Which inputs drive the outputs: " + listing(abouts, " or "));
    cmd->add_option("scenario", args->scenario, "Scenario file (TOML). Default: the built-in csc-2023-baseline scenario");
    cmd->add_option("-m,--method", args->method, listing(method_names(), " or "))
        ->required()
        ->check(CLI::IsMember(method_names()));
    cmd->add_option("--output", args->outputs,
                    "Output to analyse and rank (repeatable; default: every output)")
        ->allow_extra_args(false);
    cmd->add_option("--year", args->year, "Year of the printed ranking (default: the output's reference year, else the last)");
    cmd->add_option("-o,--file", args->output_file, "HDF5 file to write (default: <scenario name>-<method>.h5)");
    add_force_flag(cmd, args->force);
    cmd->add_option("--set", args->sets, "Override a scalar of the scenario, e.g. --set inputs.train_mfu.median=0.5 (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--seed", args->seed, "Random seed (default: the scenario's)");
    add_threads_option(cmd, args->threads);
    auto options = std::make_shared<std::deque<MethodOption>>(method_options(*args));
    for (auto& o : *options) {
        const std::string flags(o.spec.flags), help = std::move(o.text);
        o.text.clear();
        switch (o.spec.kind) {
        case sens::OptionKind::Count: o.option = add_count_option(cmd, flags, o.count, help); break;
        case sens::OptionKind::Unsigned: o.option = cmd->add_option(flags, o.whole, help); break;
        case sens::OptionKind::Integer: o.option = cmd->add_option(flags, o.integer, help); break;
        case sens::OptionKind::Real: o.option = cmd->add_option(flags, o.real, help); break;
        case sens::OptionKind::Text: o.option = cmd->add_option(flags, o.text, help); break;
        }
    }
    cmd->add_option("--transform", args->transforms,
                    "Analyse log10 of a positive output (log) or its ranks (rank; correlation and delta only, which "
                    "read ranks anyway): for every output, or OUTPUT=log (repeatable)")
        ->allow_extra_args(false);
    cmd->add_option("--top", args->top, "Factors printed per output (default 10; 0: all)");
    add_shard_option(cmd, args->shard,
                     "Compute only shard i of N of the design (e.g. 0/4) and write its mergeable state; combine with `flopcast merge`");
    cmd->add_flag("-q,--quiet", args->quiet, "No progress or start line on stderr");
    cmd->callback([args, options, &action] {
        for (const auto& o : *options) {
            if (o.option->count() == 0) continue;
            if (o.spec.key == "groups") args->groups = o.text;
            else if (o.spec.key == "groups_file") args->groups_file = o.text;
            else if (o.spec.key == "summary_samples") args->summary_samples = o.count;
            else args->options[std::string(o.spec.key)] = canonical(o);
        }
        action = [args, options] { return sensitivity_command(*args, *options); };
    });
}

}  // namespace flopcast::cli
