// The block engine: determinism across thread counts, sample replay, and
// non-finite values counted instead of averaged.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <map>

#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;

namespace {

// Collects kept samples in memory, checking they arrive in sample order.
struct MemorySink : run::SampleSink {
    std::map<std::size_t, std::vector<double>> values;
    std::map<std::size_t, std::uint64_t> next;
    void write(std::size_t output, std::uint64_t first, std::size_t count, std::size_t width,
               std::span<const double> v) override {
        REQUIRE(first == next[output]);
        REQUIRE(v.size() == count * width);
        next[output] += count;
        values[output].insert(values[output].end(), v.begin(), v.end());
    }
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every number a result file holds, compared bit for bit.
void require_identical(const run::RunResult& a, const run::RunResult& b) {
    REQUIRE(a.outputs.size() == b.outputs.size());
    for (std::size_t k = 0; k < a.outputs.size(); ++k) {
        REQUIRE(a.outputs[k].series.size() == b.outputs[k].series.size());
        for (std::size_t t = 0; t < a.outputs[k].series.size(); ++t) {
            const auto ma = a.outputs[k].series[t].moments().state();
            const auto mb = b.outputs[k].series[t].moments().state();
            CHECK(ma.n == mb.n);
            CHECK(same_bits(ma.mean, mb.mean));
            CHECK(same_bits(ma.m2, mb.m2));
            CHECK(same_bits(ma.min, mb.min));
            CHECK(same_bits(ma.max, mb.max));
            const auto ba = a.outputs[k].series[t].sketch().buckets();
            const auto bb = b.outputs[k].series[t].sketch().buckets();
            REQUIRE(ba.size() == bb.size());
            for (std::size_t i = 0; i < ba.size(); ++i) {
                CHECK(ba[i].key == bb[i].key);
                CHECK(ba[i].count == bb[i].count);
            }
            CHECK(a.outputs[k].series[t].non_finite() == b.outputs[k].series[t].non_finite());
        }
    }
}

scenario::Scenario baseline() {
    return scenario::load_scenario(cli::default_scenario_text(), "baseline");
}

}  // namespace

TEST_CASE("results and kept samples are bit-identical for 1, 2 and 8 threads", "[runner][determinism]") {
    const auto s = baseline();
    // 150,001 samples: 74 blocks, three waves, a partial last block.
    run::RunOptions o;
    o.samples = 150001;
    o.seed = 42;
    o.keep_all = true;
    MemorySink sink1, sink2, sink8;
    o.threads = 1;
    const auto r1 = run::run_scenario(s, o, &sink1);
    o.threads = 2;
    const auto r2 = run::run_scenario(s, o, &sink2);
    o.threads = 8;
    const auto r8 = run::run_scenario(s, o, &sink8);
    require_identical(r1, r2);
    require_identical(r1, r8);
    for (const auto& [k, v] : sink1.values) {
        CHECK(sink1.next[k] == o.samples);
        REQUIRE(v.size() == sink2.values[k].size());
        CHECK(std::memcmp(v.data(), sink2.values[k].data(), v.size() * sizeof(double)) == 0);
        CHECK(std::memcmp(v.data(), sink8.values[k].data(), v.size() * sizeof(double)) == 0);
    }
}

TEST_CASE("a different seed gives different results", "[runner][determinism]") {
    const auto s = baseline();
    run::RunOptions o;
    o.samples = 5000;
    o.seed = 1;
    const auto a = run::run_scenario(s, o);
    o.seed = 2;
    const auto b = run::run_scenario(s, o);
    CHECK(a.outputs[0].series[0].mean() != b.outputs[0].series[0].mean());
}

TEST_CASE("sample i is the same whatever the sample count: a run is a prefix of a longer one", "[runner][determinism]") {
    const auto s = baseline();
    run::RunOptions o;
    o.seed = 7;
    o.keep_all = true;
    o.samples = 3000;  // one full block and part of another
    MemorySink short_run, long_run;
    (void)run::run_scenario(s, o, &short_run);
    o.samples = 10000;
    (void)run::run_scenario(s, o, &long_run);
    for (const auto& [k, v] : short_run.values)
        CHECK(std::memcmp(v.data(), long_run.values[k].data(), v.size() * sizeof(double)) == 0);
}

TEST_CASE("block streams: the same (seed, block) replays, neighbours differ", "[runner][determinism]") {
    auto a = run::block_engine(5, 9);
    auto b = run::block_engine(5, 9);
    auto c = run::block_engine(5, 10);
    auto d = run::block_engine(6, 9);
    const auto x = a();
    CHECK(x == b());
    CHECK(x != c());
    CHECK(x != d());
}

TEST_CASE("NaN and infinite outputs are counted per year and kept out of the statistics", "[runner]") {
    // u is uniform on [-1, 1]: log(u) is NaN for u < 0 (half the samples), and
    // 1/(u - u) = 1/0 is +inf everywhere; u itself is always finite.
    const auto s = scenario::load_scenario(R"toml([scenario]
name = "nan"
first_year = 2023
last_year = 2024
[inputs.u]
dist = "uniform"
min = -1
max = 1
[formulas]
l = "log(u) * (1 + t)"
z = "1 / (u - u)"
[outputs.l]
[outputs.z]
[outputs.u]
)toml", "nan.toml");
    run::RunOptions o;
    o.samples = 100000;
    o.seed = 3;
    const auto r = run::run_scenario(s, o);
    for (std::size_t t = 0; t < 2; ++t) {
        const auto& l = r.outputs[0].series[t];
        // Binomial(1e5, 1/2): 5 standard errors are 5 * sqrt(1e5 / 4) = 791.
        CHECK(std::fabs(static_cast<double>(l.non_finite().nan) - 50000.0) < 791.0);
        CHECK(l.count() + l.non_finite().total() == o.samples);
        CHECK(std::isfinite(l.mean()));
        CHECK(l.mean() < 0.0);
    }
    CHECK(r.outputs[1].series[0].non_finite().pos_inf == o.samples);
    CHECK(r.outputs[1].series[0].count() == 0);
    CHECK(std::isnan(r.outputs[1].series[0].mean()));
    CHECK(r.outputs[2].series[0].non_finite().total() == 0);
}
