#include "engine/run/input_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "distributions/factory.hpp"
#include "engine/simd/bulk_apply.hpp"

#include "engine/run/block_stream.hpp"
#include "engine/run/normal_scores.hpp"
#include "distributions/sampling/uniform_designs.hpp"

namespace flopcast::run {

InputSampler::InputSampler(const scenario::Model& s, std::uint64_t seed)
    : s_(s), seed_(seed), correlated_(s.inputs.size(), false) {
    const std::size_t years = s.years.size();
    for (const auto& in : s.inputs) {
        first_dim_.push_back(dims_);
        dims_ += in.per_year ? years : 1;
    }
    if (s.correlation)
        for (std::size_t i : s.correlation->inputs) correlated_[i] = true;
    for (const auto& in : s.inputs) {
        keys_.push_back(input_stream_key(in.name));
        year_keys_.emplace_back();
        if (in.per_year)
            for (int year : s.years) year_keys_.back().push_back(input_year_key(keys_.back(), year));
        bulk_.emplace_back();
        for (const auto& d : in.distributions) bulk_.back().push_back(dist::bulk_quantile(*d));
    }
}

void InputSampler::quantiles(std::size_t j, std::size_t t, const double* u, std::span<double> out) const {
    if (const auto& bulk = bulk_[j][t]) {
        simd::apply_quantile(*bulk, {u, out.size()}, out);
        return;
    }
    const auto& d = *s_.inputs[j].distributions[t];
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = d.quantile(u[i]);
}

void InputSampler::draw(std::uint64_t block, formula::Workspace& ws, SamplerScratch& scratch) const {
    const std::size_t n = kBlockSize;
    if (s_.design == scenario::Sampling::MonteCarlo) {
        draw_mc(block, ws, scratch);
        return;
    }
    scratch.uniforms.resize(dims_ * n);
    if (s_.design == scenario::Sampling::LatinHypercube) {
        dist::Rng rng = block_engine(seed_, block);
        sampling::latin_hypercube(scratch.uniforms, dims_, n, rng);
    } else {
        // Block b belongs to replicate b mod R and holds that replicate's
        // points (b div R) * n onwards: each replicate is one unbroken
        // stretch of its own randomized sequence.
        const std::uint64_t r = s_.replicates;
        sampling::SobolDesign design(dims_, seed_, block % r);
        design.fill(scratch.uniforms, (block / r) * n, n);
    }
    from_uniforms(ws, scratch);
}

void InputSampler::from_uniforms(formula::Workspace& ws, SamplerScratch& scratch) const {
    const std::size_t n = kBlockSize, years = s_.years.size();
    double* u = scratch.uniforms.data();
    // Dependence acts on normal scores, so every input keeps its marginal.
    if (s_.correlation) {
        const auto& c = *s_.correlation;
        scratch.normals.resize(c.inputs.size() * n);
        for (std::size_t k = 0; k < c.inputs.size(); ++k) {
            std::copy_n(u + first_dim_[c.inputs[k]] * n, n, scratch.normals.data() + k * n);
            normal_quantiles(scratch.normals.data() + k * n, n);
        }
        c.copula.correlate(scratch.normals, n);
        for (std::size_t k = 0; k < c.inputs.size(); ++k)
            for (std::size_t i = 0; i < n; ++i)
                u[first_dim_[c.inputs[k]] * n + i] = clamp_open(normal_cdf(scratch.normals[k * n + i]));
    }
    for (std::size_t j = 0; j < s_.inputs.size(); ++j) {
        const auto& in = s_.inputs[j];
        double* uj = u + first_dim_[j] * n;
        if (in.per_year && in.year_correlation != 0.0) {
            scratch.normals.resize(years * n);
            std::copy_n(uj, years * n, scratch.normals.data());
            normal_quantiles(scratch.normals.data(), years * n);
            ar1(scratch.normals.data(), years, n, in.year_correlation);
            for (std::size_t i = 0; i < years * n; ++i) uj[i] = clamp_open(normal_cdf(scratch.normals[i]));
        }
        if (in.per_year)
            for (std::size_t t = 0; t < years; ++t) quantiles(j, t, uj + t * n, ws.values(in.quantity, t));
        else
            quantiles(j, 0, uj, ws.values(in.quantity, 0));
    }
}

void InputSampler::draw_mc(std::uint64_t block, formula::Workspace& ws, SamplerScratch& scratch) const {
    const std::size_t n = kBlockSize, years = s_.years.size();
    // Every input (every year of a per-year input) draws from its own stream,
    // keyed by its name: what one input draws never depends on another's
    // parameters, kind or presence (common random numbers across variants).
    const auto uniforms = [&](std::uint64_t key, double* u) { simd::uniforms(input_bits(seed_, block, key), 0, u, n); };
    const auto normals = [&](std::uint64_t key, double* z) {
        uniforms(key, z);
        normal_quantiles(z, n);
    };
    // An input's values in block `block`: by inverse CDF where its family has a
    // bulk quantile, otherwise by its own sampler.
    const auto direct = [&](std::size_t j, std::size_t t, std::uint64_t key) {
        const std::span<double> out = s_.inputs[j].per_year ? ws.values(s_.inputs[j].quantity, t)
                                                            : ws.values(s_.inputs[j].quantity, 0);
        if (const auto& bulk = bulk_[j][t]) {
            uniforms(key, out.data());
            simd::apply_quantile(*bulk, out, out);
        } else {
            dist::Rng rng = input_engine(seed_, block, key);
            s_.inputs[j].distributions[t]->sample(out, rng);
        }
    };
    bool group_done = false;
    for (std::size_t j = 0; j < s_.inputs.size(); ++j) {
        const auto& in = s_.inputs[j];
        if (correlated_[j]) {
            // The group is drawn when its first member comes up: member k's
            // independent normal scores from member k's stream, then mixed.
            if (group_done) continue;
            group_done = true;
            const auto& c = *s_.correlation;
            scratch.normals.resize(c.inputs.size() * n);
            for (std::size_t k = 0; k < c.inputs.size(); ++k) normals(keys_[c.inputs[k]], scratch.normals.data() + k * n);
            c.copula.correlate(scratch.normals, n);
            scratch.uniforms.resize(n);
            for (std::size_t k = 0; k < c.inputs.size(); ++k) {
                for (std::size_t i = 0; i < n; ++i) scratch.uniforms[i] = clamp_open(normal_cdf(scratch.normals[k * n + i]));
                quantiles(c.inputs[k], 0, scratch.uniforms.data(), ws.values(s_.inputs[c.inputs[k]].quantity, 0));
            }
        } else if (in.per_year && in.year_correlation != 0.0) {
            scratch.normals.resize(years * n);
            for (std::size_t t = 0; t < years; ++t) normals(year_keys_[j][t], scratch.normals.data() + t * n);
            ar1(scratch.normals.data(), years, n, in.year_correlation);
            scratch.uniforms.resize(n);
            for (std::size_t t = 0; t < years; ++t) {
                for (std::size_t i = 0; i < n; ++i) scratch.uniforms[i] = clamp_open(normal_cdf(scratch.normals[t * n + i]));
                quantiles(j, t, scratch.uniforms.data(), ws.values(in.quantity, t));
            }
        } else if (in.per_year) {
            for (std::size_t t = 0; t < years; ++t) direct(j, t, year_keys_[j][t]);
        } else {
            direct(j, 0, keys_[j]);
        }
    }
}

}  // namespace flopcast::run
