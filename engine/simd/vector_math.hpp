#pragma once
// exp, log and the standard normal quantile, W lanes at a time (lanes.hpp),
// with the same bits in every lane whatever W: what the bulk quantiles of
// the distributions (bulk_kernels.cpp) are built from.
//
// exp and log are fdlibm's algorithms (Sun, 1993: e_exp.c, e_log.c), whose
// rational and polynomial forms need no table lookups and vectorize as they
// stand; fdlibm bounds their error below 1 ulp. Measured here against long
// double (tests/simd/vector_math_test.cpp): at most 0.871 ulp (exp, 3.4e6
// points over [-745.1, 709.78]) and 0.833 ulp (log, 4e6 points over normal
// and subnormal doubles); AS 241 below: 6.4 ulp. glibc's exp and log are
// correctly rounded in practice but choose their code path by CPU (FMA
// or not), so they could not promise the same bits on every machine.
//
// The normal quantile is Wichura's AS 241 (PPND16, Applied Statistics 37,
// 1988), about 1e-16 relative: a rational function of degree 7 in the centre
// (|p - 1/2| <= 0.425) and two more of r = sqrt(-log(min(p, 1 - p))) in the
// tails. The tails (15 % of the values) are computed only for vectors that
// hold one, then selected lane by lane.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "engine/simd/lanes.hpp"

