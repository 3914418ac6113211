#include "distributions/shorthand.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "distributions/constant.hpp"
#include "distributions/detail.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/normal.hpp"

namespace flopcast::dist {

namespace {

std::vector<std::string_view> words(std::string_view text) {
    std::vector<std::string_view> out;
    constexpr std::string_view blanks = " \t\r\n";
    std::size_t i = text.find_first_not_of(blanks);
    while (i != std::string_view::npos) {
        const std::size_t end = text.find_first_of(blanks, i);
        out.push_back(text.substr(i, end == std::string_view::npos ? end : end - i));
        i = text.find_first_not_of(blanks, end);
    }
    return out;
}

// The whole word as a decimal number, or nothing. from_chars takes no '+'.
std::optional<double> number(std::string_view word) {
    if (!word.empty() && word.front() == '+') word.remove_prefix(1);
    if (word.empty() || word.front() == '+') return std::nullopt;
    double value = 0;
    const auto [end, error] =
        std::from_chars(word.data(), word.data() + word.size(), value, std::chars_format::general);
    if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
    return value;
}

ParameterError not_shorthand(std::string_view text, const std::string& why) {
    return ParameterError("", "\"" + std::string(text) + "\" " + why +
                                  "; write a number (\"3\") or a 90 % interval (\"5 to 50\")");
}

}  // namespace

std::unique_ptr<Distribution> from_shorthand(std::string_view text) {
    const std::vector<std::string_view> w = words(text);
    if (w.size() == 1) {
        const auto value = number(w[0]);
        if (!value) throw not_shorthand(text, "is not a number or a range");
        if (!std::isfinite(*value)) throw not_shorthand(text, "is not a finite number");
        return std::make_unique<Constant>(*value);
    }
    if (w.size() != 3 || w[1] != "to") {
        throw not_shorthand(text, w.empty() ? "is empty" : "is not a number or a range");
    }
    const auto lower = number(w[0]);
    const auto upper = number(w[2]);
    if (!lower)
        throw not_shorthand(text, "starts with \"" + std::string(w[0]) + "\", not a number");
    if (!upper) throw not_shorthand(text, "ends with \"" + std::string(w[2]) + "\", not a number");
    if (!std::isfinite(*lower) || !std::isfinite(*upper)) {
        throw not_shorthand(text, "has a bound that is not a finite number");
    }
    if (!(*lower < *upper)) {
        throw ParameterError("", "\"" + std::string(text) + "\": the lower bound (" +
                                     detail::exact(*lower) + ") must be below the upper bound (" +
                                     detail::exact(*upper) + ")");
    }
    // The range checks of the named constructors remain (bounds too close to
    // define a spread); their messages speak of p5 and p95, so say where those
    // came from.
    try {
        if (*lower > 0) return std::make_unique<Lognormal>(Lognormal::from_p5_p95(*lower, *upper));
        return std::make_unique<Normal>(Normal::from_p5_p95(*lower, *upper));
    } catch (const ParameterError& e) {
        throw ParameterError("", "\"" + std::string(text) + "\" (read as p5 to p95): " + e.what());
    }
}

}  // namespace flopcast::dist
