#pragma once
// Morris elementary effects: screening many factors for r (k + 1) evaluations.
//
// The unit hypercube gets p levels per factor, the centres (l + 1/2) / p of p
// equal strata (so no quantile is asked for 0 or 1, where most are
// infinite). A trajectory starts at a random level of every factor and moves
// the factors one at a time, in a random order, by p / 2 levels: up from the
// lower half, down from the upper half, so the step is Delta = 1/2 in u. The
// elementary effect of factor j is (f(upper) - f(lower)) / Delta; over the r
// trajectories, mu* = mean |EE| ranks the factors (Campolongo et al. 2007),
// mu = mean EE gives the direction, sigma = sd EE flags interactions and
// non-linearity. A per-year input takes one level in every year; every input
// of a group moves together. p must be even.
//
// Trajectories are streamed in blocks of floor(2048 / (k + 1)); block b draws
// its trajectories from run::block_engine(seed, b), so trajectory i is the
// same whatever r and the thread count, and the block statistics merge along
// the fixed tree of stats::OrderedReduction.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/block_loop.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"
#include "engine/stats/moments.hpp"
#include "engine/stats/ordered_reduction.hpp"

namespace flopcast::sensitivity {

struct MorrisOptions {
    std::uint64_t trajectories = 20;  // r
    int levels = 4;                   // p, even
    std::uint64_t seed = 1;
    int threads = 0;
    std::vector<std::size_t> outputs;  // indices into Scenario::outputs
    std::vector<Transform> transforms;  // per output, or empty: none
    BlockProgress progress;
};

struct MorrisOutput {
    OutputGrid grid;
    std::vector<double> mu, mu_star, sigma;  // [factor][year]
    std::vector<std::uint64_t> count;        // [factor][year]: finite elementary effects
};

struct MorrisResult {
    std::vector<Factor> factors;
    std::vector<MorrisOutput> outputs;
    MorrisOptions options;
    double delta = 0.5;
    std::uint64_t evaluations = 0;  // r (k + 1)
    int threads = 0;
    double seconds = 0.0;
};

// One trajectory's points: (k + 1) rows of k levels in 0..p-1, row 0 the
// start; row m differs from row m - 1 in factor order[m - 1] only.
struct Trajectory {
    std::vector<int> start;            // k levels
    std::vector<std::size_t> order;    // a permutation of 0..k-1: the factor moved by step m
    std::vector<std::size_t> step_of;  // its inverse: the step that moves factor j
};

// The level a factor moves to from `level`: p / 2 up from the lower half, down from the upper.
[[nodiscard]] int other_level(int level, int levels);

// The trajectories of one block, from run::block_engine(seed, block).
[[nodiscard]] std::vector<Trajectory> morris_trajectories(std::uint64_t seed, std::uint64_t block, std::size_t count,
                                                          std::size_t factors, int levels);

// Throws std::invalid_argument naming the option and its value (r = 0, p odd
// or below 2, k + 1 points not fitting one block), and FactorError when
// correlated inputs are in different factors.
[[nodiscard]] MorrisResult morris(const scenario::Model& s, const std::vector<Factor>& factors,
                                  const MorrisOptions& options);

// The statistics of some blocks' trajectories, per series and factor
// ([series][factor]); merged along the fixed tree over block numbers.
struct MorrisSums {
    std::vector<stats::Moments> effect, magnitude;  // of EE and |EE|
    void merge(const MorrisSums& other);
};

// The pieces of morris(), for shards and MPI ranks: blocks of trajectories,
// the statistics of blocks [first, end) along the fixed merge tree, and the
// result from those of all blocks. morris() is
// morris_result(morris_blocks(0, morris_block_count).result()).
using MorrisReduction = stats::OrderedReduction<MorrisSums>;
[[nodiscard]] std::uint64_t morris_block_count(std::size_t factors, const MorrisOptions& options);
[[nodiscard]] MorrisReduction morris_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                            const MorrisOptions& options, std::uint64_t first, std::uint64_t end);
[[nodiscard]] MorrisResult morris_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                         const MorrisOptions& options, const MorrisSums& total);

// Its entry in the catalogue (catalogue.hpp): --method morris.
struct MethodRow;
struct MorrisMethod {
    using State = MorrisReduction;
    using Result = MorrisResult;
    static const MethodRow& row();
};

}  // namespace flopcast::sensitivity
