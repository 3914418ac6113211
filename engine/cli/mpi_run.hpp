#pragma once
// `mpirun -np R flopcast run ...`: each rank computes its share of the blocks
// (as shard rank/R would), the states are gathered to rank 0 in rank order and
// appended along the fixed merge tree, and rank 0 writes the one result file:
// bit-identical to one process. Only in builds with -DFLOPCAST_MPI=ON.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/cli/run_command.hpp"

namespace flopcast::cli {

// Whether this process runs under MPI with more than one rank (false in a
// build without MPI). Initializes MPI on first call.
[[nodiscard]] bool mpi_active();

// run_command for R > 1 ranks; every rank calls it and gets the exit code.
int mpi_run_command(const RunArgs& args);

// The pieces other commands (`flopcast sensitivity`) use under mpirun; in a
// build without MPI, one rank of one.
[[nodiscard]] int mpi_rank();
[[nodiscard]] int mpi_ranks();
// Whether every rank is ok; every rank must call it (a collective).
[[nodiscard]] bool mpi_all_ok(bool ok);
// Ends the whole job with a message naming this rank: no rank is left waiting.
[[noreturn]] void mpi_abort(const std::string& message, int code);
// Every rank's bytes at rank 0, in rank order (elsewhere: empty). A collective.
[[nodiscard]] std::vector<std::vector<std::uint8_t>> mpi_gather(const std::vector<std::uint8_t>& mine);

// Finalizes MPI if it was initialized (called at exit of main).
void mpi_finish();

}  // namespace flopcast::cli
