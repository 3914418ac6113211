// Saved states: a run split into block ranges, saved, read back and appended
// gives the bits of one run; damaged states are refused.
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void require_identical(const run::RunResult& a, const run::RunResult& b) {
    REQUIRE(a.outputs.size() == b.outputs.size());
    for (std::size_t k = 0; k < a.outputs.size(); ++k) {
        REQUIRE(a.outputs[k].series.size() == b.outputs[k].series.size());
        REQUIRE(a.outputs[k].groups.size() == b.outputs[k].groups.size());
        auto compare = [](const stats::SeriesStats& x, const stats::SeriesStats& y) {
            const auto mx = x.moments().state(), my = y.moments().state();
            CHECK(mx.n == my.n);
            CHECK(same_bits(mx.mean, my.mean));
            CHECK(same_bits(mx.m2, my.m2));
            CHECK(same_bits(x.quantile(0.5), y.quantile(0.5)));
            CHECK(x.sketch().buckets().size() == y.sketch().buckets().size());
            CHECK(x.non_finite() == y.non_finite());
        };
        for (std::size_t t = 0; t < a.outputs[k].series.size(); ++t) compare(a.outputs[k].series[t], b.outputs[k].series[t]);
        for (std::size_t g = 0; g < a.outputs[k].groups.size(); ++g)
            for (std::size_t t = 0; t < a.outputs[k].groups[g].size(); ++t)
                compare(a.outputs[k].groups[g][t], b.outputs[k].groups[g][t]);
    }
}

}  // namespace

TEST_CASE("block ranges saved, read back and appended give the bits of one run", "[state]") {
    for (const char* design : {"mc", "sobol"}) {
        SECTION(design) {
            const auto s = scenario::load_scenario(cli::default_scenario_text(), "baseline",
                                                   {std::string("scenario.sampling=") + design});
            run::RunOptions o;
            o.samples = 100000;  // 49 blocks
            o.seed = 3;
            const auto whole = run::run_scenario(s, o);
            // Uneven cuts, not aligned to waves or powers of two.
            const std::uint64_t cuts[] = {0, 5, 6, 31, 49};
            run::RunState merged;
            for (std::size_t i = 0; i + 1 < std::size(cuts); ++i) {
                const auto part = run::run_blocks(s, o, cuts[i], cuts[i + 1]);
                const auto restored = run::deserialize(run::serialize(part));
                if (i == 0) merged = restored;
                else run::append(merged, restored);
            }
            CHECK(merged.next_block == 49);
            require_identical(whole, run::to_result(s, merged, o.samples));
        }
    }
}

TEST_CASE("damaged saved states are refused with a reason", "[state]") {
    const auto s = scenario::load_scenario(cli::default_scenario_text(), "baseline");
    run::RunOptions o;
    o.samples = 5000;
    o.seed = 1;
    const auto bytes = run::serialize(run::run_blocks(s, o, 0, 3));
    auto refused = [](std::vector<std::uint8_t> b) {
        try {
            (void)run::deserialize(b);
        } catch (const run::StateError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(refused({bytes.begin(), bytes.begin() + 100}).find("the saved state is truncated") == 0);
    CHECK(refused({bytes.begin(), bytes.end() - 1}).find("the saved state is truncated") == 0);
    CHECK(refused({}) == "the saved state is truncated");
    auto not_ours = bytes;
    not_ours[0] = 'X';
    CHECK(refused(not_ours) == "not a flopcast saved state");
    auto extra = bytes;
    extra.push_back(0);
    CHECK(refused(extra) == "the saved state is corrupt (bytes left over)");
    auto huge = bytes;
    // The series count (after magic, version and three u64 fields) set absurdly high.
    const std::uint64_t absurd = 1ull << 40;
    std::memcpy(huge.data() + 8 + 4 + 24, &absurd, sizeof absurd);
    CHECK(refused(huge).find("corrupt") != std::string::npos);
    // A state that does not start where the other ends cannot be appended.
    auto a = run::run_blocks(s, o, 0, 1);
    const auto c = run::run_blocks(s, o, 2, 3);
    CHECK_THROWS_AS(run::append(a, c), run::StateError);
}
