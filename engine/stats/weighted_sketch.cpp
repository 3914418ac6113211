#include "engine/stats/weighted_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace flopcast::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnit = 4611686018427387904.0;  // 2^62
// QuantileSketch's key of a positive normal double: its bits shifted right by
// 52 - 9, plus the sub-normal keys' room (see quantile_sketch.cpp; a test
// checks the two agree).
constexpr int kShift = 43;
constexpr std::int64_t kNormalBias = 52 * 512;
constexpr double kMinNormal = 2.2250738585072014e-308;

}  // namespace

std::uint64_t WeightedSketch::fixed_weight(double log_weight) noexcept {
    if (!(log_weight > -50.0)) return 0;  // also NaN; exp(-50) 2^62 < 1
    const double w = std::exp(std::min(log_weight, 0.0));
    return static_cast<std::uint64_t>(w * kUnit + 0.5);
}

WeightedSketch::Mass& WeightedSketch::slot(std::int64_t key) {
    if (key == 0) return zeros_;
    Store& s = stores_[key < 0 ? 1 : 0];
    const std::int64_t k = key < 0 ? -key : key;
    const auto size = static_cast<std::int64_t>(s.mass.size());
    if (size == 0 || k < s.offset || k >= s.offset + size) {
        // Grow with a margin of half the span (and at least 64 slots) on both
        // sides, so reallocations are logarithmic in the span.
        const std::int64_t lo = size == 0 ? k : std::min(k, s.offset);
        const std::int64_t hi = size == 0 ? k : std::max(k, s.offset + size - 1);
        const std::int64_t pad = (hi - lo + 1) / 2 + 64;
        const std::int64_t new_lo = std::max<std::int64_t>(1, lo - pad);
        std::vector<Mass> fresh(static_cast<std::size_t>(hi + pad - new_lo + 1), 0);
        for (std::int64_t i = 0; i < size; ++i) fresh[static_cast<std::size_t>(s.offset + i - new_lo)] = s.mass[static_cast<std::size_t>(i)];
        s.offset = new_lo;
        s.mass = std::move(fresh);
    }
    return s.mass[static_cast<std::size_t>(k - s.offset)];
}

void WeightedSketch::add(double x, std::uint64_t weight) {
    if (weight == 0) return;
    if (!std::isfinite(x)) throw std::invalid_argument("WeightedSketch::add: a non-finite value");
    if (x == 0.0) x = 0.0;  // -0 is recorded as +0, as in QuantileSketch
    slot(QuantileSketch::bucket_key(x)) += weight;
    total_ += weight;
    if (n_ == 0) min_ = max_ = x;
    else min_ = std::min(min_, x), max_ = std::max(max_, x);
    ++n_;
}

void WeightedSketch::add_each(std::span<const double> values, std::span<const std::uint64_t> weights) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (weights[i] != 0 && std::isfinite(values[i])) add(values[i], weights[i]);
}

void WeightedSketch::add(std::span<const double> values, std::span<const std::uint64_t> weights) {
    // The range of the values (all of them: a zero weight adds nothing, so
    // the loop below needs no branch) and of those with weight.
    double lo = INFINITY, hi = -INFINITY, wlo = INFINITY, whi = -INFINITY;
    bool normal = true;
    std::uint64_t weighted = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i];
        normal = normal && x >= kMinNormal && x < INFINITY;
        lo = std::min(lo, x), hi = std::max(hi, x);
        const bool w = weights[i] != 0;
        wlo = w ? std::min(wlo, x) : wlo;
        whi = w ? std::max(whi, x) : whi;
        weighted += w;
    }
    if (!normal) return add_each(values, weights);  // rare: zeros, negatives, sub-normals, non-finite
    if (weighted == 0) return;
    const auto key = [](double x) {
        return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(x) >> kShift) + kNormalBias;
    };
    (void)slot(key(lo));  // cover both ends
    (void)slot(key(hi));
    Store& st = stores_[0];
    Mass* base = st.mass.data() - st.offset;
    Mass total = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        base[key(values[i])] += weights[i];
        total += weights[i];
    }
    total_ += total;
    if (n_ == 0) min_ = wlo, max_ = whi;
    else min_ = std::min(min_, wlo), max_ = std::max(max_, whi);
    n_ += weighted;
}

