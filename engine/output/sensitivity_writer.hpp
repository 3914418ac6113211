#pragma once
// /sensitivity/<method>/<output>/ in the result file: the contract with the
// plotting scripts, documented in docs/sensitivity.md. Arrays are
// [factor, year] for a yearly output and [factor] for a scalar one; the
// factor (input or group) names are the string dataset `inputs`.
#include "engine/output/result_file.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/morris.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/tornado.hpp"

namespace flopcast::output {

// Each throws OutputError naming the file when HDF5 fails.
void write_tornado(ResultFile& file, const scenario::Scenario& s, const sensitivity::TornadoResult& r);
void write_sobol(ResultFile& file, const scenario::Scenario& s, const sensitivity::SobolResult& r);
void write_morris(ResultFile& file, const scenario::Scenario& s, const sensitivity::MorrisResult& r);
void write_correlation(ResultFile& file, const scenario::Scenario& s, const sensitivity::CorrelationResult& r);

}  // namespace flopcast::output
