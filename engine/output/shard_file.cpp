#include "engine/output/shard_file.hpp"

#include "engine/output/hdf5_reader.hpp"
#include "engine/output/hdf5_writer.hpp"
#include "engine/run/checksum.hpp"

namespace flopcast::output {
namespace {

std::string read_string_attr(hid_t obj, const char* name, const std::string& path) {
    return read_text_attr(obj, name, path, "a flopcast shard");
}

std::uint64_t read_u64_attr(hid_t obj, const char* name, const std::string& path) {
    return output::read_u64_attr(obj, name, path, "a flopcast shard");
}

hid_t open_read(const std::string& path) {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw OutputError(path + ": not a flopcast shard (cannot open it as HDF5: missing, truncated or another format)");
    return f;
}

// Each shard carries a checksum of its saved state (run/checksum.hpp) in
// the root attribute state_checksum, checked before the state is read.
void check_state(hid_t f, const std::vector<std::uint8_t>& bytes, const std::string& path, const char* dataset) {
    if (H5Aexists(f, "state_checksum") <= 0)
        throw OutputError(path + ": a shard without a checksum of its state (written by an older flopcast); "
                                 "compute the shard again");
    if (read_u64_attr(f, "state_checksum", path) != run::checksum(bytes))
        throw OutputError(path + ": the shard is corrupt (the checksum of " + dataset + " does not match its content)");
}

}  // namespace

void write_shard_state(ResultFile& file, const run::RunState& state, std::uint64_t index, std::uint64_t count) {
    const hid_t root = static_cast<hid_t>(file.handle());
    Writer w(root, file.temporary_path());
    const auto bytes = run::serialize(state);
    const hsize_t n = bytes.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle set(check(H5Dcreate2(root, "state", H5T_NATIVE_UINT8, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     file.temporary_path(), "create /state"),
               H5Dclose);
    check(H5Dwrite(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), file.temporary_path(),
          "write /state", 0);
    w.string_attr(root, "kind", "shard");
    w.number_attr(root, "state_checksum", run::checksum(bytes));
    w.number_attr(root, "shard_index", index);
    w.number_attr(root, "shard_count", count);
    w.number_attr(root, "first_block", state.first_block);
    w.number_attr(root, "end_block", state.next_block);
}

ShardInfo read_shard_info(const std::string& path) {
    Handle f(open_read(path), H5Fclose);
    ShardInfo info;
    info.path = path;
    if (H5Aexists(f, "kind") <= 0 || read_string_attr(f, "kind", path) != "shard")
        throw OutputError(path + ": not a flopcast shard (write shards with flopcast run --shard i/N)");
    info.version = read_string_attr(f, "flopcast_version", path);
    info.scenario_text = read_string_attr(f, "scenario_text", path);
    info.scenario_file = read_string_attr(f, "scenario_file", path);
    info.overrides = read_string_attr(f, "overrides", path);
    info.sampling = read_string_attr(f, "sampling", path);
    info.seed = read_u64_attr(f, "seed", path);
    info.samples = read_u64_attr(f, "samples", path);
    info.index = read_u64_attr(f, "shard_index", path);
    info.count = read_u64_attr(f, "shard_count", path);
    info.first_block = read_u64_attr(f, "first_block", path);
    info.end_block = read_u64_attr(f, "end_block", path);
    if (H5Lexists(f, "samples", H5P_DEFAULT) > 0) {
        Handle g(H5Gopen2(f, "samples", H5P_DEFAULT), H5Gclose);
        H5G_info_t gi;
        H5Gget_info(g, &gi);
        for (hsize_t i = 0; i < gi.nlinks; ++i) {
            char name[512];
            if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) > 0)
                info.kept.emplace_back(name);
        }
    }
    return info;
}

