#pragma once
// Small checked wrappers over the HDF5 C API, shared by the writers of the
// result file: every failure becomes an OutputError naming the file.
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <hdf5.h>

#include "engine/output/result_file.hpp"

namespace flopcast::output {

// Every HDF5 call is checked; a failure becomes an OutputError naming the file.
inline hid_t check(hid_t id, const std::string& path, const std::string& what) {
    if (id < 0) throw OutputError(path + ": cannot " + what);
    return id;
}
inline void check(herr_t rc, const std::string& path, const std::string& what, int) {
    if (rc < 0) throw OutputError(path + ": cannot " + what + " (disk full or not writable?)");
}

// Closes an HDF5 object when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Handle() {
        if (id_ >= 0) close_(id_);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    operator hid_t() const { return id_; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

class Writer {
public:
    Writer(hid_t file, std::string path) : file_(file), path_(std::move(path)) {}

    hid_t group(hid_t parent, const std::string& name) {
        return check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), path_,
                     "create group " + name);
    }

    void string_attr(hid_t obj, const char* name, const std::string& value) {
        Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
        Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        Handle attr(check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), path_,
                          std::string("write attribute ") + name),
                    H5Aclose);
        const char* p = value.c_str();
        check(H5Awrite(attr, type, &p), path_, std::string("write attribute ") + name, 0);
    }

    template <class T>
    void number_attr(hid_t obj, const char* name, T value) {
        const hid_t type = std::is_floating_point_v<T> ? H5T_NATIVE_DOUBLE
                           : std::is_signed_v<T>       ? H5T_NATIVE_INT64
                                                       : H5T_NATIVE_UINT64;
        Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        Handle attr(check(H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT), path_,
                          std::string("write attribute ") + name),
                    H5Aclose);
        check(H5Awrite(attr, type, &value), path_, std::string("write attribute ") + name, 0);
    }

    void strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
        Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
        const hsize_t dim = values.size();
        Handle space(H5Screate_simple(1, &dim, nullptr), H5Sclose);
        Handle set(check(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         path_, "create dataset " + name),
                   H5Dclose);
        std::vector<const char*> ptrs;
        for (const auto& v : values) ptrs.push_back(v.c_str());
        if (!ptrs.empty()) check(H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), path_, "write " + name, 0);
    }

    // dims empty: a scalar dataset.
    template <class T>
    void dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const T* data) {
        const hid_t type = std::is_same_v<T, double>          ? H5T_NATIVE_DOUBLE
                           : std::is_same_v<T, std::uint64_t> ? H5T_NATIVE_UINT64
                                                              : H5T_NATIVE_INT32;
        Handle space(dims.empty() ? H5Screate(H5S_SCALAR)
                                  : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     H5Sclose);
        Handle set(check(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                         path_, "create dataset " + name),
                   H5Dclose);
        check(H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path_, "write " + name, 0);
    }

    const std::string& path() const { return path_; }

private:
    hid_t file_;
    std::string path_;
};

}  // namespace flopcast::output
