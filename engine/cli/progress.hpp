#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace flopcast::cli {

// Progress of a run on stderr. On a terminal: one line redrawn in place at most
// ten times a second. Otherwise (a log file, a batch system): a plain line
// every `every_seconds`, so logs stay readable.
class Progress {
public:
    Progress(bool enabled, bool terminal, double every_seconds);
    void update(std::uint64_t done, std::uint64_t total);
    // Shown after the counts from the next line on, e.g. a precision run's
    // half-width against its target.
    void set_note(std::string note) { note_ = std::move(note); }
    void finish();

private:
    bool enabled_, terminal_;
    double every_;
    std::chrono::steady_clock::time_point start_, last_;
    bool drawn_ = false;
    std::string note_;
};

}  // namespace flopcast::cli
