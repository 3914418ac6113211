// Precision-controlled stopping (run/precision.hpp): target parsing, the
// check schedule, determinism of where a run stops, and the statistics of
// stopping on a lognormal's quantile, whose true value is known.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/run/block_stream.hpp"
#include "engine/run/checkpoint.hpp"
#include "engine/run/precision.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;

namespace {

scenario::Scenario baseline() { return scenario::load_scenario(cli::default_scenario_text(), "baseline"); }

// y = x with x ~ lognormal(mu 0, sigma 1): the p-quantile of y is exp(z_p).
scenario::Scenario lognormal_scenario() {
    return scenario::load_scenario(R"([scenario]
name = "lognormal-quantile"
first_year = 2023
last_year = 2023
samples = 1000
seed = 1

[inputs.x]
dist = "lognormal"
mu = 0
sigma = 1

[formulas]
y = "x"

[outputs.y]
description = "a lognormal, to check precision stopping against its known quantiles"
)",
                                   "lognormal.toml");
}

std::string parse_error(const std::string& spec, const scenario::Scenario& s) {
    try {
        (void)run::parse_precision_target(spec, s);
    } catch (const run::PrecisionError& e) {
        return e.what();
    }
    return "";
}

// A precision run in process: returns the final state and fills history.
run::RunState precision_run(const scenario::Scenario& s, const std::vector<run::PrecisionTarget>& targets,
                            std::uint64_t seed, int threads, std::vector<run::PrecisionStatus>& history,
                            std::uint64_t max_samples = 100'000'000) {
    run::RunOptions o;
    o.samples = max_samples;
    o.seed = seed;
    o.threads = threads;
    o.precision_series = run::precision_series(targets);
    o.until = [&](const run::RunState& st) {
        history.push_back(run::assess_precision(st, targets, 0.95, st.next_block * run::kBlockSize));
        return history.back().met;
    };
    return run::run_blocks(s, o, 0, run::block_count(max_samples));
}

}  // namespace

TEST_CASE("precision targets: the accepted forms", "[precision]") {
    const auto s = baseline();
    const auto t = run::parse_precision_target("p95:total_a100@2027:0.5%", s);
    CHECK(t.quantile);
    CHECK(t.level == Approx(0.95));
    CHECK(t.year == 2027);
    CHECK(t.relative);
    CHECK(t.tolerance == Approx(0.005));
    CHECK(t.statistic == "p95");
    const auto m = run::parse_precision_target("mean:train_cagr:0.002", s);
    CHECK_FALSE(m.quantile);
    CHECK_FALSE(m.relative);
    CHECK(m.tolerance == 0.002);
    CHECK_FALSE(m.year.has_value());
    const auto d = run::parse_precision_target("median:infer_a100@2023:1%", s);
    CHECK(d.level == 0.5);
    CHECK(run::parse_precision_target("p99.9:total_a100@2025:2%", s).level == Approx(0.999));
    // Series index: outputs in scenario order, years within.
    CHECK(run::parse_precision_target("p50:total_a100@2024:1%", s).series + 3 == t.series);
}

TEST_CASE("precision targets: mistakes are named", "[precision]") {
    const auto s = baseline();
    CHECK_THAT(parse_error("p95:totl_a100@2027:0.5%", s), Catch::Contains("no output named 'totl_a100'") &&
                                                               Catch::Contains("total_a100"));
    CHECK_THAT(parse_error("p95:total_a100:0.5%", s), Catch::Contains("has a value per year") &&
                                                          Catch::Contains("p95:total_a100@2027:0.5%"));
    CHECK_THAT(parse_error("p95:total_a100@2031:0.5%", s), Catch::Contains("year '2031'") &&
                                                               Catch::Contains("2023 to 2027"));
    CHECK_THAT(parse_error("p95:train_cagr@2027:0.5%", s), Catch::Contains("not one per year"));
    CHECK_THAT(parse_error("q95:train_cagr:0.5%", s), Catch::Contains("statistic 'q95'"));
    CHECK_THAT(parse_error("p100:train_cagr:0.5%", s), Catch::Contains("statistic 'p100'"));
    CHECK_THAT(parse_error("p0:train_cagr:0.5%", s), Catch::Contains("statistic 'p0'"));
    CHECK_THAT(parse_error("p95:train_cagr:-1%", s), Catch::Contains("tolerance '-1%'"));
    CHECK_THAT(parse_error("p95:train_cagr:abc", s), Catch::Contains("tolerance 'abc'"));
    CHECK_THAT(parse_error("p95:train_cagr:0.15%", s), Catch::Contains("quantiles are resolved to 0.1 %"));
    CHECK(parse_error("mean:train_cagr:0.01%", s).empty());  // means have no such floor
    CHECK_THAT(parse_error("p95:train_cagr", s), Catch::Contains("expected STAT:OUTPUT[@YEAR]:TOL"));
    CHECK_THAT(parse_error("p95:train_cagr:1%:2", s), Catch::Contains("expected STAT:OUTPUT[@YEAR]:TOL"));
}

