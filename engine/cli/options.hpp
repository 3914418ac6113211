#pragma once
// Options several subcommands share, parsed one way everywhere.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "engine/cli/number_format.hpp"

namespace flopcast::cli {

// A sample count as people write one: 1000000, 1_000_000, 1,000,000 or 1e6
// (see parse_count).
inline CLI::Option* add_count_option(CLI::App* app, const std::string& name, std::optional<std::uint64_t>& target,
                                     const std::string& help) {
    return app
        ->add_option_function<std::string>(
            name,
            [&target, name](const std::string& v) {
                const auto n = parse_count(v);
                if (!n)
                    throw CLI::ValidationError(
                        name, "expected a whole number of samples such as 1000000, 1_000_000 or 1e6, got '" + v + "'");
                target = *n;
            },
            help)
        ->type_name("N");
}

// --shard i/N: 0 <= i < N.
inline CLI::Option* add_shard_option(CLI::App* app, std::optional<std::pair<std::uint64_t, std::uint64_t>>& target,
                                     const std::string& help) {
    return app
        ->add_option_function<std::string>(
            "--shard",
            [&target](const std::string& v) {
                const auto slash = v.find('/');
                std::uint64_t i = 0, n = 0;
                try {
                    if (slash == std::string::npos) throw std::invalid_argument(v);
                    std::size_t used_i = 0, used_n = 0;
                    i = std::stoull(v.substr(0, slash), &used_i);
                    n = std::stoull(v.substr(slash + 1), &used_n);
                    if (used_i != slash || used_n != v.size() - slash - 1) throw std::invalid_argument(v);
                } catch (const std::exception&) {
                    throw CLI::ValidationError("--shard", "expected i/N, e.g. 0/4, got '" + v + "'");
                }
                if (n == 0 || i >= n)
                    throw CLI::ValidationError("--shard", "shard " + std::to_string(i) + "/" + std::to_string(n) +
                                                              ": need N >= 1 and 0 <= i < N");
                target = std::make_pair(i, n);
            },
            help)
        ->type_name("i/N");
}

// A duration option (see parse_duration): messages in plain words, never a
// numeric limit.
inline CLI::Option* add_duration_option(CLI::App* app, const std::string& name, double& seconds,
                                        const std::string& help) {
    return app
        ->add_option_function<std::string>(
            name,
            [&seconds, name](const std::string& v) {
                const auto d = parse_duration(v);
                if (!d)
                    throw CLI::ValidationError(name, "'" + v + "' is not a duration; write seconds (90) or a number "
                                                     "with a unit: 30s, 5m, 2h, 1h30m");
                if (!(*d > 0)) throw CLI::ValidationError(name, "'" + v + "': the duration must be longer than zero");
                seconds = *d;
            },
            help)
        ->type_name("DURATION");
}

// --threads N: a whole number, 0 for every core.
inline CLI::Option* add_threads_option(CLI::App* app, int& threads) {
    return app
        ->add_option_function<std::string>(
            "-t,--threads",
            [&threads](const std::string& v) {
                std::size_t used = 0;
                long n = -1;
                try {
                    n = std::stol(v, &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (used != v.size() || n < 0 || n > 1'000'000)
                    throw CLI::ValidationError("--threads", "'" + v + "' is not a thread count; give a whole number "
                                                            "of threads, or 0 for every core");
                threads = static_cast<int>(n);
            },
            "Worker threads (default: all cores); results do not depend on it")
        ->type_name("N");
}

// --force: replace an existing file at an output path even when it is not
// flopcast's (output_path.hpp; directories, devices and inputs are refused
// all the same).
inline CLI::Option* add_force_flag(CLI::App* app, bool& force) {
    return app->add_flag("--force", force,
                         "Replace an existing output file even when it is not a flopcast result (never a directory, "
                         "device or input of the command)");
}

}  // namespace flopcast::cli
