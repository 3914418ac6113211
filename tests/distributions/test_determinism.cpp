// Draws depend on the seed alone, and a span is filled in order with no
// state carried between calls.
#include <algorithm>
#include <cstdint>
#include <string>
#include <span>
#include <vector>

#include <catch2/catch.hpp>

#include "distributions/factory.hpp"
#include "sample_checks.hpp"

using namespace flopcast::dist;
using namespace flopcast::dist::testing;

namespace {

struct Named {
    const char* kind;
    ParamSet params;
};

ParamSet component(const std::string& kind, ParamSet p) {
    p.strings["dist"] = kind;
    return p;
}

ParamSet a_mixture() {
    ParamSet p;
    p.components = {component("lognormal", scalars({{"median", 10}, {"p95", 40}})),
                    component("normal", scalars({{"mean", 5}, {"sd", 1}})),
                    component("bernoulli", scalars({{"p", 0.5}}))};
    p.lists["weights"] = {3, 6, 1};
    return p;
}

// Every kind except the mixture, whose draws are grouped by component within
// a span (see mixture.hpp), so that filling a span in pieces changes them.
std::vector<Named> unbatched_kinds() {
    return {
        {"constant", scalars({{"value", 1}})},
        {"uniform", scalars({{"min", 0}, {"max", 1}})},
        {"normal", scalars({{"mean", 0}, {"sd", 1}})},
        {"lognormal", scalars({{"median", 0.35}, {"p95", 0.55}})},
        {"triangular", scalars({{"min", 0}, {"mode", 1}, {"max", 4}})},
        {"lognormal", with_clip(scalars({{"median", 0.35}, {"p95", 0.55}}), 0, 0.65)},
        {"loguniform", scalars({{"min", 1}, {"max", 100}})},
        {"pert", scalars({{"min", 0}, {"mode", 1}, {"max", 4}})},
        {"beta", scalars({{"alpha", 0.5}, {"beta", 2}})},
        {"gamma", scalars({{"shape", 0.7}, {"scale", 2}})},
        {"gamma", scalars({{"shape", 3}, {"rate", 2}})},
        {"weibull", scalars({{"shape", 1.5}, {"scale", 2}})},
        {"student_t", scalars({{"df", 3}})},
        {"exponential", scalars({{"rate", 2}})},
        {"bernoulli", scalars({{"p", 0.3}})},
        {"discrete", with_list(with_list(ParamSet{}, "values", {1, 2, 3}), "weights", {1, 2, 3})},
        {"empirical", with_list(ParamSet{}, "observations", {1, 5, 2, 8})},
        {"empirical",
         with_string(with_list(ParamSet{}, "observations", {1, 5, 2, 8}), "method", "kernel")},
        {"lognormal", scalars({{"q10", 3}, {"q90", 30}})},
        {"normal", with_list(scalars({{"mean", 0}, {"sd", 1}}), "truncate", {-1, 2})},
    };
}

std::vector<Named> every_kind() {
    std::vector<Named> kinds = unbatched_kinds();
    kinds.push_back({"mixture", a_mixture()});
    return kinds;
}

}  // namespace

TEST_CASE("the same seed gives the same draws", "[determinism]") {
    for (const Named& k : every_kind()) {
        const auto d = make_distribution(k.kind, k.params);
        INFO(d->describe());
        // Compared as doubles with ==: bit-identical, not merely close.
        CHECK(draw(*d, 2024, 100'000) == draw(*d, 2024, 100'000));
        if (d->variance() > 0) CHECK(draw(*d, 2024, 1000) != draw(*d, 2025, 1000));
    }
}

TEST_CASE("sampling in pieces equals sampling at once", "[determinism]") {
    // Splitting a span across calls must not change the stream: no buffered
    // variates (e.g. Box-Muller's spare) survive between calls.
    for (const Named& k : unbatched_kinds()) {
        const auto d = make_distribution(k.kind, k.params);
        INFO(d->describe());
        const std::vector<double> whole = draw(*d, 7, 1000);
        std::vector<double> pieces(1000);
        Rng rng(7);
        const std::span<double> all(pieces);
        d->sample(all.subspan(0, 1), rng);
        d->sample(all.subspan(1, 0), rng);
        d->sample(all.subspan(1, 498), rng);
        d->sample(all.subspan(499), rng);
        CHECK(pieces == whole);
    }
}

TEST_CASE("a mixture's draws depend on the seed and the span's length alone", "[determinism]") {
    // Two spans of the same length from the same seed agree bit for bit, also
    // across the 512-value chunks (1000 = 512 + 488); the first 512 values of a
    // longer span are those of a 512-value span (the first chunk is the same).
    const auto d = make_distribution("mixture", a_mixture());
    CHECK(draw(*d, 9, 1000) == draw(*d, 9, 1000));
    const std::vector<double> long_span = draw(*d, 9, 1000);
    const std::vector<double> one_chunk = draw(*d, 9, 512);
    CHECK(std::equal(one_chunk.begin(), one_chunk.end(), long_span.begin()));
}
