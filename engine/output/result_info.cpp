#include "engine/output/result_info.hpp"

#include <algorithm>
#include <filesystem>

#include "engine/output/hdf5_reader.hpp"

namespace flopcast::output {
namespace {

std::string text_attr(hid_t obj, const char* name, const std::string& path) {
    return read_text_attr(obj, name, path, "a flopcast result");
}

std::uint64_t u64_attr(hid_t obj, const char* name, const std::string& path) {
    return read_u64_attr(obj, name, path, "a flopcast result");
}

}  // namespace

std::optional<ResultInfo> read_result_info(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw OutputError(path + ": exists but is not a flopcast result (cannot open it as HDF5)");
    Handle f(id, H5Fclose);
    if (H5Aexists(f, "kind") > 0)
        throw OutputError(path + ": exists but is a flopcast " + text_attr(f, "kind", path) + " file, not a run's result");
    if (H5Lexists(f, "summary", H5P_DEFAULT) <= 0)
        throw OutputError(path + ": exists but is not a flopcast result (no /summary)");
    ResultInfo info;
    info.version = text_attr(f, "flopcast_version", path);
    info.scenario_text = text_attr(f, "scenario_text", path);
    info.overrides = text_attr(f, "overrides", path);
    info.seed = u64_attr(f, "seed", path);
    info.samples = u64_attr(f, "samples", path);
    if (H5Lexists(f, "convergence", H5P_DEFAULT) > 0) {
        Handle conv(H5Gopen2(f, "convergence", H5P_DEFAULT), H5Gclose);
        if (conv < 0) throw OutputError(path + ": cannot open /convergence");
        Handle attr(H5Aopen(conv, "confidence", H5P_DEFAULT), H5Aclose);
        if (attr < 0 || H5Aread(attr, H5T_NATIVE_DOUBLE, &info.confidence) < 0)
            throw OutputError(path + ": cannot read /convergence's confidence");
        if (H5Aexists(conv, "max_samples") > 0) info.max_samples = u64_attr(conv, "max_samples", path);
        H5G_info_t gi{};
        if (H5Gget_info(conv, &gi) < 0) throw OutputError(path + ": cannot list /convergence");
        for (hsize_t i = 0; i < gi.nlinks; ++i) {
            char name[256] = {};
            if (H5Lget_name_by_idx(conv, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT) < 0) continue;
            Handle g(H5Gopen2(conv, name, H5P_DEFAULT), H5Gclose);
            if (g >= 0) info.until.push_back(text_attr(g, "target", path));
        }
        std::sort(info.until.begin(), info.until.end());
    }
    return info;
}

}  // namespace flopcast::output
