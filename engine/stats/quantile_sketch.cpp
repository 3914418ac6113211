#include "engine/stats/quantile_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace flopcast::stats {
namespace {

// Key layout (see the header): a positive magnitude key is the IEEE-754 bits
// of |x| shifted right by 52 - 9 (exponent and top 9 mantissa bits), moved up
// by kBias so that sub-normal values get keys below the normal ones instead of
// sharing the zero bucket.
constexpr int kShift = 52 - 9;
constexpr std::int64_t kSubBuckets = 512;
constexpr std::uint64_t kAbsMask = 0x7FFF'FFFF'FFFF'FFFFull;
constexpr std::uint64_t kMinNormalBits = 0x0010'0000'0000'0000ull;
constexpr std::uint64_t kInfBits = 0x7FF0'0000'0000'0000ull;
constexpr std::uint64_t kHalfBucket = std::uint64_t{1} << (kShift - 1);
// Sub-normals span 52 octaves below the smallest normal.
constexpr std::int64_t kBias = 52 * kSubBuckets;
constexpr std::int64_t kFirstNormalKey = kSubBuckets + kBias;
// A sub-normal |x| = m * 2^-1074 is keyed by the double (exact) m: its key,
// bits(m) >> 43, lies 1074 octaves above where 2^-1074 * m would be.
constexpr std::int64_t kSubnormalShift = (1074 - 52) * kSubBuckets;
constexpr std::int64_t kMinKey = kSubBuckets;  // key of 2^-1074
constexpr std::int64_t kMaxKey = static_cast<std::int64_t>((kInfBits - 1) >> kShift) + kBias;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Magnitude key (> 0) of a finite non-zero |x| given by its bits.
std::int64_t magnitude_key(std::uint64_t abs_bits) noexcept {
    if (abs_bits >= kMinNormalBits)
        return static_cast<std::int64_t>(abs_bits >> kShift) + kBias;
    const double m = static_cast<double>(abs_bits);  // exact: below 2^52
    return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(m) >> kShift) - kSubnormalShift;
}

// Signed public key of a finite x: 0 for zero, -magnitude key for x < 0.
std::int64_t key_of(double x) noexcept {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    const std::uint64_t abs_bits = bits & kAbsMask;
    if (abs_bits == 0) return 0;
    const std::int64_t k = magnitude_key(abs_bits);
    return (bits >> 63) ? -k : k;
}

// Value representing magnitude key k: the bucket midpoint, within 2^-10 of
// every value in the bucket. The midpoint needs 10 mantissa bits, so it is
// exact for normal buckets; for sub-normal ones it is exact while the bucket
// is at least two units of 2^-1074 wide, and narrower buckets hold at most one
// representable value, which then represents itself exactly.
double magnitude_value(std::int64_t k) noexcept {
    if (k >= kFirstNormalKey)
        return std::bit_cast<double>((static_cast<std::uint64_t>(k - kBias) << kShift) | kHalfBucket);
    // Work on the integer m of |x| = m * 2^-1074 (bits of a sub-normal = m).
    const auto mk = static_cast<std::uint64_t>(k + kSubnormalShift);
    const std::int64_t octave = static_cast<std::int64_t>(mk >> 9) - 1023;  // floor(log2 m)
    double m;
    if (octave >= 10) {
        m = std::bit_cast<double>((mk << kShift) | kHalfBucket);  // integer midpoint
    } else {
        m = std::ceil(std::bit_cast<double>(mk << kShift));  // the one integer in the bucket
    }
    return std::bit_cast<double>(static_cast<std::uint64_t>(m));
}

bool valid_magnitude_key(std::int64_t k) noexcept { return k >= kMinKey && k <= kMaxKey; }

// First and last non-zero slots of a count array; first > last when none.
struct Range { std::int64_t first, last; };
template <class Store>
Range nonzero_range(const Store& s) noexcept {
    std::int64_t first = 0;
    std::int64_t last = static_cast<std::int64_t>(s.counts.size()) - 1;
    while (first <= last && s.at(static_cast<std::size_t>(first)) == 0) ++first;
    while (last >= first && s.at(static_cast<std::size_t>(last)) == 0) --last;
    return {first, last};
}

}  // namespace

