// `flopcast run` as a plan (engine/cli/run_plan.hpp): the decisions the
// command takes from its arguments, built here from argument sets without
// running, reading or writing anything.
#include <catch2/catch.hpp>

#include <string>

#include "engine/cli/run_plan.hpp"
#include "engine/cli/version.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "plan_scenario.hpp"

using namespace flopcast;
using cli::PlanError;
using cli::RunArgs;

namespace {

using test::kPlanScenario;

scenario::Scenario scenario_of(const std::vector<std::string>& sets = {}) {
    return scenario::load_scenario(kPlanScenario, "plan.toml", sets);
}

cli::RunPlan plan(const RunArgs& a) { return cli::plan_run(a, scenario_of(a.sets), nullptr); }

// The plan's error message for these arguments ("" when it plans).
std::string error_of(const RunArgs& a, const run::Checkpoint* resumed = nullptr) {
    try {
        (void)cli::plan_run(a, scenario_of(a.sets), resumed);
    } catch (const PlanError& e) {
        return e.what();
    }
    return "";
}

// A checkpoint of a plain run of kPlanScenario, saved after 2 blocks.
run::Checkpoint checkpoint() {
    run::Checkpoint c;
    c.version = cli::kVersion;
    c.scenario_file = "plan.toml";
    c.scenario_text = kPlanScenario;
    c.seed = 7;
    c.samples = 10000;
    c.state.next_block = 2;
    c.output = "night.h5";
    return c;
}

}  // namespace

TEST_CASE("run plan: the scenario's samples and seed, its name as the output, nothing kept but its own", "[plan]") {
    const auto p = plan({});
    CHECK(p.options.samples == 5000);
    CHECK(p.options.seed == 11);
    CHECK(p.output == "plan_test.h5");  // output_names.hpp: the space made safe
    CHECK(p.checkpoint.empty());
    CHECK_FALSE(p.precision);
    CHECK_FALSE(p.shard);
    CHECK_FALSE(p.spooled);  // no checkpoint, a known length: straight into the file
    CHECK(p.kept_widths == std::vector<std::size_t>{0, 1});
    CHECK(p.kept_values == 1);
    CHECK(p.kept_bytes == 1.0 * 5000 * 8);
    CHECK(p.first_sample == 0);
}

TEST_CASE("run plan: --samples, --seed, -o and --keep-samples", "[plan]") {
    RunArgs a;
    a.samples = 3000;
    a.seed = 5;
    a.output = "x.h5";
    a.keep_samples = true;
    a.strict = true;
    const auto p = plan(a);
    CHECK(p.options.samples == 3000);
    CHECK(p.options.seed == 5);
    CHECK(p.options.keep_all);
    CHECK(p.output == "x.h5");
    CHECK(p.strict);
    // Every output kept: the yearly one a value per year.
    CHECK(p.kept_widths == std::vector<std::size_t>{3, 1});
    CHECK(p.kept_values == 4);
    CHECK(p.kept_bytes == 4.0 * 3000 * 8);
}

TEST_CASE("run plan: kept samples are spooled beside a checkpoint and in a precision run, never in a shard", "[plan]") {
    RunArgs a;
    a.checkpoint = "run.ck";
    CHECK(plan(a).spooled);
    CHECK(plan(a).checkpoint == "run.ck");
    a.shard = std::make_pair(std::uint64_t{0}, std::uint64_t{2});
    CHECK_FALSE(plan(a).spooled);
    RunArgs u;
    u.until = {"mean:scalar:1%"};
    const auto p = plan(u);
    CHECK(p.precision);
    CHECK(p.spooled);
    CHECK(p.kept_bytes == 0.0);  // a precision run's length is unknown
    CHECK(p.options.samples == cli::kDefaultMaxSamples);
    u.max_samples = 100000;
    CHECK(plan(u).options.samples == 100000);
}

