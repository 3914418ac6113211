#pragma once
// A distribution's quantile function in closed form, as data: its family,
// its parameters, and any truncation and clips around it. What Monte Carlo
// draws, Latin hypercube and Sobol designs apply to whole arrays of
// uniforms at vector speed, for every family whose quantile vectorizes
// (normal, lognormal, uniform, loguniform, triangular, exponential, Weibull,
// and each of them truncated and / or clipped). The catalogue (factory.cpp)
// gives each family its row; bulk_quantile() in factory.hpp builds one for a
// distribution, or nothing when the family has none (its draws then keep
// Boost.Random).
//
// Only the description lives here, so distributions/ keeps to Boost: the
// vector kernels that apply it are the engine's (engine/simd/bulk_kernels.cpp,
// engine/simd/bulk_apply.hpp), with the same bits at every SIMD level.
#include <array>
#include <cstddef>

namespace flopcast::dist {

class BulkQuantile {
public:
    enum class Family { normal, lognormal, uniform, loguniform, triangular, exponential, weibull };
    // The catalogue's spelling: BulkQuantile(BulkQuantile::lognormal, {mu, sigma, 0}).
    static constexpr Family normal = Family::normal, lognormal = Family::lognormal, uniform = Family::uniform,
                            loguniform = Family::loguniform, triangular = Family::triangular,
                            exponential = Family::exponential, weibull = Family::weibull;

    // The parameters each family's kernel reads (the catalogue's rows say which).
    BulkQuantile(Family family, std::array<double, 3> parameters) : family_(family), p_(parameters) {}

    // Truncation by inverse CDF (truncated.hpp): the kernel's argument becomes
    // min(f_lo + u (f_hi - f_lo), f_hi) and its result is clamped to [lo, hi].
    // Returns false (and changes nothing) if already truncated or clipped.
    bool truncate(double f_lo, double f_hi, double lo, double hi);
    // std::clamp(x, lo, hi) of every result, after any earlier one (at most two).
    void clamp(double lo, double hi);

    struct Bounds {
        double lo, hi;
    };
    [[nodiscard]] Family family() const noexcept { return family_; }
    [[nodiscard]] const std::array<double, 3>& parameters() const noexcept { return p_; }
    [[nodiscard]] bool truncated() const noexcept { return truncated_; }
    [[nodiscard]] double f_lo() const noexcept { return f_lo_; }
    [[nodiscard]] double f_hi() const noexcept { return f_hi_; }
    [[nodiscard]] std::size_t clamp_count() const noexcept { return clamp_count_; }
    [[nodiscard]] Bounds clamp_at(std::size_t c) const { return clamps_.at(c); }

private:
    Family family_;
    std::array<double, 3> p_;
    bool truncated_ = false;
    double f_lo_ = 0, f_hi_ = 1;
    std::array<Bounds, 2> clamps_{};
    std::size_t clamp_count_ = 0;
};

}  // namespace flopcast::dist
