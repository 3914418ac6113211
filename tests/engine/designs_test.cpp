// Dependence and sampling designs through the whole engine: achieved rank
// correlations, unchanged marginals, LHS strata per block, determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>

#include "engine/run/block_stream.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;

namespace {

struct Keep : run::SampleSink {
    std::map<std::size_t, std::vector<double>> v;
    void write(std::size_t k, std::uint64_t, std::size_t, std::size_t, std::span<const double> x) override {
        v[k].insert(v[k].end(), x.begin(), x.end());
    }
};

std::vector<double> ranks(const std::vector<double>& x) {
    std::vector<std::size_t> idx(x.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (std::size_t i = 0; i < idx.size(); ++i) r[idx[i]] = static_cast<double>(i);
    return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    const auto ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(a.size()), mean = (n - 1) / 2;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    return sab / std::sqrt(saa * sbb);
}

// Kolmogorov-Smirnov statistic of x against the distribution's cdf.
double ks(std::vector<double> x, const dist::Distribution& d) {
    std::sort(x.begin(), x.end());
    const double n = static_cast<double>(x.size());
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double f = d.cdf(x[i]);
        worst = std::max({worst, f - i / n, (i + 1) / n - f});
    }
    return worst;
}

double kKsCritical1e6(double n) { return std::sqrt(-std::log(1e-6 / 2) / (2 * n)); }

std::vector<double> column(const std::vector<double>& rows, std::size_t width, std::size_t col) {
    std::vector<double> c;
    for (std::size_t i = col; i < rows.size(); i += width) c.push_back(rows[i]);
    return c;
}

const std::string kCorrelated = R"toml(
[scenario]
name = "corr"
first_year = 2023
last_year = 2025
[inputs.a]
dist = "lognormal"
median = 10
p5 = 5
p95 = 20
[inputs.b]
dist = "triangular"
min = 0
mode = 1
max = 5
[inputs.c]
dist = "uniform"
min = -1
max = 1
[inputs.g]
dist = "lognormal"
per_year = true
year_correlation = 0.8
median = 1.2
p95 = 1.5
[correlation]
pairs = [["a", "b", 0.6], ["a", "c", -0.4], ["b", "c", 0.1]]
[outputs.a]
[outputs.b]
[outputs.c]
[outputs.g]
)toml";

}  // namespace

TEST_CASE("correlated inputs: Spearman within 0.01 of the target at 1e5 draws, marginals unchanged", "[designs][correlation]") {
    for (const char* design : {"mc", "lhs", "sobol"}) {
        SECTION(design) {
            const auto s = scenario::load_scenario(kCorrelated, "corr.toml", {std::string("scenario.sampling=") + design});
            run::RunOptions o;
            o.samples = 100000;
            o.seed = 17;
            o.keep_all = true;
            Keep keep;
            (void)run::run_scenario(s, o, &keep);
            const auto &a = keep.v[0], &b = keep.v[1], &c = keep.v[2];
            // The sample Spearman's standard error is about (1 - rho^2) / sqrt(n)
            // <= 1 / sqrt(1e5) = 0.0032, so 0.01 (the issue's bound) is over 3
            // standard errors; the seed is fixed, so the check is repeatable.
            CHECK(spearman(a, b) == Approx(0.6).margin(0.01));
            CHECK(spearman(a, c) == Approx(-0.4).margin(0.01));
            CHECK(spearman(b, c) == Approx(0.1).margin(0.01));
            // Marginals: KS below its 1e-6 critical value against each input's own cdf.
            CHECK(ks(a, *s.inputs[0].distributions[0]) < kKsCritical1e6(1e5));
            CHECK(ks(b, *s.inputs[1].distributions[0]) < kKsCritical1e6(1e5));
            CHECK(ks(c, *s.inputs[2].distributions[0]) < kKsCritical1e6(1e5));
            // Per-year input with year_correlation 0.8 on the normal scores: the
            // Spearman of successive years is (6 / pi) asin(0.8 / 2) = 0.7859.
            const auto& g = keep.v[3];
            const double expected = 6 / M_PI * std::asin(0.4);
            CHECK(spearman(column(g, 3, 0), column(g, 3, 1)) == Approx(expected).margin(0.01));
            CHECK(spearman(column(g, 3, 1), column(g, 3, 2)) == Approx(expected).margin(0.01));
            CHECK(ks(column(g, 3, 2), *s.inputs[3].distributions[2]) < kKsCritical1e6(1e5));
        }
    }
}

