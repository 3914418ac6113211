// Scenario files: what loads, and the message for what does not.
#include <catch2/catch.hpp>

#include <string>

#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using flopcast::scenario::load_scenario;
using flopcast::scenario::ScenarioError;

namespace {

const std::string kHeader = R"toml([scenario]
name = "t"
first_year = 2023
last_year = 2025
)toml";

// The message load_scenario gives, or "" when it loads.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
    try {
        (void)load_scenario(text, "t.toml", sets);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

std::string with_header(const std::string& body) { return kHeader + body; }

const std::string kMinimal = with_header(R"toml(
[inputs.x]
dist = "lognormal"
median = 2
p5 = 1
p95 = 4

[formulas]
y = "x * growth(1.1)"

[outputs.y]
units = "u"
)toml");

}  // namespace

TEST_CASE("a minimal scenario loads with defaults", "[scenario]") {
    const auto s = load_scenario(kMinimal, "t.toml");
    CHECK(s.name == "t");
    CHECK(s.years == std::vector<int>{2023, 2024, 2025});
    CHECK(s.samples == 100000);
    CHECK(s.sampling == "mc");
    REQUIRE(s.inputs.size() == 1);
    CHECK(s.inputs[0].distributions.size() == 1);
    REQUIRE(s.outputs.size() == 1);
    CHECK(s.outputs[0].units == "u");
    CHECK(s.text == kMinimal);
}

TEST_CASE("the built-in baseline and the shipped scenarios load", "[scenario]") {
    const auto s = load_scenario(flopcast::cli::default_scenario_text(), "builtin");
    CHECK(s.name == "csc-2023-baseline");
    std::vector<std::string> outputs;
    for (const auto& o : s.outputs) outputs.push_back(o.name);
    // Outputs keep the file's order.
    CHECK(outputs == std::vector<std::string>{"train_a100", "infer_a100", "total_a100", "train_cagr", "infer_cagr", "train_flop"});
    const auto c = flopcast::scenario::load_scenario_file(std::string(FLOPCAST_SOURCE_DIR) + "/scenarios/china-ai-server-market.toml");
    CHECK(c.inputs.size() == 2);
    CHECK(c.inputs[1].distributions.size() == 4);  // one per year
}

TEST_CASE("errors name the file, the line, the field and the value", "[scenario]") {
    // p95 below p5 in an input whose p95 is on line 10 of the file.
    const std::string bad = with_header(R"toml(
[inputs.train_mfu]
dist = "lognormal"
p5 = 0.3
p95 = 0.2
[outputs.train_mfu]
)toml");
    CHECK(error_of(bad) == "t.toml:9: inputs.train_mfu: p95 (0.2) must be above p5 (0.3)");

    CHECK(error_of("[scenario\nname=1").rfind("t.toml:1:", 0) == 0);
    CHECK(error_of("[scenario\nname=1").find("not valid TOML") != std::string::npos);
    CHECK(error_of("") == "t.toml: scenario: missing the [scenario] table (name, first_year, last_year, ...)");
    CHECK(error_of(with_header("[inputs.x]\ndist = \"lognormal\"\nmedain = 1\np95 = 2\n[outputs.x]\n"))
              .find("t.toml:7: inputs.x: ") == 0);
    CHECK(error_of(with_header("[inputs.x]\ndist = \"nosuch\"\n[outputs.x]\n")).find("t.toml:6: inputs.x: ") == 0);
    CHECK(error_of(with_header("[inputs.x]\nvalue = 1\n[outputs.x]\n")).find("inputs.x: missing 'dist'") != std::string::npos);
    CHECK(error_of(with_header("[inputs.x]\ndist = \"constant\"\nvalue = \"a\"\n[outputs.x]\n"))
              .find("t.toml:7: inputs.x: ") == 0);
    CHECK(error_of(with_header("[inputs.x]\ndist = \"constant\"\nvalue = nan\n[outputs.x]\n"))
              .find("inputs.x.value: expected a finite number, found nan") != std::string::npos);
}

TEST_CASE("formula errors give the line of the formula and the column inside it", "[scenario]") {
    const std::string text = with_header(R"toml(
[inputs.train_mfu]
dist = "constant"
value = 0.3
[formulas]
a = "2 * train_mfuu"
[outputs.a]
)toml");
    CHECK(error_of(text) == "t.toml:10:10: formulas.a: unknown name 'train_mfuu' (did you mean 'train_mfu'?) (column 5 of the formula)");
    CHECK(error_of(with_header("[inputs.x]\ndist = \"constant\"\nvalue = 1\n[formulas]\na = \"b\"\nb = \"a\"\n[outputs.a]\n"))
              .find("cycle") != std::string::npos);
    CHECK(error_of(with_header("[inputs.x]\ndist = \"constant\"\nvalue = 1\n[formulas]\na = \"x / 0\"\n[outputs.a]\n")) ==
          "t.toml:9:8: formulas.a: division by zero (column 3 of the formula)");
}

