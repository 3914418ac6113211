#pragma once
// The ranking `flopcast sensitivity` prints after a method has run: one
// function per method's result, chosen by the result's type.
#include <cstddef>
#include <optional>
#include <string>

#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/catalogue.hpp"

namespace flopcast::cli {

struct PrintOptions {
    std::optional<int> year;  // --year: the year ranked (default: the output's reference year, else the last)
    std::size_t top = 10;     // factors per output (0: all)
};

[[nodiscard]] std::string print_ranking(const scenario::Scenario& s, const sensitivity::MethodResult& result,
                                        const PrintOptions& options);

}  // namespace flopcast::cli
