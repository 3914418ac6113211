#pragma once
#include <stdexcept>
#include <string>

namespace flopcast::dist {

// Thrown when a distribution is given impossible or missing parameters.
// `field` names the offending parameter ("p95"), or is empty when the problem
// is the combination; what() is a complete sentence naming the value,
// e.g. "p95 (0.2) must be above p5 (0.3)". Callers that know where the
// parameters came from (file, line, input) prefix that context.
class ParameterError : public std::invalid_argument {
public:
    ParameterError(std::string field, const std::string& message)
        : std::invalid_argument(message), field_(std::move(field)) {}
    [[nodiscard]] const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

}  // namespace flopcast::dist
