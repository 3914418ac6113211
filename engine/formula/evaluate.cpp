// Executes tapes over a block: one tight loop per instruction over a chunk of
// the block's samples, so the compiler can vectorize the arithmetic and the
// interpretive overhead is paid once per chunk, not once per sample.
//
// The loops are compiled twice, for SSE2 and for AVX2 (simd_level.hpp): one
// body, run_code(), inlined whole into run_sse2() and run_avx2(). The same
// operations in the same order on every value, so the same bits, except for
// which NaN an operation on two NaNs returns (the files carry one NaN:
// output/hdf5_writer.hpp's with_one_nan).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/formula/builtins.hpp"
#include "engine/formula/program.hpp"
#include "engine/simd/simd_level.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if FLOPCAST_HAVE_AVX2_VARIANTS
#include <immintrin.h>
#endif

namespace flopcast::formula {

namespace {

// The helpers below are always inlined: into run_sse2() and run_avx2() each,
// so that each variant's loops are compiled for its own target.
[[gnu::always_inline]] inline double* resolve(const Ref& r, Workspace& ws, std::size_t t, std::size_t first) {
    switch (r.kind) {
        case Ref::Kind::Temp: return ws.temp(r.index);
        case Ref::Kind::Quantity: return ws.chunk_values(r.index, t, first);
        case Ref::Kind::Constant: return const_cast<double*>(ws.constant(r.index));
        case Ref::Kind::None: break;
    }
    return nullptr;
}

template <class F>
[[gnu::always_inline]] inline void unary(double* __restrict d, const double* __restrict a, std::size_t n, F f) {
    for (std::size_t i = 0; i < n; ++i) d[i] = f(a[i]);
}

template <class F>
[[gnu::always_inline]] inline void binary(double* d, const double* a, const double* b, std::size_t n, F f) {
    for (std::size_t i = 0; i < n; ++i) d[i] = f(a[i], b[i]);
}

// A binary operation with a literal operand reads the number, not its array
// of copies: the same operation on the same values, one array less
// in the cache per operation.
template <class F>
[[gnu::always_inline]] inline void binary(double* d, const Instruction& in, const double* a, const double* b,
                                          const std::vector<double>& constants, std::size_t n, F f) {
    if (in.b.kind == Ref::Kind::Constant) {
        const double y = constants[static_cast<std::size_t>(in.b.index)];
        for (std::size_t i = 0; i < n; ++i) d[i] = f(a[i], y);
    } else if (in.a.kind == Ref::Kind::Constant) {
        const double x = constants[static_cast<std::size_t>(in.a.index)];
        for (std::size_t i = 0; i < n; ++i) d[i] = f(x, b[i]);
    } else {
        binary(d, a, b, n, f);
    }
}

// cagr() over 2^roots periods: the 2^roots-th root of y1 / y0 as `roots`
// square roots instead of pow(), which costs about ten times as much per value
// and is the larger part of a cagr(). Not the same bits as pow(): each square
// root is correctly rounded, so the result is within about one ulp of the
// exact root (pow is within one ulp too); it is the same on every machine,
// which is what determinism needs. pow's special cases are kept for k >= 1: a
// ratio of -inf gives +inf like pow(-inf, 1/2^k), other negative ratios a
// (positive) NaN, -0 gives +0. One period (k = 0) is pow(r, 1) = r, exactly.
//
// The vector variants below do the same per lane: std::sqrt keeps a scalar
// call path for errno, which stops the compiler from vectorizing it, and
// sqrtpd is the same IEEE operation as sqrtsd, lane by lane.
void cagr_tail(double* __restrict d, const double* __restrict y1, const double* __restrict y0, std::size_t i,
               std::size_t n, int roots) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (roots == 0) {
        for (; i < n; ++i) d[i] = y1[i] / y0[i] - 1.0;
        return;
    }
    for (; i < n; ++i) {
        double r = y1[i] / y0[i];
        r = r < 0.0 ? (r == -kInf ? kInf : kNaN) : r + 0.0;  // + 0.0: -0 becomes +0
        for (int k = 0; k < roots; ++k) r = std::sqrt(r);
        d[i] = r - 1.0;
    }
}

void cagr_sse2(double* __restrict d, const double* __restrict y1, const double* __restrict y0, std::size_t n,
               int roots) {
    std::size_t i = 0;
#if defined(__SSE2__)
    constexpr double kInf = std::numeric_limits<double>::infinity();
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    const __m128d zero = _mm_setzero_pd(), one = _mm_set1_pd(1.0);
    const __m128d minus_inf = _mm_set1_pd(-kInf), inf = _mm_set1_pd(kInf), nan = _mm_set1_pd(kNaN);
    for (; roots > 0 && i + 2 <= n; i += 2) {
        __m128d r = _mm_div_pd(_mm_loadu_pd(y1 + i), _mm_loadu_pd(y0 + i));
        const __m128d negative = _mm_cmplt_pd(r, zero);
        const __m128d fix = _mm_or_pd(_mm_and_pd(_mm_cmpeq_pd(r, minus_inf), inf),
                                      _mm_andnot_pd(_mm_cmpeq_pd(r, minus_inf), nan));
        r = _mm_or_pd(_mm_and_pd(negative, fix), _mm_andnot_pd(negative, _mm_add_pd(r, zero)));
        for (int k = 0; k < roots; ++k) r = _mm_sqrt_pd(r);
        _mm_storeu_pd(d + i, _mm_sub_pd(r, one));
    }
#endif
    cagr_tail(d, y1, y0, i, n, roots);
}

#if FLOPCAST_HAVE_AVX2_VARIANTS
FLOPCAST_TARGET_AVX2 void cagr_avx2(double* __restrict d, const double* __restrict y1, const double* __restrict y0,
                                    std::size_t n, int roots) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    std::size_t i = 0;
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d minus_inf = _mm256_set1_pd(-kInf), inf = _mm256_set1_pd(kInf), nan = _mm256_set1_pd(kNaN);
    for (; roots > 0 && i + 4 <= n; i += 4) {
        __m256d r = _mm256_div_pd(_mm256_loadu_pd(y1 + i), _mm256_loadu_pd(y0 + i));
        // The predicates of cmpltpd (LT_OS) and cmpeqpd (EQ_OQ).
        const __m256d negative = _mm256_cmp_pd(r, zero, _CMP_LT_OS);
        const __m256d is_minus_inf = _mm256_cmp_pd(r, minus_inf, _CMP_EQ_OQ);
        const __m256d fix = _mm256_or_pd(_mm256_and_pd(is_minus_inf, inf), _mm256_andnot_pd(is_minus_inf, nan));
        r = _mm256_or_pd(_mm256_and_pd(negative, fix), _mm256_andnot_pd(negative, _mm256_add_pd(r, zero)));
        for (int k = 0; k < roots; ++k) r = _mm256_sqrt_pd(r);
        _mm256_storeu_pd(d + i, _mm256_sub_pd(r, one));
    }
    cagr_tail(d, y1, y0, i, n, roots);
}
#endif

