// The SeriesAccumulator concept (series_accumulator.hpp), checked the same
// way for the prior's and the posterior's accumulator: blocks split into two
// ranges at any point, each saved and read back, then appended, give the
// bytes of one accumulator over all blocks; and a state read back writes the
// bytes it was read from.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/run/series_accumulator.hpp"

using namespace flopcast;

namespace {

constexpr std::uint64_t kBlocks = 13;  // odd, so the splits fall inside the merge tree's subtrees
constexpr std::size_t kSize = 64;

// Block b's values: positive, spread over decades, a NaN in block 5.
std::vector<double> values_of(std::uint64_t b) {
    std::vector<double> v(kSize);
    for (std::size_t i = 0; i < kSize; ++i) v[i] = std::exp(0.37 * static_cast<double>((b * kSize + i) % 97) - 9.0);
    if (b == 5) v[3] = std::nan("");
    return v;
}
std::vector<double> log_weights_of(std::uint64_t b) {
    std::vector<double> w(kSize);
    for (std::size_t i = 0; i < kSize; ++i) w[i] = -0.05 * static_cast<double>((b * 31 + i * 7) % 41);
    return w;
}

// Adds block b through the concept's own step, as the runner does: the
// block's part pushed in block order, the thread's kept part merged. The
// posterior's context holds the block's weights as posterior_blocks.cpp
// finds them; the prior moments it may lean on are left out here (nullptr),
// which takes the weighted passes' general path.
void add_block(run::SeriesState& s, std::uint64_t b) {
    const auto v = values_of(b);
    run::SeriesState::Context c;
    run::SeriesState::Kept kept;
    s.push(run::SeriesState::add_block(v, c, kept));
    s.merge(kept);
}
void add_block(run::WeightedSeriesState& s, std::uint64_t b) {
    const auto v = values_of(b);
    const auto lw = log_weights_of(b);
    std::vector<double> scaled(kSize);
    std::vector<std::uint64_t> fixed(kSize);
    for (std::size_t i = 0; i < kSize; ++i) {
        scaled[i] = std::exp(lw[i]);  // the block's largest log-weight is 0
        fixed[i] = stats::WeightedSketch::fixed_weight(lw[i]);
    }
    run::WeightedSeriesState::Context c{scaled, 0.0, stats::WeightedMoments::summarise(scaled), fixed,
                                        stats::WeightedSketch::summarise(fixed), nullptr};
    run::WeightedSeriesState::Kept kept;
    s.push(run::WeightedSeriesState::add_block(v, c, kept));
    s.merge(kept);
}

template <run::SeriesAccumulator A>
A empty_from(std::uint64_t first_block) {
    A a;
    a.moments = decltype(a.moments)(first_block);
    return a;
}

template <run::SeriesAccumulator A>
std::vector<std::uint8_t> bytes_of(const A& a) {
    run::StateWriter w;
    a.put(w);
    return w.bytes;
}

template <run::SeriesAccumulator A>
A read_back(const std::vector<std::uint8_t>& bytes) {
    run::StateReader r(bytes, "the test state");
    A a = A::get(r);
    REQUIRE(r.done());
    return a;
}

template <run::SeriesAccumulator A>
void check_split_save_append() {
    A whole = empty_from<A>(0);
    for (std::uint64_t b = 0; b < kBlocks; ++b) add_block(whole, b);
    const auto expected = bytes_of(whole);
    REQUIRE(expected.size() > 100);
    CHECK(bytes_of(read_back<A>(expected)) == expected);
    for (std::uint64_t cut = 0; cut <= kBlocks; ++cut) {
        A first = empty_from<A>(0), later = empty_from<A>(cut);
        for (std::uint64_t b = 0; b < cut; ++b) add_block(first, b);
        for (std::uint64_t b = cut; b < kBlocks; ++b) add_block(later, b);
        A joined = read_back<A>(bytes_of(first));
        joined.append(read_back<A>(bytes_of(later)));
        INFO("split at block " << cut);
        CHECK(bytes_of(joined) == expected);
    }
    // Ranges that do not meet are refused, never merged out of order.
    A a = empty_from<A>(0), gap = empty_from<A>(kBlocks + 1);
    add_block(a, 0);
    add_block(gap, kBlocks + 1);
    CHECK_THROWS_AS(a.append(gap), std::logic_error);
}

}  // namespace

TEST_CASE("the prior's accumulator split, saved, read back and appended gives one run's bytes", "[state][accumulator]") {
    check_split_save_append<run::SeriesState>();
}

TEST_CASE("the posterior's accumulator split, saved, read back and appended gives one run's bytes",
          "[state][accumulator]") {
    check_split_save_append<run::WeightedSeriesState>();
}

TEST_CASE("a truncated accumulator state is refused", "[state][accumulator]") {
    run::SeriesState s = empty_from<run::SeriesState>(0);
    add_block(s, 0);
    auto bytes = bytes_of(s);
    bytes.pop_back();
    run::StateReader r(bytes, "the test state");
    CHECK_THROWS_AS(run::SeriesState::get(r), run::StateError);
}

TEST_CASE("the posterior's block step gives the same bits with the prior's extremes as without them", "[state][accumulator]") {
    // The runner passes the prior's block moments (their minimum and maximum
    // spare the weighted passes a scan when every value is finite); the
    // result must be that of the general path. Block 5 holds a NaN: there the
    // prior counts fewer values than the block and the general path is taken.
    for (std::uint64_t b : {0, 5, 7}) {
        const auto v = values_of(b);
        const auto lw = log_weights_of(b);
        std::vector<double> scaled(kSize);
        std::vector<std::uint64_t> fixed(kSize);
        for (std::size_t i = 0; i < kSize; ++i) {
            scaled[i] = std::exp(lw[i]);
            fixed[i] = stats::WeightedSketch::fixed_weight(lw[i]);
        }
        run::SeriesState::Context pc;
        run::SeriesState::Kept prior_kept;
        const auto prior = run::SeriesState::add_block(v, pc, prior_kept);
        run::WeightedSeriesState::Context c{scaled, 0.0, stats::WeightedMoments::summarise(scaled), fixed,
                                            stats::WeightedSketch::summarise(fixed), nullptr};
        run::WeightedSeriesState general = empty_from<run::WeightedSeriesState>(b), fast = general;
        run::WeightedSeriesState::Kept kg, kf;
        general.push(run::WeightedSeriesState::add_block(v, c, kg));
        general.merge(kg);
        c.prior = &prior.moments;
        fast.push(run::WeightedSeriesState::add_block(v, c, kf));
        fast.merge(kf);
        INFO("block " << b);
        CHECK(prior.moments.count() == (b == 5 ? kSize - 1 : kSize));
        CHECK(bytes_of(fast) == bytes_of(general));
    }
}
