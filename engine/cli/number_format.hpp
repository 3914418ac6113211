#pragma once
#include <optional>
#include <string>

namespace flopcast::cli {

// 3 significant digits with a thousands suffix a reader takes in at a glance:
// 2270000 -> "2.27 M", 71400 -> "71.4 k", 6.4e26 -> "6.40e+26", 0.35 -> "0.350".
[[nodiscard]] std::string human(double v);

// 0.779 -> "77.9 %".
[[nodiscard]] std::string percent(double v);

// 1000000 -> "1,000,000".
[[nodiscard]] std::string grouped(unsigned long long n);

// A count as people write one: "1000000", "1_000_000", "1,000,000" or
// "1e6" (scientific notation must be a whole number). Empty when it is none
// of these, negative, or above 2^63.
[[nodiscard]] std::optional<unsigned long long> parse_count(const std::string& text);

// A duration as people write one for an overnight job: "90" (seconds),
// "30s", "5m", "2h", "1d", "1h30m", "0.5s", in seconds. Empty when it is
// none of these (a unit unknown or repeated out of order, no number, not
// finite). Zero is a duration; options decide whether they take it.
[[nodiscard]] std::optional<double> parse_duration(const std::string& text);

}  // namespace flopcast::cli
