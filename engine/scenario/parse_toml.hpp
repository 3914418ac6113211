#pragma once
// TOML text parsed, or a ScenarioError in the project's form,
// "file:line:column: not valid TOML: ...": shared by the readers of
// scenarios, variant files and batch manifests.
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::scenario {

[[nodiscard]] inline toml::table parse_toml(std::string_view text, const std::string& file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw ScenarioError(file + ":" + std::to_string(e.source().begin.line) + ":" +
                            std::to_string(e.source().begin.column) + ": not valid TOML: " +
                            std::string(e.description()));
    }
}

}  // namespace flopcast::scenario
