// Every method gives the same bits at 1, 2 and 8 threads: what a block
// computes depends only on its number, and block results merge along a fixed
// tree over block numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "benchmark_scenarios.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/sensitivity/correlation_analysis.hpp"
#include "engine/sensitivity/morris.hpp"
#include "engine/sensitivity/sobol_analysis.hpp"
#include "engine/sensitivity/tornado.hpp"

using namespace flopcast;

namespace {

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

scenario::Scenario baseline() { return scenario::load_scenario(cli::default_scenario_text(), "baseline"); }

std::vector<std::size_t> all_outputs(const scenario::Scenario& s) {
    std::vector<std::size_t> o(s.outputs.size());
    for (std::size_t i = 0; i < o.size(); ++i) o[i] = i;
    return o;
}

}  // namespace

TEST_CASE("sobol: the same bits at 1, 2 and 8 threads, for MC and Sobol-sequence designs", "[determinism]") {
    const auto s = baseline();
    const auto factors = testing::every_input(s);
    for (auto design : {sensitivity::UniformDesign::MonteCarlo, sensitivity::UniformDesign::Sobol}) {
        std::vector<sensitivity::SobolResult> results;
        for (int threads : {1, 2, 8}) {
            sensitivity::SobolOptions o;
            o.rows = 5 * 2048 + 77;  // a partial last block
            o.seed = 11;
            o.threads = threads;
            o.bootstrap = 50;
            o.design = design;
            o.outputs = all_outputs(s);
            results.push_back(sensitivity::sobol_indices(s, factors, o));
        }
        for (std::size_t r = 1; r < results.size(); ++r)
            for (std::size_t k = 0; k < results[0].outputs.size(); ++k) {
                const auto &a = results[0].outputs[k], &b = results[r].outputs[k];
                INFO(a.grid.name);
                CHECK(same_bits(a.first, b.first));
                CHECK(same_bits(a.total, b.total));
                CHECK(same_bits(a.first_low, b.first_low));
                CHECK(same_bits(a.first_high, b.first_high));
                CHECK(same_bits(a.total_low, b.total_low));
                CHECK(same_bits(a.total_high, b.total_high));
                CHECK(same_bits(a.variance, b.variance));
                CHECK(same_bits(a.rows, b.rows));
            }
    }
}

TEST_CASE("morris, correlation and tornado: the same bits at 1, 2 and 8 threads", "[determinism]") {
    const auto s = baseline();
    const auto factors = testing::every_input(s);
    std::vector<sensitivity::MorrisResult> morris;
    std::vector<sensitivity::CorrelationResult> corr;
    std::vector<sensitivity::TornadoResult> tornado;
    for (int threads : {1, 2, 8}) {
        sensitivity::MorrisOptions mo;
        mo.trajectories = 300;  // three blocks of 113 trajectories
        mo.seed = 3;
        mo.threads = threads;
        mo.outputs = all_outputs(s);
        morris.push_back(sensitivity::morris(s, factors, mo));
        sensitivity::CorrelationOptions co;
        co.samples = 3 * 2048 + 5;
        co.seed = 3;
        co.threads = threads;
        co.outputs = all_outputs(s);
        corr.push_back(sensitivity::rank_correlations(s, factors, co));
        sensitivity::TornadoOptions to;
        to.threads = threads;
        to.outputs = all_outputs(s);
        tornado.push_back(sensitivity::tornado(s, factors, to));
    }
    for (std::size_t r = 1; r < 3; ++r)
        for (std::size_t k = 0; k < s.outputs.size(); ++k) {
            INFO(s.outputs[k].name);
            CHECK(same_bits(morris[0].outputs[k].mu_star, morris[r].outputs[k].mu_star));
            CHECK(same_bits(morris[0].outputs[k].mu, morris[r].outputs[k].mu));
            CHECK(same_bits(morris[0].outputs[k].sigma, morris[r].outputs[k].sigma));
            CHECK(same_bits(corr[0].outputs[k].spearman, corr[r].outputs[k].spearman));
            CHECK(same_bits(corr[0].outputs[k].prcc, corr[r].outputs[k].prcc));
            CHECK(same_bits(tornado[0].outputs[k].low, tornado[r].outputs[k].low));
            CHECK(same_bits(tornado[0].outputs[k].high, tornado[r].outputs[k].high));
        }
}

TEST_CASE("sobol: rows past N in the last block are not counted, and no bootstrap leaves NaN intervals", "[sobol]") {
    const auto s = testing::benchmark("ishigami");
    sensitivity::SobolOptions o;
    o.seed = 5;
    o.outputs = {0};
    o.bootstrap = 0;
    o.rows = 2048 + 100;
    const auto r = sensitivity::sobol_indices(s, testing::every_input(s), o);
    for (std::size_t f = 0; f < 3; ++f) {
        CHECK(r.outputs[0].rows[f] == 2148u);
        CHECK(std::isfinite(r.outputs[0].first[f]));
        CHECK(std::isnan(r.outputs[0].first_low[f]));
        CHECK(std::isnan(r.outputs[0].total_high[f]));
    }
    CHECK(r.evaluations == 2148u * 5u);
}
