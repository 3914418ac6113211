// Factors: which inputs move together, which are left out, and the errors
// that name what is wrong.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "benchmark_scenarios.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/sensitivity/design_map.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"

using namespace flopcast;
using sensitivity::FactorError;
using Catch::Matchers::Contains;

namespace {

std::vector<std::string> names(const std::vector<sensitivity::Factor>& factors) {
    std::vector<std::string> n;
    for (const auto& f : factors) n.push_back(f.name);
    return n;
}

// Two correlated inputs and one independent one.
const char* kCorrelated = R"(
[scenario]
name = "correlated"
first_year = 2023
last_year = 2024
[inputs.a]
dist = "normal"
mean = 0
sd = 1
[inputs.b]
dist = "normal"
mean = 0
sd = 1
[inputs.c]
dist = "normal"
mean = 0
sd = 1
[correlation]
pairs = [["a", "b", 0.8]]
[formulas]
y = "a + b + c"
[outputs.y]
)";

}  // namespace

TEST_CASE("factors: one per input that varies, in input order, constants left out", "[factors]") {
    const auto s = scenario::load_scenario(cli::default_scenario_text(), "baseline");
    const auto f = sensitivity::make_factors(s, {});
    CHECK(f.size() == 17);
    CHECK(sensitivity::fixed_inputs(s, f) == std::vector<std::string>{"a100_peak_flops", "gpt35_params", "gpt35_tokens"});
    CHECK(names(f).front() == "gpt35_runs");
}

TEST_CASE("factors: a per-year input is one factor that moves all its years", "[factors]") {
    const auto s = testing::benchmark("linear");
    const auto f = sensitivity::make_factors(s, {});
    REQUIRE(names(f) == std::vector<std::string>{"a", "b", "c", "d", "e"});
    const sensitivity::DesignMap map(s);
    CHECK(map.dimensions() == 1 + 1 + 1 + 1 + 3 + 1);  // e per year (3 years), k constant
    CHECK(map.dimensions_of(f[4]).size() == 3);
}

TEST_CASE("groups: parsed from --groups and from a TOML file, placed at their first member", "[factors]") {
    const auto s = testing::benchmark("linear");
    const auto g = sensitivity::parse_groups("ab=a,b; c , e ;");
    REQUIRE(g.size() == 2);
    CHECK(g[0].name == "ab");
    CHECK(g[1].members == std::vector<std::string>{"c", "e"});
    const auto f = sensitivity::make_factors(s, g);
    CHECK(names(f) == std::vector<std::string>{"ab", "c+e", "d"});
    CHECK(f[0].inputs.size() == 2);

    const std::string path = "groups-test.toml";
    std::ofstream(path) << "[groups]\nsmall = [\"d\", \"e\"]\n";
    const auto fromfile = sensitivity::make_factors(s, sensitivity::load_groups_file(path));
    std::remove(path.c_str());
    CHECK(names(fromfile) == std::vector<std::string>{"a", "b", "c", "small"});
}

TEST_CASE("groups: mistakes name the input or the group", "[factors]") {
    const auto s = testing::benchmark("linear");
    CHECK_THROWS_WITH(sensitivity::make_factors(s, sensitivity::parse_groups("a,zz")),
                      Contains("no input 'zz'") && Contains("inputs: a, b, c, d, e, k"));
    CHECK_THROWS_WITH(sensitivity::make_factors(s, sensitivity::parse_groups("a,b;b,c")), Contains("'b' is in two groups"));
    CHECK_THROWS_WITH(sensitivity::make_factors(s, sensitivity::parse_groups("a,b,a")), Contains("'a' is listed twice"));
    CHECK_THROWS_WITH(sensitivity::parse_groups("a,,b"), Contains("empty input name"));
    CHECK_THROWS_WITH(sensitivity::parse_groups(";"), Contains("names no group"));
    CHECK_THROWS_WITH(sensitivity::make_factors(s, sensitivity::parse_groups("c=a,b")),
                      Contains("group name 'c' is the name of an input outside the group"));
    CHECK_THROWS_WITH(sensitivity::make_factors(s, sensitivity::parse_groups("k")), Contains("only inputs that cannot vary"));
    CHECK_THROWS_WITH(sensitivity::load_groups_file("no-such-groups.toml"), Contains("no-such-groups.toml"));
}

TEST_CASE("correlated inputs: refused in separate factors, accepted as one group", "[factors][sobol]") {
    const auto s = scenario::load_scenario(kCorrelated, "correlated.toml");
    const auto separate = sensitivity::make_factors(s, {});
    CHECK_THROWS_WITH(sensitivity::require_independent_factors(s, separate, "Sobol analysis"),
                      Contains("a and b") && Contains("--groups \"a,b\"") && Contains("0.8"));
    sensitivity::SobolOptions o;
    o.rows = 4096;
    o.outputs = {0};
    CHECK_THROWS_AS(sensitivity::sobol_indices(s, separate, o), FactorError);

    // Grouped, the copula acts inside the group: Var(a + b) = 2 + 2 rho_n with
    // the normal correlation rho_n = 2 sin(pi 0.8 / 6), so the group's share is
    // (2 + 2 rho_n) / (3 + 2 rho_n).
    const auto grouped = sensitivity::make_factors(s, sensitivity::parse_groups("a,b"));
    const auto r = sensitivity::sobol_indices(s, grouped, o);
    const double rho = 2 * std::sin(M_PI * 0.8 / 6);
    const double share = (2 + 2 * rho) / (3 + 2 * rho);
    CHECK(std::fabs(r.outputs[0].total[0] - share) < 0.03);
    CHECK(std::fabs(r.outputs[0].first[0] - share) < 0.03);
}
