#pragma once
// /posterior/<output>/...: the statistics weighted by the scenario's
// observations, mirroring /summary/<output>/... (same names, shapes and
// histogram edges), with the effective sample size and the log of the mean
// weight as attributes of /posterior; and /observations/<name>, what each
// observation says and how restrictive it is alone. docs/hdf5-layout.md.
#include "engine/output/result_file.hpp"
#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

// Needs r.posterior. Throws OutputError.
void write_posterior(ResultFile& file, const scenario::Scenario& s, const run::RunResult& r);

// The prior's share of finite samples below x (a PIT value), read off the
// sketch by bisection on its quantile function; NaN when it has no samples.
[[nodiscard]] double prior_share_below(const stats::SeriesStats& st, double x);

// The value an observation is centred on: the median of a lognormal, the
// mean of a normal, the middle of a between.
[[nodiscard]] double observed_centre(const scenario::ObservationSpec& o);

// The prior series of the output an observation reads, when `of` is an
// output (null otherwise: then no PIT value can be given).
[[nodiscard]] const stats::SeriesStats* observed_prior(const scenario::Scenario& s, const run::RunResult& r,
                                                       const scenario::ObservationSpec& o);

}  // namespace flopcast::output
