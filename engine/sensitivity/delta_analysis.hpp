#pragma once
// Borgonovo's moment-independent delta of every input for every output and
// year, from an ordinary run's samples (given data: no special design).
//
//   delta_i = 1/2 E_{X_i}[ integral |f_Y(y) - f_{Y|X_i}(y)| dy ]
//           = 1/2 integral integral |c(u, v) - 1| du dv,
// c the copula density of (X_i, Y): 0 when Y does not depend on X_i, 1 when
// Y is a function of X_i alone (and nothing else varies), and unchanged by
// any increasing transform of the input or the output (log, ranks): it reads
// the whole distribution, not the variance, so a heavy tail does not distort
// it the way it does Sobol indices (docs/sensitivity.md).
//
// Estimator: the copula's histogram on an M x M grid of equal-count classes
// of the input's ranks and the output's ranks (Plischke, Borgonovo and
// Smith 2013 partition the input the same way). With O the count of a cell,
// E = n_m n_b / n its count under independence and V its variance then,
//   delta = sum over cells sqrt(max((O - E)^2 - V, 0)) / (2 n),
// the |O - E| of each cell with its sampling noise taken out. M defaults to
// round(n^(1/4)) (12 at 20,000 samples, 16 at 65,536): finer grids see more of
// the copula, coarser ones less noise. A dummy input (a pseudo-random column
// independent of everything, from the seed) is analysed the same way: its
// `dummy` index is the level below which an index is noise.
//
// The samples are correlation_analysis.hpp's (same run, same blocks, same
// state); dependence between inputs is allowed (delta is defined for any
// joint distribution). A per-year input is classed by its value in the
// output's year, and against a scalar output by the mean of its yearly
// ranks. Rows where the output is NaN are left out.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"

namespace flopcast::sensitivity {

struct DeltaOptions {
    std::uint64_t samples = 20000;
    std::uint64_t seed = 1;
    std::size_t classes = 0;  // M; 0: round(n^(1/4)), at least 2
    int threads = 0;
    std::vector<std::size_t> outputs;  // indices into Scenario::outputs
    std::vector<Transform> transforms;  // per output, or empty: none
};

struct DeltaOutput {
    OutputGrid grid;
    std::vector<double> delta;          // [factor][year]
    std::vector<double> dummy;          // [year]: the index of an input that does not matter
    std::vector<std::uint64_t> count;   // [year]: samples used (output not NaN)
    std::vector<std::uint64_t> classes; // [year]: M
};

struct DeltaResult {
    std::vector<Factor> factors;
    std::vector<DeltaOutput> outputs;
    DeltaOptions options;
    int threads = 0;
    double seconds = 0.0;
};

// The grid size for n samples: `classes`, or round(n^(1/4)) and at least 2.
[[nodiscard]] std::size_t delta_classes(std::uint64_t n, std::size_t classes);

// The estimate from paired ranks (any ties allowed) of one input and one
// output, n each, on an M x M grid.
[[nodiscard]] double delta_from_ranks(const std::vector<double>& input_ranks, const std::vector<double>& output_ranks,
                                      std::size_t classes);

// The indices from the samples of every block (correlation_blocks with the
// same samples, seed and outputs).
[[nodiscard]] DeltaResult delta_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                       const DeltaOptions& options, const CorrelationSamples& all);

// The whole analysis in one process.
[[nodiscard]] DeltaResult delta_indices(const scenario::Model& s, const std::vector<Factor>& factors,
                                        const DeltaOptions& options);

// Its entry in the catalogue (catalogue.hpp): --method delta. Its state is
// the samples of correlation_blocks.
struct MethodRow;
struct DeltaMethod {
    using State = CorrelationSamples;
    using Result = DeltaResult;
    static const MethodRow& row();
};

}  // namespace flopcast::sensitivity