WeightedSketch::BlockWeights WeightedSketch::summarise(std::span<const std::uint64_t> weights) noexcept {
    BlockWeights b;
    b.size = weights.size();
    for (const std::uint64_t w : weights) {
        b.total += w;
        b.weighted += w != 0;
    }
    return b;
}

void WeightedSketch::add_block(std::span<const double> values, std::span<const std::uint64_t> weights,
                               const BlockWeights& b, double lo, double hi) {
    if (b.size != values.size()) return add(values, weights);
    if (b.weighted == 0) return;
    if (!(lo >= kMinNormal && hi < INFINITY)) return add_mixed(values, weights, b);
    const auto key = [](double x) {
        return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(x) >> kShift) + kNormalBias;
    };
    (void)slot(key(lo));  // cover both ends (a zero weight adds nothing where it lands)
    (void)slot(key(hi));
    Mass* base = stores_[0].mass.data() - stores_[0].offset;
    const double* x = values.data();
    const std::uint64_t* w = weights.data();
    for (std::size_t i = 0; i < values.size(); ++i) base[key(x[i])] += w[i];
    total_ += b.total;
    // The extremes of the weighted values: those of all when all are
    // weighted; otherwise looked for only when the block could move the
    // sketch's (rarely, once a few blocks are in: min and max do not depend
    // on the order, so the bits are add()'s).
    double wlo = lo, whi = hi;
    if (b.weighted != b.size && (n_ == 0 || lo < min_ || hi > max_)) {
        wlo = INFINITY, whi = -INFINITY;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (w[i] != 0) wlo = std::min(wlo, x[i]), whi = std::max(whi, x[i]);
    }
    if (n_ == 0) min_ = wlo, max_ = whi;
    else min_ = std::min(min_, wlo), max_ = std::max(max_, whi);
    n_ += b.weighted;
}

void WeightedSketch::add_mixed(std::span<const double> values, std::span<const std::uint64_t> weights,
                               const BlockWeights& b) {
    // Finite values of both signs (a growth rate, say): negative normals go
    // to the negative store by magnitude, as slot() files them; zeros and
    // sub-normals take add()'s way, one by one.
    constexpr std::uint64_t kAbs = ~(std::uint64_t{1} << 63);
    constexpr std::uint64_t kMinNormalBits = std::uint64_t{1} << 52;
    const double* x = values.data();
    const std::uint64_t* w = weights.data();
    Mass added = 0;
    std::size_t counted = 0;
    double wlo = INFINITY, whi = -INFINITY;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (w[i] == 0) continue;
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(x[i]);
        const std::uint64_t abs_bits = bits & kAbs;
        if (abs_bits < kMinNormalBits) [[unlikely]] {
            add(x[i], w[i]);  // counts itself
            continue;
        }
        const std::int64_t k = static_cast<std::int64_t>(abs_bits >> kShift) + kNormalBias;
        Store& st = stores_[bits >> 63];
        const auto at = static_cast<std::uint64_t>(k - st.offset);
        if (at < st.mass.size()) [[likely]] st.mass[at] += w[i];
        else slot(bits >> 63 ? -k : k) += w[i];
        added += w[i];
        ++counted;
        wlo = std::min(wlo, x[i]), whi = std::max(whi, x[i]);
    }
    (void)b;
    if (counted == 0) return;
    total_ += added;
    if (n_ == 0) min_ = wlo, max_ = whi;
    else min_ = std::min(min_, wlo), max_ = std::max(max_, whi);
    n_ += counted;
}

void WeightedSketch::merge(const WeightedSketch& o) {
    if (o.n_ == 0) return;
    for (int sign = 0; sign < 2; ++sign) {
        const Store& s = o.stores_[sign];
        for (std::size_t i = 0; i < s.mass.size(); ++i)
            if (s.mass[i] != 0) {
                const std::int64_t k = s.offset + static_cast<std::int64_t>(i);
                slot(sign ? -k : k) += s.mass[i];
            }
    }
    zeros_ += o.zeros_;
    total_ += o.total_;
    if (n_ == 0) min_ = o.min_, max_ = o.max_;
    else min_ = std::min(min_, o.min_), max_ = std::max(max_, o.max_);
    n_ += o.n_;
}

