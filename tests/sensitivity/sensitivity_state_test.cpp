// Saved sensitivity states (shards, MPI ranks): serialization round trips
// bit for bit, and states of consecutive block ranges, appended in order
// after a round trip, give the bits of the whole design in one piece.
#include <catch2/catch.hpp>

#include <cstring>
#include <functional>
#include <vector>

#include "benchmark_scenarios.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/sensitivity/sensitivity_state.hpp"
#include "engine/sensitivity/tornado.hpp"

using namespace flopcast;
namespace sens = flopcast::sensitivity;

namespace {

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

scenario::Scenario baseline() { return scenario::load_scenario(cli::default_scenario_text(), "baseline"); }

constexpr std::uint64_t kSummarySamples = 3 * 2048 + 5;
// train_a100 (yearly), infer_a100 (yearly), train_cagr (scalar).
const std::vector<std::size_t> kOutputs = {0, 1, 3};

// The state of design blocks [first, end) and summary blocks [sfirst, send).
using Compute = std::function<void(sens::SensitivityState&, std::uint64_t first, std::uint64_t end)>;

sens::SensitivityState share(const scenario::Scenario& s, const std::string& method, const Compute& compute,
                             std::uint64_t first, std::uint64_t end, std::uint64_t sfirst, std::uint64_t send) {
    sens::SensitivityState st;
    st.first_block = first;
    st.next_block = end;
    compute(st, first, end);
    CHECK(sens::method_of(st).name == method);
    if (!sens::keeps_run(st.method)) {
        run::RunOptions o;
        o.samples = kSummarySamples;
        o.seed = 3;
        o.threads = 2;
        st.summary = run::run_blocks(s, o, sfirst, send);
    }
    return st;
}

// Whole in one piece, and in three shares (the middle one crossing tree
// boundaries, one possibly empty), each through serialize/deserialize.
std::pair<sens::SensitivityState, sens::SensitivityState> whole_and_merged(const scenario::Scenario& s,
                                                                           const std::string& method,
                                                                           std::uint64_t blocks, const Compute& compute) {
    const std::uint64_t sblocks = run::block_count(kSummarySamples);
    const auto whole = share(s, method, compute, 0, blocks, 0, sblocks);
    const auto bytes = sens::serialize(whole);
    CHECK(sens::serialize(sens::deserialize_sensitivity(bytes)) == bytes);  // a round trip changes no byte

    sens::SensitivityState merged;
    for (int i = 0; i < 3; ++i) {
        const auto part = share(s, method, compute, blocks * i / 3, blocks * (i + 1) / 3, sblocks * i / 3,
                                sblocks * (i + 1) / 3);
        auto back = sens::deserialize_sensitivity(sens::serialize(part));
        if (i == 0) merged = std::move(back);
        else sens::append(merged, back);
    }
    CHECK(merged.first_block == 0);
    CHECK(merged.next_block == blocks);
    return {whole, merged};
}

const sens::SaltelliReduction& sums(const sens::SensitivityState& st) { return sens::held<sens::SaltelliReduction>(st.method); }
const sens::MorrisReduction& moments(const sens::SensitivityState& st) { return sens::held<sens::MorrisReduction>(st.method); }
const std::vector<double>& values(const sens::SensitivityState& st) { return sens::held<std::vector<double>>(st.method); }
const sens::CorrelationSamples& samples(const sens::SensitivityState& st) { return sens::held<sens::CorrelationSamples>(st.method); }

void same_summary(const scenario::Scenario& s, const run::RunState& a, const run::RunState& b, std::uint64_t samples) {
    CHECK(run::serialize(a) == run::serialize(b));
    const auto ra = run::to_result(s, a, samples), rb = run::to_result(s, b, samples);
    REQUIRE(ra.outputs.size() == rb.outputs.size());
    for (std::size_t k = 0; k < ra.outputs.size(); ++k)
        for (std::size_t t = 0; t < ra.outputs[k].series.size(); ++t) {
            const auto ma = ra.outputs[k].series[t].moments().state(), mb = rb.outputs[k].series[t].moments().state();
            CHECK(std::memcmp(&ma, &mb, sizeof ma) == 0);
        }
}

}  // namespace

