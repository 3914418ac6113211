#pragma once
// The scenario the plan tests build plans for: three years, two inputs; one
// yearly output (3 values a sample) and one scalar output the scenario keeps
// itself (1 value a sample). (The [scenario] table may stand anywhere.)
namespace flopcast::test {

inline const char* kPlanScenario = R"toml(
[inputs.a]
dist = "uniform"
min = 1.0
max = 2.0

[inputs.b]
dist = "uniform"
min = 1.0
max = 3.0

[scenario]
name = "plan test"
samples = 5000
seed = 11
first_year = 2023
last_year = 2025

[formulas]
yearly = "a * b * (year - 2020)"
scalar = "a + b"

[outputs.yearly]

[outputs.scalar]
keep = true
)toml";

}  // namespace flopcast::test