TEST_CASE("precision checks: every wave up to 64 waves, then every 1/16 more", "[precision]") {
    const std::uint64_t w = run::kPrecisionGroups;
    CHECK_FALSE(run::is_precision_check(0));
    CHECK(run::is_precision_check(w));
    CHECK_FALSE(run::is_precision_check(w + 1));
    CHECK(run::is_precision_check(64 * w));
    CHECK_FALSE(run::is_precision_check(65 * w));
    CHECK(run::is_precision_check(68 * w));
    CHECK(run::is_precision_check(72 * w));
    // Far out the gaps stay near 1/16 of the count: ~40 checks per decade.
    int checks = 0;
    for (std::uint64_t k = 1000; k < 10000; ++k) checks += run::is_precision_check(k * w);
    CHECK(checks >= 35);
    CHECK(checks <= 45);
}

TEST_CASE("a precision run stops at the same block for any thread count, with a plain run's results",
          "[precision][determinism]") {
    const auto s = baseline();
    const std::vector targets{run::parse_precision_target("p95:total_a100@2027:1.5%", s),
                              run::parse_precision_target("mean:train_cagr:0.01", s)};
    std::vector<run::PrecisionStatus> h1, h3;
    const auto a = precision_run(s, targets, 11, 1, h1);
    const auto b = precision_run(s, targets, 11, 3, h3);
    REQUIRE(h1.size() == h3.size());
    REQUIRE(h1.back().met);
    CHECK(a.next_block == b.next_block);
    CHECK(a.next_block < run::block_count(100'000'000));
    for (std::size_t i = 0; i < h1.size(); ++i)
        for (std::size_t k = 0; k < targets.size(); ++k) {
            CHECK(h1[i].targets[k].estimate == h3[i].targets[k].estimate);
            CHECK(h1[i].targets[k].half_width == h3[i].targets[k].half_width);
        }
    // Before the last check some target did not hold.
    CHECK_FALSE(h1[h1.size() - 2].met);
    // The same blocks without --until: identical statistics.
    run::RunOptions plain;
    plain.seed = 11;
    plain.samples = a.next_block * run::kBlockSize;
    const auto p = run::to_result(s, run::run_blocks(s, plain, 0, a.next_block), plain.samples);
    const auto r = run::to_result(s, a, plain.samples);
    for (std::size_t k = 0; k < r.outputs.size(); ++k)
        for (std::size_t t = 0; t < r.outputs[k].series.size(); ++t) {
            CHECK(r.outputs[k].series[t].moments().state().mean == p.outputs[k].series[t].moments().state().mean);
            CHECK(r.outputs[k].series[t].sketch().buckets().size() == p.outputs[k].series[t].sketch().buckets().size());
            CHECK(r.outputs[k].series[t].quantile(0.95) == p.outputs[k].series[t].quantile(0.95));
        }
}

