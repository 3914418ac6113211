// Builds without MPI: `flopcast run` is always one process.
#include "engine/cli/mpi_run.hpp"

#include <cstdio>
#include <cstdlib>

namespace flopcast::cli {

bool mpi_active() { return false; }
int mpi_run_command(const RunArgs&) { return kExitInternal; }
void mpi_finish() {}
int mpi_rank() { return 0; }
int mpi_ranks() { return 1; }
bool mpi_all_ok(bool ok) { return ok; }
void mpi_abort(const std::string& message, int code) {
    std::fprintf(stderr, "flopcast: %s\n", message.c_str());
    std::exit(code);
}
std::vector<std::vector<std::uint8_t>> mpi_gather(const std::vector<std::uint8_t>& mine) { return {mine}; }

}  // namespace flopcast::cli
