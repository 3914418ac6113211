#pragma once
// [dimensions] and dimensioned inputs (docs/scenario-format.md, "Dimensions"):
// read before the inputs, so that the rest of the loader sees one ordinary
// input per element, named units_2024[us,H100].
#include <map>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "engine/formula/program.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::scenario {

struct DimensionedInputs {
    std::vector<formula::Dimension> dimensions;  // in declaration order
    std::vector<formula::InputDecl> arrays;      // each dimensioned input, with its over
    std::set<std::string> arrays_by_name;
    std::set<std::string> element_inputs;  // units_2024[us,H100], ...
    // correlation_within = rho: the elements of one input, rank-correlated.
    struct Within {
        std::string input;
        std::vector<std::string> elements;
        double rho = 0.0;
        const toml::node* node = nullptr;
    };
    std::vector<Within> within;
    // The element inputs' nodes are copies, which toml++ gives no source
    // position: each copy's original, for messages with lines.
    std::map<const toml::node*, const toml::node*> origin;
};

// Reads [dimensions] and adds to [inputs] one table per element of each input
// with `over` (keeping the input's own table, which the loader skips: its
// name is in arrays_by_name). Throws ScenarioError "file:line:column: field:
// message" for: a dimension that is not an array of distinct identifiers, an
// over naming an undeclared dimension, a parameter table with a missing or
// unknown element or nested deeper than over, a bad correlation_within.
[[nodiscard]] DimensionedInputs expand_dimensions(toml::table& root, const std::string& file);

// Adds the correlation_within pairs to the scenario's correlation (creating
// it when the file has no [correlation]) and rebuilds its copula.
void add_within_correlations(Scenario& s, const DimensionedInputs& d, const std::string& file);

// The inputs a sensitivity group member stands for: an input's name, itself;
// a dimensioned input's name, all its elements (units_2024 ->
// units_2024[us,A100], ...); a selection [chip=H100] (or [region=us,
// chip=H100]), every element input of every dimensioned input over those
// elements. Anything else: itself (the caller reports unknown names).
[[nodiscard]] std::vector<std::string> group_members(const Model& s, const std::string& member);

// The outputs of an array output: one per element, named like its quantity.
[[nodiscard]] std::vector<OutputSpec> element_outputs(const Scenario& s, const OutputSpec& o,
                                                      const formula::ArrayInfo& array);

}  // namespace flopcast::scenario
