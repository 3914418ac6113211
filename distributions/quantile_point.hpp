#pragma once
// One quantile an expert quotes: "q10 = 3" is {"q10", 0.10, 3}.
//
// The quantile parametrizations of Normal and Lognormal take two of these;
// the name is only for error messages, so that they speak of the parameter
// the user wrote ("q90 (2) must be above q10 (3)").
#include <string>

namespace flopcast::dist {

struct QuantilePoint {
    std::string name;  // "q10", "median"
    double p;          // in (0, 1)
    double value;
};

}  // namespace flopcast::dist