TEST_CASE("a precision run resumed from a saved state stops where the uninterrupted one does", "[precision][checkpoint]") {
    const auto s = baseline();
    const std::vector targets{run::parse_precision_target("p95:total_a100@2027:0.8%", s)};
    std::vector<run::PrecisionStatus> whole_history;
    const auto whole = precision_run(s, targets, 5, 2, whole_history);
    REQUIRE(whole.next_block > 3 * run::kWaveBlocks);

    run::RunOptions o;
    o.samples = 100'000'000;
    o.seed = 5;
    o.threads = 2;
    o.precision_series = run::precision_series(targets);
    std::vector<run::PrecisionStatus> history;
    o.until = [&](const run::RunState& st) {
        history.push_back(run::assess_precision(st, targets, 0.95, st.next_block * run::kBlockSize));
        return history.back().met;
    };
    // Interrupted after two waves; the state goes through a checkpoint file.
    const auto part = run::run_blocks(s, o, 0, 2 * run::kWaveBlocks);
    const std::string path = "precision_test.ckpt";
    run::save_checkpoint(path, {"v", "f", s.text, {}, 5, o.samples, false, {targets[0].spec}, 0.95, history, part, "r.h5"});
    const auto saved = run::load_checkpoint(path);
    std::remove(path.c_str());
    REQUIRE(saved.until == std::vector<std::string>{targets[0].spec});
    REQUIRE(saved.history.size() == history.size());
    REQUIRE(saved.state.grouped == part.grouped);
    const auto rest = run::resume_blocks(s, o, saved.state, run::block_count(o.samples));
    CHECK(rest.next_block == whole.next_block);
    REQUIRE(history.size() == whole_history.size());
    CHECK(history.back().targets[0].half_width == whole_history.back().targets[0].half_width);
    CHECK(rest.group_series[7].sketch.buckets().size() == whole.group_series[7].sketch.buckets().size());
    CHECK(rest.series[targets[0].series].sketch.quantile(0.95) == whole.series[targets[0].series].sketch.quantile(0.95));
}

TEST_CASE("stopping on a lognormal's 95th percentile: the targets hold at their confidence", "[precision][statistics]") {
    // y ~ lognormal(0, 1): q95 = exp(1.644854). 200 runs with seeds 1..200,
    // each until p95 is known to +-0.5 %. Each run ends with a half-width
    // within 0.5 %, and |estimate - q95| <= half-width in about 95 % of runs
    // if the half-widths are right. Count binomial: SE at 0.95 is
    // sqrt(0.95 * 0.05 / 200) = 0.0154; 5 SE below is 0.873. Stopping at the
    // first check where the half-width dips below its target makes intervals
    // slightly short (they are narrowest by chance then), which the margin
    // absorbs; a half-width too small by sqrt(G) (dividing s by G) would
    // cover ~35 % and be caught. (z = 1.96 in place of t = 2.04 would lower
    // coverage by under 1 %: below what 200 runs resolve, and harmless.)
    // The sketch's 0.1 % added to every quantile's half-width makes the
    // intervals conservative. Measured: coverage 0.975, median stop
    // 1,179,648 samples (1.02 n*).
    // Too-wide half-widths cost samples instead: the analytic standard error
    // of a p95 estimate from n lognormal(0, 1) samples is
    // sigma * sqrt(p (1 - p) / n) / phi(z_p) = 2.1139 / sqrt(n)
    // relative. The half-width includes the sketch's 0.1 %, so 0.5 % leaves
    // 0.4 % for the batch means, which at t_31 = 2.0395 needs
    // n* = (2.0395 * 2.1139 / 0.004)^2 = 1,161,700 samples. The batch-means variance has relative SD
    // sqrt(2 / 31) = 25 %, so n at the stop scatters by about that, the
    // first-passage rule pulls it down and the wave granularity (65,536)
    // pushes it up by up to 9 %. The median run must lie in [0.6, 1.4] n*:
    // an interval sqrt(32) too wide would need 32 n*, one sqrt(2) too wide 2 n*.
    const auto s = lognormal_scenario();
    const double q95 = std::exp(1.6448536269514722);
    const std::vector targets{run::parse_precision_target("p95:y:0.5%", s)};
    const double n_star = std::pow(2.0395 * 2.1139 / 0.004, 2);  // 1,161,700 samples
    int covered = 0;
    std::vector<double> stops;
    constexpr int runs = 200;
    for (int seed = 1; seed <= runs; ++seed) {
        std::vector<run::PrecisionStatus> history;
        const auto st = precision_run(s, targets, static_cast<std::uint64_t>(seed), 2, history);
        REQUIRE(history.back().met);
        const auto& t = history.back().targets[0];
        CHECK(t.half_width <= 0.005 * t.estimate);
        if (std::abs(t.estimate - q95) <= t.half_width) ++covered;
        stops.push_back(static_cast<double>(history.back().samples));
    }
    std::sort(stops.begin(), stops.end());
    const double coverage = static_cast<double>(covered) / runs;
    INFO("coverage " << coverage << ", median stop " << stops[runs / 2] << " samples, n* " << n_star);
    CHECK(coverage >= 0.95 - 5 * 0.0154);
    CHECK(stops[runs / 2] >= 0.6 * n_star);
    CHECK(stops[runs / 2] <= 1.4 * n_star);
}
