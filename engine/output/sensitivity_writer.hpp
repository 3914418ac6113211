#pragma once
// /sensitivity/<method>/<output>/ in the result file: the contract with the
// plotting scripts, documented in docs/sensitivity.md. Arrays are
// [factor, year] for a yearly output and [factor] for a scalar one; the
// factor (input or group) names are the string dataset `inputs`. What goes
// in is the method's Record (engine/sensitivity/record.hpp): this file
// knows no method.
#include "engine/output/result_file.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/record.hpp"

namespace flopcast::output {

// Throws OutputError naming the file when HDF5 fails.
void write_sensitivity(ResultFile& file, const scenario::Scenario& s, const sensitivity::Record& r);

}  // namespace flopcast::output