void QuantileSketch::cover(int sign, std::int64_t lo_key, std::int64_t hi_key) {
    Store& s = stores_[sign];
    const auto size = static_cast<std::int64_t>(s.counts.size());
    if (size > 0 && lo_key >= s.offset && hi_key < s.offset + size) return;

    const Range used = nonzero_range(s);
    std::int64_t lo = lo_key, hi = hi_key;
    if (used.first <= used.last) {
        lo = std::min(lo, s.offset + used.first);
        hi = std::max(hi, s.offset + used.last);
    }
    // A margin of half the span on both sides: at most 2 * span + 64 slots,
    // and the next reallocation needs the span to grow by half, so
    // reallocations are logarithmic in the span and adds stay amortized O(1).
    const std::int64_t pad = (hi - lo + 1) / 2 + 32;
    const std::int64_t new_lo = std::max(kMinKey, lo - pad);
    const std::int64_t new_hi = std::min(kMaxKey, hi + pad);

    const auto slots = static_cast<std::size_t>(new_hi - new_lo + 1);
    std::vector<std::uint32_t> fresh(slots, 0);
    std::vector<std::uint64_t> fresh_wide(s.wide.empty() ? 0 : slots, 0);
    for (std::int64_t i = used.first; i <= used.last; ++i) {
        const auto to = static_cast<std::size_t>(s.offset + i - new_lo);
        fresh[to] = s.counts[static_cast<std::size_t>(i)];
        if (!s.wide.empty()) fresh_wide[to] = s.wide[static_cast<std::size_t>(i)];
    }
    s.offset = new_lo;
    s.counts = std::move(fresh);
    s.wide = std::move(fresh_wide);
}

void QuantileSketch::flush() {
    for (Store& s : stores_) {
        if (s.wide.size() != s.counts.size()) s.wide.assign(s.counts.size(), 0);
        for (std::size_t i = 0; i < s.counts.size(); ++i) {
            s.wide[i] += s.counts[i];
            s.counts[i] = 0;
        }
    }
    zeros_ += zeros_narrow_;
    zeros_narrow_ = 0;
    pending_ = 0;
}

void QuantileSketch::make_room(std::uint64_t values) {
    if (values > flush_limit_ - pending_) flush();
}

QuantileSketch QuantileSketch::with_flush_limit(std::uint32_t limit) {
    if (limit == 0) throw std::invalid_argument("QuantileSketch::with_flush_limit: limit 0, need >= 1");
    QuantileSketch s;
    s.flush_limit_ = limit;
    return s;
}

std::uint64_t QuantileSketch::largest_narrow_count() const noexcept {
    std::uint64_t m = zeros_narrow_;
    for (const Store& s : stores_)
        for (const std::uint32_t c : s.counts) m = std::max<std::uint64_t>(m, c);
    return m;
}

void QuantileSketch::update_range(double lo, double hi, std::uint64_t count) noexcept {
    // + 0.0 turns a -0 into +0 (and changes nothing else), so min and max
    // do not depend on which zero came first.
    if (n_ == 0) {
        min_ = lo + 0.0;
        max_ = hi + 0.0;
    } else {
        min_ = (lo < min_ ? lo : min_) + 0.0;
        max_ = (hi > max_ ? hi : max_) + 0.0;
    }
    n_ += count;
}

void QuantileSketch::add_subnormal(double x) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    const int sign = static_cast<int>(bits >> 63);
    const std::int64_t key = magnitude_key(bits & kAbsMask);
    cover(sign, key, key);
    Store& s = stores_[sign];
    ++s.counts[static_cast<std::size_t>(key - s.offset)];
    ++pending_;
}

void QuantileSketch::add(double x) { add(std::span<const double>(&x, 1)); }

void QuantileSketch::add(std::span<const double> values) {
    // In chunks that fit the 32-bit counts (one chunk but for a flush).
    while (!values.empty()) {
        make_room(values.size());
        const auto m = static_cast<std::size_t>(std::min<std::uint64_t>(values.size(), flush_limit_ - pending_));
        add_chunk(values.first(m));  // throws at a non-finite value
        values = values.subspan(m);
    }
}

