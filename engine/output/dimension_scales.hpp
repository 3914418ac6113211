#pragma once
// Named axes in the result file (docs/hdf5-layout.md, "Named axes"): HDF5
// dimension scales (H5DS) for the years, the quantile levels and each of the
// scenario's dimensions, attached to the axes of the summaries and kept
// samples; and for each dimensioned output NAME, /summary/NAME/... and
// /samples/NAME with the dimensions as trailing axes (declaration order),
// stacked from the per-element groups NAME[e1,e2] the run wrote.
#include <string>

#include <hdf5.h>

#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

// After the summaries (and kept samples) are written; `path` names the file
// in messages; `root` is the group holding years/, summary/ (and samples/):
// "" for a result file, "/variants/NAME" for a sweep's variant, whose
// dimension scales go to its own /variants/NAME/dimensions (beside its years
// and quantile_levels). Throws OutputError.
void write_named_axes(hid_t file, const std::string& path, const scenario::Scenario& s, const std::string& root = "");

}  // namespace flopcast::output
