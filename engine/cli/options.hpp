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

}  // namespace flopcast::cli