void QuantileSketch::add_block(std::span<const double> values, double lo, double hi) {
    constexpr double kMinNormal = std::numeric_limits<double>::min();
    if (values.empty()) return;
    if (!(lo >= kMinNormal && hi <= std::numeric_limits<double>::max()) || values.size() > flush_limit_) {
        add(values);  // zeros, negatives, sub-normals or non-finite values: the general path
        return;
    }
    make_room(values.size());
    const std::int64_t lo_key = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(lo) >> kShift) + kBias;
    const std::int64_t hi_key = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(hi) >> kShift) + kBias;
    cover(0, lo_key, hi_key);
    Store& s = stores_[0];
    std::uint32_t* const counts = s.counts.data();
    // Slot of x: (bits >> kShift) + kBias - offset, all within the array
    // because lo <= x <= hi orders the bits the same way.
    const std::uint64_t base = static_cast<std::uint64_t>(s.offset - kBias);
    const double* x = values.data();
    const std::size_t n = values.size();
    for (std::size_t i = 0; i < n; ++i) ++counts[(std::bit_cast<std::uint64_t>(x[i]) >> kShift) - base];
    pending_ += n;
    update_range(lo, hi, n);
}

void QuantileSketch::add_chunk(std::span<const double> values) {
    // Local copies of the stores' bounds: the counts are integers that may
    // alias the offset, so reading the members would reload them per value.
    // Slots 2 and 3 route +0 and -0 (whose fast-path key is kBias) to zeros_,
    // so zero, a common atom, needs no branch.
    struct View {
        std::uint32_t* data;
        std::int64_t offset;
        std::uint64_t size;
    };
    auto view_of = [this](std::uint64_t sign) {
        Store& s = stores_[sign];
        return View{s.counts.data(), s.offset, s.counts.size()};
    };
    const View zero{&zeros_narrow_, kBias, 1};
    View view[4] = {view_of(0), view_of(1), zero, zero};

    const double* x = values.data();
    const std::size_t n = values.size();
    std::size_t i = 0;
    for (; i < n; ++i) {
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(x[i]);
        const std::uint64_t abs_bits = bits & kAbsMask;
        // Sub-normal or non-finite (abs_bits - 1 wraps for zero, which stays
        // on the fast path).
        if ((abs_bits - 1 < kMinNormalBits - 1) | (abs_bits >= kInfBits)) [[unlikely]] {
            if (abs_bits >= kInfBits) break;
            add_subnormal(x[i]);  // counts itself in pending_
            view[0] = view_of(0);
            view[1] = view_of(1);
            continue;
        }
        const std::uint64_t which = (bits >> 63) | (std::uint64_t{abs_bits == 0} << 1);
        const std::int64_t key = static_cast<std::int64_t>(abs_bits >> kShift) + kBias;
        View& w = view[which];
        auto slot = static_cast<std::uint64_t>(key - w.offset);
        if (slot >= w.size) [[unlikely]] {  // never for zero: its view always fits
            cover(static_cast<int>(which), key, key);
            w = view_of(which);
            slot = static_cast<std::uint64_t>(key - w.offset);
        }
        ++w.data[slot];
        ++pending_;
    }

    // Min and max in a second pass over the (cache-hot) values counted: four
    // independent lanes instead of two serial dependency chains in the loop
    // above.
    if (i > 0) {
        double lo[4], hi[4];
        for (int l = 0; l < 4; ++l) {
            lo[l] = n_ > 0 ? min_ : x[0];
            hi[l] = n_ > 0 ? max_ : x[0];
        }
        std::size_t j = 0;
        for (; j + 4 <= i; j += 4) {
            for (int l = 0; l < 4; ++l) {
                lo[l] = x[j + l] < lo[l] ? x[j + l] : lo[l];
                hi[l] = x[j + l] > hi[l] ? x[j + l] : hi[l];
            }
        }
        for (; j < i; ++j) {
            lo[0] = x[j] < lo[0] ? x[j] : lo[0];
            hi[0] = x[j] > hi[0] ? x[j] : hi[0];
        }
        update_range(std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3])),
                     std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3])), i);
    }
    if (i < n) throw std::invalid_argument("QuantileSketch::add: non-finite value");
}