TEST_CASE("sensitivity state: sobol sums round trip and merge in block order to the whole", "[state]") {
    const auto s = baseline();
    const auto factors = testing::every_input(s);
    sens::SobolOptions o;
    o.rows = 5 * 2048 + 77;  // a partial last block
    o.seed = 3;
    o.threads = 2;
    o.bootstrap = 7;
    o.outputs = kOutputs;
    const auto [whole, merged] = whole_and_merged(s, "sobol", sens::sobol_block_count(o), [&](auto& st, auto f, auto e) {
        st.method = sens::sobol_blocks(s, factors, o, f, e);
    });
    const auto a = sens::sobol_result(s, factors, o, sums(whole).result());
    const auto b = sens::sobol_result(s, factors, o, sums(merged).result());
    REQUIRE(a.outputs.size() == 3);
    CHECK(same_bits(sums(whole).result().raw(), sums(merged).result().raw()));
    for (std::size_t k = 0; k < a.outputs.size(); ++k) {
        CHECK(same_bits(a.outputs[k].first, b.outputs[k].first));
        CHECK(same_bits(a.outputs[k].total_low, b.outputs[k].total_low));
        CHECK(same_bits(a.outputs[k].total_high, b.outputs[k].total_high));
    }
    // And the whole equals sobol_indices, the unsharded path.
    const auto direct = sens::sobol_indices(s, factors, o);
    for (std::size_t k = 0; k < a.outputs.size(); ++k) CHECK(same_bits(a.outputs[k].total, direct.outputs[k].total));
    same_summary(s, whole.summary, merged.summary, kSummarySamples);
}

TEST_CASE("sensitivity state: morris moments round trip and merge in block order to the whole", "[state]") {
    const auto s = baseline();
    const auto factors = testing::every_input(s);
    sens::MorrisOptions o;
    o.trajectories = 500;  // 5 blocks of 113 trajectories with 17 factors, the last partial
    o.seed = 3;
    o.threads = 2;
    o.outputs = kOutputs;
    const auto blocks = sens::morris_block_count(factors.size(), o);
    CHECK(blocks >= 4);
    const auto [whole, merged] = whole_and_merged(s, "morris", blocks, [&](auto& st, auto f, auto e) {
        st.method = sens::morris_blocks(s, factors, o, f, e);
    });
    const auto a = sens::morris_result(s, factors, o, moments(whole).result());
    const auto b = sens::morris_result(s, factors, o, moments(merged).result());
    REQUIRE(a.outputs.size() == 3);
    CHECK(a.outputs[0].count[0] == 500);
    for (std::size_t k = 0; k < a.outputs.size(); ++k) {
        CHECK(same_bits(a.outputs[k].mu_star, b.outputs[k].mu_star));
        CHECK(same_bits(a.outputs[k].sigma, b.outputs[k].sigma));
        CHECK(same_bits(a.outputs[k].count, b.outputs[k].count));
    }
    same_summary(s, whole.summary, merged.summary, kSummarySamples);
}

