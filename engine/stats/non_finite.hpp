#pragma once
// Separating non-finite values (NaN, +inf, -inf) from a block of outputs.
//
// Moments and QuantileSketch accept finite values only; a model output may
// still be NaN or infinite (0/0, overflow), and those are counted, not lost.
#include <cstdint>
#include <span>
#include <vector>

namespace flopcast::stats {

struct NonFiniteCounts {
    std::uint64_t nan = 0;
    std::uint64_t pos_inf = 0;
    std::uint64_t neg_inf = 0;

    [[nodiscard]] std::uint64_t total() const noexcept { return nan + pos_inf + neg_inf; }
    void merge(const NonFiniteCounts& other) noexcept {
        nan += other.nan;
        pos_inf += other.pos_inf;
        neg_inf += other.neg_inf;
    }
    friend bool operator==(const NonFiniteCounts&, const NonFiniteCounts&) = default;
};

// The finite values of `values`, in their order, and the non-finite ones
// added to `counts`. When all are finite (the common case, found by one
// branch-free scan) the result is `values` itself and `scratch` is untouched;
// otherwise the finite values are copied into `scratch` and the result views
// it, so it is valid until `scratch` changes.
[[nodiscard]] std::span<const double> drop_non_finite(std::span<const double> values,
                                                      std::vector<double>& scratch,
                                                      NonFiniteCounts& counts);

}  // namespace flopcast::stats
