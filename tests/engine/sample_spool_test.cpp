// The spool of kept samples beside a checkpoint: appended in order, cut back
// to the checkpoint on resume, replayed in order; missing or short files
// refused by name.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <vector>

#include "engine/run/sample_spool.hpp"

using namespace flopcast;
using Catch::Matchers::Contains;

namespace {

struct Collect : run::SampleSink {
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

// Sample i of output k holds k * 1e6 + i * 10 + year.
std::vector<double> rows(std::size_t k, std::uint64_t first, std::size_t count, std::size_t width) {
    std::vector<double> v;
    for (std::uint64_t i = first; i < first + count; ++i)
        for (std::size_t t = 0; t < width; ++t) v.push_back(static_cast<double>(k) * 1e6 + static_cast<double>(i) * 10 + static_cast<double>(t));
    return v;
}

}  // namespace

TEST_CASE("spool: written, cut back to a checkpoint, continued and replayed in order", "[spool]") {
    const std::string base = "spool_test.ckpt";
    const std::vector<std::size_t> widths{3, 0, 1};  // output 1 is not kept
    {
        run::SampleSpool spool(base, widths, 0);
        spool.keep();
        spool.write(0, 0, 100, 3, rows(0, 0, 100, 3));
        spool.write(2, 0, 100, 1, rows(2, 0, 100, 1));
        spool.sync();  // "the checkpoint" at 100 samples
        spool.write(0, 100, 50, 3, rows(0, 100, 50, 3));  // written after it, then a kill
        CHECK_THROWS_WITH(spool.write(0, 10, 5, 3, rows(0, 10, 5, 3)), Contains("out of order"));
    }
    CHECK_FALSE(std::filesystem::exists(run::SampleSpool::file_name(base, 1)));
    {
        run::SampleSpool spool(base, widths, 100);  // resume at the checkpoint
        spool.write(0, 100, 70000, 3, rows(0, 100, 70000, 3));
        spool.write(2, 100, 70000, 1, rows(2, 100, 70000, 1));
        Collect c;
        spool.replay(c, 70100);  // in pieces: 65,536 then the rest
        CHECK(c.values[0] == rows(0, 0, 70100, 3));
        CHECK(c.values[2] == rows(2, 0, 70100, 1));
        CHECK(c.values.count(1) == 0);
    }  // not kept: removed
    CHECK_FALSE(std::filesystem::exists(run::SampleSpool::file_name(base, 0)));
    CHECK_FALSE(std::filesystem::exists(run::SampleSpool::file_name(base, 2)));
}

TEST_CASE("spool: a resume needs its files, at least as long as the checkpoint", "[spool]") {
    const std::string base = "spool_missing.ckpt";
    CHECK_THROWS_WITH(run::SampleSpool(base, {1}, 10), Contains("spool_missing.ckpt.samples-0") &&
                                                           Contains("are missing"));
    {
        run::SampleSpool spool(base, {1}, 0);
        spool.keep();
        spool.write(0, 0, 5, 1, rows(0, 0, 5, 1));
        spool.sync();
    }
    CHECK_THROWS_WITH(run::SampleSpool(base, {1}, 10), Contains("holds fewer kept samples than the checkpoint says (5 of 10)"));
    std::remove(run::SampleSpool::file_name(base, 0).c_str());
}
