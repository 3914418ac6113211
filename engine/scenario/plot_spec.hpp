#pragma once
// [plots.NAME]: a chart the scenario's author asks the report for, several
// outputs on one set of axes. The engine only checks it (names, kind); the
// drawing is scripts/flopcast_plots', which reads the table from the result
// file's scenario_text. See docs/plots.md.
#include <string>
#include <vector>

namespace flopcast::scenario {

enum class PlotKind { Lines, Stacked };

struct PlotSpec {
    std::string name;
    std::string title;                 // empty: the report makes one from the outputs
    PlotKind kind = PlotKind::Lines;   // lines: a median and 90 % band per output; stacked: medians stacked
    std::vector<std::string> outputs;  // names of [outputs.*] tables, in the order given
};

}  // namespace flopcast::scenario
