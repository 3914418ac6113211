#include "engine/cli/number_format.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace flopcast::cli {

std::string human(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    const double a = std::fabs(v);
    static constexpr struct { double scale; const char* suffix; } kUnits[] = {
        {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
    if (a >= 999.5e15 || (a > 0 && a < 1e-3)) return fmt::format("{:.2e}", v);
    // Compare after rounding to 3 digits, so 999,600 prints as 1.00 M, not 1000 k.
    for (const auto& u : kUnits)
        if (a >= 0.9995 * u.scale) {
            const double x = v / u.scale;
            return fmt::format("{:.{}f} {}", x, std::fabs(x) >= 100 ? 0 : std::fabs(x) >= 10 ? 1 : 2, u.suffix);
        }
    if (a == 0) return "0";
    return fmt::format("{:.{}f}", v, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
}

std::string percent(double v) {
    if (!std::isfinite(v)) return human(v);
    return fmt::format("{:.1f} %", 100.0 * v);
}

std::string grouped(unsigned long long n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::optional<unsigned long long> parse_count(const std::string& text) {
    std::string t;
    for (char c : text)
        if (c != '_' && c != ',') t += c;
    if (t.empty()) return std::nullopt;
    if (t.find_first_not_of("0123456789") == std::string::npos) {
        if (t.size() > 19) return std::nullopt;
        const unsigned long long v = std::stoull(t);
        return v <= (1ULL << 63) ? std::optional(v) : std::nullopt;
    }
    // 1e6, 2.5e9: a double is exact for whole numbers up to 2^53 and the
    // check below refuses anything that is not whole.
    if (t.find_first_not_of("0123456789.eE+") != std::string::npos) return std::nullopt;
    std::size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(t, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used != t.size() || !(v >= 0.0) || v > 0x1.0p63 || v != std::floor(v)) return std::nullopt;
    return static_cast<unsigned long long>(v);
}

}  // namespace flopcast::cli
