// The fixed merge tree: any split of the sequence gives the same bits.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

#include "engine/stats/moments.hpp"
#include "engine/stats/ordered_reduction.hpp"

using flopcast::stats::Moments;
using flopcast::stats::OrderedReduction;

namespace {

std::vector<Moments> blocks(std::size_t n) {
    boost::random::mt19937_64 rng(2024);
    boost::random::lognormal_distribution<double> d(0.0, 2.0);
    std::vector<Moments> out;
    for (std::size_t b = 0; b < n; ++b) {
        std::vector<double> v(1 + b % 37);
        for (double& x : v) x = d(rng);
        out.push_back(Moments::of(v));
    }
    return out;
}

bool same(const Moments& a, const Moments& b) {
    const auto x = a.state(), y = b.state();
    return x.n == y.n && std::memcmp(&x.mean, &y.mean, sizeof x.mean) == 0 &&
           std::memcmp(&x.m2, &y.m2, sizeof x.m2) == 0 && x.min == y.min && x.max == y.max;
}

// The tree written out recursively, as the definition says.
Moments tree(const std::vector<Moments>& items, std::size_t first, std::size_t size) {
    if (size == 1) return items[first];
    Moments left = tree(items, first, size / 2);
    left.merge(tree(items, first + size / 2, size / 2));
    return left;
}

Moments by_definition(const std::vector<Moments>& items) {
    Moments acc;
    bool any = false;
    std::size_t first = 0;
    for (int level = 63; level >= 0; --level) {
        const std::size_t size = std::size_t{1} << level;
        if (items.size() & size) {
            Moments sub = tree(items, first, size);
            if (any) acc.merge(sub);
            else acc = sub, any = true;
            first += size;
        }
    }
    return acc;
}

}  // namespace

TEST_CASE("ordered reduction equals the tree of its definition, bit for bit", "[stats][reduction]") {
    for (std::size_t n : {1u, 2u, 3u, 7u, 8u, 64u, 100u, 1000u}) {
        const auto items = blocks(n);
        OrderedReduction<Moments> r;
        for (const auto& m : items) r.push(m);
        CHECK(same(r.result(), by_definition(items)));
        CHECK(r.result().count() == by_definition(items).count());
    }
}

TEST_CASE("any split into shards, merged in order, gives the same bits as one pass", "[stats][reduction]") {
    const auto items = blocks(1000);
    OrderedReduction<Moments> whole;
    for (const auto& m : items) whole.push(m);
    for (const std::vector<std::size_t>& cuts : std::vector<std::vector<std::size_t>>{
             {0, 500, 1000}, {0, 1, 999, 1000}, {0, 333, 334, 777, 1000}, {0, 17, 250, 251, 513, 1000}}) {
        OrderedReduction<Moments> merged;
        for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
            OrderedReduction<Moments> shard(cuts[s]);
            for (std::size_t i = cuts[s]; i < cuts[s + 1]; ++i) shard.push(items[i]);
            for (const auto& node : shard.nodes()) merged.push_subtree(node.first, node.level, node.value);
        }
        CHECK(same(merged.result(), whole.result()));
    }
    // A plain chain of merges is not the same tree: the test would notice a
    // reduction that silently fell back to it.
    Moments chain;
    for (const auto& m : items) chain.merge(m);
    CHECK_FALSE(same(chain, whole.result()));
}

TEST_CASE("subtrees out of order or misaligned are refused", "[stats][reduction]") {
    OrderedReduction<Moments> r;
    CHECK_THROWS_AS(r.push_subtree(1, 0, Moments{}), std::logic_error);
    r.push(Moments{});
    CHECK_THROWS_AS(r.push_subtree(1, 1, Moments{}), std::logic_error);  // size 2 must start at an even item
    CHECK(r.nodes().size() == 1);
}
