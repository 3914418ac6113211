#pragma once
// What /summary/<output> and /posterior/<output> have in common, written by
// one function so that the two groups cannot drift apart: the output's
// description attributes and the datasets every accumulator of moments and
// a sketch gives (mean, std, stderr, min, max, count, quantiles). Each writer
// adds only what is its own (the prior's non-finite counts and groups, the
// posterior's ess and share above the reference, and the histograms, whose
// counts are integers in one and weights in the other).
#include <cstddef>
#include <cstdint>
#include <functional>

#include <hdf5.h>

#include "engine/output/hdf5_writer.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

// One series (an output in one year) as the summary datasets read it.
struct SeriesSummary {
    double mean = 0, std_dev = 0, std_error = 0, min = 0, max = 0;
    std::uint64_t count = 0;
};

// units, description, shape, display, formula and the reference (when the
// scenario gives one) of output k, as attributes of `group`.
void write_output_attributes(Writer& w, hid_t group, const scenario::Scenario& s, std::size_t k, bool yearly);

// mean, std, stderr, min, max and count (shape [n], or scalar when not
// yearly), then quantiles at kQuantileLevels ([q, n] or [q]): `row(t)` gives
// series t's figures, `quantile(t, p)` its quantile at level p.
void write_moment_datasets(Writer& w, hid_t group, bool yearly, std::size_t n,
                           const std::function<SeriesSummary(std::size_t)>& row,
                           const std::function<double(std::size_t, double)>& quantile);

}  // namespace flopcast::output
