#pragma once
#include <stdexcept>
#include <string>

namespace flopcast::formula {

// A formula that cannot be parsed or compiled. column is 1-based within the
// formula text (0 when the problem is not at one place, e.g. a cycle); the
// caller adds the file, line and formula name.
class FormulaError : public std::runtime_error {
public:
    FormulaError(int column, const std::string& message)
        : std::runtime_error(message), column_(column) {}
    [[nodiscard]] int column() const noexcept { return column_; }

private:
    int column_;
};

}  // namespace flopcast::formula
