#pragma once
// `flopcast sensitivity` as a plan: its arguments checked against the
// scenario and turned into the analysis and the method of the catalogue that
// runs it (engine/sensitivity/catalogue.hpp), by functions that run nothing,
// so one process, a shard, the ranks of an MPI job and `flopcast merge` share
// one plan, and tests build plans from argument sets
// (tests/cli/sensitivity_plan_test.cpp).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/run/runner.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/catalogue.hpp"
#include "engine/sensitivity/factors.hpp"

namespace flopcast::cli {

struct SensitivityArgs {
    std::string scenario;  // empty: the built-in default
    std::string method;
    std::string output_file;
    std::vector<std::string> outputs;
    std::optional<int> year;
    std::vector<std::string> sets;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string groups, groups_file;
    std::vector<std::string> transforms;  // --transform: log, rank, none, or OUTPUT=one of them
    std::optional<std::uint64_t> summary_samples;
    sensitivity::OptionValues options;  // the method's options given, as canonical text
    std::size_t top = 10;
    bool quiet = false;
    bool force = false;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> shard;  // (i, N)
};

// What the command will do, once its arguments are checked: shared by one
// process, a shard, the ranks of an MPI job and `flopcast merge`.
struct SensitivityPlan {
    sensitivity::Analysis analysis;
    std::unique_ptr<sensitivity::Method> method;
};

// The catalogue's method names, in its order.
[[nodiscard]] std::vector<std::string> method_names();

// Checks the arguments against the scenario; returns the message of the
// first mistake (naming the option), or "" with `p` filled.
[[nodiscard]] std::string plan_sensitivity(const SensitivityArgs& a, scenario::Scenario s, SensitivityPlan& p);

[[nodiscard]] const sensitivity::MethodRow& row_of(const SensitivityPlan& p);
[[nodiscard]] std::string method_name(const SensitivityPlan& p);

// The options that change a result, one `key=value` line each, with numbers
// exact (%a for doubles): shards must agree on them, and `flopcast merge`
// rebuilds the analysis from them.
[[nodiscard]] std::string options_text(const SensitivityPlan& p);

// The arguments `options_text` describes; throws std::invalid_argument.
[[nodiscard]] SensitivityArgs args_from(const std::string& method, std::uint64_t seed, const std::string& text);

// The ordinary run beside the design (/summary).
[[nodiscard]] run::RunOptions summary_options(const SensitivityPlan& p);

// Where the result goes without -o: <scenario name>-<method>.h5 (the one
// rule of output_names.hpp), a shard's with -part-i-of-N before ".h5".
[[nodiscard]] std::string sensitivity_output_name(const std::string& scenario_name, const std::string& method);
[[nodiscard]] std::string sensitivity_output(const SensitivityArgs& a, const std::string& scenario_name);

}  // namespace flopcast::cli
