// evaluate() has two freedoms that must never show in a result: it runs a
// block one chunk of Program::kChunk samples at a time, keeping intermediate
// values in chunk-sized arrays, and it picks SSE2 or AVX2 loops by the CPU.
// Both are checked here bit for bit, on models that use every operation.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/formula/program.hpp"
#include "engine/simd/simd_level.hpp"

using namespace flopcast::formula;
namespace simd = flopcast::simd;

namespace {

// Every operation of the language, with intermediate formulas that are read
// by prev(), cagr() and at() (so they keep every year) and others that are
// read only in their own year (one array, overwritten).
ModelSpec every_operation(std::optional<std::vector<std::string>> results) {
    return ModelSpec{
        {2023, 2024, 2025, 2026, 2027},
        {{"a", Shape::Scalar}, {"b", Shape::Scalar}, {"y", Shape::Yearly}},
        {{"mid", "a * growth(b) + y / 3"},             // yearly, read in its own year only
         {"stock", "prev(stock, a) * b - mid"},        // recurrence, read across years
         {"mixed", "(a + b) * (a - b) / (b ^ 2) + exp(log(abs(a)) / 4) + sqrt(abs(y)) + pow(abs(b), 1.5)"
                   " + sin(a) * cos(y)"},
         {"clamped", "min(mid, stock, 1e3) + max(mid, -stock, -1e3) - -a"},
         {"calendar", "year * 0.5 + t"},
         {"growth4", "cagr(stock, 2023, 2027)"},       // square roots
         {"growth2", "cagr(mid, 2024, 2026)"},         // one square root
         {"growth3", "cagr(mid * 2, 2024, 2027)"},     // pow, of a hidden quantity
         {"at2025", "at(mixed, 2025) + at(stock, 2023)"},
         {"out", "mid + stock + mixed + clamped + calendar"},
         // The comparisons, logic and conditionals, with ties (y == 0 on the
         // zeros of value()) and the special values reaching each of them.
         {"logic", "if(a < b, logistic(a), scurve(y, 0.5, 2)) + (a <= y) + (b > mid) - (a >= b) + (y == 0)"
                   " + (a != y) + (a < 0 and b > 0) + (not (y > 1) or a > 2) + clamp(a, -1, stock) + if(y, a, b)"}},
        std::move(results)};
}

// Fills input q, year t, sample i with a mix of ordinary and special values:
// negatives, zeros of both signs, infinities, NaN, sub-normals.
double value(int q, std::size_t t, std::size_t i) {
    constexpr double kSpecial[] = {0.0, -0.0, std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                                   std::numeric_limits<double>::denorm_min(), -1e-310, 1e308, -2.5};
    const std::uint64_t h = (static_cast<std::uint64_t>(q) * 1000003u + t * 7919u + i) * 0x9e3779b97f4a7c15ULL;
    if ((h >> 60) == 0) return kSpecial[(h >> 32) % std::size(kSpecial)];
    return (static_cast<double>(h >> 11) * 0x1.0p-53 - 0.3) * (q == 1 ? 3.0 : 40.0);
}

Workspace evaluated(const Program& prog, std::size_t block, simd::Level level) {
    Workspace ws(prog, block);
    for (int q = 0; q < prog.input_count(); ++q)
        for (std::size_t t = 0; t < prog.slots(q); ++t) {
            auto v = ws.values(q, t);
            for (std::size_t i = 0; i < block; ++i) v[i] = value(q, t, i);
        }
    prog.evaluate(ws, level);
    return ws;
}

bool same_bits(double x, double y) { return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y); }

// The same bits, except that any NaN equals any NaN: which NaN an operation
// on two NaNs returns depends on the order the compiler gave its operands,
// which differs between loops (the files get one NaN: output/hdf5_writer.hpp).
bool same_value(double x, double y) { return same_bits(x, y) || (std::isnan(x) && std::isnan(y)); }

// Counts the values of `name` that differ between two workspaces of the same
// block size: in their bits, or with nan_is_nan in their values or NaN-ness.
std::size_t differences(const Program& p1, const Workspace& w1, const Program& p2, const Workspace& w2,
                        const std::string& name, bool nan_is_nan = false) {
    const int q1 = p1.index_of(name), q2 = p2.index_of(name);
    const std::size_t years = p1.shape(q1) == Shape::Yearly ? p1.year_count() : 1;
    std::size_t n = 0;
    for (std::size_t t = 0; t < years; ++t)
        for (std::size_t i = 0; i < w1.block_size(); ++i)
            n += (nan_is_nan ? same_value : same_bits)(w1.values(q1, t)[i], w2.values(q2, t)[i]) ? 0 : 1;
    return n;
}

const std::vector<std::string> kResults = {"out", "growth4", "growth2", "growth3", "at2025", "logic"};

}  // namespace

