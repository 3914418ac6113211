// `flopcast sensitivity`: which inputs drive the outputs, year by year.
// Loads the scenario, plans the analysis, runs the method of the catalogue
// (engine/sensitivity/catalogue.hpp) it names, writes the result file (run
// description, /summary from an ordinary run, and /sensitivity/<method>/;
// docs/sensitivity.md) and prints a ranking (sensitivity_print.cpp). Nothing
// here knows a method: each says its options, cost and result itself. The
// plan (arguments checked against the scenario) is sensitivity_plan.cpp's,
// the method options' table sensitivity_options.cpp's; one process, a shard,
// MPI ranks and `flopcast merge` share the plan and the finish below.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
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
#include "engine/cli/sensitivity_options.hpp"
#include "engine/cli/sensitivity_plan.hpp"
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
using Plan = SensitivityPlan;

// "a, b or c".
std::string listing(const std::vector<std::string>& names, const char* last) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? last : ", ") + names[i];
    return out;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "flopcast: %s\n", message.c_str());
    return kExitInput;
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
                    static_cast<unsigned long long>(count), sensitivity_output_name(p.analysis.s.name, method_name(p)).c_str());
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
    if (const std::string error = plan_sensitivity(a, std::move(loaded), p); !error.empty()) return stop(error);
    const scenario::Scenario& s = p.analysis.s;

    std::string path = sensitivity_output(a, s.name);
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
        if (const std::string error = plan_sensitivity(a, std::move(s), p); !error.empty())
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
    auto options = std::make_shared<std::deque<MethodOption>>(method_options());
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
