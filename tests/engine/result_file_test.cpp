// The HDF5 result file: what is written is what is read back, and nothing is
// left behind when writing fails.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <hdf5.h>

#include "engine/output/result_file.hpp"
#include "engine/run/runner.hpp"
#include "engine/cli/builtin_scenario.hpp"
#include "engine/scenario/load_scenario.hpp"

using namespace flopcast;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
    const fs::path dir = fs::temp_directory_path() / ("flopcast-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

std::vector<double> read_doubles(hid_t file, const std::string& name) {
    const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    REQUIRE(set >= 0);
    const hid_t space = H5Dget_space(set);
    const auto n = H5Sget_simple_extent_npoints(space);
    std::vector<double> v(static_cast<std::size_t>(n));
    REQUIRE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
    H5Sclose(space);
    H5Dclose(set);
    return v;
}

std::vector<hsize_t> dims_of(hid_t file, const std::string& name) {
    const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(set);
    std::vector<hsize_t> d(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
    H5Sget_simple_extent_dims(space, d.data(), nullptr);
    H5Sclose(space);
    H5Dclose(set);
    return d;
}

}  // namespace

TEST_CASE("HDF5 round trip: summaries and kept samples read back exactly", "[output]") {
    const auto s = scenario::load_scenario(cli::default_scenario_text(), "baseline");
    run::RunOptions o;
    o.samples = 5000;
    o.seed = 11;
    o.keep_all = true;
    const fs::path path = scratch_dir() / "round_trip.h5";
    run::RunResult r;
    {
        output::ResultFile file(path.string());
        // Written under a temporary name until commit.
        CHECK(fs::exists(file.temporary_path()));
        CHECK_FALSE(fs::exists(path));
        file.prepare_samples(s, o, o.samples);
        r = run::run_scenario(s, o, &file);
        file.write_results(s, r, {"test", "abc", "2026-01-01T00:00:00Z", o.seed, o.samples, 1});
        file.commit();
        CHECK_FALSE(fs::exists(file.temporary_path()));
    }
    REQUIRE(fs::exists(path));
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(f >= 0);
    CHECK(dims_of(f, "/summary/train_a100/quantiles") == std::vector<hsize_t>{std::size(output::kQuantileLevels), 5});
    CHECK(dims_of(f, "/summary/train_cagr/quantiles") == std::vector<hsize_t>{std::size(output::kQuantileLevels)});
    CHECK(dims_of(f, "/samples/train_a100") == std::vector<hsize_t>{5000, 5});
    CHECK(dims_of(f, "/samples/train_cagr") == std::vector<hsize_t>{5000});
    const auto mean = read_doubles(f, "/summary/train_a100/mean");
    for (std::size_t t = 0; t < 5; ++t) CHECK(mean[t] == r.outputs[0].series[t].mean());
    const auto q = read_doubles(f, "/summary/train_a100/quantiles");
    CHECK(q[6 * 5 + 2] == r.outputs[0].series[2].quantile(0.5));  // level 0.50, year 2025
    // The kept samples agree with the summary: their exact mean is the mean.
    const auto samples = read_doubles(f, "/samples/train_a100");
    double sum = 0;
    for (std::size_t i = 0; i < 5000; ++i) sum += samples[i * 5 + 0];
    CHECK(sum / 5000 == Approx(mean[0]).epsilon(1e-12));
    const auto years = read_doubles(f, "/years");
    CHECK(years == std::vector<double>{2023, 2024, 2025, 2026, 2027});
    const auto counts = read_doubles(f, "/summary/train_a100/histogram/counts");
    double total = 0;
    for (std::size_t i = 0; i < counts.size() / 5; ++i) total += counts[i];  // year 2023
    CHECK(total == 5000);
    H5Fclose(f);
    fs::remove_all(path.parent_path());
}

TEST_CASE("an unwritable output is refused before any sampling, and leaves nothing", "[output]") {
    const fs::path dir = scratch_dir();
    CHECK_THROWS_WITH(output::ResultFile((dir / "no" / "such" / "folder.h5").string()),
                      Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(output::ResultFile(dir.string()), Catch::Contains("is a directory"));
    if (::geteuid() != 0) {  // root may write anywhere
        const fs::path ro = dir / "read-only";
        fs::create_directories(ro);
        fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
        CHECK_THROWS_WITH(output::ResultFile((ro / "r.h5").string()), Catch::Contains("cannot create"));
        fs::permissions(ro, fs::perms::owner_all);
    }
    fs::remove_all(dir);
}

TEST_CASE("a writer destroyed before commit removes its temporary file", "[output]") {
    const fs::path dir = scratch_dir();
    std::string tmp;
    {
        output::ResultFile file((dir / "abandoned.h5").string());
        tmp = file.temporary_path();
        CHECK(fs::exists(tmp));
    }
    CHECK_FALSE(fs::exists(tmp));
    CHECK_FALSE(fs::exists(dir / "abandoned.h5"));
    fs::remove_all(dir);
}
