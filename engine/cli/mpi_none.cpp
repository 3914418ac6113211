// Builds without MPI: `flopcast run` is always one process.
#include "engine/cli/mpi_run.hpp"

namespace flopcast::cli {

bool mpi_active() { return false; }
int mpi_run_command(const RunArgs&) { return kExitInternal; }
void mpi_finish() {}

}  // namespace flopcast::cli
