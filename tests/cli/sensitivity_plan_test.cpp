// `flopcast sensitivity` as a plan (engine/cli/sensitivity_plan.hpp): the
// arguments checked against a scenario and turned into an analysis, without
// running anything.
#include <catch2/catch.hpp>

#include <string>

#include "engine/cli/sensitivity_plan.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "plan_scenario.hpp"

using namespace flopcast;
using cli::SensitivityArgs;

namespace {

// The plan's error for these arguments, "" when it plans (into `p`).
std::string plan(const SensitivityArgs& a, cli::SensitivityPlan& p) {
    return cli::plan_sensitivity(a, scenario::load_scenario(test::kPlanScenario, "plan.toml"), p);
}

std::string error_of(const SensitivityArgs& a) {
    cli::SensitivityPlan p;
    return plan(a, p);
}

SensitivityArgs method(const std::string& m) {
    SensitivityArgs a;
    a.method = m;
    return a;
}

}  // namespace

TEST_CASE("sensitivity plan: every output by default, the scenario's seed, the method's row", "[plan]") {
    cli::SensitivityPlan p;
    REQUIRE(plan(method("sobol"), p).empty());
    CHECK(p.analysis.outputs == std::vector<std::size_t>{0, 1});
    CHECK(p.analysis.seed == 11);
    CHECK(cli::method_name(p) == "sobol");
    CHECK(p.analysis.factors.size() == 2);
    CHECK(cli::sensitivity_output(method("sobol"), "two inputs") == "two_inputs-sobol.h5");
    auto shard = method("sobol");
    shard.shard = std::make_pair(std::uint64_t{1}, std::uint64_t{4});
    CHECK(cli::sensitivity_output(shard, "two inputs") == "two_inputs-sobol-part-1-of-4.h5");
    shard.output_file = "mine.h5";
    CHECK(cli::sensitivity_output(shard, "two inputs") == "mine.h5");
}

TEST_CASE("sensitivity plan: --output picks outputs once each, in the order given", "[plan]") {
    auto a = method("correlation");
    a.outputs = {"scalar", "yearly", "scalar"};
    cli::SensitivityPlan p;
    REQUIRE(plan(a, p).empty());
    CHECK(p.analysis.outputs == std::vector<std::size_t>{1, 0});
}

TEST_CASE("sensitivity plan: mistakes are named with the option", "[plan]") {
    auto a = method("sobol");
    a.outputs = {"nothing"};
    CHECK(error_of(a) == "--output: no output 'nothing' in plan.toml (outputs: yearly, scalar)");
    auto r = method("sobol");
    r.transforms = {"rank"};
    CHECK(error_of(r).rfind("--transform rank: --method sobol analyses a design streamed in blocks", 0) == 0);
    auto t = method("correlation");
    t.transforms = {"cube"};
    CHECK(error_of(t).rfind("--transform cube: expected log, rank or none", 0) == 0);
    auto y = method("sobol");
    y.year = 2030;
    CHECK(error_of(y) == "--year 2030 is not a year of the scenario (2023-2025)");
    CHECK(error_of(method("shapley")).rfind("--method: no method 'shapley'", 0) == 0);
}

TEST_CASE("sensitivity plan: the options text rebuilds the same analysis (what merge relies on)", "[plan]") {
    auto a = method("correlation");
    a.outputs = {"scalar"};
    a.transforms = {"scalar=log"};
    cli::SensitivityPlan p;
    REQUIRE(plan(a, p).empty());
    const std::string text = cli::options_text(p);
    const auto back = cli::args_from("correlation", p.analysis.seed, text);
    cli::SensitivityPlan q;
    REQUIRE(plan(back, q).empty());
    CHECK(cli::options_text(q) == text);
    CHECK(q.analysis.outputs == p.analysis.outputs);
    CHECK(q.analysis.transforms == p.analysis.transforms);
    CHECK_THROWS_AS(cli::args_from("correlation", 1, "nonsense=1\n"), std::invalid_argument);
}
