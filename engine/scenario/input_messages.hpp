#pragma once
// Wording of two [inputs.*] errors that must say what the format does have
// (issue 21): kept apart so load_scenario.cpp only calls them.
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "engine/formula/program.hpp"  // Dimension

namespace flopcast::scenario {

// Appended to a distribution's "unknown parameter ... accepted: ..." message:
// the keys every input takes besides its distribution's parameters, and the
// nearest of them when `unknown` is a misspelling of one ("unit": units).
[[nodiscard]] std::string input_keys_note(std::string_view unknown);

// The message for a parameter given as a table on an input without
// per_year = true: a table of years asks for per_year, a table of other keys
// (regions, chips) for `over`, naming the declared dimension whose elements
// they are when there is one.
[[nodiscard]] std::string table_parameter_message(std::string_view key, const toml::table& values,
                                                  const std::vector<formula::Dimension>& dimensions);

}  // namespace flopcast::scenario
