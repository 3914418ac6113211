#include "engine/sensitivity/output_series.hpp"

#include <cstring>

namespace flopcast::sensitivity {

OutputLayout layout_of(const scenario::Scenario& s, const std::vector<std::size_t>& outputs) {
    OutputLayout layout;
    layout.outputs = outputs;
    for (std::size_t o = 0; o < outputs.size(); ++o) {
        const int q = s.outputs.at(outputs[o]).quantity;
        const std::size_t width = s.program.shape(q) == formula::Shape::Yearly ? s.years.size() : 1;
        layout.width.push_back(width);
        layout.first_series.push_back(layout.series.size());
        for (std::size_t t = 0; t < width; ++t) layout.series.push_back(OutputSeries{o, t, q});
    }
    return layout;
}

void copy_series(const OutputLayout& layout, const formula::Workspace& ws, std::size_t n, std::span<double> out) {
    for (std::size_t j = 0; j < layout.series.size(); ++j)
        std::memcpy(out.data() + j * n, ws.values(layout.series[j].quantity, layout.series[j].year).data(),
                    n * sizeof(double));
}

std::vector<OutputGrid> grids_of(const scenario::Scenario& s, const OutputLayout& layout) {
    std::vector<OutputGrid> grids;
    for (std::size_t o = 0; o < layout.outputs.size(); ++o) {
        const int q = s.outputs[layout.outputs[o]].quantity;
        grids.push_back(OutputGrid{s.outputs[layout.outputs[o]].name, s.program.shape(q) == formula::Shape::Yearly,
                                   layout.width[o]});
    }
    return grids;
}

}  // namespace flopcast::sensitivity