double WeightedSketch::total_weight() const noexcept { return static_cast<double>(total_) / kUnit; }

template <class F>
void WeightedSketch::each(F&& f) const {
    const Store& neg = stores_[1];
    for (std::size_t i = neg.mass.size(); i-- > 0;)
        if (neg.mass[i] != 0) f(-(neg.offset + static_cast<std::int64_t>(i)), neg.mass[i]);
    if (zeros_ != 0) f(std::int64_t{0}, zeros_);
    const Store& pos = stores_[0];
    for (std::size_t i = 0; i < pos.mass.size(); ++i)
        if (pos.mass[i] != 0) f(pos.offset + static_cast<std::int64_t>(i), pos.mass[i]);
}

double WeightedSketch::representative(std::int64_t key) const noexcept {
    return std::clamp(QuantileSketch::bucket_value(key), min_, max_);
}

double WeightedSketch::min() const noexcept { return n_ ? min_ : kNaN; }
double WeightedSketch::max() const noexcept { return n_ ? max_ : kNaN; }

double WeightedSketch::quantile(double p) const {
    if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("WeightedSketch::quantile: p outside [0, 1]");
    if (total_ == 0) return kNaN;
    if (p == 0.0) return min_;
    if (p == 1.0) return max_;
    // The target mass ceil(p W), at least one unit, in double precision.
    const double td = std::ceil(p * static_cast<double>(total_));
    const Mass target = td <= 1.0 ? Mass{1} : td >= static_cast<double>(total_) ? total_ : static_cast<Mass>(td);
    Mass seen = 0;
    double out = max_;
    bool found = false;
    each([&](std::int64_t key, Mass m) {
        if (found) return;
        seen += m;
        if (seen >= target) out = representative(key), found = true;
    });
    return out;
}

double WeightedSketch::share_above(double x) const {
    if (total_ == 0) return kNaN;
    Mass above = 0;
    each([&](std::int64_t key, Mass m) {
        if (representative(key) > x) above += m;
    });
    return static_cast<double>(above) / static_cast<double>(total_);
}

std::vector<double> WeightedSketch::histogram(double lo, double hi, int bins, bool log_axis, double scale) const {
    // The same edges as QuantileSketch::histogram, so prior and posterior share them.
    QuantileSketch grid;
    const std::vector<double> edges = grid.histogram(lo, hi, bins, log_axis).edges;
    std::vector<double> out(static_cast<std::size_t>(bins), 0.0);
    if (total_ == 0) return out;
    std::vector<Mass> mass(out.size(), 0);
    each([&](std::int64_t key, Mass m) {
        const double v = representative(key);
        if (v < lo || v > hi) return;
        const auto bin = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
        mass[std::min(bin, out.size() - 1)] += m;
    });
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<double>(mass[i]) / static_cast<double>(total_) * scale;
    return out;
}

std::vector<WeightedSketch::Bucket> WeightedSketch::buckets() const {
    std::vector<Bucket> out;
    each([&](std::int64_t key, Mass m) {
        out.push_back({key, static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(m >> 64)});
    });
    return out;
}

WeightedSketch WeightedSketch::from_buckets(std::span<const Bucket> buckets, std::uint64_t n, double min, double max) {
    WeightedSketch s;
    for (const auto& b : buckets) {
        const double v = QuantileSketch::bucket_value(b.key);
        if (!std::isfinite(v) || QuantileSketch::bucket_key(v) != b.key)
            throw std::invalid_argument("a weighted sketch bucket key is invalid");
        const Mass m = (static_cast<Mass>(b.high) << 64) | b.low;
        s.slot(b.key) += m;
        s.total_ += m;
    }
    s.n_ = n;
    s.min_ = min, s.max_ = max;
    if ((s.total_ == 0) != (n == 0)) throw std::invalid_argument("a weighted sketch's count does not fit its buckets");
    if (n > 0 && !(min <= max && std::isfinite(min) && std::isfinite(max)))
        throw std::invalid_argument("a weighted sketch's extremes are invalid");
    return s;
}

}  // namespace flopcast::stats
