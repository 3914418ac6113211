// `flopcast sweep` as a plan (engine/cli/sweep_plan.hpp): the variants and
// their scenarios, built from argument sets without running anything.
#include <catch2/catch.hpp>

#include <string>

#include "engine/cli/sweep_plan.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "plan_scenario.hpp"

using namespace flopcast;
using cli::SweepArgs;

namespace {

cli::SweepPlan sweep(const SweepArgs& a) {
    auto base = scenario::load_scenario(test::kPlanScenario, "plan.toml", a.sets);
    return cli::plan_sweep(a, std::move(base), cli::sweep_variants(a));
}

std::string error_of(const SweepArgs& a) {
    try {
        (void)sweep(a);
    } catch (const scenario::ScenarioError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sweep plan: a grid's variants, each scenario with its own value, one seed for all", "[plan]") {
    SweepArgs a;
    a.grid = {"inputs.a.max=3,4"};
    a.seed = 9;
    const auto p = sweep(a);
    REQUIRE(p.variants.size() == 2);
    REQUIRE(p.scenarios.size() == 2);
    CHECK(p.keys == std::vector<std::string>{"inputs.a.max"});
    CHECK(p.scenarios[0].overrides == std::vector<std::string>{"inputs.a.max=3"});
    CHECK(p.scenarios[1].overrides == std::vector<std::string>{"inputs.a.max=4"});
    for (const auto& o : p.options) {
        CHECK(o.seed == 9);
        CHECK(o.samples == 5000);  // the scenario's
    }
    CHECK(p.seed == 9);
    CHECK(p.samples == 5000);
    CHECK(p.output == "plan_test-sweep.h5");  // output_names.hpp
}

TEST_CASE("sweep plan: --set applies to every variant, before the variant's own values", "[plan]") {
    SweepArgs a;
    a.grid = {"inputs.a.max=3,4"};
    a.sets = {"scenario.seed=5"};
    a.samples = 100;
    const auto p = sweep(a);
    CHECK(p.scenarios[1].overrides == std::vector<std::string>{"scenario.seed=5", "inputs.a.max=4"});
    CHECK(p.options[1].seed == 5);
    CHECK(p.options[1].samples == 100);
}

TEST_CASE("sweep plan: mistakes are refused before any sample, naming the variant or option", "[plan]") {
    CHECK(error_of({}) == "sweep: give the variants, with --grid KEY=V1,V2,... or --variants FILE");
    SweepArgs both;
    both.grid = {"inputs.a.max=3"};
    both.variants = "v.toml";
    CHECK(error_of(both) == "sweep: give either --grid or --variants, not both");
    SweepArgs bad;
    bad.grid = {"inputs.nothing.max=3,4"};
    CHECK(error_of(bad).rfind("--grid variant ", 0) == 0);
    SweepArgs zero;
    zero.grid = {"inputs.a.max=3"};
    zero.samples = 0;
    CHECK(error_of(zero) == "--samples must be at least 1");
}