TEST_CASE("sensitivity state: tornado values and correlation samples round trip and concatenate", "[state]") {
    const auto s = baseline();
    const auto factors = testing::every_input(s);
    sens::TornadoOptions t;
    t.threads = 2;
    t.outputs = kOutputs;
    const auto [tw, tm] = whole_and_merged(s, "tornado", sens::tornado_block_count(factors.size()),
                                           [&](auto& st, auto f, auto e) { st.method.template emplace<1>(sens::tornado_blocks(s, factors, t, f, e)); });
    CHECK(values(tw).size() == (2 * s.years.size() + 1) * 2048);  // one block of 2 yearly series and a scalar one
    CHECK(same_bits(values(tw), values(tm)));

    sens::CorrelationOptions c;
    c.samples = 3 * 2048 + 100;
    c.seed = 3;
    c.threads = 2;
    c.outputs = kOutputs;
    const auto [cw, cm] = whole_and_merged(s, "correlation", sens::correlation_block_count(c),
                                           [&](auto& st, auto f, auto e) { st.method.template emplace<0>(sens::correlation_blocks(s, factors, c, f, e)); });
    CHECK(samples(cm).rows == c.samples);
    REQUIRE(samples(cw).inputs.size() == samples(cm).inputs.size());
    for (std::size_t d = 0; d < samples(cw).inputs.size(); ++d) CHECK(same_bits(samples(cw).inputs[d], samples(cm).inputs[d]));
    REQUIRE(samples(cw).outputs.size() == samples(cm).outputs.size());
    for (std::size_t j = 0; j < samples(cw).outputs.size(); ++j) CHECK(same_bits(samples(cw).outputs[j], samples(cm).outputs[j]));
    same_summary(s, samples(cw).run, samples(cm).run, c.samples);
    REQUIRE(samples(cm).outputs.size() == 2 * s.years.size() + 1);
    const auto direct = sens::rank_correlations(s, factors, c);
    const auto merged = sens::correlation_result(s, factors, c, samples(cm), run::to_result(s, samples(cm).run, c.samples));
    for (std::size_t k = 0; k < direct.outputs.size(); ++k) {
        CHECK(same_bits(direct.outputs[k].spearman, merged.outputs[k].spearman));
        CHECK(same_bits(direct.outputs[k].prcc, merged.outputs[k].prcc));
    }
}

TEST_CASE("sensitivity state: damaged states and states out of order are refused", "[state]") {
    const auto s = testing::benchmark("ishigami");
    const auto factors = testing::every_input(s);
    sens::SobolOptions o;
    o.rows = 3 * 2048;
    o.bootstrap = 3;
    o.threads = 1;
    auto part = [&](std::uint64_t f, std::uint64_t e) {
        sens::SensitivityState st;
        st.first_block = f;
        st.next_block = e;
        st.method = sens::sobol_blocks(s, factors, o, f, e);
        run::RunOptions r;
        r.samples = 3 * 2048;
        r.threads = 1;
        st.summary = run::run_blocks(s, r, f, e);
        return st;
    };
    const auto bytes = sens::serialize(part(0, 2));
    for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{40}, bytes.size() / 2, bytes.size() - 1})
        CHECK_THROWS_AS(sens::deserialize_sensitivity(std::span<const std::uint8_t>(bytes).first(cut)), run::StateError);
    auto longer = bytes;
    longer.push_back(0);
    CHECK_THROWS_AS(sens::deserialize_sensitivity(longer), run::StateError);
    auto foreign = bytes;
    foreign[3] = 'X';
    CHECK_THROWS_AS(sens::deserialize_sensitivity(foreign), run::StateError);

    auto first = part(0, 1);
    CHECK_THROWS_AS(sens::append(first, part(2, 3)), run::StateError);  // a gap
    auto other = part(1, 2);
    other.method = sens::MorrisReduction(1);
    CHECK_THROWS_AS(sens::append(first, other), run::StateError);
    o.bootstrap = 4;  // sums of another shape: their nodes cannot merge
    CHECK_THROWS_AS(sens::append(first, part(1, 2)), run::StateError);
    o.bootstrap = 3;
    sens::append(first, part(1, 2));  // the right one does
    CHECK(first.next_block == 2);
}

TEST_CASE("sensitivity state: a method's byte in saved states is its place in the catalogue, which only grows", "[state]") {
    // Saved states of format 1 name their method by this index: reordering
    // the catalogue would make old shards read as another method.
    const std::vector<std::string> first = {"correlation", "tornado", "sobol", "morris"};
    const auto& rows = sens::methods();
    REQUIRE(rows.size() >= first.size());
    for (std::size_t i = 0; i < first.size(); ++i) CHECK(rows[i]->name == first[i]);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(sens::method_index(*rows[i]) == i);
        CHECK(sens::find_method(rows[i]->name) == rows[i]);
        CHECK(sens::empty_state(i).index() == i);
    }
    CHECK(sens::find_method("anova") == nullptr);
}
