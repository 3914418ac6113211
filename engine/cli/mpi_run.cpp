#include "engine/cli/mpi_run.hpp"
#include "engine/cli/utc_time.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mpi.h>

#include "engine/cli/number_format.hpp"
#include "engine/cli/output_names.hpp"
#include "engine/cli/posterior_report.hpp"
#include "engine/cli/summary_table.hpp"
#include "engine/cli/version.hpp"
#include "engine/output/output_path.hpp"
#include "engine/output/result_file.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/scenario_source.hpp"
#include "engine/scenario/load_scenario.hpp"

namespace flopcast::cli {
namespace {

int world_rank() {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int world_size() {
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

// Every rank learns whether all ranks may go on: a failure on any rank (an
// output file rank 0 cannot create, say) ends the job on all of them, so no
// rank waits forever for a partner that has given up.
bool all_ok(bool ok) {
    int mine = ok ? 1 : 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
}

[[noreturn]] void abort_job(const std::string& message, int code) {
    std::fprintf(stderr, "flopcast: rank %d: %s; stopping every rank\n", world_rank(), message.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
    std::abort();
}

}  // namespace

bool mpi_active() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    }
    return world_size() > 1;
}

int mpi_rank() { return world_rank(); }
int mpi_ranks() { return world_size(); }
bool mpi_all_ok(bool ok) { return all_ok(ok); }
void mpi_abort(const std::string& message, int code) { abort_job(message, code); }

std::vector<std::vector<std::uint8_t>> mpi_gather(const std::vector<std::uint8_t>& mine) {
    const int ranks = world_size();
    const bool root = world_rank() == 0;
    if (mine.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        abort_job(fmt::format("a state of {} bytes is more than one MPI message carries; use more ranks or shards",
                              mine.size()),
                  kExitInternal);
    int size = static_cast<int>(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(ranks)), offsets(static_cast<std::size_t>(ranks));
    MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<std::uint8_t> all;
    if (root) {
        long long total = 0;
        for (int r = 0; r < ranks; ++r) offsets[r] = static_cast<int>(total), total += sizes[r];
        if (total > std::numeric_limits<int>::max())
            abort_job(fmt::format("the ranks' states ({} bytes) are more than one MPI gather carries; use shards", total),
                      kExitInternal);
        all.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(mine.data(), size, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
    std::vector<std::vector<std::uint8_t>> out;
    if (root)
        for (int r = 0; r < ranks; ++r)
            out.emplace_back(all.begin() + offsets[r], all.begin() + offsets[r] + sizes[r]);
    return out;
}

void mpi_finish() {
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (initialized && !finalized) MPI_Finalize();
}

int mpi_run_command(const RunArgs& args) {
    const int rank = world_rank(), ranks = world_size();
    const bool root = rank == 0;
    const auto started = std::chrono::steady_clock::now();

    // Every rank loads the scenario itself: the same text gives the same
    // checks, so an input error stops all of them with one message from rank 0.
    scenario::Scenario s;
    std::string error;
    try {
        s = load_scenario_source(args.scenario, args.sets);
    } catch (const scenario::ScenarioError& e) {
        error = e.what();
    }
    if (error.empty() && (args.keep_samples || args.shard))
        error = args.shard ? "--shard and mpirun do the same thing; use one of them"
                           : "--keep-samples is not supported under mpirun yet; run shards (--shard i/N) and merge them";
    if (!all_ok(error.empty())) {
        if (root && !error.empty()) std::fprintf(stderr, "flopcast: %s\n", error.c_str());
        return kExitInput;
    }
    // Kept samples are not gathered across ranks yet: the outputs marked
    // keep = true are summarized as usual, and rank 0 says that their samples
    // are not in the file (rather than dropping them silently).
    std::vector<std::string> not_kept;
    for (auto& o : s.outputs)
        if (std::exchange(o.keep, false)) not_kept.push_back(o.name);
    if (root && !not_kept.empty() && !args.quiet)
        std::fprintf(stderr,
                     "flopcast: note: under mpirun the samples of %s (keep = true) are not written to the file; "
                     "their summaries are; to keep them, run shards (--shard i/N) and merge them\n",
                     fmt::format("{}", fmt::join(not_kept, ", ")).c_str());

    run::RunOptions options;
    options.samples = args.samples.value_or(s.samples);
    options.seed = args.seed.value_or(s.seed);
    options.threads = args.threads;
    const std::string path = args.output.empty() ? default_output(s.name) : args.output;

    // Rank 0 creates the output before anyone samples.
    std::optional<output::ResultFile> file;
    if (root) {
        try {
            file.emplace(output::checked_output_path(
                path, {{args.scenario, args.resume}, args.force, output::Replaceable::Result}));
        } catch (const output::OutputError& e) {
            error = e.what();
        }
    }
    if (!all_ok(error.empty())) {
        if (root) std::fprintf(stderr, "flopcast: %s\n", error.c_str());
        return kExitInput;
    }

    // Rank r computes what shard r/R would.
    const std::uint64_t blocks = run::block_count(options.samples);
    const std::uint64_t first = blocks * static_cast<std::uint64_t>(rank) / static_cast<std::uint64_t>(ranks);
    const std::uint64_t end = blocks * static_cast<std::uint64_t>(rank + 1) / static_cast<std::uint64_t>(ranks);
    std::vector<std::uint8_t> mine;
    try {
        // Tests make one rank fail on purpose, to prove the job then stops
        // instead of hanging in the gather below.
        if (const char* fail = std::getenv("FLOPCAST_MPI_FAIL_RANK"); fail && std::atoi(fail) == rank)
            throw std::runtime_error("failure injected by FLOPCAST_MPI_FAIL_RANK");
        mine = run::serialize(run::run_blocks(s, options, first, end));
    } catch (const std::exception& e) {
        abort_job(e.what(), kExitInternal);
    }

    // Gather to rank 0 in rank order: the order of the merge is fixed.
    const auto reduce_started = std::chrono::steady_clock::now();
    int size = static_cast<int>(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(ranks)), offsets(static_cast<std::size_t>(ranks));
    MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<std::uint8_t> all;
    if (root) {
        int total = 0;
        for (int r = 0; r < ranks; ++r) offsets[r] = total, total += sizes[r];
        all.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(mine.data(), size, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
    if (!root) return kExitOk;

    try {
        run::RunState state;
        for (int r = 0; r < ranks; ++r) {
            const auto part = run::deserialize(std::span<const std::uint8_t>(all).subspan(
                static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
            if (r == 0) state = part;
            else run::append(state, part);
        }
        const double reduce_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - reduce_started).count();
        run::RunResult result = run::to_result(s, state, options.samples);
        result.threads = run::thread_count(options) * ranks;
        result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        // As a one-process run: observations that leave no world write nothing.
        if (const auto why = posterior_error(s, result)) {
            std::fprintf(stderr, "flopcast: %s\n", why->c_str());
            return kExitInput;
        }
        file->write_results(s, result, {kVersion, kGitCommit, utc_now(), options.seed, options.samples, result.threads});
        file->commit();
        if (!args.quiet)
            std::printf("%s", fmt::format("{}\n{}\n{} samples, seed {}, {} MPI ranks, {:.2f} s ({}/s), reduction "
                                          "{:.3f} s; results in {}\n",
                                          s.title.empty() ? s.name : s.name + ": " + s.title, summary_table(s, result),
                                          grouped(options.samples), options.seed, ranks, result.wall_seconds,
                                          human(static_cast<double>(options.samples) / result.wall_seconds),
                                          reduce_seconds, path)
                                  .c_str());
        if (!args.quiet) std::printf("%s", posterior_lines(s, result).c_str());
        if (const auto warning = posterior_warning(s, result)) std::fprintf(stderr, "flopcast: warning: %s\n", warning->c_str());
        return kExitOk;
    } catch (const output::OutputError& e) {
        std::fprintf(stderr, "flopcast: %s\n", e.what());
        return kExitWrite;
    }
}

}  // namespace flopcast::cli
