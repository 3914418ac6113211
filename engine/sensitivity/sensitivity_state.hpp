#pragma once
// The mergeable state of a share of a sensitivity design: what
// `flopcast sensitivity --shard i/N` writes, what MPI ranks send to rank 0.
//
// A share is a range of the design's blocks [first_block, next_block) and a
// range of the summary run's blocks (the ordinary run behind /summary). Its
// state is the method's accumulators over those blocks, held as in
// run_state.hpp so that states of consecutive ranges, appended in order,
// give exactly the bits of one process:
//   sobol        Saltelli sums (point estimate and every bootstrap replicate)
//                as OrderedReduction nodes over block numbers;
//   morris       the elementary effects' moments, the same way;
//   tornado      the outputs at the points of the blocks (at most a block or
//                two: nothing to reduce);
//   correlation  the samples themselves (ranks need them all), concatenated.
// The summary run's state is a run::RunState; for correlation it is the run
// the samples come from.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/run/run_state.hpp"
#include "engine/sensitivity/catalogue.hpp"

namespace flopcast::sensitivity {

struct SensitivityState {
    std::uint64_t first_block = 0, next_block = 0;  // the design's blocks covered
    // The method's state; which alternative is held says which method (its
    // index in the catalogue). Given-data methods (CorrelationSamples) hold
    // their run, the summary, in it.
    MethodState method;
    run::RunState summary;  // the summary run's blocks (not given-data methods)
};

// The method a state is of, and whether its state holds its own run.
[[nodiscard]] const MethodRow& method_of(const SensitivityState& state);
[[nodiscard]] bool keeps_run(const MethodState& state);
// The run behind /summary: the summary's, or the given-data samples' own.
[[nodiscard]] const run::RunState& summary_run(const SensitivityState& state);

// Bytes in a versioned little-endian format ("FLCSENSS", version, method
// index, ranges, the method's accumulators, then the summary's
// run::serialize bytes). deserialize throws run::StateError for a truncated,
// corrupt or foreign state.
[[nodiscard]] std::vector<std::uint8_t> serialize(const SensitivityState& state);
[[nodiscard]] SensitivityState deserialize_sensitivity(std::span<const std::uint8_t> bytes);

// Appends `later`, which must be of the same method and start where `state`
// ends (design and summary blocks). Throws run::StateError otherwise.
void append(SensitivityState& state, const SensitivityState& later);

}  // namespace flopcast::sensitivity
