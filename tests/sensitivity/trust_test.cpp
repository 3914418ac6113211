// Issue 21: Sobol indices that say when they cannot be trusted, and
// --transform log that makes them trustworthy on a product of lognormals
// (scenarios/benchmarks/lognormal-product.toml).
#include <catch2/catch.hpp>

#include <cmath>

#include "benchmark_scenarios.hpp"
#include "engine/run/runner.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/trust.hpp"

using namespace flopcast;
namespace sens = flopcast::sensitivity;

namespace {

// Sobol indices of every output with trust warnings, the ordinary run behind
// them of N samples as `flopcast sensitivity` does it.
sens::SobolResult analysed(const scenario::Scenario& s, std::uint64_t rows, sens::Transform t) {
    sens::SobolOptions o;
    o.rows = rows;
    o.seed = s.seed;
    o.threads = 2;
    o.bootstrap = 100;
    o.outputs = {0};
    o.transforms = {t};
    auto r = sens::sobol_indices(s, testing::every_input(s), o);
    run::RunOptions ro;
    ro.samples = rows;
    ro.seed = s.seed;
    ro.threads = 2;
    const auto st = run::run_blocks(s, ro, 0, run::block_count(rows));
    sens::add_trust_warnings(s, run::to_result(s, st, rows), r);
    return r;
}

}  // namespace

TEST_CASE("trust: on a product of lognormals raw Sobol indices warn, those of log10 match sigma_i^2 / sum sigma^2",
          "[trust]") {
    const auto s = testing::benchmark("lognormal-product");
    const double sigma2[4] = {1.44, 1.0, 0.64, 0.25}, sum = 3.33;
    const std::uint64_t N = 65536;

    const auto raw = analysed(s, N, sens::Transform::None);
    const auto& y = raw.outputs.at(0);
    REQUIRE(y.warnings.size() == 1);
    INFO(y.warnings[0]);
    CHECK(y.warnings[0].find("heavy-tailed") != std::string::npos);
    CHECK(y.warnings[0].find("--transform y=log") != std::string::npos);
    // Unstable: some total index is uncertain by more than 0.3 either way
    // (its interval spans 0.6 or more), against 0.01 on the log scale.
    double widest = 0.0;
    for (std::size_t f = 0; f < 4; ++f) widest = std::fmax(widest, y.total_high[f] - y.total_low[f]);
    CHECK(widest > 0.6);

    const auto logged = analysed(s, N, sens::Transform::Log10);
    const auto& z = logged.outputs.at(0);
    CHECK(z.grid.transform == sens::Transform::Log10);
    CHECK(z.warnings.at(0).empty());
    for (std::size_t f = 0; f < 4; ++f) {
        const double analytic = sigma2[f] / sum;
        INFO("factor " << logged.factors[f].name << ": S_T " << z.total[f] << ", S_1 " << z.first[f] << ", analytic "
                       << analytic);
        // 0.02 is the bound. It is at least 5 standard errors: the
        // 95 % intervals are +-1.96 SE, and every one is narrower than
        // 2 x 1.96 x 0.004 here, so SE < 0.004.
        CHECK(z.total_high[f] - z.total_low[f] < 2 * 1.96 * 0.004);
        CHECK(z.first_high[f] - z.first_low[f] < 2 * 1.96 * 0.004);
        CHECK(std::fabs(z.total[f] - analytic) < 0.02);
        CHECK(std::fabs(z.first[f] - analytic) < 0.02);
    }
}

TEST_CASE("trust: light-tailed benchmarks give no warning; the index checks name the factor", "[trust]") {
    for (const char* name : {"ishigami", "linear"}) {
        const auto s = testing::benchmark(name);
        const auto r = analysed(s, 8192, sens::Transform::None);
        for (const auto& o : r.outputs)
            for (const auto& w : o.warnings) CHECK(w.empty());
    }
    CHECK(sens::untrusted_index("a", 1.549, 1.2, 4.766).find("total index of a 1.549 [1.200, 4.766] is above 1") == 0);
    CHECK(sens::untrusted_index("a", -0.3, -0.5, -0.1).find("is below 0") != std::string::npos);
    CHECK(sens::untrusted_index("a", 0.4, 0.1, 0.6).find("wider than the index") != std::string::npos);
    CHECK(sens::untrusted_index("a", 1.05, 0.9, 1.2).empty());   // above 1 but not beyond its interval
    CHECK(sens::untrusted_index("a", 0.01, 0.0, 0.03).empty());  // small: intervals always wider
    CHECK(sens::untrusted_index("a", 0.5, 0.45, 0.55).empty());
}
