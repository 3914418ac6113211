#pragma once
// /convergence/ of a result file: a precision run's targets and how their
// estimates and half-widths evolved check by check (docs/hdf5-layout.md).
#include <span>

#include "engine/output/result_file.hpp"
#include "engine/run/precision.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

// One subgroup per target, named after it (e.g. p95_total_a100_2027), with
// samples, estimate, half_width and allowed per check. Throws OutputError.
void write_convergence(ResultFile& file, const scenario::Scenario& s, std::span<const run::PrecisionTarget> targets,
                       double confidence, std::size_t groups, std::uint64_t max_samples,
                       std::span<const run::PrecisionStatus> history);

}  // namespace flopcast::output
