#pragma once
// Reading the fields of a scenario file's TOML, shared by the readers of its
// tables (load_scenario.cpp, load_correlation.cpp): every failure names the
// file, the line (or the --set override) and the dotted field, and shows the
// offending value.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::scenario::fields {

// Where things are, for messages. Values replaced by --set have no line; the
// message then names the override instead.
class Context {
public:
    Context(std::string file, std::set<std::string> overridden,
            const std::map<const toml::node*, const toml::node*>* origin = nullptr)
        : file_(std::move(file)), overridden_(std::move(overridden)), origin_(origin) {}

    // column: of a formula's character, 1-based in its text (0: none).
    [[noreturn]] void fail(const toml::node* node, const std::string& field, const std::string& message,
                           int column = 0) const {
        std::string where = file_;
        // A dimensioned input's element tables are copies (load_dimensions.hpp).
        if (origin_ && node)
            if (const auto it = origin_->find(node); it != origin_->end()) node = it->second;
        if (node && node->source().begin.line > 0) {
            where += ":" + std::to_string(node->source().begin.line);
            // The text starts after the opening quote (exact for strings without escapes).
            if (column > 0) where += ":" + std::to_string(node->source().begin.column + column);
        } else {
            // A value set on the command line has no line: name the override.
            for (const auto& key : overridden_)
                if (key == field || key.starts_with(field + ".")) {
                    where += " (--set " + key + ")";
                    break;
                }
        }
        throw ScenarioError(where + ": " + (field.empty() ? "" : field + ": ") + message);
    }

    [[nodiscard]] const std::string& file() const { return file_; }

private:
    std::string file_;
    std::set<std::string> overridden_;
    const std::map<const toml::node*, const toml::node*>* origin_;
};

// "a table", "an integer", ...: a node's type in messages.
[[nodiscard]] const char* type_name(const toml::node& n);
// A number as messages show it (6 significant digits).
[[nodiscard]] std::string format_value(double v);

// The node as the type named, or Context::fail naming the field.
[[nodiscard]] double number(const Context& cx, const toml::node& n, const std::string& field);  // finite
[[nodiscard]] std::int64_t integer(const Context& cx, const toml::node& n, const std::string& field);  // 1e6 too
[[nodiscard]] std::string string(const Context& cx, const toml::node& n, const std::string& field);
[[nodiscard]] bool boolean(const Context& cx, const toml::node& n, const std::string& field);
[[nodiscard]] const toml::table& table(const Context& cx, const toml::node& n, const std::string& field);

// Refuses keys outside `allowed`, which catches typos such as "medain".
void only_keys(const Context& cx, const toml::table& t, const std::string& prefix,
               std::initializer_list<std::string_view> allowed);

}  // namespace flopcast::scenario::fields
