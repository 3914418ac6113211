#pragma once
// The [correlation] table of a scenario: rank correlations among
// once-per-trajectory inputs, checked and turned into a Gaussian copula.
#include <vector>

#include <toml++/toml.h>

#include "engine/scenario/scenario.hpp"
#include "engine/scenario/toml_fields.hpp"

namespace flopcast::scenario {

// inputs = [...] with matrix = [[...]], or pairs = [["a", "b", 0.5], ...],
// over `inputs` (the scenario's, drawn once per trajectory). Fails through
// `cx`, naming file:line and the field.
[[nodiscard]] Correlation load_correlation(const fields::Context& cx, const toml::node& node,
                                           const std::vector<InputSpec>& inputs);

}  // namespace flopcast::scenario