namespace flopcast::simd {

// 1.5 * 2^52: x + kShifter - kShifter rounds x to the nearest integer (ties
// to even) for |x| < 2^51, and the low bits of x + kShifter hold it.
inline constexpr double kShifter = 0x1.8p52;

template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D exp(typename Lanes<W>::D x) {
    using D = typename Lanes<W>::D;
    using I = typename Lanes<W>::I;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000: k * ln2_hi is exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double inv_ln2 = 1.44269504088896338700e+00;
    constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                     P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                     P5 = 4.13813679705723846039e-08;
    // Beyond [-746, 710] the result is 0 or infinity anyway; clamping keeps
    // k small enough for the scaling below. NaN compares false and stays NaN.
    const D lo = splat<W>(-746.0), hi = splat<W>(710.0);
    x = select<W>(x < lo, lo, select<W>(x > hi, hi, x));
    // x = k ln2 + r, |r| <= ln2 / 2
    const D s = x * inv_ln2 + kShifter;
    const D k = s - kShifter;
    const I ki = (I)bits<W>(s) - (I)bits<W>(splat<W>(kShifter));
    const D rhi = x - k * ln2_hi;
    const D rlo = k * ln2_lo;
    const D r = rhi - rlo;
    const D t = r * r;
    const D c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    const D y = 1.0 - ((rlo - (r * c) / (2.0 - c)) - rhi);
    // y * 2^k in two exact powers of two (k in [-1077, 1025]: k1, k2 within
    // [-539, 513]), so a subnormal result is rounded once, as fdlibm's is.
    const I k1 = (I)(((typename Lanes<W>::U)(ki + 2048) >> 1)) - 1024;
    const I k2 = ki - k1;
    const D two_k1 = from_bits<W>((typename Lanes<W>::U)((k1 + 1023) << 52));
    const D two_k2 = from_bits<W>((typename Lanes<W>::U)((k2 + 1023) << 52));
    return y * two_k1 * two_k2;
}

template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D log(typename Lanes<W>::D x) {
    using D = typename Lanes<W>::D;
    using I = typename Lanes<W>::I;
    using U = typename Lanes<W>::U;
    constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                     Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                     Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                     Lg7 = 1.479819860511658591e-01;
    constexpr double inf = std::numeric_limits<double>::infinity();
    // Subnormals: scaled by 2^54 into the normal range first.
    const I sub = x < 0x1p-1022;
    const D xs = select<W>(sub, x * 0x1p54, x);
    const U b = bits<W>(xs);
    // x = 2^k m, m in (sqrt(2)/2, sqrt(2)]
    D m = from_bits<W>((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    const I big = m > 1.4142135623730951;
    m = select<W>(big, m * 0.5, m);
    const I k = (I)((b >> 52) & 0x7ff) - 1023 - big - (sub & 54);  // big, sub: 0 or -1
    const D kd = from_bits<W>(bits<W>(splat<W>(kShifter)) + (U)k) - kShifter;
    const D f = m - 1.0;
    const D s = f / (2.0 + f);
    const D z = s * s;
    const D w = z * z;
    const D t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    const D t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    const D R = t2 + t1;
    const D hfsq = 0.5 * f * f;
    D r = kd * ln2_hi - ((hfsq - (s * (hfsq + R) + kd * ln2_lo)) - f);
    r = select<W>(x == 0.0, splat<W>(-inf), r);
    r = select<W>(x == inf, splat<W>(inf), r);
    return select<W>((x < 0.0) | (x != x), splat<W>(std::numeric_limits<double>::quiet_NaN()), r);
}

// -log(1 - u) for u in [0, 1], accurate also where 1 - u rounds (u below
// 2^-53 from a design, where log(1 - u) would give 0): Goldberg's log1p
// trick, log1p(x) = log(1 + x) x / ((1 + x) - 1), whose (1 + x) - 1 is
// exact here (Sterbenz); u itself where 1 - u rounds to 1. The exponential
// and Weibull quantiles (Boost.Math: -log1p(-u)) use it.
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D neg_log1m(typename Lanes<W>::D u) {
    const typename Lanes<W>::D w = 1.0 - u;
    const typename Lanes<W>::D e = (0.0 - log<W>(w)) * (u / (1.0 - w));
    return select<W>(w == 1.0, u, e);  // for u >= 1/2, u / (1 - w) is exactly 1
}

// Phi^-1(u) in the centre, |u - 1/2| <= 0.425 (other lanes: a finite value
// of no use).
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D normal_centre(typename Lanes<W>::D u) {
    using D = typename Lanes<W>::D;
    const D q = u - 0.5;
    const D r = 0.180625 - q * q;
    const D num = ((((((2.5090809287301226727e+03 * r + 3.3430575583588128105e+04) * r + 6.7265770927008700853e+04) * r +
                      4.5921953931549871457e+04) * r + 1.3731693765509461125e+04) * r + 1.9715909503065514427e+03) * r +
                   1.3314166789178437745e+02) * r + 3.3871328727963666080e+00;
    const D den = ((((((5.2264952788528545610e+03 * r + 2.8729085735721942674e+04) * r + 3.9307895800092710610e+04) * r +
                      2.1213794301586595867e+04) * r + 5.3941960214247511077e+03) * r + 6.8718700749205790830e+02) * r +
                   4.2313330701600911252e+01) * r + 1.0;
    return q * num / den;
}

// Whether Phi^-1(u) needs the tails (|u - 1/2| > 0.425, or u outside (0, 1)).
// The scalar is_normal_tail must decide alike: it is the same comparisons.
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::I normal_is_tail(typename Lanes<W>::D u) {
    const typename Lanes<W>::D q = u - 0.5;
    return (q < -0.425) | (q > 0.425);
}
[[gnu::always_inline]] inline bool is_normal_tail(double u) {
    const double q = u - 0.5;
    return (q < -0.425) | (q > 0.425);
}

// Phi^-1(u) in the tails: -inf at u <= 0, +inf at u >= 1 (centre lanes: of no use).
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D normal_tail(typename Lanes<W>::D u) {
    using D = typename Lanes<W>::D;
    using I = typename Lanes<W>::I;
    constexpr double inf = std::numeric_limits<double>::infinity();
    const I negative = u < 0.5;
    // r = sqrt(-log(min(u, 1 - u))); 1 - u is exact for u >= 1/2.
    D p = select<W>(negative, u, 1.0 - u);
    p = select<W>(p > 0.0, p, splat<W>(0.5));  // u outside (0, 1): any value log takes (replaced below)
    const D s = sqrt(-log<W>(p));
    D t = s - 1.6;
    D num = ((((((7.74545014278341407640e-04 * t + 2.27238449892691845833e-02) * t + 2.41780725177450611770e-01) * t +
                1.27045825245236838258e+00) * t + 3.64784832476320460504e+00) * t + 5.76949722146069140550e+00) * t +
             4.63033784615654529590e+00) * t + 1.42343711074968357734e+00;
    D den = ((((((1.05075007164441684324e-09 * t + 5.47593808499534494600e-04) * t + 1.51986665636164571966e-02) * t +
                1.48103976427480074590e-01) * t + 6.89767334985100004550e-01) * t + 1.67638483018380384940e+00) * t +
             2.05319162663775882187e+00) * t + 1.0;
    D z = num / den;
    const I far = s > 5.0;  // p < 1.4e-11: rare, so the branch is predictable
    if (any(far)) {
        t = s - 5.0;
        num = ((((((2.01033439929228813265e-07 * t + 2.71155556874348757815e-05) * t + 1.24266094738807843860e-03) * t +
                  2.65321895265761230930e-02) * t + 2.96560571828504891230e-01) * t + 1.78482653991729133580e+00) * t +
               5.46378491116411436990e+00) * t + 6.65790464350110377720e+00;
        den = ((((((2.04426310338993978564e-15 * t + 1.42151175831644588870e-07) * t + 1.84631831751005468180e-05) * t +
                  7.86869131145613259100e-04) * t + 1.48753612908506148525e-02) * t + 1.36929880922735805310e-01) * t +
               5.99832206555887937690e-01) * t + 1.0;
        z = select<W>(far, num / den, z);
    }
    z = select<W>(negative, -z, z);
    z = select<W>(u <= 0.0, splat<W>(-inf), z);
    return select<W>(u >= 1.0, splat<W>(inf), z);
}

// Phi^-1(u): -inf at u <= 0, +inf at u >= 1, NaN for NaN. One vector at a
// time (the tails only for vectors that hold one); normal_quantiles below
// gives the same bits faster for arrays.
template <int W>
[[gnu::always_inline]] inline typename Lanes<W>::D normal_quantile(typename Lanes<W>::D u) {
    const typename Lanes<W>::I tail = normal_is_tail<W>(u);
    const typename Lanes<W>::D z = normal_centre<W>(u);
    return any(tail) ? select<W>(tail, normal_tail<W>(u), z) : z;
}

// z[i] = Phi^-1(u[i]) for i < n (z may be u), the same bits as
// normal_quantile. A vector holds a tail value about half the time (four
// lanes, 15 % each), too irregularly for a branch per vector to be
// predicted, so each chunk is done in passes without branches: the tail
// values are gathered, the centre's formula runs on every value, the tails'
// on the gathered ones only, and those are put back.
inline constexpr std::size_t kNormalChunk = 256;

// For each 4-bit mask, its set lanes in order (then zeros) as four 16-bit
// fields of one word, and how many: gathering by this table is branch-free,
// and a vector's positions are written with one 8-byte store (adding i to
// every field at once: i + lane < 2^16, so no field carries into the next).
struct LaneLists {
    std::uint64_t lanes[16];
    std::uint8_t count[16];
    constexpr LaneLists() : lanes{}, count{} {
        for (unsigned m = 0; m < 16; ++m) {
            std::uint8_t c = 0;
            for (std::uint64_t l = 0; l < 4; ++l)
                if (m >> l & 1u) lanes[m] |= l << (16 * c++);
            count[m] = c;
        }
    }
};
inline constexpr std::uint64_t kEveryField = 0x0001000100010001ULL;  // 1 in each 16-bit field
inline constexpr LaneLists kLaneLists{};

// (Fusing the lognormal's exp into these passes was measured slower at AVX2,
// 138 against 99 ns a sample for the transform limit: docs/performance.md.)
template <int W>
[[gnu::always_inline]] inline void normal_quantiles(const double* u, double* z, std::size_t n) {
    double tail_u[kNormalChunk + W];
    std::uint16_t tail_at[kNormalChunk + 4];
    for (std::size_t at = 0; at < n; at += kNormalChunk) {
        const std::size_t m = n - at < kNormalChunk ? n - at : kNormalChunk;
        // Where the tails are: every lane's position written, the count
        // moved past the tail ones only (4 lanes a table entry).
        std::size_t tails = 0, i = 0;
        for (; i + W <= m; i += W) {
            const unsigned bits = mask_bits(normal_is_tail<W>(load<W>(u + at + i)));
            for (int h = 0; h < W; h += 4) {
                const unsigned nibble = (bits >> h) & 15u;
                const std::uint64_t at4 = kLaneLists.lanes[nibble] + (i + h) * kEveryField;
                std::memcpy(tail_at + tails, &at4, sizeof at4);  // 4 positions; those past the count are overwritten
                tails += kLaneLists.count[nibble];
            }
        }
        for (; i < m; ++i) {
            tail_at[tails] = static_cast<std::uint16_t>(i);
            tails += is_normal_tail(u[at + i]);
        }
        for (std::size_t k = 0; k < tails; ++k) tail_u[k] = u[at + tail_at[k]];
        each<W>(u + at, z + at, m, 0.5, [](typename Lanes<W>::D x) __attribute__((always_inline)) {
            return normal_centre<W>(x);
        });
        each<W>(tail_u, tail_u, tails, 0.01, [](typename Lanes<W>::D x) __attribute__((always_inline)) {
            return normal_tail<W>(x);
        });
        for (std::size_t k = 0; k < tails; ++k) z[at + tail_at[k]] = tail_u[k];
    }
}

}  // namespace flopcast::simd
