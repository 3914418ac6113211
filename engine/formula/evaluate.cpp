// Executes tapes over a block: one tight loop per instruction over the block's
// samples, so the compiler can vectorize the arithmetic and the interpretive
// overhead is paid once per block, not once per sample.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/formula/program.hpp"

namespace flopcast::formula {

Workspace::Workspace(const Program& program, std::size_t block_size) : block_(block_size) {
    std::size_t total = 0;
    for (int q = 0; q < program.quantity_count(); ++q) {
        offset_.push_back(total);
        slots_.push_back(program.slots(q));
        total += program.slots(q) * block_;
    }
    data_.assign(total, 0.0);
    temps_.assign(static_cast<std::size_t>(program.temp_count()) * block_, 0.0);
    const auto& c = program.constants();
    constants_.resize(c.size() * block_);
    for (std::size_t i = 0; i < c.size(); ++i)
        std::fill_n(constants_.begin() + static_cast<std::ptrdiff_t>(i * block_), block_, c[i]);
}

std::span<double> Workspace::values(int q, std::size_t t) {
    const std::size_t slot = slots_[q] == 1 ? 0 : t;
    return {data_.data() + offset_[q] + slot * block_, block_};
}

std::span<const double> Workspace::values(int q, std::size_t t) const {
    const std::size_t slot = slots_[q] == 1 ? 0 : t;
    return {data_.data() + offset_[q] + slot * block_, block_};
}

namespace {

double* resolve(const Ref& r, Workspace& ws, std::size_t t) {
    switch (r.kind) {
        case Ref::Kind::Temp: return ws.temp(r.index);
        case Ref::Kind::Quantity: return ws.values(r.index, t).data();
        case Ref::Kind::Constant: return const_cast<double*>(ws.constant(r.index));
        case Ref::Kind::None: break;
    }
    return nullptr;
}

template <class F>
void unary(double* __restrict d, const double* __restrict a, std::size_t n, F f) {
    for (std::size_t i = 0; i < n; ++i) d[i] = f(a[i]);
}

template <class F>
void binary(double* d, const double* a, const double* b, std::size_t n, F f) {
    for (std::size_t i = 0; i < n; ++i) d[i] = f(a[i], b[i]);
}

// A binary operation with a literal operand reads the number, not its
// block-sized array: the same operation on the same values, one array less
// in the cache per operation.
template <class F>
void binary(double* d, const Instruction& in, const double* a, const double* b, const std::vector<double>& constants,
            std::size_t n, F f) {
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
void cagr_by_roots(double* __restrict d, const double* __restrict y1, const double* __restrict y0, std::size_t n,
                   int roots) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (roots == 0) {
        for (std::size_t i = 0; i < n; ++i) d[i] = y1[i] / y0[i] - 1.0;
        return;
    }
    std::size_t i = 0;
#if defined(__SSE2__)
    // Two at a time: std::sqrt keeps a scalar call path for errno, which
    // stops the compiler from vectorizing it. sqrtpd is the same IEEE
    // operation as sqrtsd, lane by lane, so the bits are those of the tail.
    const __m128d zero = _mm_setzero_pd(), one = _mm_set1_pd(1.0);
    const __m128d minus_inf = _mm_set1_pd(-kInf), inf = _mm_set1_pd(kInf), nan = _mm_set1_pd(kNaN);
    for (; i + 2 <= n; i += 2) {
        __m128d r = _mm_div_pd(_mm_loadu_pd(y1 + i), _mm_loadu_pd(y0 + i));
        const __m128d negative = _mm_cmplt_pd(r, zero);
        const __m128d fix = _mm_or_pd(_mm_and_pd(_mm_cmpeq_pd(r, minus_inf), inf),
                                      _mm_andnot_pd(_mm_cmpeq_pd(r, minus_inf), nan));
        r = _mm_or_pd(_mm_and_pd(negative, fix), _mm_andnot_pd(negative, _mm_add_pd(r, zero)));
        for (int k = 0; k < roots; ++k) r = _mm_sqrt_pd(r);
        _mm_storeu_pd(d + i, _mm_sub_pd(r, one));
    }
#endif
    for (; i < n; ++i) {
        double r = y1[i] / y0[i];
        r = r < 0.0 ? (r == -kInf ? kInf : kNaN) : r + 0.0;  // + 0.0: -0 becomes +0
        for (int k = 0; k < roots; ++k) r = std::sqrt(r);
        d[i] = r - 1.0;
    }
}

}  // namespace

void Program::run(const Tape& tape, Workspace& ws, std::size_t t) const {
    const std::size_t n = ws.block_size();
    for (const Instruction& in : tape.code) {
        double* d = resolve(in.dst, ws, t);
        const double* a = in.a.kind == Ref::Kind::None ? nullptr : resolve(in.a, ws, t);
        const double* b = in.b.kind == Ref::Kind::None ? nullptr : resolve(in.b, ws, t);
        switch (in.op) {
            case OpCode::Add: binary(d, in, a, b, constants_, n, [](double x, double y) { return x + y; }); break;
            case OpCode::Subtract: binary(d, in, a, b, constants_, n, [](double x, double y) { return x - y; }); break;
            case OpCode::Multiply: binary(d, in, a, b, constants_, n, [](double x, double y) { return x * y; }); break;
            case OpCode::Divide: binary(d, in, a, b, constants_, n, [](double x, double y) { return x / y; }); break;
            case OpCode::Power: binary(d, in, a, b, constants_, n, [](double x, double y) { return std::pow(x, y); }); break;
            case OpCode::Min:
                binary(d, in, a, b, constants_, n, [](double x, double y) { return (x != x || x < y) ? x : y; });
                break;
            case OpCode::Max:
                binary(d, in, a, b, constants_, n, [](double x, double y) { return (x != x || x > y) ? x : y; });
                break;
            case OpCode::Negate: unary(d, a, n, [](double x) { return -x; }); break;
            case OpCode::Exp: unary(d, a, n, [](double x) { return std::exp(x); }); break;
            case OpCode::Log: unary(d, a, n, [](double x) { return std::log(x); }); break;
            case OpCode::Sqrt: unary(d, a, n, [](double x) { return std::sqrt(x); }); break;
            case OpCode::Abs: unary(d, a, n, [](double x) { return std::fabs(x); }); break;
            case OpCode::Copy:
                if (d != a) std::memcpy(d, a, n * sizeof(double));
                break;
            case OpCode::Year: std::fill_n(d, n, static_cast<double>(years_[t])); break;
            case OpCode::YearIndex: std::fill_n(d, n, static_cast<double>(t)); break;
            case OpCode::Prev:
                if (t == 0) std::memcpy(d, b, n * sizeof(double));
                else std::memcpy(d, ws.values(in.a.index, t - 1).data(), n * sizeof(double));
                break;
            case OpCode::Growth:
                if (t == 0) std::fill_n(d, n, 1.0);
                else binary(d, ws.values(in.dst.index, t - 1).data(), a, n,
                            [](double x, double y) { return x * y; });
                break;
            case OpCode::Cagr: {
                const double* x0 = ws.values(in.a.index, static_cast<std::size_t>(in.i0)).data();
                const double* x1 = ws.values(in.a.index, static_cast<std::size_t>(in.i1)).data();
                const int periods = years_[in.i1] - years_[in.i0];
                if (std::has_single_bit(static_cast<unsigned>(periods))) {
                    cagr_by_roots(d, x1, x0, n, std::countr_zero(static_cast<unsigned>(periods)));
                    break;
                }
                const double inv_periods = 1.0 / periods;
                binary(d, x1, x0, n,
                       [inv_periods](double y1, double y0) { return std::pow(y1 / y0, inv_periods) - 1.0; });
                break;
            }
            case OpCode::At:
                std::memcpy(d, ws.values(in.a.index, static_cast<std::size_t>(in.i0)).data(), n * sizeof(double));
                break;
        }
    }
}

void Program::evaluate(Workspace& ws) const {
    for (const Tape& tape : before_years_) run(tape, ws, 0);
    for (std::size_t t = 0; t < years_.size(); ++t)
        for (const Tape& tape : each_year_) run(tape, ws, t);
    for (const Tape& tape : after_years_) run(tape, ws, 0);
}

}  // namespace flopcast::formula
