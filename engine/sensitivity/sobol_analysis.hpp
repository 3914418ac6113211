#pragma once
// First-order and total Sobol indices of every factor for every output and
// year, from a Saltelli design streamed in blocks, with Poisson-bootstrap
// percentile intervals (saltelli.hpp, bootstrap.hpp).
//
// Rows i of A and B are one point of a 2D-dimensional uniform design (D the
// input dimensions): row block b (rows 2048 b ..) draws from
// run::block_engine(seed, b) — A's D rows of 2048 uniforms, then B's — or,
// with UniformDesign::Sobol, takes points 2048 b .. of a digitally shifted
// 2D-dimensional Sobol sequence. Uniforms become inputs by each input's
// quantile, with year correlation and the scenario's copula applied as in a
// run (correlated inputs must share a factor). Cost: N (k + 2) evaluations.
//
// Memory does not grow with N: per block, its sums (1 + R weightings x
// series x (5 k + 5) numbers) are merged along the fixed binary tree over
// block numbers (stats::OrderedReduction), so the bits do not depend on the
// thread count either.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/block_loop.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"
#include "engine/sensitivity/saltelli.hpp"
#include "engine/stats/ordered_reduction.hpp"

namespace flopcast::sensitivity {

enum class UniformDesign { MonteCarlo, Sobol };

struct SobolOptions {
    std::uint64_t rows = 8192;  // N
    std::uint64_t seed = 1;
    int threads = 0;
    std::size_t bootstrap = 200;  // replicates; 0: no intervals
    double confidence = 0.95;
    UniformDesign design = UniformDesign::MonteCarlo;
    std::vector<std::size_t> outputs;  // indices into Scenario::outputs
    std::vector<Transform> transforms;  // per output, or empty: none
    BlockProgress progress;
};

struct SobolOutput {
    OutputGrid grid;
    // [factor][year]; NaN where the output does not vary.
    std::vector<double> first, total;
    std::vector<double> first_low, first_high, total_low, total_high;  // NaN without bootstrap
    std::vector<double> variance;    // [year]: V
    std::vector<std::uint64_t> rows; // [factor][year]: rows with finite values counted
    std::vector<std::string> warnings;  // [year]: why the indices cannot be trusted (trust.hpp), or ""
};

struct SobolResult {
    std::vector<Factor> factors;
    std::vector<SobolOutput> outputs;
    SobolOptions options;
    std::uint64_t evaluations = 0;  // N (k + 2)
    int threads = 0;
    double seconds = 0.0;
};

// The model evaluations the design costs: N (k + 2).
[[nodiscard]] std::uint64_t sobol_evaluations(std::uint64_t rows, std::size_t factors);

// Throws std::invalid_argument naming the option and its value (rows 0,
// confidence outside (0, 1), too many dimensions for the Sobol sequence), and
// FactorError when correlated inputs are in different factors.
[[nodiscard]] SobolResult sobol_indices(const scenario::Model& s, const std::vector<Factor>& factors,
                                        const SobolOptions& options);

// The pieces of sobol_indices, for shards and MPI ranks: the design's row
// blocks, the sums of blocks [first, end) along the fixed merge tree (a
// reduction that continues another's when its range does), and the indices
// from the sums of all blocks. sobol_indices is
// sobol_result(sobol_blocks(0, sobol_block_count).result()).
using SaltelliReduction = stats::OrderedReduction<SaltelliSums>;
[[nodiscard]] std::uint64_t sobol_block_count(const SobolOptions& options);
[[nodiscard]] SaltelliReduction sobol_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                             const SobolOptions& options, std::uint64_t first, std::uint64_t end);
[[nodiscard]] SobolResult sobol_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                       const SobolOptions& options, const SaltelliSums& total);

// Fills every output's `warnings` (trust.hpp) from the indices and from an
// ordinary run of the same scenario (`run`: its outputs in scenario order).
void add_trust_warnings(const scenario::Model& s, const run::RunResult& run, SobolResult& result);

// Its entry in the catalogue (catalogue.hpp): --method sobol.
struct MethodRow;
struct SobolMethod {
    using State = SaltelliReduction;
    using Result = SobolResult;
    static const MethodRow& row();
};

}  // namespace flopcast::sensitivity
