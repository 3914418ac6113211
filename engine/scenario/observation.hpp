#pragma once
// What has been observed of a scenario's quantities: [observations.NAME].
//
// Each observation says what the evidence implies of the true value of one
// input, formula or output (in one year for a yearly one). A world's weight
// is the product over observations of the evidence's likelihood at the
// world's value, scaled so that its largest value is 1 (log-weight 0):
//   lognormal  -(ln x - mu)^2 / (2 sigma^2)   (x <= 0: excluded)
//   normal     -(x - mu)^2 / (2 sigma^2)
//   between    0 inside [min, max], excluded outside
// Observations are taken as independent of each other: their log-weights add.
// A non-finite value is excluded by every kind. The runner computes them a
// block at a time (run/posterior_blocks.cpp).
#include <optional>
#include <string>
#include <vector>

namespace flopcast::scenario {

enum class EvidenceKind { Lognormal, Normal, Between };

struct ObservationSpec {
    std::string name;
    std::string of;           // the quantity observed, as written (with any selection)
    std::string selection;    // "dim=elem" of `of = "stock[chip=H100]"`; empty when none
    std::optional<int> year;  // for a yearly quantity
    std::size_t year_index = 0;
    EvidenceKind kind = EvidenceKind::Lognormal;
    double mu = 0.0, sigma = 1.0;  // lognormal: of ln x; normal: of x
    double min = 0.0, max = 0.0;   // between
    std::string dist;              // as written
    std::string description;
    int line = 0;                  // of [observations.NAME] in the scenario file
    int quantity = -1;             // index in the Program
};

}  // namespace flopcast::scenario
