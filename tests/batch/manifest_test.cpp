// Batch manifests: entries, defaults, paths relative to the manifest, and
// file:line: field errors.
#include <catch2/catch.hpp>

#include "engine/batch/manifest.hpp"

using namespace flopcast;
using Catch::Matchers::Contains;

TEST_CASE("manifest: runs with defaults, overrides and paths relative to the manifest") {
    const auto e = batch::load_manifest(R"(
[defaults]
samples = 1e6
set = ["inputs.a.median=2"]

[[run]]
scenario = "scenarios/base.toml"
output = "out/base.h5"

[[run]]
name = "high"
scenario = "/abs/high.toml"
output = "out/high.h5"
samples = 5000
seed = 7
set = ["inputs.b.p95=3"]
checkpoint = true
)",
                                        "night.toml", "/data/night");
    REQUIRE(e.size() == 2);
    CHECK(e[0].name == "base");
    CHECK(e[0].scenario == "/data/night/scenarios/base.toml");
    CHECK(e[0].output == "/data/night/out/base.h5");
    CHECK(e[0].samples == 1000000u);
    CHECK_FALSE(e[0].seed);
    CHECK(e[0].sets == std::vector<std::string>{"inputs.a.median=2"});
    CHECK_FALSE(e[0].checkpoint);
    CHECK(e[1].name == "high");
    CHECK(e[1].scenario == "/abs/high.toml");
    CHECK(e[1].samples == 5000u);
    CHECK(e[1].seed == 7u);
    CHECK(e[1].sets == std::vector<std::string>{"inputs.a.median=2", "inputs.b.p95=3"});
    CHECK(e[1].checkpoint);
    CHECK(e[1].line == 10);
}

TEST_CASE("manifest: errors name file, line and field") {
    const auto fails = [](const std::string& text) {
        return batch::load_manifest(text, "m.toml", "");
    };
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\n"), Contains("m.toml:1: run[0].output: missing"));
    CHECK_THROWS_WITH(fails("[[run]]\noutput = \"a.h5\"\n"), Contains("m.toml:1: run[0].scenario: missing"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\nsampels = 3\n"),
                      Contains("m.toml:4: run[0].sampels: unknown field; expected one of: name, scenario"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\nsamples = 0\n"),
                      Contains("m.toml:4: run[0].samples: expected a whole number of at least 1"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\nseed = 1.5\n"),
                      Contains("m.toml:4: run[0].seed: expected a whole number"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\nset = [\"nokey\"]\n"),
                      Contains("m.toml:4: run[0].set[0]: expected KEY=VALUE"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\n[[run]]\nscenario = \"b.toml\"\noutput = \"a.h5\"\n"),
                      Contains("m.toml:6: run[1].output: 'a.h5' is also the output of an earlier run"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = \"a.toml\"\noutput = \"x/a.h5\"\n[[run]]\nscenario = \"b.toml\"\noutput = \"y/a.h5\"\n"),
                      Contains("m.toml:6: run[1].name: 'a' names an earlier run too"));
    CHECK_THROWS_WITH(fails("[defaults]\nthreads = 2\n[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\n"),
                      Contains("m.toml:2: defaults.threads: unknown field"));
    CHECK_THROWS_WITH(fails("[defaults]\n"), Contains("m.toml: run: no runs"));
    CHECK_THROWS_WITH(fails("run = 3\n"), Contains("m.toml:1: run: expected [[run]] tables"));
    CHECK_THROWS_WITH(fails("[[run]]\nscenario = 3\noutput = \"a.h5\"\n"),
                      Contains("m.toml:2: run[0].scenario: expected a non-empty string"));
    CHECK_THROWS_WITH(fails("[[run]\n"), Contains("m.toml:1:"));
    CHECK_THROWS_WITH(batch::load_manifest_file("/nonexistent/m.toml"), Contains("/nonexistent/m.toml: cannot open the manifest"));
}

TEST_CASE("manifest: precision runs take until, max_samples and confidence instead of samples") {
    const auto e = batch::load_manifest(R"(
[defaults]
samples = 1e6

[[run]]
scenario = "a.toml"
output = "p.h5"
until = ["p95:total@2027:0.5%", "mean:cagr:0.01"]
max_samples = 1e9
confidence = 0.9
)",
                                        "m.toml", "");
    REQUIRE(e.size() == 1);
    CHECK(e[0].until == std::vector<std::string>{"p95:total@2027:0.5%", "mean:cagr:0.01"});
    CHECK_FALSE(e[0].samples);  // the defaults' count gives way to the targets
    CHECK(e[0].max_samples == 1000000000u);
    CHECK(e[0].confidence == 0.9);
    const auto fails = [](const std::string& text) { return batch::load_manifest(text, "m.toml", ""); };
    const std::string head = "[[run]]\nscenario = \"a.toml\"\noutput = \"a.h5\"\n";
    CHECK_THROWS_WITH(fails(head + "until = [\"p95:t:1%\"]\nsamples = 5\n"),
                      Contains("m.toml:5: run[0].samples: a run with until stops when its targets hold"));
    CHECK_THROWS_WITH(fails(head + "max_samples = 5\n"), Contains("m.toml:4: run[0].max_samples: caps a precision run"));
    CHECK_THROWS_WITH(fails(head + "until = []\n"), Contains("m.toml:4: run[0].until: expected an array of targets"));
    CHECK_THROWS_WITH(fails(head + "until = [\"p95:t:1%\"]\nconfidence = 2\n"),
                      Contains("m.toml:5: run[0].confidence: expected a number from 0.5 to 0.9999"));
}

TEST_CASE("manifest: the example overnight batch in scripts/ loads") {
    const auto e = batch::load_manifest_file(std::string(FLOPCAST_SOURCE_DIR) + "/scripts/overnight/night.toml");
    CHECK(e.size() == 4);
    CHECK(e.back().until.size() == 1);
}
