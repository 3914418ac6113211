#pragma once
// Stopping when the answer is precise enough: targets such as "the 95th
// percentile of total in 2027 to +-0.5 % at 95 % confidence", judged by batch
// means over independent groups of blocks (stats/batch_means.hpp), so the
// error bars hold for quantiles as well as for means.
//
// Groups: block b belongs to group b mod G. Under Monte Carlo and Latin
// hypercube sampling every block is independent, and G = kPrecisionGroups,
// one block per group in each wave; under Sobol sampling the points within
// a replicate are not independent, so the groups are the replicates.
// Only the series a target names are kept per group: a separate sketch per
// group for every series would cost ~40 % of the throughput.
//
// When to look: checks are made after whole waves at block counts fixed in
// advance (every wave up to 64 waves, then about every 6 %), a pure integer
// function of the block count, so the run stops at the same block whatever
// the thread count, machine or interruptions; results are those of a plain
// run with that many samples.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/run/run_state.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::run {

// Equal to kWaveBlocks, so every wave adds one block to every group.
inline constexpr std::size_t kPrecisionGroups = 32;

// A quantile's half-width includes the sketch's 0.1 % resolution, so a
// relative target must leave room for the sampling error too.
inline constexpr double kMinimumQuantileTolerance = 0.002;

// A target that cannot be parsed or does not fit the scenario; what() says
// which part and what is accepted.
class PrecisionError : public std::invalid_argument {
public:
    explicit PrecisionError(const std::string& m) : std::invalid_argument(m) {}
};

struct PrecisionTarget {
    std::string spec;         // as written, e.g. "p95:total_a100@2027:0.5%"
    std::size_t output = 0;   // index into the scenario's outputs
    std::optional<int> year;  // for a yearly output
    std::size_t series = 0;   // index in SeriesLayout order
    bool quantile = false;    // else the mean
    double level = 0.5;       // the quantile's level, in (0, 1)
    double tolerance = 0.0;   // half-width allowed: a fraction of |estimate| when relative
    bool relative = true;
    std::string statistic;    // as written: "mean", "median", "p95", "p99.9"
    bool posterior = false;   // "posterior:" in front: the conditioned quantile
};

// STAT:OUTPUT[@YEAR]:TOL where STAT is mean, median or pNN (0 < NN < 100,
// decimals allowed), YEAR is required for a yearly output, and TOL is a
// relative half-width with % ("0.5%") or an absolute one in the output's
// units ("2e5"). A relative quantile tolerance must be at least
// kMinimumQuantileTolerance. With "posterior:" in front (posterior:p95:
// total_a100@2027:1%) the target is the quantile of the posterior (the
// scenario's [observations]); a posterior mean is not offered. Throws
// PrecisionError.
[[nodiscard]] PrecisionTarget parse_precision_target(const std::string& spec, const scenario::Scenario& s);

// The sorted, distinct series the targets name: the ones to keep per group.
[[nodiscard]] std::vector<std::size_t> precision_series(std::span<const PrecisionTarget> targets);
// Those of the posterior targets: their weighted sketch is kept per group too.
[[nodiscard]] std::vector<std::size_t> posterior_precision_series(std::span<const PrecisionTarget> targets);

// Whether the run looks at its precision after `block` blocks (see above).
[[nodiscard]] bool is_precision_check(std::uint64_t block);

struct TargetStatus {
    double estimate = 0.0;    // from all samples so far
    // Batch-means half-width at the confidence level; for a quantile plus
    // the sketch's resolution, 0.1 % of |estimate|.
    double half_width = 0.0;
    double allowed = 0.0;     // the target half-width, in the output's units
    bool ready = false;       // enough samples per group to trust the interval
    bool met = false;         // ready and half_width <= allowed
};

struct PrecisionStatus {
    std::uint64_t samples = 0;
    std::vector<TargetStatus> targets;
    bool met = false;  // all targets met
};

// Judges the targets on a state whose groups keep precision_series(targets).
// A group is ready when it has at least 20 samples beyond the quantile
// (n * min(p, 1 - p) >= 20; n >= 20 for a mean): below that a tail quantile's
// group estimates are too coarse and too skewed for the t interval.
// A posterior target is judged on the groups' weighted quantiles, whose
// spread carries the weights' loss of precision, and counts effective
// samples: n * (ESS / N) * min(p, 1 - p) >= 20 per group, with ESS / N the
// run's share so far. So a small ESS share makes it need more samples than
// the same target on the prior.
// Throws PrecisionError if the state lacks a target's groups.
[[nodiscard]] PrecisionStatus assess_precision(const RunState& state, std::span<const PrecisionTarget> targets,
                                               double confidence, std::uint64_t samples);

}  // namespace flopcast::run
