#pragma once
// Checked readers of root attributes, for the files flopcast reads back
// (shards, existing results): a missing or mistyped attribute becomes an
// OutputError saying the file is not `what` ("a flopcast shard", ...).
#include <cstdint>
#include <string>

#include <hdf5.h>

#include "engine/output/hdf5_writer.hpp"

namespace flopcast::output {

inline std::string read_text_attr(hid_t obj, const char* name, const std::string& path, const std::string& what) {
    if (H5Aexists(obj, name) <= 0) throw OutputError(path + ": not " + what + " (no attribute '" + name + "')");
    Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    Handle type(H5Aget_type(attr), H5Tclose);
    if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) <= 0)
        throw OutputError(path + ": not " + what + " (attribute '" + name + "' is not text)");
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5T_CSET_UTF8);
    char* p = nullptr;
    if (H5Aread(attr, mem, &p) < 0 || !p) throw OutputError(path + ": cannot read attribute '" + name + "'");
    std::string v(p);
    H5free_memory(p);
    return v;
}

inline std::uint64_t read_u64_attr(hid_t obj, const char* name, const std::string& path, const std::string& what) {
    if (H5Aexists(obj, name) <= 0) throw OutputError(path + ": not " + what + " (no attribute '" + name + "')");
    Handle attr(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    std::uint64_t v = 0;
    if (H5Aread(attr, H5T_NATIVE_UINT64, &v) < 0) throw OutputError(path + ": cannot read attribute '" + name + "'");
    return v;
}

}  // namespace flopcast::output
