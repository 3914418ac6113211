#include "engine/sensitivity/design_map.hpp"

#include <cmath>
#include <cstring>

#include "distributions/factory.hpp"
#include "engine/run/normal_scores.hpp"
#include "engine/simd/bulk_apply.hpp"

namespace flopcast::sensitivity {

// The run's transforms (engine/run/normal_scores.hpp), so a design point
// means what a sample of `flopcast run` means.
using run::clamp_open;
using run::normal_cdf;
using run::normal_quantiles;

DesignMap::DesignMap(const scenario::Model& s) : s_(s) {
    const std::size_t years = s.years.size();
    for (const auto& in : s.inputs) {
        first_dim_.push_back(dims_);
        const std::size_t count = in.per_year ? years : 1;
        for (std::size_t t = 0; t < count; ++t) {
            dim_quantity_.push_back(in.quantity);
            dim_year_.push_back(t);
        }
        dims_ += count;
    }
}

std::vector<std::size_t> DesignMap::dimensions_of(const Factor& f) const {
    std::vector<std::size_t> dims;
    for (std::size_t i : f.inputs) {
        const std::size_t count = s_.inputs[i].per_year ? s_.years.size() : 1;
        for (std::size_t t = 0; t < count; ++t) dims.push_back(first_dim_[i] + t);
    }
    return dims;
}

void DesignMap::to_values(std::span<double> u, std::size_t n, Dependence dependence, std::vector<double>& scratch) const {
    const std::size_t years = s_.years.size();
    const bool keep = dependence == Dependence::Keep;
    if (keep && s_.correlation) {
        const auto& c = *s_.correlation;
        scratch.resize(c.inputs.size() * n);
        for (std::size_t k = 0; k < c.inputs.size(); ++k) {
            std::memcpy(scratch.data() + k * n, u.data() + first_dim_[c.inputs[k]] * n, n * sizeof(double));
            normal_quantiles(scratch.data() + k * n, n);
        }
        c.copula.correlate(std::span<double>(scratch).first(c.inputs.size() * n), n);
        for (std::size_t k = 0; k < c.inputs.size(); ++k)
            for (std::size_t i = 0; i < n; ++i) u[first_dim_[c.inputs[k]] * n + i] = clamp_open(normal_cdf(scratch[k * n + i]));
    }
    for (std::size_t j = 0; j < s_.inputs.size(); ++j) {
        const auto& in = s_.inputs[j];
        double* uj = u.data() + first_dim_[j] * n;
        if (keep && in.per_year && in.year_correlation != 0.0) {
            // AR(1) on the normal scores, as in a run.
            scratch.resize(years * n);
            std::memcpy(scratch.data(), uj, years * n * sizeof(double));
            normal_quantiles(scratch.data(), years * n);
            run::ar1(scratch.data(), years, n, in.year_correlation);
            for (std::size_t i = 0; i < years * n; ++i) uj[i] = clamp_open(normal_cdf(scratch[i]));
        }
        const std::size_t count = in.per_year ? years : 1;
        for (std::size_t t = 0; t < count; ++t) {
            const dist::Distribution& d = *in.distributions[in.per_year ? t : 0];
            double* row = uj + t * n;
            if (const auto bulk = dist::bulk_quantile(d)) simd::apply_quantile(*bulk, {row, n}, {row, n});
            else
                for (std::size_t i = 0; i < n; ++i) row[i] = d.quantile(row[i]);
        }
    }
}

void DesignMap::load(std::span<const double* const> rows, std::size_t n, formula::Workspace& ws) const {
    for (std::size_t d = 0; d < dims_; ++d)
        std::memcpy(ws.values(dim_quantity_[d], dim_year_[d]).data(), rows[d], n * sizeof(double));
}

}  // namespace flopcast::sensitivity
