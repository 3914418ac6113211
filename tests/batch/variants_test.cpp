// Sweep variants: --grid axes and their cartesian product, and the variants
// file with its file:line: field errors.
#include <catch2/catch.hpp>

#include "engine/batch/variants.hpp"

using namespace flopcast;
using Catch::Matchers::Contains;

TEST_CASE("grid option: KEY=V1,V2 split at commas outside quotes") {
    const auto a = batch::parse_grid_option("inputs.train_mfu.median=0.3,0.4,0.5");
    CHECK(a.key == "inputs.train_mfu.median");
    CHECK(a.values == std::vector<std::string>{"0.3", "0.4", "0.5"});
    const auto q = batch::parse_grid_option(R"(scenario.title="a, b","c")");
    CHECK(q.values == std::vector<std::string>{R"("a, b")", R"("c")"});
    CHECK_THROWS_WITH(batch::parse_grid_option("inputs.x.median"), Contains("--grid inputs.x.median: expected KEY=V1,V2"));
    CHECK_THROWS_WITH(batch::parse_grid_option("=1,2"), Contains("expected KEY=V1,V2"));
    CHECK_THROWS_WITH(batch::parse_grid_option("inputs.x.median=1,,2"), Contains("empty value"));
    CHECK_THROWS_WITH(batch::parse_grid_option("inputs.x.median=1,2,1"), Contains("the value 1 is given twice"));
    CHECK_THROWS_WITH(batch::parse_grid_option(R"(scenario.title="a,b)"), Contains("not closed"));
}

TEST_CASE("grid: every combination, the first axis slowest, short unambiguous names") {
    const auto v = batch::grid_variants({batch::parse_grid_option("inputs.train_mfu.median=0.3,0.4,0.5"),
                                         batch::parse_grid_option("inputs.infer_utilization.median=0.2,0.3")});
    REQUIRE(v.size() == 6);
    CHECK(v[0].name == "train_mfu.median=0.3,infer_utilization.median=0.2");
    CHECK(v[1].name == "train_mfu.median=0.3,infer_utilization.median=0.3");
    CHECK(v[5].name == "train_mfu.median=0.5,infer_utilization.median=0.3");
    CHECK(v[3].overrides() ==
          std::vector<std::string>{"inputs.train_mfu.median=0.4", "inputs.infer_utilization.median=0.3"});
    CHECK(batch::swept_keys(v) == std::vector<std::string>{"inputs.train_mfu.median", "inputs.infer_utilization.median"});
    CHECK(batch::value_of(v[2], "inputs.train_mfu.median") == "0.4");
    CHECK(batch::value_of(v[2], "scenario.seed").empty());
    // Keys that end alike keep as much as tells them apart; '/' cannot be in a group name.
    const auto w = batch::grid_variants({batch::parse_grid_option("inputs.a.b.median=1"),
                                         batch::parse_grid_option("inputs.c.b.median=2"),
                                         batch::parse_grid_option("scenario.title=\"x/y\"")});
    REQUIRE(w.size() == 1);
    CHECK(w[0].name == "a.b.median=1,c.b.median=2,scenario.title=\"x_y\"");
    CHECK_THROWS_WITH(batch::grid_variants({batch::parse_grid_option("inputs.a.median=1"),
                                            batch::parse_grid_option("inputs.a.median=2")}),
                      Contains("--grid inputs.a.median: the key is given twice"));
}

TEST_CASE("variants file: named tables of dotted keys, in file order") {
    const auto v = batch::load_variants(R"(
[variants.zeta_low]
inputs.train_mfu.median = 0.3
inputs.train_mfu.p95 = 0.5

[variants.alpha_high]
inputs.train_mfu.median = 0.5
inputs.train_mfu.dist = "lognormal"
scenario.samples = 1000
inputs.gpt4_runs.clip_on = true

[variants.baseline]
)",
                                        "sweep.toml");
    REQUIRE(v.size() == 3);
    CHECK(v[0].name == "zeta_low");  // file order, not toml++'s sorted order
    CHECK(v[1].name == "alpha_high");
    CHECK(v[2].name == "baseline");
    CHECK(v[2].settings.empty());
    CHECK(v[0].overrides() == std::vector<std::string>{"inputs.train_mfu.median=0.3", "inputs.train_mfu.p95=0.5"});
    CHECK(v[1].overrides() == std::vector<std::string>{"inputs.train_mfu.median=0.5", "inputs.train_mfu.dist=\"lognormal\"",
                                                       "scenario.samples=1000", "inputs.gpt4_runs.clip_on=true"});
    CHECK(v[1].settings[0].line == 7);
}

TEST_CASE("variants file: values read back as the same TOML values") {
    CHECK(batch::toml_text_of_double(0.3) == "0.3");
    CHECK(batch::toml_text_of_double(3.0) == "3.0");  // not the integer 3
    CHECK(batch::toml_text_of_double(6e25) == "6e+25");
    CHECK(batch::toml_text_of_double(2e12) == "2e+12");
    CHECK(batch::toml_text_of_double(1234567.0) == "1234567.0");
    CHECK(batch::toml_text_of_double(0.1 + 0.2) == "0.30000000000000004");
    CHECK(batch::toml_text_of_double(-1.5e-7) == "-1.5e-07");
    const auto v = batch::load_variants("[variants.a]\nscenario.title = \"say \\\"hi\\\"\"\nx.y = 2.0\n", "f.toml");
    CHECK(v[0].overrides() == std::vector<std::string>{"scenario.title=\"say \\\"hi\\\"\"", "x.y=2.0"});
}

TEST_CASE("variants file: errors name file, line and field") {
    CHECK_THROWS_WITH(batch::load_variants("[variants.a]\ninputs.x.median = [1, 2]\n", "s.toml"),
                      Contains("s.toml:2: variants.a.inputs.x.median: only single values can be set"));
    CHECK_THROWS_WITH(batch::load_variants("[variant.a]\nx.y = 1\n", "s.toml"),
                      Contains("s.toml:1: variant: unknown field; expected [variants.NAME] tables"));
    CHECK_THROWS_WITH(batch::load_variants("title = 1\n", "s.toml"), Contains("s.toml:1: title: unknown field"));
    CHECK_THROWS_WITH(batch::load_variants("", "s.toml"), Contains("s.toml: variants: no variants"));
    CHECK_THROWS_WITH(batch::load_variants("variants = 3\n", "s.toml"), Contains("s.toml:1: variants: expected tables"));
    CHECK_THROWS_WITH(batch::load_variants("[variants]\na = 3\n", "s.toml"),
                      Contains("s.toml:2: variants.a: expected a table of KEY = value overrides"));
    CHECK_THROWS_WITH(batch::load_variants("[variants.a]\nx = 1\nx = 2\n", "s.toml"), Contains("s.toml:3:"));
    CHECK_THROWS_WITH(batch::load_variants("[variants.\"a/b\"]\nx.y = 1\n", "s.toml"),
                      Contains("s.toml:1: variants.a/b: a variant's name may not be empty or hold '/'"));
    CHECK_THROWS_WITH(batch::load_variants_file("/nonexistent/sweep.toml"),
                      Contains("/nonexistent/sweep.toml: cannot open the variants file"));
}