void QuantileSketch::merge(const QuantileSketch& other) {
    if (&other == this) {
        const QuantileSketch copy = other;
        merge(copy);
        return;
    }
    if (other.n_ == 0) return;
    // Into the 32-bit counts while they can take all of other's values,
    // otherwise (after a flush) into the 64-bit ones.
    const bool narrow = other.n_ <= flush_limit_ - pending_;
    if (!narrow) flush();
    for (int sign = 0; sign < 2; ++sign) {
        const Store& o = other.stores_[sign];
        const Range used = nonzero_range(o);
        if (used.first > used.last) continue;
        cover(sign, o.offset + used.first, o.offset + used.last);
        Store& s = stores_[sign];
        // cover() keeps wide empty or as long as counts; empty here means
        // every count of this sign is still 32-bit.
        if (!narrow && s.wide.size() != s.counts.size()) s.wide.assign(s.counts.size(), 0);
        for (std::int64_t i = used.first; i <= used.last; ++i) {
            const auto to = static_cast<std::size_t>(o.offset + i - s.offset);
            const std::uint64_t c = o.at(static_cast<std::size_t>(i));
            if (narrow) s.counts[to] += static_cast<std::uint32_t>(c);
            else s.wide[to] += c;
        }
    }
    if (narrow) {
        zeros_narrow_ += static_cast<std::uint32_t>(other.zeros());
        pending_ += other.n_;
    } else {
        zeros_ += other.zeros();
    }
    if (n_ == 0) {
        min_ = other.min_;
        max_ = other.max_;
    } else {
        min_ = other.min_ < min_ ? other.min_ : min_;
        max_ = other.max_ > max_ ? other.max_ : max_;
    }
    n_ += other.n_;
}

std::uint64_t QuantileSketch::count() const noexcept { return n_; }

double QuantileSketch::min() const noexcept { return n_ == 0 ? kNaN : min_; }
double QuantileSketch::max() const noexcept { return n_ == 0 ? kNaN : max_; }

std::int64_t QuantileSketch::bucket_key(double x) noexcept { return key_of(x); }

double QuantileSketch::bucket_value(std::int64_t key) noexcept {
    return key == 0 ? 0.0 : key > 0 ? magnitude_value(key) : -magnitude_value(-key);
}

double QuantileSketch::representative(std::int64_t key) const noexcept {
    const double v = key == 0 ? 0.0 : key > 0 ? magnitude_value(key) : -magnitude_value(-key);
    return std::clamp(v, min_, max_);  // x_(k) lies in [min, max] too, so this only helps
}

double QuantileSketch::quantile(double p) const {
    if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("QuantileSketch::quantile: p outside [0, 1]");
    if (n_ == 0) return kNaN;
    const double kd = std::ceil(p * static_cast<double>(n_));
    const std::uint64_t k = kd <= 1.0 ? 1
                          : kd >= static_cast<double>(n_) ? n_
                          : static_cast<std::uint64_t>(kd);
    if (k == 1) return min_;
    if (k == n_) return max_;

    // Walk in increasing value order: negative buckets from the largest
    // magnitude down, then zero, then positive buckets up.
    std::uint64_t seen = 0;
    const Store& neg = stores_[1];
    for (std::size_t i = neg.counts.size(); i-- > 0;) {
        seen += neg.at(i);
        if (seen >= k) return representative(-(neg.offset + static_cast<std::int64_t>(i)));
    }
    seen += zeros();
    if (seen >= k) return representative(0);
    const Store& pos = stores_[0];
    for (std::size_t i = 0; i < pos.counts.size(); ++i) {
        seen += pos.at(i);
        if (seen >= k) return representative(pos.offset + static_cast<std::int64_t>(i));
    }
    return max_;  // unreachable while the counts sum to n_
}