// What one tape run needs besides the tape.
struct Step {
    Workspace& ws;
    std::size_t t, first, n;  // year index; the chunk's first sample and size
    const std::vector<int>& years;
    const std::vector<double>& constants;
};

// The interpreter, written once. Inlined whole (flatten) into each variant
// below, where the compiler vectorizes its loops for that variant's target.
template <class CagrRoots>
[[gnu::always_inline]] inline void run_code(const Tape& tape, const Step& s, CagrRoots cagr_roots) {

    Workspace& ws = s.ws;
    const std::size_t t = s.t, first = s.first, n = s.n;
    const auto at_year = [&](int q, std::size_t year) { return ws.chunk_values(q, year, first); };
    for (const Instruction& in : tape.code) {
        double* d = resolve(in.dst, ws, t, first);
        const double* a = in.a.kind == Ref::Kind::None ? nullptr : resolve(in.a, ws, t, first);
        const double* b = in.b.kind == Ref::Kind::None ? nullptr : resolve(in.b, ws, t, first);
        namespace sem = semantics;
        switch (in.op) {
            case OpCode::Add: binary(d, in, a, b, s.constants, n, [](double x, double y) { return x + y; }); break;
            case OpCode::Subtract: binary(d, in, a, b, s.constants, n, [](double x, double y) { return x - y; }); break;
            case OpCode::Multiply: binary(d, in, a, b, s.constants, n, [](double x, double y) { return x * y; }); break;
            case OpCode::Divide: binary(d, in, a, b, s.constants, n, [](double x, double y) { return x / y; }); break;
            case OpCode::Power: binary(d, in, a, b, s.constants, n, [](double x, double y) { return std::pow(x, y); }); break;
            case OpCode::Min: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::minimum(x, y); }); break;
            case OpCode::Max: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::maximum(x, y); }); break;
            case OpCode::Less: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::less(x, y); }); break;
            case OpCode::LessEqual: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::less_equal(x, y); }); break;
            case OpCode::Greater: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::greater(x, y); }); break;
            case OpCode::GreaterEqual: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::greater_equal(x, y); }); break;
            case OpCode::Equal: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::equal(x, y); }); break;
            case OpCode::NotEqual: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::not_equal(x, y); }); break;
            case OpCode::And: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::logical_and(x, y); }); break;
            case OpCode::Or: binary(d, in, a, b, s.constants, n, [](double x, double y) { return sem::logical_or(x, y); }); break;
            case OpCode::Not: unary(d, a, n, [](double x) { return sem::logical_not(x); }); break;
            case OpCode::Logistic: unary(d, a, n, [](double x) { return sem::logistic(x); }); break;
            case OpCode::If: {
                // Constants are chunk-sized arrays of copies, so every operand is an array here.
                const double* c = resolve(in.c, ws, t, first);
                for (std::size_t i = 0; i < n; ++i) d[i] = sem::choose(a[i], b[i], c[i]);
                break;
            }
            case OpCode::Negate: unary(d, a, n, [](double x) { return -x; }); break;
            case OpCode::Exp: unary(d, a, n, [](double x) { return std::exp(x); }); break;
            case OpCode::Sin: unary(d, a, n, [](double x) { return std::sin(x); }); break;
            case OpCode::Cos: unary(d, a, n, [](double x) { return std::cos(x); }); break;
            case OpCode::Log: unary(d, a, n, [](double x) { return std::log(x); }); break;
            case OpCode::Sqrt: unary(d, a, n, [](double x) { return std::sqrt(x); }); break;
            case OpCode::Abs: unary(d, a, n, [](double x) { return std::fabs(x); }); break;
            case OpCode::Copy:
                if (d != a) std::memcpy(d, a, n * sizeof(double));
                break;
            case OpCode::Year: std::fill_n(d, n, static_cast<double>(s.years[t])); break;
            case OpCode::YearIndex: std::fill_n(d, n, static_cast<double>(t)); break;
            case OpCode::Prev:
                if (t == 0) std::memcpy(d, b, n * sizeof(double));
                else std::memcpy(d, at_year(in.a.index, t - 1), n * sizeof(double));
                break;
            case OpCode::Growth:
                if (t == 0) std::fill_n(d, n, 1.0);
                else binary(d, at_year(in.dst.index, t - 1), a, n,
                            [](double x, double y) { return x * y; });
                break;
            case OpCode::Cagr: {
                const double* x0 = at_year(in.a.index, static_cast<std::size_t>(in.i0));
                const double* x1 = at_year(in.a.index, static_cast<std::size_t>(in.i1));
                const int periods = s.years[in.i1] - s.years[in.i0];
                if (std::has_single_bit(static_cast<unsigned>(periods))) {
                    cagr_roots(d, x1, x0, n, std::countr_zero(static_cast<unsigned>(periods)));
                    break;
                }
                const double inv_periods = 1.0 / periods;
                binary(d, x1, x0, n,
                       [inv_periods](double y1, double y0) { return std::pow(y1 / y0, inv_periods) - 1.0; });
                break;
            }
            case OpCode::At:
                std::memcpy(d, at_year(in.a.index, static_cast<std::size_t>(in.i0)), n * sizeof(double));
                break;
        }
    }
}

