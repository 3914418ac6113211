#pragma once
// What an index is about: one output in one year, or a scalar output (a CAGR,
// one number per trajectory). Results are stored per output as [factor][year]
// grids, width Y for a yearly output and 1 for a scalar one.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "engine/formula/program.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::sensitivity {

// What an analysis reads of an output (--transform): the output itself, its
// log10 (a positive output; other values become NaN and their rows are left
// out), or its rank.
enum class Transform { None, Log10, Rank };
[[nodiscard]] const char* transform_name(Transform t);  // "none", "log10", "rank"

struct OutputSeries {
    std::size_t output = 0;  // index into the analysed outputs (OutputLayout::outputs)
    std::size_t year = 0;    // year index; 0 for a scalar output
    int quantity = -1;
};

struct OutputLayout {
    std::vector<std::size_t> outputs;      // indices into Scenario::outputs
    std::vector<std::size_t> width;        // per analysed output: Y or 1
    std::vector<std::size_t> first_series; // per analysed output
    std::vector<OutputSeries> series;      // every output's years, output by output
    std::vector<Transform> transform;      // per analysed output
};

// The series of the given outputs (indices into Scenario::outputs), in that
// order; `transforms`, one per output, or empty for none.
[[nodiscard]] OutputLayout layout_of(const scenario::Model& s, const std::vector<std::size_t>& outputs,
                                     const std::vector<Transform>& transforms = {});

// Every series' values for the block in ws into out (series rows of n),
// log10 taken where the layout says so (Rank is the method's business).
void copy_series(const OutputLayout& layout, const formula::Workspace& ws, std::size_t n, std::span<double> out);

// The shape of one analysed output's results.
struct OutputGrid {
    std::string name;
    bool yearly = false;
    std::size_t width = 1;  // years, or 1
    Transform transform = Transform::None;
};

// The outputs' names and shapes, in layout order.
[[nodiscard]] std::vector<OutputGrid> grids_of(const scenario::Model& s, const OutputLayout& layout);

}  // namespace flopcast::sensitivity
