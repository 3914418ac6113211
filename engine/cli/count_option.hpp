#pragma once
// A sample-count option that takes counts as people write them: 1000000,
// 1_000_000, 1,000,000 or 1e6 (see parse_count).
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "engine/cli/number_format.hpp"

namespace flopcast::cli {

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

}  // namespace flopcast::cli
