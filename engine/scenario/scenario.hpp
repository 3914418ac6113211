#pragma once
// A loaded, fully checked scenario: the model (what to sample, what to
// compute, what to summarize) apart from its presentation (how outputs are
// shown). Generic: nothing here knows what the formulas model.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "distributions/distribution.hpp"
#include "engine/formula/program.hpp"
#include "distributions/sampling/gaussian_copula.hpp"
#include "engine/scenario/observation.hpp"
#include "engine/scenario/plot_spec.hpp"

namespace flopcast::scenario {

struct InputSpec {
    std::string name;
    bool per_year = false;  // drawn independently for every year
    // One distribution, or one per year when per_year (parameters may vary by year).
    std::vector<std::shared_ptr<const dist::Distribution>> distributions;
    std::string units;
    std::string description;
    // per_year inputs: rank correlation between successive years (AR(1) on
    // the normal scores), for smooth trajectories. 0: independent years.
    double year_correlation = 0.0;
    int quantity = -1;  // index in the Program
};

// Rank correlation among once-per-trajectory inputs.
struct Correlation {
    std::vector<std::size_t> inputs;  // indices into Model::inputs
    std::vector<double> spearman;     // inputs.size() squared, row-major
    sampling::GaussianCopula copula;
};

enum class Sampling { MonteCarlo, LatinHypercube, Sobol };

enum class HistogramAxis { Auto, Linear, Log };

// A figure from the source the scenario reproduces, printed beside the
// simulated distribution (e.g. the report's 2 million A100s in 2023).
struct Reference {
    double value = 0.0;
    std::optional<int> year;  // for yearly outputs: the year the figure is for
    std::string label;
};

// An output of the model: the quantity summarized, and whether every sample
// of it is kept.
struct OutputSpec {
    std::string name;
    std::string units;
    std::string description;
    bool keep = false;          // write every sample to /samples/<name>
    int quantity = -1;
};

// How an output is shown: read by what prints and writes, never by the
// engine that samples and summarizes.
struct OutputDisplay {
    bool percent = false;       // print as a percentage (a growth rate, say)
    HistogramAxis histogram = HistogramAxis::Auto;
    int bins = 60;
    std::optional<Reference> reference;
};

// The model: what to sample and what to compute and summarize. The engine
// (run/, sensitivity/) takes a Model and nothing else of the scenario.
struct Model {
    std::vector<int> years;
    std::uint64_t samples = 100000;
    std::uint64_t seed = 1;
    std::string sampling = "mc";    // "mc", "lhs" or "sobol", as written
    Sampling design = Sampling::MonteCarlo;
    std::uint64_t replicates = 8;   // sobol: independent randomized replicates
    std::vector<InputSpec> inputs;  // in the order they are drawn (sorted by name)
    std::optional<Correlation> correlation;
    std::vector<OutputSpec> outputs;
    formula::Program program;
    std::vector<ObservationSpec> observations;  // [observations.*], in file order
};

// The display settings of every output, in Model::outputs' order.
struct Presentation {
    std::vector<OutputDisplay> outputs;
    std::vector<PlotSpec> plots;  // [plots.*], in file order
};

// A scenario file loaded: its model, where it came from (name, text,
// overrides: recorded in every result) and how its outputs are shown.
struct Scenario : Model {
    std::string name;
    std::string title;
    std::string description;
    std::string source_file;        // as given by the user, for messages
    std::string text;               // the scenario file's full text, as read
    std::vector<std::string> overrides;  // the --set KEY=VALUE pairs, in order
    Presentation presentation;

    [[nodiscard]] const Model& model() const { return *this; }
    [[nodiscard]] const OutputDisplay& display(std::size_t output) const { return presentation.outputs.at(output); }
};

}  // namespace flopcast::scenario
