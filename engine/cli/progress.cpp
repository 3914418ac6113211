#include "engine/cli/progress.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "engine/cli/number_format.hpp"

namespace flopcast::cli {

Progress::Progress(bool enabled, bool terminal, double every_seconds)
    : enabled_(enabled), terminal_(terminal), every_(every_seconds),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (done < total && since < (terminal_ ? 0.1 : every_)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    const std::string line = fmt::format("{:5.1f} %  {} / {} samples  {}/s  elapsed {:.1f} s  ETA {:.1f} s",
                                         100.0 * static_cast<double>(done) / static_cast<double>(total),
                                         grouped(done), grouped(total), human(rate), elapsed, eta) +
                             (note_.empty() ? "" : "  " + note_);
    if (terminal_) {
        std::fprintf(stderr, "\r%s\033[K", line.c_str());
        drawn_ = true;
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
    std::fflush(stderr);
}

void Progress::finish() {
    if (enabled_ && terminal_ && drawn_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace flopcast::cli
