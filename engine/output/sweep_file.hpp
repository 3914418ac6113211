#pragma once
// The parts of a sweep file beyond an ordinary result file's description
// (docs/hdf5-layout.md, "Sweep files"): one group per variant under
// /variants, laid out like a result file's root, and the /sweep table of the
// variants' settings and headline results.
#include <string>
#include <vector>

#include "engine/output/result_file.hpp"

namespace flopcast::output {

// The headline of one output in one variant: its last year (or its one value
// for an output with one value per trajectory).
struct Headline {
    int year = 0;  // 0 for a scalar output
    double mean = 0, p5 = 0, median = 0, p95 = 0;
};
[[nodiscard]] std::vector<Headline> headlines(const scenario::Scenario& s, const run::RunResult& r);

// Writes /variants/<name>/ (years, inputs, summary and the variant's
// attributes). Creates /variants on first use.
void write_variant(ResultFile& file, const std::string& name, const scenario::Scenario& s, const run::RunResult& r,
                   std::uint64_t seed, std::uint64_t samples, const std::vector<std::string>& settings);

// Writes /sweep: the variants in order, the value each gives each swept key
// ("" when it leaves the key alone) and every output's headline, and marks
// the file as a sweep (root attribute kind = "sweep").
struct SweepTable {
    std::vector<std::string> variants;
    std::vector<std::string> keys;
    std::vector<std::vector<std::string>> values;     // [variant][key]
    std::vector<std::vector<Headline>> headlines;     // [variant][output]
};
void write_sweep_table(ResultFile& file, const scenario::Scenario& s, const SweepTable& table);

}  // namespace flopcast::output
