// Runs a command and reports its wall time, CPU time and peak resident memory.
//
//   flopcast_bench_peak_rss RESULT_FILE COMMAND [ARGS...]
//
// Writes "<wall seconds> <peak RSS KiB> <exit code> <CPU seconds, user +
// system>" to RESULT_FILE (exit
// code 127: the command could not be started; 128 + N: killed by signal N);
// the command's stdin, stdout and stderr are this program's. Exits 0 once the
// result is written.
//
// Why not os.wait4() from Python directly: Linux carries the peak RSS of the
// address space a process had before exec() into the new program's
// ru_maxrss. Python's subprocess starts children with vfork(), so every child
// reported at least the benchmark's own peak (about 10 MiB for bare Python,
// 100+ MiB once numpy is loaded), and fork() would carry over the parent's
// resident pages. Forking from this small program instead keeps that floor
// at about 1 MiB.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s RESULT_FILE COMMAND [ARGS...]\n", argv[0]);
        return 2;
    }
    timespec start{}, stop{};
    clock_gettime(CLOCK_MONOTONIC, &start);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("fork");
        return 127;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        std::perror(argv[2]);
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            std::perror("wait4");
            return 127;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &stop);
    const double wall = static_cast<double>(stop.tv_sec - start.tv_sec) + 1e-9 * static_cast<double>(stop.tv_nsec - start.tv_nsec);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::FILE* out = std::fopen(argv[1], "w");
    if (!out) {
        std::perror(argv[1]);
        return 127;
    }
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
    std::fprintf(out, "%.6f %ld %d %.6f\n", wall, usage.ru_maxrss, code, seconds(usage.ru_utime) + seconds(usage.ru_stime));
    std::fclose(out);
    return 0;
}
