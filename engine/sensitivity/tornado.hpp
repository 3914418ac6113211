#pragma once
// One-at-a-time swings: each factor at a low and a high percentile of its
// inputs, every other input at its median, and the output at each setting.
// A per-year input is set to the same percentile in every year; every input
// of a group moves together. Dependence between inputs is ignored (each is
// moved alone by definition). Deterministic: no sampling.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"

namespace flopcast::sensitivity {

struct TornadoOptions {
    double low = 0.1;   // percentile levels, 0 < low < high < 1
    double high = 0.9;
    std::vector<std::size_t> outputs;  // indices into Scenario::outputs
    int threads = 0;
};

struct TornadoOutput {
    OutputGrid grid;
    std::vector<double> baseline;   // [year]: every input at its median
    std::vector<double> low, high;  // [factor][year]: the factor at its low / high setting
    std::vector<double> swing;      // |high - low|
};

struct TornadoResult {
    std::vector<Factor> factors;
    std::vector<TornadoOutput> outputs;
    double low = 0.1, high = 0.9;
    std::uint64_t evaluations = 0;  // 2 k + 1
    int threads = 0;
    double seconds = 0.0;
};

// Throws std::invalid_argument naming `low` or `high` and the value when they
// are not 0 < low < high < 1.
[[nodiscard]] TornadoResult tornado(const scenario::Scenario& s, const std::vector<Factor>& factors,
                                    const TornadoOptions& options);

// Every series of the layout with every input at its median (quantile 0.5),
// series by series.
[[nodiscard]] std::vector<double> outputs_at_medians(const scenario::Scenario& s, const OutputLayout& layout);

}  // namespace flopcast::sensitivity
