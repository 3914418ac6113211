// Morris trajectories and screening.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "benchmark_scenarios.hpp"
#include "engine/sensitivity/morris.hpp"

using namespace flopcast;

TEST_CASE("morris trajectories: levels on the grid, each factor moved once by p/2 levels", "[morris]") {
    const auto ts = sensitivity::morris_trajectories(1, 0, 50, 6, 4);
    REQUIRE(ts.size() == 50);
    for (const auto& t : ts) {
        for (int l : t.start) CHECK((l >= 0 && l < 4));
        std::vector<std::size_t> sorted = t.order;
        std::sort(sorted.begin(), sorted.end());
        std::vector<std::size_t> iota(6);
        std::iota(iota.begin(), iota.end(), std::size_t{0});
        CHECK(sorted == iota);
        for (std::size_t m = 0; m < 6; ++m) CHECK(t.step_of[t.order[m]] == m);
    }
    CHECK(sensitivity::other_level(0, 4) == 2);
    CHECK(sensitivity::other_level(3, 4) == 1);
    // A function of (seed, block) only.
    CHECK(sensitivity::morris_trajectories(1, 0, 50, 6, 4)[7].order == ts[7].order);
}

TEST_CASE("morris on the G-function: mu* follows the importance of the inputs", "[morris]") {
    const auto s = testing::benchmark("sobol-g");
    sensitivity::MorrisOptions o;
    o.trajectories = 200;
    o.seed = s.seed;
    o.outputs = {0};
    const auto r = sensitivity::morris(s, testing::every_input(s), o);
    CHECK(r.evaluations == 200u * 9u);
    const auto& m = r.outputs[0].mu_star;
    CHECK(m[0] > m[1]);
    CHECK(m[1] > m[2]);
    CHECK(m[2] > m[3]);
    for (std::size_t i = 4; i < 8; ++i) CHECK(m[3] > m[i]);
    for (auto c : r.outputs[0].count) CHECK(c == 200u);
}

TEST_CASE("morris: bad levels and trajectories are refused naming the option", "[morris]") {
    const auto s = testing::benchmark("linear");
    sensitivity::MorrisOptions o;
    o.outputs = {0};
    o.levels = 3;
    CHECK_THROWS_WITH(sensitivity::morris(s, testing::every_input(s), o), Catch::Matchers::Contains("--levels") &&
                                                                            Catch::Matchers::Contains("got 3"));
    o.levels = 4;
    o.trajectories = 0;
    CHECK_THROWS_WITH(sensitivity::morris(s, testing::every_input(s), o), Catch::Matchers::Contains("--trajectories"));
}
