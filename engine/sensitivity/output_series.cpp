#include "engine/sensitivity/output_series.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace flopcast::sensitivity {

const char* transform_name(Transform t) {
    switch (t) {
    case Transform::Log10: return "log10";
    case Transform::Rank: return "rank";
    case Transform::None: break;
    }
    return "none";
}

OutputLayout layout_of(const scenario::Model& s, const std::vector<std::size_t>& outputs,
                       const std::vector<Transform>& transforms) {
    if (!transforms.empty() && transforms.size() != outputs.size())
        throw std::invalid_argument("one transform per analysed output");
    OutputLayout layout;
    layout.outputs = outputs;
    layout.transform = transforms.empty() ? std::vector<Transform>(outputs.size(), Transform::None) : transforms;
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
    for (std::size_t j = 0; j < layout.series.size(); ++j) {
        double* dst = out.data() + j * n;
        std::memcpy(dst, ws.values(layout.series[j].quantity, layout.series[j].year).data(), n * sizeof(double));
        if (layout.transform[layout.series[j].output] == Transform::Log10)
            for (std::size_t i = 0; i < n; ++i)
                dst[i] = dst[i] > 0.0 ? std::log10(dst[i]) : std::numeric_limits<double>::quiet_NaN();
    }
}

std::vector<OutputGrid> grids_of(const scenario::Model& s, const OutputLayout& layout) {
    std::vector<OutputGrid> grids;
    for (std::size_t o = 0; o < layout.outputs.size(); ++o) {
        const int q = s.outputs[layout.outputs[o]].quantity;
        grids.push_back(OutputGrid{s.outputs[layout.outputs[o]].name, s.program.shape(q) == formula::Shape::Yearly,
                                   layout.width[o], layout.transform[o]});
    }
    return grids;
}

}  // namespace flopcast::sensitivity