TEST_CASE("run plan: a shard's blocks are its share i/N of the run's", "[plan]") {
    RunArgs a;
    a.samples = 20000;  // 10 blocks of 2048
    a.shard = std::make_pair(std::uint64_t{1}, std::uint64_t{3});
    const auto p = plan(a);
    REQUIRE(p.shard);
    CHECK(p.shard->blocks == 10);
    CHECK(p.shard->first_block == 3);  // floor(10 * 1 / 3)
    CHECK(p.shard->end_block == 6);    // floor(10 * 2 / 3)
}

TEST_CASE("run plan: contradictory options are refused, naming them", "[plan]") {
    RunArgs a;
    a.until = {"mean:scalar:1%"};
    a.samples = 100;
    CHECK(error_of(a) == "--samples and --until: the targets decide the sample count; cap it with --max-samples");
    a.samples.reset();
    a.shard = std::make_pair(std::uint64_t{0}, std::uint64_t{2});
    CHECK(error_of(a).rfind("--until decides when to stop as the run goes, which a shard", 0) == 0);
    RunArgs m;
    m.max_samples = 100;
    CHECK(error_of(m) == "--max-samples caps a precision run: give --until too, or use --samples");
    RunArgs z;
    z.samples = 0;
    CHECK(error_of(z) == "--samples must be at least 1");
    RunArgs bad;
    bad.until = {"mean:nothing:1%"};
    CHECK(error_of(bad).find("nothing") != std::string::npos);
    CHECK(error_of({}).empty());
}

TEST_CASE("run plan: a resumed run continues the checkpoint's seed, samples and output", "[plan][resume]") {
    const auto c = checkpoint();
    RunArgs a;
    a.resume = "run.ck";
    const auto s = cli::run_scenario(a, &c);  // the checkpoint's text, not the file's
    CHECK(s.source_file == "plan.toml");
    const auto p = cli::plan_run(a, s, &c);
    CHECK(p.options.seed == 7);
    CHECK(p.options.samples == 10000);
    CHECK(p.output == "night.h5");
    CHECK(p.checkpoint == "run.ck");  // saved again where it was read
    CHECK(p.first_sample == 2 * 2048);
    a.output = "elsewhere.h5";
    CHECK(cli::plan_run(a, s, &c).output == "elsewhere.h5");
}

TEST_CASE("run plan: a resume that disagrees with its checkpoint names every difference", "[plan][resume]") {
    const auto c = checkpoint();
    RunArgs a;
    a.resume = "run.ck";
    a.seed = 8;
    a.samples = 9000;
    CHECK(error_of(a, &c) == "cannot resume run.ck; the seed differs (8 here, 7 in the checkpoint); the sample count "
                             "differs (9000 here, 10000 in the checkpoint)");
    RunArgs k;
    k.resume = "run.ck";
    k.keep_samples = true;
    CHECK(error_of(k, &c) == "cannot resume run.ck; --keep-samples was not given to the run it saved");
    RunArgs u;
    u.resume = "run.ck";
    u.until = {"mean:scalar:1%"};
    u.max_samples = 10000;
    CHECK(error_of(u, &c) == "cannot resume run.ck; the --until targets differ (mean:scalar:1% here, none in the "
                             "checkpoint)");
    RunArgs o;
    o.resume = "run.ck";
    o.sets = {"scenario.seed=3"};
    CHECK(error_of(o, &c).find("the --set overrides differ") != std::string::npos);
}

TEST_CASE("run plan: a checkpoint of another flopcast version is refused", "[plan][resume]") {
    auto c = checkpoint();
    CHECK_NOTHROW(cli::check_checkpoint_version(c, "run.ck"));
    c.version = "0.0.0-elsewhere";
    CHECK_THROWS_WITH(cli::check_checkpoint_version(c, "run.ck"),
                      "run.ck was written by flopcast 0.0.0-elsewhere; this is " + std::string(cli::kVersion) +
                          ", which may draw differently");
}
