#include "engine/run/checkpoint.hpp"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "engine/run/checksum.hpp"
#include "engine/run/temporary_file.hpp"

namespace flopcast::run {
namespace {

// 2: precision targets and their history. 3: a checksum of the body after
// the magic, and the run's output path.
constexpr char kMagic[8] = {'F', 'L', 'C', 'C', 'K', 'P', 'T', '3'};
constexpr std::size_t kFamily = 7;  // "FLCCKPT": a checkpoint of some version

void put_u64(std::vector<std::uint8_t>& b, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_str(std::vector<std::uint8_t>& b, const std::string& s) {
    put_u64(b, s.size());
    b.insert(b.end(), s.begin(), s.end());
}

class Reader {
public:
    Reader(const std::vector<std::uint8_t>& b, const std::string& path) : b_(b), path_(path) {}
    std::uint64_t u64() {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(b_[pos_ + i]) << (8 * i);
        pos_ += 8;
        return v;
    }
    std::string str() {
        const auto n = u64();
        need(n);
        std::string s(b_.begin() + static_cast<std::ptrdiff_t>(pos_), b_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
        pos_ += n;
        return s;
    }
    std::span<const std::uint8_t> rest() const { return {b_.data() + pos_, b_.size() - pos_}; }

private:
    void need(std::uint64_t n) const {
        if (n > b_.size() - pos_) throw StateError(path_ + ": the checkpoint is truncated");
    }
    const std::vector<std::uint8_t>& b_;
    const std::string& path_;
    std::size_t pos_ = 0;
};

}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& c) {
    std::vector<std::uint8_t> b;
    put_str(b, c.version);
    put_str(b, c.scenario_file);
    put_str(b, c.output);
    put_str(b, c.scenario_text);
    put_u64(b, c.overrides.size());
    for (const auto& o : c.overrides) put_str(b, o);
    put_u64(b, c.seed);
    put_u64(b, c.samples);
    put_u64(b, c.keep_all ? 1 : 0);
    put_u64(b, c.until.size());
    for (const auto& u : c.until) put_str(b, u);
    put_u64(b, std::bit_cast<std::uint64_t>(c.confidence));
    put_u64(b, c.history.size());
    for (const auto& h : c.history) {
        put_u64(b, h.samples);
        put_u64(b, h.met ? 1 : 0);
        put_u64(b, h.targets.size());
        for (const auto& t : h.targets) {
            put_u64(b, std::bit_cast<std::uint64_t>(t.estimate));
            put_u64(b, std::bit_cast<std::uint64_t>(t.half_width));
            put_u64(b, std::bit_cast<std::uint64_t>(t.allowed));
            put_u64(b, (t.ready ? 1 : 0) | (t.met ? 2 : 0));
        }
    }
    const auto state = serialize(c.state);
    b.insert(b.end(), state.begin(), state.end());
    std::vector<std::uint8_t> head(std::begin(kMagic), std::end(kMagic));
    put_u64(head, checksum(b));
    b.insert(b.begin(), head.begin(), head.end());

    // Temporary file, fsync, rename: the checkpoint at `path` is always whole.
    remove_stale_temporaries(path);
    const std::string tmp = temporary_path_for(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw StateError(path + ": cannot write the checkpoint: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < b.size()) {
        const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            std::remove(tmp.c_str());
            throw StateError(path + ": cannot write the checkpoint: " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::remove(tmp.c_str());
        throw StateError(path + ": cannot flush the checkpoint to disk");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw StateError(path + ": cannot move the checkpoint into place: " + std::strerror(errno));
    }
}

Checkpoint load_checkpoint(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw StateError(path + ": cannot open the checkpoint");
    const std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (b.size() < sizeof kMagic || std::memcmp(b.data(), kMagic, kFamily) != 0)
        throw StateError(path + ": not a flopcast checkpoint");
    if (b[kFamily] != kMagic[kFamily])
        throw StateError(path + ": a checkpoint of format " + std::string(1, static_cast<char>(b[kFamily])) +
                         ", written by another version of flopcast; this one reads format " + kMagic[kFamily] +
                         " (run it again from the start)");
    if (b.size() < sizeof kMagic + 8) throw StateError(path + ": the checkpoint is truncated");
    std::uint64_t saved = 0;
    for (int i = 0; i < 8; ++i) saved |= static_cast<std::uint64_t>(b[sizeof kMagic + i]) << (8 * i);
    const std::vector<std::uint8_t> body(b.begin() + sizeof kMagic + 8, b.end());
    if (checksum(body) != saved)
        throw StateError(path + ": the checkpoint is truncated or corrupt (its checksum does not match its content)");
    Reader r(body, path);
    Checkpoint c;
    c.version = r.str();
    c.scenario_file = r.str();
    c.output = r.str();
    c.scenario_text = r.str();
    const auto n = r.u64();
    if (n > 100000) throw StateError(path + ": the checkpoint is corrupt");
    for (std::uint64_t i = 0; i < n; ++i) c.overrides.push_back(r.str());
    c.seed = r.u64();
    c.samples = r.u64();
    c.keep_all = r.u64() != 0;
    const auto until = r.u64();
    if (until > 1000) throw StateError(path + ": the checkpoint is corrupt");
    for (std::uint64_t i = 0; i < until; ++i) c.until.push_back(r.str());
    c.confidence = std::bit_cast<double>(r.u64());
    const auto checks = r.u64();
    if (checks > 1000000) throw StateError(path + ": the checkpoint is corrupt");
    for (std::uint64_t i = 0; i < checks; ++i) {
        PrecisionStatus h;
        h.samples = r.u64();
        h.met = r.u64() != 0;
        const auto targets = r.u64();
        if (targets != until) throw StateError(path + ": the checkpoint is corrupt");
        for (std::uint64_t k = 0; k < targets; ++k) {
            TargetStatus t;
            t.estimate = std::bit_cast<double>(r.u64());
            t.half_width = std::bit_cast<double>(r.u64());
            t.allowed = std::bit_cast<double>(r.u64());
            const auto flags = r.u64();
            t.ready = (flags & 1) != 0;
            t.met = (flags & 2) != 0;
            h.targets.push_back(t);
        }
        c.history.push_back(std::move(h));
    }
    try {
        c.state = deserialize(r.rest());
    } catch (const StateError& e) {
        throw StateError(path + ": " + e.what());
    }
    return c;
}

bool is_checkpoint_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    char head[kFamily] = {};
    return f.read(head, kFamily) && std::memcmp(head, kMagic, kFamily) == 0;
}

}  // namespace flopcast::run
