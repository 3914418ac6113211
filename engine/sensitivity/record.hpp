#pragma once
// What a method writes under /sensitivity/<method>/ (docs/sensitivity.md),
// as plain data: the HDF5 writer (engine/output/sensitivity_writer) lays it
// out and knows no method, so a new method writes itself from its own file.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"

namespace flopcast::sensitivity {

// An attribute: a number, a text, or (per output only) one float64 per year,
// written as a scalar for a scalar output.
using AttributeValue = std::variant<std::uint64_t, std::int64_t, double, std::string, std::vector<double>>;
struct Attribute {
    std::string name;
    AttributeValue value;
};

// A dataset of one output: [factor, year] (Grid) or [year] (PerYear); a
// scalar output drops the year axis.
using Column = std::variant<std::vector<double>, std::vector<std::uint64_t>>;
enum class Extent { Grid, PerYear };
struct Dataset {
    std::string name;
    Extent extent = Extent::Grid;
    Column values;
};

// /sensitivity/<method>/<output>/: the writer adds `inputs`, `members` and
// `shape`, then these in order.
struct OutputRecord {
    OutputGrid grid;
    std::vector<Dataset> datasets;
    std::vector<Attribute> attributes;
};

// /sensitivity/<method>/: the writer adds `fixed_inputs`, `factors`,
// `threads` and `wall_time_seconds`, then these attributes in order.
struct Record {
    std::string method;
    std::vector<Factor> factors;
    int threads = 0;
    double seconds = 0.0;
    std::vector<Attribute> attributes;
    std::vector<OutputRecord> outputs;
};

}  // namespace flopcast::sensitivity
