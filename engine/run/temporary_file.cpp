#include "engine/run/temporary_file.hpp"

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <unistd.h>

namespace flopcast::run {
namespace {

namespace fs = std::filesystem;

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "host";
    std::string h(buf);
    for (char& c : h)
        if (c == '/' || c == '.') c = '_';
    return h;
}

std::string prefix_for(const std::string& target) { return target + ".tmp-" + host_name() + "-"; }

}  // namespace

std::string temporary_path_for(const std::string& target) { return prefix_for(target) + std::to_string(::getpid()); }

std::vector<std::string> remove_stale_temporaries(const std::string& target) {
    const fs::path p(target);
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    const std::string prefix = fs::path(prefix_for(target)).filename().string();
    std::vector<std::string> removed;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        // PID, or PID.samples-K: the kept samples a precision run spools
        // beside its temporary file (sample_spool.hpp).
        std::string pid_text = name.substr(prefix.size());
        const auto digits = pid_text.find_first_not_of("0123456789");
        if (digits != std::string::npos) {
            if (pid_text.compare(digits, 9, ".samples-") != 0) continue;
            pid_text.resize(digits);
        }
        if (pid_text.empty() || pid_text.size() > 9) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
        std::error_code rm;
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH && fs::remove(entry.path(), rm))
            removed.push_back(entry.path().string());
    }
    return removed;
}

}  // namespace flopcast::run