TEST_CASE("only the results are kept for the whole block; the others are intermediate", "[program][chunks]") {
    const auto lean = Program::compile(every_operation(kResults));
    const auto all = Program::compile(every_operation(std::nullopt));
    for (const char* name : {"a", "b", "y", "out", "growth4", "at2025"}) CHECK(lean.is_readable(lean.index_of(name)));
    for (const char* name : {"mid", "stock", "mixed", "clamped", "calendar", "growth(b)"}) {
        INFO(name);
        CHECK_FALSE(lean.is_readable(lean.index_of(name)));
        CHECK(all.is_readable(all.index_of(name)) == (std::string(name) != "growth(b)"));  // hidden: never
    }
    // Read in another year: every year kept, even as an intermediate value.
    CHECK(lean.slots(lean.index_of("stock")) == 5);
    CHECK(lean.slots(lean.index_of("mixed")) == 5);  // at(mixed, 2025)
    CHECK(lean.slots(lean.index_of("mid")) == 5);    // cagr(mid, ...)
    CHECK(lean.slots(lean.index_of("clamped")) == 1);
    CHECK(lean.slots(lean.index_of("calendar")) == 1);
    CHECK(all.slots(all.index_of("clamped")) == 5);

    const Workspace ws = evaluated(lean, 300, simd::Level::Sse2);
    try {
        (void)ws.values(lean.index_of("clamped"), 0);
        FAIL("an intermediate value was readable");
    } catch (const std::logic_error& e) {
        CHECK(std::string(e.what()).find("'clamped' is an intermediate value") != std::string::npos);
    }
}

TEST_CASE("a result that is not a formula is refused", "[program][chunks]") {
    for (const char* name : {"a", "nothing", "growth(b)"}) {
        INFO(name);
        try {
            (void)Program::compile(every_operation(std::vector<std::string>{"out", name}));
            FAIL("compiled");
        } catch (const CompileError& e) {
            CHECK(std::string(e.what()) == "'" + std::string(name) + "' is listed as a result but is not a formula");
        }
    }
}

TEST_CASE("chunks and intermediate arrays never change a bit, whatever the block size", "[program][chunks]") {
    // The reference keeps every formula for the whole block; block sizes
    // below, at and around multiples of the chunk size, so the last chunk is
    // full, short or a single sample.
    const auto lean = Program::compile(every_operation(kResults));
    const auto all = Program::compile(every_operation(std::nullopt));
    STATIC_REQUIRE(Program::kChunk == 256);
    for (std::size_t block : {1u, 7u, 255u, 256u, 257u, 513u, 1000u, 2048u}) {
        INFO("block " << block);
        const Workspace w_lean = evaluated(lean, block, simd::Level::Sse2);
        const Workspace w_all = evaluated(all, block, simd::Level::Sse2);
        for (const auto& r : kResults) {
            INFO(r);
            CHECK(differences(lean, w_lean, all, w_all, r) == 0);
        }
    }
    // The reference itself: a block of one sample is evaluated value by
    // value (the loops' scalar tails), so every sample of a large block must
    // have its value.
    const Workspace big = evaluated(all, 1000, simd::Level::Sse2);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < 1000; i += 37) {
        Workspace one(all, 1);
        for (int q = 0; q < all.input_count(); ++q)
            for (std::size_t t = 0; t < all.slots(q); ++t) one.values(q, t)[0] = value(q, t, i);
        all.evaluate(one, simd::Level::Sse2);
        for (int q = all.input_count(); q < all.input_count() + 11; ++q)
            for (std::size_t t = 0; t < all.slots(q); ++t)
                mismatches += same_value(one.values(q, t)[0], big.values(q, t)[i]) ? 0 : 1;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("the AVX2 loops give the bits of the SSE2 loops on every operation, but for NaNs' signs", "[program][simd]") {
    if (!simd::available(simd::Level::Avx2)) {
        WARN("this CPU has no AVX2: only the SSE2 loops can run here");
        return;
    }
    const auto prog = Program::compile(every_operation(std::nullopt));
    // 2048 values per series with about 1 in 16 special (value()); odd block
    // sizes exercise the vector loops' scalar tails.
    for (std::size_t block : {2048u, 1001u, 3u}) {
        INFO("block " << block);
        const Workspace sse2 = evaluated(prog, block, simd::Level::Sse2);
        const Workspace avx2 = evaluated(prog, block, simd::Level::Avx2);
        for (int q = prog.input_count(); q < prog.input_count() + 11; ++q) {
            INFO(prog.name(q));
            CHECK(differences(prog, sse2, prog, avx2, prog.name(q), true) == 0);
        }
    }
    // The special values must really reach the square-root path of cagr:
    // negative ratios, zeros and infinities among stock's values.
    const Workspace ws = evaluated(prog, 2048, simd::Level::Avx2);
    std::size_t nan = 0, finite = 0;
    for (double v : ws.values(prog.index_of("growth4"), 0)) {
        nan += std::isnan(v) ? 1 : 0;
        finite += std::isfinite(v) ? 1 : 0;
    }
    CHECK(nan > 0);
    CHECK(finite > 0);
}

TEST_CASE("the SIMD level is one of the two, and a level the CPU lacks is refused", "[program][simd]") {
    CHECK(simd::available(simd::Level::Sse2));
    CHECK((simd::level() == simd::Level::Sse2 || simd::available(simd::Level::Avx2)));
    const auto prog = Program::compile(every_operation(std::nullopt));
    Workspace ws(prog, 4);
    if (!simd::available(simd::Level::Avx2)) CHECK_THROWS_AS(prog.evaluate(ws, simd::Level::Avx2), std::invalid_argument);
    else CHECK_NOTHROW(prog.evaluate(ws, simd::Level::Avx2));
}