run::RunState read_shard_state(const std::string& path) {
    Handle f(open_read(path), H5Fclose);
    if (H5Lexists(f, "state", H5P_DEFAULT) <= 0) throw OutputError(path + ": not a flopcast shard (no /state)");
    Handle set(H5Dopen2(f, "state", H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set), H5Sclose);
    const auto n = H5Sget_simple_extent_npoints(space);
    if (n < 0) throw OutputError(path + ": cannot read /state");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n));
    if (H5Dread(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
        throw OutputError(path + ": cannot read /state (truncated?)");
    check_state(f, bytes, path, "/state");
    try {
        return run::deserialize(bytes);
    } catch (const run::StateError& e) {
        throw OutputError(path + ": " + e.what());
    }
}

void copy_shard_samples(const std::string& shard_path, const std::string& name, std::uint64_t first,
                        std::uint64_t end, ResultFile& out, std::size_t output_index) {
    if (end <= first) return;
    Handle f(open_read(shard_path), H5Fclose);
    const std::string dataset = "samples/" + name;
    if (H5Lexists(f, "samples", H5P_DEFAULT) <= 0 || H5Lexists(f, dataset.c_str(), H5P_DEFAULT) <= 0)
        throw OutputError(shard_path + ": has no /" + dataset + " although other shards keep it");
    Handle set(H5Dopen2(f, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[2] = {0, 1};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    const hsize_t width = rank == 2 ? dims[1] : 1;
    // In slices of 64 Ki rows, so memory stays bounded whatever the shard's size.
    constexpr hsize_t kRows = 65536;
    std::vector<double> buffer;
    for (hsize_t row = first; row < end; row += kRows) {
        const hsize_t rows = std::min<hsize_t>(kRows, end - row);
        hsize_t start[2] = {row, 0}, count[2] = {rows, width};
        H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr);
        Handle mem(H5Screate_simple(rank, count, nullptr), H5Sclose);
        buffer.resize(rows * width);
        if (H5Dread(set, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, buffer.data()) < 0)
            throw OutputError(shard_path + ": cannot read /" + dataset + " (truncated?)");
        out.write(output_index, row, static_cast<std::size_t>(rows), static_cast<std::size_t>(width), buffer);
    }
}

std::string shard_kind(const std::string& path) {
    Handle f(open_read(path), H5Fclose);
    const std::string kind = H5Aexists(f, "kind") > 0 ? read_string_attr(f, "kind", path) : std::string();
    if (kind != "shard" && kind != "sensitivity-shard")
        throw OutputError(path + ": not a flopcast shard (write shards with flopcast run --shard i/N or "
                                 "flopcast sensitivity --shard i/N)");
    return kind;
}

void write_sensitivity_shard(ResultFile& file, const std::vector<std::uint8_t>& state, const std::string& method,
                             const std::string& options, std::uint64_t index, std::uint64_t count) {
    const hid_t root = static_cast<hid_t>(file.handle());
    Writer w(root, file.temporary_path());
    const hsize_t n = state.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle set(check(H5Dcreate2(root, "sensitivity_state", H5T_NATIVE_UINT8, space, H5P_DEFAULT, H5P_DEFAULT,
                                H5P_DEFAULT),
                     file.temporary_path(), "create /sensitivity_state"),
               H5Dclose);
    check(H5Dwrite(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, state.data()), file.temporary_path(),
          "write /sensitivity_state", 0);
    w.string_attr(root, "kind", "sensitivity-shard");
    w.number_attr(root, "state_checksum", run::checksum(state));
    w.string_attr(root, "sensitivity_method", method);
    w.string_attr(root, "sensitivity_options", options);
    w.number_attr(root, "shard_index", index);
    w.number_attr(root, "shard_count", count);
}

SensitivityShardInfo read_sensitivity_shard_info(const std::string& path) {
    Handle f(open_read(path), H5Fclose);
    SensitivityShardInfo info;
    info.path = path;
    if (H5Aexists(f, "kind") <= 0 || read_string_attr(f, "kind", path) != "sensitivity-shard")
        throw OutputError(path + ": not a sensitivity shard (write them with flopcast sensitivity --shard i/N)");
    info.version = read_string_attr(f, "flopcast_version", path);
    info.scenario_text = read_string_attr(f, "scenario_text", path);
    info.scenario_file = read_string_attr(f, "scenario_file", path);
    info.overrides = read_string_attr(f, "overrides", path);
    info.seed = read_u64_attr(f, "seed", path);
    info.method = read_string_attr(f, "sensitivity_method", path);
    info.options = read_string_attr(f, "sensitivity_options", path);
    info.index = read_u64_attr(f, "shard_index", path);
    info.count = read_u64_attr(f, "shard_count", path);
    return info;
}

std::vector<std::uint8_t> read_sensitivity_shard_state(const std::string& path) {
    Handle f(open_read(path), H5Fclose);
    if (H5Lexists(f, "sensitivity_state", H5P_DEFAULT) <= 0)
        throw OutputError(path + ": not a sensitivity shard (no /sensitivity_state)");
    Handle set(H5Dopen2(f, "sensitivity_state", H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set), H5Sclose);
    const auto n = H5Sget_simple_extent_npoints(space);
    if (n < 0) throw OutputError(path + ": cannot read /sensitivity_state");
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n));
    if (n > 0 && H5Dread(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
        throw OutputError(path + ": cannot read /sensitivity_state (truncated?)");
    check_state(f, bytes, path, "/sensitivity_state");
    return bytes;
}

}  // namespace flopcast::output