TEST_CASE("run settings and outputs are checked", "[scenario]") {
    const std::string in = "[inputs.x]\ndist = \"constant\"\nvalue = 1\n";
    CHECK(error_of("[scenario]\nname = \"t\"\nfirst_year = 2023\nlast_year = 2020\n" + in + "[outputs.x]\n")
              .find("scenario.last_year: 2020 must be at least first_year (2023)") != std::string::npos);
    CHECK(error_of(kHeader + "samples = 0\n" + in + "[outputs.x]\n").find("scenario.samples: 0 must be at least 1") != std::string::npos);
    CHECK(error_of(kHeader + "samples = -5\n" + in + "[outputs.x]\n").find("scenario.samples: -5 must be at least 1") != std::string::npos);
    CHECK(error_of(kHeader + "sampling = \"qmc\"\n" + in + "[outputs.x]\n").find("scenario.sampling: \"qmc\" is not one of") != std::string::npos);
    CHECK(error_of(kHeader + "replicates = 4\n" + in + "[outputs.x]\n").find("only sampling = \"sobol\" has replicates") != std::string::npos);
    CHECK(error_of(kHeader + "colour = 1\n" + in + "[outputs.x]\n").find("scenario.colour: unknown field") != std::string::npos);
    CHECK(error_of(kHeader + in + "[outputs.nosuch]\n") == "t.toml:8: outputs.nosuch: no input or formula is called 'nosuch'");
    CHECK(error_of(kHeader + in + "[outputs.x]\nreference = 1\nreference_year = 2031\n")
              .find("outputs.x.reference_year: 2031 is not one of the scenario's years") != std::string::npos);
    CHECK(error_of(kHeader + in + "[outputs.x]\nhistogram = \"cubic\"\n").find("outputs.x.histogram") != std::string::npos);
    CHECK(error_of(kHeader + in).find("outputs: missing") != std::string::npos);
}

TEST_CASE("per-year parameters: one value for every year, and only for per_year inputs", "[scenario]") {
    const std::string ok = kHeader + R"toml(
[inputs.g]
dist = "lognormal"
per_year = true
median = { 2023 = 1.0, 2024 = 2.0, 2025 = 3.0 }
p95 = 4.0
[outputs.g]
)toml";
    const auto s = load_scenario(ok, "t.toml");
    REQUIRE(s.inputs[0].distributions.size() == 3);
    CHECK(s.inputs[0].distributions[1]->quantile(0.5) == Approx(2.0).epsilon(1e-12));
    CHECK(error_of(kHeader + "[inputs.g]\ndist = \"lognormal\"\nper_year = true\nmedian = { 2023 = 1.0, 2024 = 2.0 }\np95 = 4\n[outputs.g]\n")
              .find("inputs.g.median: no value for 2025") != std::string::npos);
    CHECK(error_of(kHeader + "[inputs.g]\ndist = \"lognormal\"\nmedian = { 2023 = 1.0 }\np95 = 4\n[outputs.g]\n")
              .find("a value per year needs per_year = true") != std::string::npos);
    // p95 of 2025 (4) is below its median (5): the year is named.
    CHECK(error_of(kHeader + "[inputs.g]\ndist = \"lognormal\"\nper_year = true\nmedian = { 2023 = 1.0, 2024 = 2.0, 2025 = 5.0 }\np95 = 4\n[outputs.g]\n")
              .find("(2025)") != std::string::npos);
}

TEST_CASE("overrides given with --set change a scalar, are recorded, and refuse unknown fields", "[scenario]") {
    const auto s = load_scenario(kMinimal, "t.toml", {"inputs.x.median=3", "scenario.samples=77"});
    CHECK(s.samples == 77);
    CHECK(s.inputs[0].distributions[0]->quantile(0.5) == Approx(3.0).epsilon(1e-12));
    CHECK(s.overrides == std::vector<std::string>{"inputs.x.median=3", "scenario.samples=77"});
    CHECK(s.text == kMinimal);  // the file's text, as read; the overrides are kept beside it
    // A misspelt field is refused by the check of the table it lands in.
    CHECK(error_of(kMinimal, {"inputs.x.medain=3"}).find("t.toml (--set inputs.x.medain): inputs.x:") == 0);
    CHECK(error_of(kMinimal, {"inputs.x.medain=3"}).find("medain") != std::string::npos);
    CHECK(error_of(kMinimal, {"scenario.colour=3"}).find("scenario.colour: unknown field") != std::string::npos);
    CHECK(error_of(kMinimal, {"inputs.z.median=3"}).find("the scenario has no table 'inputs.z'") != std::string::npos);
    CHECK(error_of(kMinimal, {"colour=3"}).find("the scenario has no table 'colour'") != std::string::npos);
    CHECK(error_of(kMinimal, {"inputs.x.median"}).find("expected KEY=VALUE") != std::string::npos);
    CHECK(error_of(kMinimal, {"inputs.x=3"}).find("only single values can be set") != std::string::npos);
    // An overridden value that is impossible names the override, not a line.
    CHECK(error_of(kMinimal, {"inputs.x.median=-1"}).find("t.toml (--set inputs.x.median): inputs.x:") == 0);
}

