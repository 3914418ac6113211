#pragma once
// The factors of a sensitivity analysis: the inputs, or named groups of
// inputs, that are moved together and get one index each.
//
// By default every input that varies is its own factor, and all the years of
// a per-year input are one factor (its years move together). Inputs that
// cannot vary (constants) are left out: their index would be zero and, for
// Sobol, they would cost N model evaluations each.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace flopcast::sensitivity {

// A mistake in --groups, a groups file, or a scenario the method cannot
// analyse. what() names the parameter and the offending value.
class FactorError : public std::runtime_error {
public:
    explicit FactorError(const std::string& message) : std::runtime_error(message) {}
};

struct Factor {
    std::string name;                 // the input's name, or the group's
    std::vector<std::size_t> inputs;  // indices into Scenario::inputs, in scenario order
    bool grouped = false;             // named by --groups (even with one member)
};

// A group as the user wrote it: a name (may be empty) and input names.
struct GroupSpec {
    std::string name;
    std::vector<std::string> members;
};

// "name=a,b;c,d": groups separated by ';', members by ','; the "name=" part is
// optional (an unnamed group is called "a+b"). Throws FactorError.
[[nodiscard]] std::vector<GroupSpec> parse_groups(std::string_view spec);

// A TOML file with a [groups] table: name = ["a", "b"]. Throws FactorError
// naming the file and line.
[[nodiscard]] std::vector<GroupSpec> load_groups_file(const std::string& path);

// Whether input i can take more than one value (some year's distribution has
// positive or undefined variance).
[[nodiscard]] bool varies(const scenario::InputSpec& in);

// The factors, in the order of their first input in the scenario (inputs are
// sorted by name). Inputs that do not vary and are not in a group are left
// out; a group all of whose members are fixed is refused. Throws FactorError
// for an unknown input, an input in two groups, an empty group, or a group
// name that clashes with another factor.
[[nodiscard]] std::vector<Factor> make_factors(const scenario::Scenario& s, const std::vector<GroupSpec>& groups);

// The inputs left out because they cannot vary, by name.
[[nodiscard]] std::vector<std::string> fixed_inputs(const scenario::Model& s, const std::vector<Factor>& factors);

// Variance-based indices assume independent factors. Inputs correlated by the
// scenario's [correlation] table must therefore sit in one factor (a group):
// throws FactorError naming a correlated pair that does not, and the fix.
void require_independent_factors(const scenario::Model& s, const std::vector<Factor>& factors,
                                 std::string_view method);

// "a, b, c" for messages.
[[nodiscard]] std::string join(const std::vector<std::string>& names, std::string_view separator = ", ");

}  // namespace flopcast::sensitivity
