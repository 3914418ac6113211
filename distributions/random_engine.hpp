#pragma once
// The one random engine type every distribution is driven by.
//
// Boost's mt19937_64 rather than std::'s: Boost's algorithms (engine and
// distributions alike) are fixed across standard libraries, so a seed gives the
// same variates on every platform.
#include <boost/random/mersenne_twister.hpp>

namespace flopcast::dist {
using Rng = boost::random::mt19937_64;
}  // namespace flopcast::dist
