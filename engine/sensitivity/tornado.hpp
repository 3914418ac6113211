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
    std::vector<Transform> transforms;  // per output, or empty: none
    int threads = 0;
};

struct TornadoOutput {
    OutputGrid grid;
    std::vector<double> baseline;   // [year]: every input at its median
    std::vector<double> run_median; // [year]: the median of an ordinary run (not the baseline); empty if not given
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
[[nodiscard]] TornadoResult tornado(const scenario::Model& s, const std::vector<Factor>& factors,
                                    const TornadoOptions& options);

// The pieces of tornado(), for shards and MPI ranks: the 2k + 1 points in
// blocks of 2048, the outputs at the points of blocks [first, end)
// ([block][series][2048], blocks appended in order), and the result from
// those of all blocks. tornado() is tornado_result(tornado_blocks(0, count)).
[[nodiscard]] std::uint64_t tornado_block_count(std::size_t factors);
[[nodiscard]] std::vector<double> tornado_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                                 const TornadoOptions& options, std::uint64_t first, std::uint64_t end);
[[nodiscard]] TornadoResult tornado_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                           const TornadoOptions& options, const std::vector<double>& values);

// Its entry in the catalogue (catalogue.hpp): --method tornado. Its state is
// the values of tornado_blocks.
struct MethodRow;
struct TornadoMethod {
    using State = std::vector<double>;
    using Result = TornadoResult;
    static const MethodRow& row();
};

// Every series of the layout with every input at its median (quantile 0.5),
// series by series.
[[nodiscard]] std::vector<double> outputs_at_medians(const scenario::Model& s, const OutputLayout& layout);

}  // namespace flopcast::sensitivity