TEST_CASE("LHS through the engine: every block puts one sample in each of its 2048 strata", "[designs][lhs]") {
    const auto s = scenario::load_scenario(R"toml(
[scenario]
name = "lhs"
first_year = 2023
last_year = 2024
sampling = "lhs"
[inputs.u]
dist = "uniform"
min = 0
max = 1
[inputs.v]
dist = "uniform"
min = 0
max = 1
per_year = true
[outputs.u]
[outputs.v]
)toml", "lhs.toml");
    run::RunOptions o;
    o.samples = 3 * run::kBlockSize;
    o.seed = 5;
    o.keep_all = true;
    Keep keep;
    (void)run::run_scenario(s, o, &keep);
    const std::size_t n = run::kBlockSize;
    for (std::size_t b = 0; b < 3; ++b) {
        std::vector<int> hits_u(n, 0), hits_v0(n, 0), hits_v1(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            ++hits_u[static_cast<std::size_t>(keep.v[0][b * n + i] * n)];
            ++hits_v0[static_cast<std::size_t>(keep.v[1][(b * n + i) * 2] * n)];
            ++hits_v1[static_cast<std::size_t>(keep.v[1][(b * n + i) * 2 + 1] * n)];
        }
        auto all_one = [](const std::vector<int>& h) { return std::all_of(h.begin(), h.end(), [](int x) { return x == 1; }); };
        CHECK(all_one(hits_u));
        CHECK(all_one(hits_v0));
        CHECK(all_one(hits_v1));
    }
}

TEST_CASE("every design gives bit-identical outputs for 1 and 2 threads", "[designs][determinism]") {
    for (const char* design : {"mc", "lhs", "sobol"}) {
        SECTION(design) {
            const auto s = scenario::load_scenario(kCorrelated, "corr.toml", {std::string("scenario.sampling=") + design});
            run::RunOptions o;
            o.samples = 50000;
            o.seed = 8;
            o.keep_all = true;
            Keep one, two;
            o.threads = 1;
            (void)run::run_scenario(s, o, &one);
            o.threads = 2;
            (void)run::run_scenario(s, o, &two);
            for (const auto& [k, v] : one.v) {
                REQUIRE(v.size() == two.v[k].size());
                CHECK(std::memcmp(v.data(), two.v[k].data(), v.size() * sizeof(double)) == 0);
            }
        }
    }
}

TEST_CASE("correlation settings are checked at load", "[designs][correlation]") {
    auto error = [](const std::string& text) {
        try {
            (void)scenario::load_scenario(text, "c.toml");
        } catch (const scenario::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const std::string head = "[scenario]\nname = \"c\"\nfirst_year = 2023\nlast_year = 2024\n"
                             "[inputs.a]\ndist = \"uniform\"\nmin = 0\nmax = 1\n"
                             "[inputs.b]\ndist = \"uniform\"\nmin = 0\nmax = 1\n"
                             "[inputs.c]\ndist = \"uniform\"\nmin = 0\nmax = 1\n"
                             "[outputs.a]\n";
    CHECK(error(head + "[correlation]\ninputs = [\"a\", \"b\", \"c\"]\nmatrix = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n")
              .find("c.toml:20: correlation: the correlation matrix is not positive definite") == 0);
    CHECK(error(head + "[correlation]\ninputs = [\"a\", \"b\"]\nmatrix = [[1, 0.5], [0.4, 1]]\n").find("must be symmetric") != std::string::npos);
    CHECK(error(head + "[correlation]\npairs = [[\"a\", \"zz\", 0.5]]\n").find("correlation.pairs[0]: no input is called 'zz'") != std::string::npos);
    CHECK(error(head + "[correlation]\npairs = [[\"a\", \"a\", 0.5]]\n").find("cannot be correlated with itself") != std::string::npos);
    CHECK(error(head + "[correlation]\npairs = [[\"a\", \"b\", 1.5]]\n").find("is not in [-1, 1]") != std::string::npos);
    CHECK(error(head + "[correlation]\ninputs = [\"a\", \"b\"]\nmatrix = [[1, 0.5]]\n").find("expected 2 rows") != std::string::npos);
    CHECK(error(head).empty());
}
