#include "engine/output/output_path.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>

#include <hdf5.h>

#include "engine/output/hdf5_writer.hpp"
#include "engine/run/checkpoint.hpp"

namespace flopcast::output {
namespace {

namespace fs = std::filesystem;

// What kind of thing stands at a path, in words for a message; empty for a
// regular file.
std::string kind_of(const struct stat& st) {
    if (S_ISDIR(st.st_mode)) return "a directory";
    if (S_ISCHR(st.st_mode)) return "a character device";
    if (S_ISBLK(st.st_mode)) return "a block device";
    if (S_ISFIFO(st.st_mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    if (!S_ISREG(st.st_mode)) return "not a regular file";
    return {};
}

// The final target of a chain of symbolic links, which need not exist yet
// (a dangling link names the file to create). Relative link texts are read
// from the folder of the link that holds them, as the kernel does.
fs::path follow_links(const std::string& path) {
    fs::path p(path);
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        const auto status = fs::symlink_status(p, ec);
        if (ec || !fs::is_symlink(status)) return p;
        const fs::path text = fs::read_symlink(p, ec);
        if (ec) throw OutputError(path + ": cannot read the symbolic link: " + ec.message());
        p = text.is_absolute() ? text : p.parent_path() / text;
    }
    throw OutputError(path + ": too many levels of symbolic links");
}

}  // namespace

bool is_flopcast_result(const std::string& path) {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    if (H5Fis_hdf5(path.c_str()) <= 0) return false;
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return false;
    const bool ours = H5Aexists(f, "flopcast_version") > 0;
    H5Fclose(f);
    return ours;
}

std::string checked_output_path(const std::string& path, const OutputRules& rules) {
    if (path.empty()) throw OutputError("the output path is empty");
    const fs::path target = follow_links(path);
    const std::string via =
        target.string() == path ? std::string() : " (a symbolic link to " + target.string() + ")";
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return target.string();  // a new file: the folder is checked on creation
        throw OutputError(path + via + ": cannot check the output path: " + std::strerror(errno));
    }
    if (const std::string kind = kind_of(st); !kind.empty()) {
        const std::string hint = S_ISDIR(st.st_mode)
                                     ? "; give a file name, e.g. " + (fs::path(path) / "results.h5").string()
                                     : "; flopcast writes only regular files";
        throw OutputError("refusing to write " + path + via + ": it is " + kind + hint);
    }
    for (const auto& input : rules.inputs) {
        struct stat in {};
        if (input.empty() || ::stat(input.c_str(), &in) != 0) continue;
        if (in.st_dev == st.st_dev && in.st_ino == st.st_ino)
            throw OutputError("refusing to write " + path + via + ": it is " +
                              (input == path ? "an input of this command" : "the same file as the input " + input) +
                              "; choose another output");
    }
    if (!rules.force) {
        const bool ours = rules.replaceable == Replaceable::Checkpoint ? run::is_checkpoint_file(target.string())
                                                                       : is_flopcast_result(target.string());
        if (!ours)
            throw OutputError("refusing to overwrite " + path + via + ": it is not a flopcast " +
                              (rules.replaceable == Replaceable::Checkpoint ? "checkpoint" : "result") +
                              " (use --force)");
    }
    return target.string();
}

bool same_output(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return false;
    struct stat sa {}, sb {};
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    std::error_code ea, eb;
    const auto ca = fs::weakly_canonical(fs::absolute(a), ea), cb = fs::weakly_canonical(fs::absolute(b), eb);
    return !ea && !eb && ca == cb;
}

}  // namespace flopcast::output
