#pragma once
// Spearman and partial rank correlation (PRCC) of every input with every
// output and year, from an ordinary run's samples.
//
// The samples are those of `flopcast run` with the same seed and sample
// count (run::run_scenario, the scenario's own sampling and dependence), so
// correlated inputs are fine here; the run's statistics come back too, for
// /summary. Inputs are redrawn block by block with run::InputSampler (the
// same draws); inputs and outputs are then held in memory, N x (D + series)
// numbers, and ranked. A per-year input is ranked against a yearly output by
// its value in the same year, and against a scalar output (a CAGR) by the
// mean of its yearly ranks. Rows where the output is NaN are left out (ranks
// recomputed on the rest); infinities rank as the extremes they are.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/run/run_state.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/block_loop.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"

namespace flopcast::sensitivity {

struct CorrelationOptions {
    std::uint64_t samples = 20000;
    std::uint64_t seed = 1;
    int threads = 0;
    std::vector<std::size_t> outputs;  // indices into Scenario::outputs
    std::vector<Transform> transforms;  // per output, or empty: none
    BlockProgress progress;            // samples, not blocks
};

struct CorrelationOutput {
    OutputGrid grid;
    std::vector<double> spearman, prcc;  // [input][year]
    std::vector<std::uint64_t> count;    // [year]: samples ranked (not NaN)
};

struct CorrelationResult {
    std::vector<Factor> factors;  // one input each
    std::vector<CorrelationOutput> outputs;
    CorrelationOptions options;
    run::RunResult run;  // the ordinary run the samples came from
    int threads = 0;
    double seconds = 0.0;
};

// Throws std::invalid_argument for 0 samples, and FactorError for a grouped
// factor (rank correlations are per input).
[[nodiscard]] CorrelationResult rank_correlations(const scenario::Model& s, const std::vector<Factor>& factors,
                                                  const CorrelationOptions& options);

// The pieces of rank_correlations, for shards and MPI ranks. Ranks need
// every sample at once, so the mergeable state of blocks [first, end) of the
// run is their samples themselves (inputs and analysed outputs) with the
// run's state of those blocks; appending states in block order concatenates
// the rows exactly, and the ranking is done once on all of them.
struct CorrelationSamples {
    std::uint64_t first_block = 0, next_block = 0;
    std::uint64_t rows = 0;                // samples held
    std::size_t dimensions = 0, series = 0;
    // Columns, so appending a later range grows each in place.
    std::vector<std::vector<double>> inputs;   // [dimension][row]
    std::vector<std::vector<double>> outputs;  // [series][row]
    run::RunState run;                     // the ordinary run's state of these blocks
};
// Throws std::invalid_argument (a bug, not the user's) unless `all` holds
// `rows` samples of every input dimension and of `series` output series;
// `what` names the method in the message.
void check_samples_fit(const CorrelationSamples& all, std::uint64_t rows, std::size_t series, std::size_t dimensions,
                       const char* what);
[[nodiscard]] std::uint64_t correlation_block_count(const CorrelationOptions& options);
[[nodiscard]] CorrelationSamples correlation_blocks(const scenario::Model& s, const std::vector<Factor>& factors,
                                                    const CorrelationOptions& options, std::uint64_t first,
                                                    std::uint64_t end);
// Appends `later`, which must start where `samples` ends. Throws
// run::StateError otherwise.
void append_samples(CorrelationSamples& samples, const CorrelationSamples& later);
// The correlations from the samples of every block (run: their summary).
[[nodiscard]] CorrelationResult correlation_result(const scenario::Model& s, const std::vector<Factor>& factors,
                                                   const CorrelationOptions& options, const CorrelationSamples& all,
                                                   run::RunResult run);

// Its entry in the catalogue (catalogue.hpp): --method correlation.
struct MethodRow;
struct CorrelationMethod {
    using State = CorrelationSamples;
    using Result = CorrelationResult;
    static const MethodRow& row();
};

}  // namespace flopcast::sensitivity
