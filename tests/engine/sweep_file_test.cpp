// Sweep files and result descriptions: a variant's group holds what the root
// of a result file holds for the same run, the headline is the last year's
// quantiles, and read_result_info tells a complete result from anything else.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <hdf5.h>

#include "engine/output/result_info.hpp"
#include "engine/output/shard_file.hpp"
#include "engine/output/sweep_file.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("flopcast-sweep-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

std::vector<double> read_doubles(hid_t file, const std::string& name) {
    const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    REQUIRE(set >= 0);
    const hid_t space = H5Dget_space(set);
    std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    REQUIRE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
    H5Sclose(space);
    H5Dclose(set);
    return v;
}

struct Fixture {
    scenario::Scenario s = scenario::load_scenario(cli::default_scenario_text(), "baseline",
                                                   {"inputs.train_mfu.median=0.4"});
    run::RunOptions o;
    run::RunResult r;
    Fixture() {
        o.samples = 4096;
        o.seed = 3;
        r = run::run_scenario(s, o);
    }
    output::RunMetadata meta() const { return {"v", "g", "t", o.seed, o.samples, 1}; }
};

}  // namespace

TEST_CASE("sweep file: a variant's summary is the root summary of the same run, bit for bit", "[output]") {
    Fixture f;
    const fs::path path = scratch("sweep.h5");
    {
        output::ResultFile file(path.string());
        file.write_results(f.s, f.r, f.meta());  // the root, as flopcast run writes it
        output::write_variant(file, "mfu=0.4", f.s, f.r, f.o.seed, f.o.samples, {"inputs.train_mfu.median=0.4"});
        output::SweepTable t{{"mfu=0.4"}, {"inputs.train_mfu.median"}, {{"0.4"}}, {output::headlines(f.s, f.r)}};
        output::write_sweep_table(file, f.s, t);
        file.commit();
    }
    const hid_t h = H5Fopen(path.string().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(h >= 0);
    for (const auto& o : f.s.outputs)
        for (const char* d : {"mean", "std", "quantiles", "min", "max"}) {
            INFO(o.name << " " << d);
            const auto root = read_doubles(h, "/summary/" + o.name + "/" + d);
            const auto variant = read_doubles(h, "/variants/mfu=0.4/summary/" + o.name + "/" + d);
            REQUIRE(root.size() == variant.size());
            CHECK(std::memcmp(root.data(), variant.data(), root.size() * sizeof(double)) == 0);
        }
    // The headline: the last year's median (a yearly output), the one value (a scalar output).
    const auto q = read_doubles(h, "/summary/train_a100/quantiles");  // [Q, Y], level 0.5 is row 6
    const std::size_t years = f.s.years.size();
    CHECK(read_doubles(h, "/sweep/headline/train_a100/median")[0] == q[6 * years + years - 1]);
    const auto qc = read_doubles(h, "/summary/train_cagr/quantiles");  // [Q]
    CHECK(read_doubles(h, "/sweep/headline/train_cagr/p95")[0] == qc[9]);
    CHECK(H5Lexists(h, "/variants/mfu=0.4/inputs/train_mfu", H5P_DEFAULT) > 0);
    H5Fclose(h);
    // A sweep is not a run's result.
    CHECK_THROWS_WITH(output::read_result_info(path.string()), Contains("is a flopcast sweep file, not a run's result"));
    fs::remove(path);
}

TEST_CASE("result info: a complete result's description; missing, shards and other files told apart", "[output]") {
    Fixture f;
    const fs::path path = scratch("result.h5");
    CHECK_FALSE(output::read_result_info(path.string()));
    {
        output::ResultFile file(path.string());
        file.write_results(f.s, f.r, f.meta());
        file.commit();
    }
    const auto info = output::read_result_info(path.string());
    REQUIRE(info);
    CHECK(info->scenario_text == f.s.text);
    CHECK(info->overrides == "inputs.train_mfu.median=0.4");
    CHECK(info->seed == 3);
    CHECK(info->samples == 4096);
    CHECK(info->version == "v");

    const fs::path shard = scratch("shard.h5");
    {
        output::ResultFile file(shard.string());
        const auto state = run::run_blocks(f.s, f.o, 0, 1);
        file.write_description(f.s, f.meta(), 0.0);
        output::write_shard_state(file, state, 0, 2);
        file.commit();
    }
    CHECK_THROWS_WITH(output::read_result_info(shard.string()), Contains("is a flopcast shard file, not a run's result"));
    const fs::path junk = scratch("junk.h5");
    std::ofstream(junk) << "not hdf5";
    CHECK_THROWS_WITH(output::read_result_info(junk.string()), Contains("exists but is not a flopcast result"));
    fs::remove(path);
    fs::remove(shard);
    fs::remove(junk);
}
