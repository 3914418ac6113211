#pragma once
// Small checked wrappers over the HDF5 C API, shared by the writers of the
// result file: every failure becomes an OutputError naming the file.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
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

// Every float64 the files hold goes through this: a NaN becomes the one
// quiet NaN with the sign bit clear. Which NaN an operation on two NaNs
// returns is the operand the compiler put first, and it may order a + b one
// way in the SSE2 loops and the other in the AVX2 ones (simd_level.hpp); a
// NaN's sign never changes a number, but it would change the file's bits.
// Returns `values` itself when it holds no NaN (the usual case), else
// `copy`, filled.
inline std::span<const double> with_one_nan(std::span<const double> values, std::vector<double>& copy) {
    if (std::none_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) return values;
    copy.assign(values.begin(), values.end());
    for (double& v : copy)
        if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
    return copy;
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
        if constexpr (std::is_floating_point_v<T>)
            if (std::isnan(value)) value = std::numeric_limits<T>::quiet_NaN();  // see with_one_nan
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
        std::vector<double> copy;
        if constexpr (std::is_same_v<T, double>) {
            std::size_t n = 1;
            for (hsize_t d : dims) n *= static_cast<std::size_t>(d);
            data = with_one_nan({data, n}, copy).data();
        }
        check(H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path_, "write " + name, 0);
    }

    const std::string& path() const { return path_; }

private:
    hid_t file_;
    std::string path_;
};

}  // namespace flopcast::output
