#pragma once
// Draws every input of one block into a Workspace, by the scenario's design.
//
// Dimensions: every input takes one dimension, a per-year input one per year,
// in the order inputs are drawn (sorted by name), years in order. Under
// "lhs" and "sobol" each dimension is a row of uniforms turned into the
// input by its quantile function (inverse-CDF sampling, which is what lets a
// design drive any distribution). Under "mc" inputs are drawn directly by
// their distributions, except correlated inputs and per-year inputs with a
// year correlation, which go through normal scores and quantiles. Under "mc"
// each input (each year of a per-year input) has its own stream, keyed by its
// name (block_stream.hpp's input_engine), so variants of a scenario that
// change one input draw every other input identically.
//
// Families with a bulk quantile (distributions/bulk_quantile.hpp: normal,
// lognormal, uniform, loguniform, triangular, exponential, Weibull, any of
// them truncated or clipped) are drawn by inverse CDF in two vector passes
// per input and block: the stream's uniforms (block_stream.hpp's
// input_bits, Philox), then the quantile (engine/simd/bulk_apply.hpp).
// Normal scores for correlations come the same way. Other families keep
// their Boost.Random draws from input_engine. Designs' quantiles use the
// bulk quantile too where there is one.
#include <cstdint>
#include <optional>
#include <vector>

#include "distributions/bulk_quantile.hpp"
#include "engine/formula/program.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::run {

// What a thread reuses between blocks.
struct SamplerScratch {
    std::vector<double> uniforms;  // dimensions x block
    std::vector<double> normals;
};

class InputSampler {
public:
    InputSampler(const scenario::Model& s, std::uint64_t seed);

    [[nodiscard]] std::size_t dimensions() const noexcept { return dims_; }
    // The first dimension of input i (in Scenario::inputs order).
    [[nodiscard]] std::size_t first_dimension(std::size_t i) const { return first_dim_.at(i); }

    // Fills the inputs of block `block` (kBlockSize samples) in ws.
    void draw(std::uint64_t block, formula::Workspace& ws, SamplerScratch& scratch) const;

private:
    const scenario::Model& s_;
    std::uint64_t seed_;
    std::size_t dims_ = 0;
    std::vector<std::size_t> first_dim_;
    std::vector<bool> correlated_;  // per input
    std::vector<std::uint64_t> keys_;                    // per input: input_stream_key(name)
    std::vector<std::vector<std::uint64_t>> year_keys_;  // per per-year input and year
    std::vector<std::vector<std::optional<dist::BulkQuantile>>> bulk_;  // per input and distribution

    void draw_mc(std::uint64_t block, formula::Workspace& ws, SamplerScratch& scratch) const;
    void from_uniforms(formula::Workspace& ws, SamplerScratch& scratch) const;
    // out[i] = Q(u[i]) for distribution t of input j.
    void quantiles(std::size_t j, std::size_t t, const double* u, std::span<double> out) const;
};

}  // namespace flopcast::run
