#pragma once
#include <stdexcept>
#include <string>

namespace flopcast::scenario {

// A scenario that cannot be used. what() is the complete message a user sees:
// "baseline.toml:41: inputs.train_mfu: p95 (0.2) must be above p5 (0.3)".
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace flopcast::scenario
