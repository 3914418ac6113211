#pragma once
// The options of the sensitivity methods on the command line: every
// method's options of the catalogue (engine/sensitivity/catalogue.hpp), each
// registered once, with one help text, and handed back to the method as
// canonical text.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/sensitivity/method.hpp"

namespace flopcast::cli {

// An option of some methods on the command line: its value is kept as typed
// (CLI11 checks the type) and handed to the method as canonical text.
struct MethodOption {
    sensitivity::OptionSpec spec;
    CLI::Option* option = nullptr;
    std::optional<std::uint64_t> count;
    std::uint64_t whole = 0;
    int integer = 0;
    double real = 0.0;
    std::string text;
    // The rows that take it (catalogue order).
    std::vector<std::string> methods;
};

[[nodiscard]] std::string canonical(const MethodOption& o);

// The options of every method, once each, in catalogue order, with their
// help in `text` until they are registered.
[[nodiscard]] std::deque<MethodOption> method_options();

}  // namespace flopcast::cli