Histogram QuantileSketch::histogram(double lo, double hi, int bins, bool log_axis) const {
    if (bins < 1 || !std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
        throw std::invalid_argument("QuantileSketch::histogram: need bins >= 1 and finite lo < hi");
    if (log_axis && !(lo > 0.0))
        throw std::invalid_argument("QuantileSketch::histogram: log axis needs lo > 0");

    Histogram h;
    h.log_axis = log_axis;
    const auto nb = static_cast<std::size_t>(bins);
    h.edges.resize(nb + 1);
    h.counts.assign(nb, 0);
    const double a = log_axis ? std::log2(lo) : lo;
    const double b = log_axis ? std::log2(hi) : hi;
    for (std::size_t i = 1; i < nb; ++i) {
        const double t = a + (b - a) * static_cast<double>(i) / static_cast<double>(nb);
        h.edges[i] = log_axis ? std::exp2(t) : t;
    }
    // Exact end points, whatever the rounding of the interior edges.
    h.edges[0] = lo;
    h.edges[nb] = hi;

    auto add = [&](std::int64_t key, std::uint64_t count) {
        if (count == 0) return;
        const double v = representative(key);
        if (v < lo || v > hi) return;
        auto bin = static_cast<std::size_t>(std::upper_bound(h.edges.begin(), h.edges.end(), v) -
                                            h.edges.begin()) - 1;
        h.counts[std::min(bin, nb - 1)] += count;
    };
    const Store& neg = stores_[1];
    for (std::size_t i = 0; i < neg.counts.size(); ++i)
        add(-(neg.offset + static_cast<std::int64_t>(i)), neg.at(i));
    add(0, zeros());
    const Store& pos = stores_[0];
    for (std::size_t i = 0; i < pos.counts.size(); ++i)
        add(pos.offset + static_cast<std::int64_t>(i), pos.at(i));
    return h;
}

std::vector<QuantileSketch::Bucket> QuantileSketch::buckets() const {
    std::vector<Bucket> out;
    const Store& neg = stores_[1];
    for (std::size_t i = neg.counts.size(); i-- > 0;)
        if (neg.at(i) != 0) out.push_back({-(neg.offset + static_cast<std::int64_t>(i)), neg.at(i)});
    if (zeros() != 0) out.push_back({0, zeros()});
    const Store& pos = stores_[0];
    for (std::size_t i = 0; i < pos.counts.size(); ++i)
        if (pos.at(i) != 0) out.push_back({pos.offset + static_cast<std::int64_t>(i), pos.at(i)});
    return out;
}

QuantileSketch QuantileSketch::from_buckets(std::span<const Bucket> buckets) {
    QuantileSketch s;
    // Size each store once, then fill.
    std::int64_t lo[2] = {kMaxKey, kMaxKey}, hi[2] = {kMinKey, kMinKey};
    bool any[2] = {false, false};
    std::int64_t lowest = 0, highest = 0;
    bool first = true;
    for (const Bucket& b : buckets) {
        if (b.key != 0 && !valid_magnitude_key(b.key < 0 ? -b.key : b.key))
            throw std::invalid_argument("QuantileSketch::from_buckets: invalid key");
        if (b.count == 0) continue;
        if (first || b.key < lowest) lowest = b.key;
        if (first || b.key > highest) highest = b.key;
        first = false;
        if (b.key == 0) continue;
        const int sign = b.key < 0 ? 1 : 0;
        const std::int64_t k = b.key < 0 ? -b.key : b.key;
        lo[sign] = std::min(lo[sign], k);
        hi[sign] = std::max(hi[sign], k);
        any[sign] = true;
    }
    for (int sign = 0; sign < 2; ++sign)
        if (any[sign]) s.cover(sign, lo[sign], hi[sign]);
    // Restored counts go to the 64-bit arrays: they may be any size.
    s.flush();
    for (const Bucket& b : buckets) {
        if (b.count == 0) continue;
        s.n_ += b.count;
        if (b.key == 0) {
            s.zeros_ += b.count;
            continue;
        }
        const int sign = b.key < 0 ? 1 : 0;
        Store& st = s.stores_[sign];
        st.wide[static_cast<std::size_t>((b.key < 0 ? -b.key : b.key) - st.offset)] += b.count;
    }
    if (s.n_ > 0) {
        // Unclamped representatives: set min_/max_ wide open first.
        s.min_ = -std::numeric_limits<double>::infinity();
        s.max_ = std::numeric_limits<double>::infinity();
        const double a = s.representative(lowest);
        const double b = s.representative(highest);
        s.min_ = a;
        s.max_ = b;
    }
    return s;
}

QuantileSketch QuantileSketch::from_buckets(std::span<const Bucket> buckets, double min, double max) {
    QuantileSketch s = from_buckets(buckets);
    if (s.n_ == 0) return s;
    const std::vector<Bucket> b = s.buckets();
    if (!std::isfinite(min) || !std::isfinite(max) || !(min <= max) || key_of(min) != b.front().key ||
        key_of(max) != b.back().key)
        throw std::invalid_argument("QuantileSketch::from_buckets: min/max outside the extreme buckets");
    s.min_ = min + 0.0;  // -0 becomes +0, as in add()
    s.max_ = max + 0.0;
    return s;
}

std::size_t QuantileSketch::allocated_buckets() const noexcept {
    return stores_[0].counts.capacity() + stores_[1].counts.capacity();
}

}  // namespace flopcast::stats
