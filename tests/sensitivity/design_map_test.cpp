// The design's map from uniforms to inputs is the run's: the same uniforms
// give the same inputs as run::InputSampler, year correlation and copula
// included, so a design point means what a sample of `flopcast run` means.
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/run/block_stream.hpp"
#include "engine/run/input_sampler.hpp"
#include "distributions/sampling/uniform_designs.hpp"
#include "engine/scenario/load_scenario.hpp"
#include "engine/sensitivity/design_map.hpp"

using namespace flopcast;

namespace {

const char* kScenario = R"(
[scenario]
name = "dependent"
first_year = 2023
last_year = 2026
sampling = "lhs"
[inputs.a]
dist = "lognormal"
median = 2
p95 = 5
[inputs.b]
dist = "uniform"
min = 0
max = 1
[inputs.g]
dist = "normal"
per_year = true
year_correlation = 0.7
mean = { 2023 = 1, 2024 = 2, 2025 = 3, 2026 = 4 }
sd = 0.5
[correlation]
pairs = [["a", "b", -0.6]]
[formulas]
y = "a * b + g"
[outputs.y]
)";

}  // namespace

TEST_CASE("design map: the same uniforms give the run's inputs, dependence included", "[design]") {
    const auto s = scenario::load_scenario(kScenario, "dependent.toml");
    const std::size_t n = run::kBlockSize;
    const sensitivity::DesignMap map(s);
    const run::InputSampler sampler(s, 42);
    REQUIRE(map.dimensions() == sampler.dimensions());

    formula::Workspace ran(s.program, n), mapped(s.program, n);
    run::SamplerScratch scratch;
    sampler.draw(3, ran, scratch);

    // The run's uniforms for block 3 under "lhs".
    std::vector<double> u(map.dimensions() * n), tmp;
    dist::Rng rng = run::block_engine(42, 3);
    sampling::latin_hypercube(u, map.dimensions(), n, rng);
    map.to_values(u, n, sensitivity::DesignMap::Dependence::Keep, tmp);
    std::vector<const double*> rows;
    for (std::size_t d = 0; d < map.dimensions(); ++d) rows.push_back(u.data() + d * n);
    map.load(rows, n, mapped);

    for (const auto& in : s.inputs)
        for (std::size_t t = 0; t < (in.per_year ? s.years.size() : 1); ++t) {
            INFO(in.name << " year " << t);
            const auto a = ran.values(in.quantity, t), b = mapped.values(in.quantity, t);
            CHECK(std::memcmp(a.data(), b.data(), n * sizeof(double)) == 0);
        }
}

TEST_CASE("design map: Ignore sets every dimension by its own quantile", "[design]") {
    const auto s = scenario::load_scenario(kScenario, "dependent.toml");
    const sensitivity::DesignMap map(s);
    std::vector<double> u(map.dimensions(), 0.9), tmp;
    map.to_values(u, 1, sensitivity::DesignMap::Dependence::Ignore, tmp);
    // g's years at their own 90th percentiles: mean_t + 0.5 z_0.9, no AR(1).
    for (std::size_t t = 0; t < 4; ++t)
        CHECK(u[map.first_dimension(2) + t] == Approx(1.0 + static_cast<double>(t) + 0.5 * 1.2815515655446004));
}
