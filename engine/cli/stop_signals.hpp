#pragma once
// SIGINT and SIGTERM as a request to stop, for commands that run several
// things in a row (sweep, batch): the handler only sets a flag, which the
// command checks between waves (RunOptions::stop) and between runs. The same
// scheme as run_command.cpp's, in a header so other commands can share it.
#include <atomic>
#include <csignal>

namespace flopcast::cli {

// The one process-wide flag a signal handler may safely touch.
inline std::atomic<bool>& stop_flag() {
    static std::atomic<bool> flag{false};
    return flag;
}

extern "C" inline void set_stop_flag(int) { stop_flag().store(true); }

// Installs the handlers for its lifetime and restores the old ones.
class StopSignalsGuard {
public:
    StopSignalsGuard() {
        old_int_ = std::signal(SIGINT, set_stop_flag);
        old_term_ = std::signal(SIGTERM, set_stop_flag);
    }
    ~StopSignalsGuard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }
    StopSignalsGuard(const StopSignalsGuard&) = delete;
    StopSignalsGuard& operator=(const StopSignalsGuard&) = delete;

private:
    void (*old_int_)(int);
    void (*old_term_)(int);
};

}  // namespace flopcast::cli
