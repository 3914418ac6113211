#include "engine/run/input_sampler.hpp"

#include <cmath>

#include <boost/math/special_functions/erf.hpp>
#include <boost/random/normal_distribution.hpp>

#include "engine/run/block_stream.hpp"
#include "engine/sampling/uniform_designs.hpp"

namespace flopcast::run {
namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z * M_SQRT1_2); }

// Phi^-1(u) for u strictly inside (0, 1).
double normal_quantile(double u) { return -M_SQRT2 * boost::math::erfc_inv(2.0 * u); }

// Keeps a uniform strictly inside (0, 1): Phi of a large normal score rounds
// to 1, and a quantile at 1 is the top of the support (infinite for many).
double clamp_open(double u) {
    constexpr double lo = 0x1.0p-60, hi = 1.0 - 0x1.0p-53;
    return u < lo ? lo : (u > hi ? hi : u);
}

// Normal scores of successive years made AR(1) with lag-one correlation phi:
// z_t = phi z_{t-1} + sqrt(1 - phi^2) e_t keeps each year standard normal.
void ar1(double* z, std::size_t years, std::size_t n, double phi) {
    const double c = std::sqrt(1.0 - phi * phi);
    for (std::size_t t = 1; t < years; ++t)
        for (std::size_t i = 0; i < n; ++i) z[t * n + i] = phi * z[(t - 1) * n + i] + c * z[t * n + i];
}

void quantiles(const dist::Distribution& d, const double* u, std::span<double> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = d.quantile(u[i]);
}

}  // namespace

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
    }
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
        for (std::size_t k = 0; k < c.inputs.size(); ++k)
            for (std::size_t i = 0; i < n; ++i)
                scratch.normals[k * n + i] = normal_quantile(u[first_dim_[c.inputs[k]] * n + i]);
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
            for (std::size_t i = 0; i < years * n; ++i) scratch.normals[i] = normal_quantile(uj[i]);
            ar1(scratch.normals.data(), years, n, in.year_correlation);
            for (std::size_t i = 0; i < years * n; ++i) uj[i] = clamp_open(normal_cdf(scratch.normals[i]));
        }
        if (in.per_year)
            for (std::size_t t = 0; t < years; ++t) quantiles(*in.distributions[t], uj + t * n, ws.values(in.quantity, t));
        else
            quantiles(*in.distributions[0], uj, ws.values(in.quantity, 0));
    }
}

void InputSampler::draw_mc(std::uint64_t block, formula::Workspace& ws, SamplerScratch& scratch) const {
    const std::size_t n = kBlockSize, years = s_.years.size();
    boost::random::normal_distribution<double> normal;
    // Every input (every year of a per-year input) draws from its own stream,
    // keyed by its name: what one input draws never depends on another's
    // parameters, kind or presence (common random numbers across variants).
    const auto normals = [&](std::uint64_t key, double* z) {
        dist::Rng rng = input_engine(seed_, block, key);
        for (std::size_t i = 0; i < n; ++i) z[i] = normal(rng);
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
                const auto& member = s_.inputs[c.inputs[k]];
                quantiles(*member.distributions[0], scratch.uniforms.data(), ws.values(member.quantity, 0));
            }
        } else if (in.per_year && in.year_correlation != 0.0) {
            scratch.normals.resize(years * n);
            for (std::size_t t = 0; t < years; ++t) normals(year_keys_[j][t], scratch.normals.data() + t * n);
            ar1(scratch.normals.data(), years, n, in.year_correlation);
            scratch.uniforms.resize(n);
            for (std::size_t t = 0; t < years; ++t) {
                for (std::size_t i = 0; i < n; ++i) scratch.uniforms[i] = clamp_open(normal_cdf(scratch.normals[t * n + i]));
                quantiles(*in.distributions[t], scratch.uniforms.data(), ws.values(in.quantity, t));
            }
        } else if (in.per_year) {
            for (std::size_t t = 0; t < years; ++t) {
                dist::Rng rng = input_engine(seed_, block, year_keys_[j][t]);
                in.distributions[t]->sample(ws.values(in.quantity, t), rng);
            }
        } else {
            dist::Rng rng = input_engine(seed_, block, keys_[j]);
            in.distributions[0]->sample(ws.values(in.quantity, 0), rng);
        }
    }
}

}  // namespace flopcast::run