TEST_CASE("the catalogue through scenario files: shorthand, mixtures, truncation", "[scenario]") {
    const std::string text = kHeader + R"toml(
[inputs]
calls_growth = "1.2 to 2.0"
fixed = "3"

[inputs.mix]
dist = "mixture"
weights = [0.7, 0.3]
[[inputs.mix.components]]
dist = "lognormal"
median = 1.0
p95 = 2.0
[[inputs.mix.components]]
dist = "uniform"
min = 5
max = 6

[inputs.trunc]
dist = "normal"
mean = 0
sd = 1
truncate = [0, 2]

[outputs.calls_growth]
)toml";
    const auto s = load_scenario(text, "t.toml");
    REQUIRE(s.inputs.size() == 4);
    // Inputs are in name order: calls_growth, fixed, mix, trunc.
    CHECK(s.inputs[0].distributions[0]->quantile(0.05) == Approx(1.2).epsilon(1e-12));
    CHECK(s.inputs[0].distributions[0]->quantile(0.95) == Approx(2.0).epsilon(1e-12));
    CHECK(s.inputs[1].distributions[0]->quantile(0.5) == 3.0);
    CHECK(s.inputs[2].distributions[0]->cdf(4.0) == Approx(0.7).epsilon(1e-3));
    CHECK(s.inputs[3].distributions[0]->quantile(0.0) == Approx(0.0).margin(1e-12));
    CHECK(s.inputs[3].distributions[0]->quantile(1.0) == Approx(2.0).epsilon(1e-12));

    // An impossible parameter inside a component: the component's own line.
    const std::string bad = kHeader + R"toml(
[inputs.mix]
dist = "mixture"
weights = [0.7, 0.3]
[[inputs.mix.components]]
dist = "lognormal"
median = 1.0
p95 = 0.5
[[inputs.mix.components]]
dist = "uniform"
min = 5
max = 6
[outputs.mix]
)toml";
    const std::string msg = error_of(bad);
    CHECK(msg.find("t.toml:12: inputs.mix: component 1 (lognormal):") == 0);
    CHECK(error_of(kHeader + "[inputs]\nx = \"50 to 5\"\n[outputs.x]\n").find("t.toml:6: inputs.x:") == 0);
}

TEST_CASE("[plots.NAME] is read in file order and its outputs checked", "[scenario][plots]") {
    const std::string body = kHeader + R"toml([inputs.a]
dist = "constant"
value = 1
[formulas]
b = "a * 2"
[outputs.a]
[outputs.b]
[plots.zeta]
outputs = ["b", "a"]
kind = "stacked"
title = "both"
[plots.alpha]
outputs = ["a"]
)toml";
    const auto s = load_scenario(body, "t.toml");
    REQUIRE(s.presentation.plots.size() == 2);
    CHECK(s.presentation.plots[0].name == "zeta");  // file order, not toml++'s sorted order
    CHECK(s.presentation.plots[0].outputs == std::vector<std::string>{"b", "a"});
    CHECK(s.presentation.plots[0].kind == flopcast::scenario::PlotKind::Stacked);
    CHECK(s.presentation.plots[0].title == "both");
    CHECK(s.presentation.plots[1].kind == flopcast::scenario::PlotKind::Lines);
    CHECK(error_of(body + "[plots.c]\noutputs = [\"bb\"]\n") ==
          "t.toml:19: plots.c.outputs: 'bb' is not an output of this scenario (did you mean 'b'?); "
          "a plot draws names declared as [outputs.NAME]");
    CHECK(error_of(body + "[plots.c]\noutputs = []\n").find("plots.c.outputs: expected a non-empty array") != std::string::npos);
    CHECK(error_of(body + "[plots.c]\noutputs = [\"a\", \"a\"]\n").find("'a' is listed twice") != std::string::npos);
    CHECK(error_of(body + "[plots.c]\noutputs = [\"a\"]\ncolour = \"red\"\n").find("plots.c.colour: unknown field") != std::string::npos);
}