[[gnu::flatten]] void run_sse2(const Tape& tape, const Step& s) { run_code(tape, s, cagr_sse2); }

#if FLOPCAST_HAVE_AVX2_VARIANTS
[[gnu::flatten]] FLOPCAST_TARGET_AVX2 void run_avx2(const Tape& tape, const Step& s) { run_code(tape, s, cagr_avx2); }
#endif

}  // namespace

void Program::evaluate(Workspace& ws) const { evaluate(ws, simd::level()); }

void Program::evaluate(Workspace& ws, simd::Level level) const {
    if (!simd::available(level))
        throw std::invalid_argument(std::string("formula::Program::evaluate: this CPU cannot run the ") +
                                    simd::name(level) + " loops");
    auto run = run_sse2;
#if FLOPCAST_HAVE_AVX2_VARIANTS
    if (level == simd::Level::Avx2) run = run_avx2;
#else
    (void)level;
#endif
    const std::size_t block = ws.block_size(), chunk = ws.chunk_size();
    for (std::size_t first = 0; first < block; first += chunk) {
        const std::size_t n = std::min(chunk, block - first);
        for (const Tape& tape : before_years_) run(tape, {ws, 0, first, n, years_, constants_});
        for (std::size_t t = 0; t < years_.size(); ++t)
            for (const Tape& tape : each_year_) run(tape, {ws, t, first, n, years_, constants_});
        for (const Tape& tape : after_years_) run(tape, {ws, 0, first, n, years_, constants_});
    }
}

}  // namespace flopcast::formula
