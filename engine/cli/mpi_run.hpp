#pragma once
// `mpirun -np R flopcast run ...`: each rank computes its share of the blocks
// (as shard rank/R would), the states are gathered to rank 0 in rank order and
// appended along the fixed merge tree, and rank 0 writes the one result file:
// bit-identical to one process. Only in builds with -DFLOPCAST_MPI=ON.
#include "engine/cli/run_command.hpp"

namespace flopcast::cli {

// Whether this process runs under MPI with more than one rank (false in a
// build without MPI). Initializes MPI on first call.
[[nodiscard]] bool mpi_active();

// run_command for R > 1 ranks; every rank calls it and gets the exit code.
int mpi_run_command(const RunArgs& args);

// Finalizes MPI if it was initialized (called at exit of main).
void mpi_finish();

}  // namespace flopcast::cli
