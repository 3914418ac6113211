#pragma once
// The variants of a sweep: named sets of `--set KEY=VALUE` overrides, from
// `--grid KEY=V1,V2,...` options (every combination) or from a variants file
// (docs/overnight.md, "Sweeps"). Nothing here knows what the keys mean: each
// variant is checked by loading the scenario with its overrides.
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::batch {

// One overridden value of a variant: the dotted key and the value as TOML
// text, exactly as `--set KEY=VALUE` takes it.
struct Setting {
    std::string key;
    std::string value;
    int line = 0;  // in the variants file; 0 for --grid
};

struct Variant {
    std::string name;
    std::vector<Setting> settings;  // in the order they are applied
    int line = 0;                   // of the variant's table; 0 for --grid

    // "key=value" strings, for scenario::load_scenario's overrides.
    [[nodiscard]] std::vector<std::string> overrides() const;
};

// One --grid option, KEY=V1,V2,...: values split at commas outside double
// quotes. Throws ScenarioError naming the option.
struct GridAxis {
    std::string key;
    std::vector<std::string> values;
};
[[nodiscard]] GridAxis parse_grid_option(std::string_view option);

// Every combination of the axes, the first axis varying slowest (nested loops
// in the order given). Names are "key=value,key=value", each key shortened to
// the shortest dotted tail of at least two parts that the other axes' keys do
// not end with (inputs.train_mfu.median -> train_mfu.median). Throws ScenarioError
// when an axis repeats a key or the grid is empty.
[[nodiscard]] std::vector<Variant> grid_variants(const std::vector<GridAxis>& axes);

// Reads a variants file:
//
//   [variants.low_mfu]
//   inputs.train_mfu.median = 0.3
//
//   [variants.high_mfu]
//   inputs.train_mfu.median = 0.5
//   inputs.train_mfu.p95 = 0.8
//
// Variants are kept in file order; a variant's keys are its values' dotted
// paths. Throws ScenarioError as "file:line: field: message".
[[nodiscard]] std::vector<Variant> load_variants(std::string_view text, const std::string& file);
[[nodiscard]] std::vector<Variant> load_variants_file(const std::string& path);

// The keys any variant sets, in order of first appearance: the columns of
// the sweep's table.
[[nodiscard]] std::vector<std::string> swept_keys(const std::vector<Variant>& variants);

// The value a variant gives `key`, or "" when it leaves it alone.
[[nodiscard]] std::string value_of(const Variant& v, const std::string& key);

// A TOML scalar written back as TOML text that reads as the same value.
// Used for the values of a variants file; exposed for tests.
[[nodiscard]] std::string toml_text_of_double(double v);

}  // namespace flopcast::batch
