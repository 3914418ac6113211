#include "engine/cli/number_format.hpp"

#include <cmath>
#include <iterator>
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

std::optional<double> parse_duration(const std::string& text) {
    // Number-unit pairs, each unit smaller than the one before: 1d2h, 1h30m,
    // 2m30s. A bare number is seconds and must stand alone.
    struct Unit {
        const char* name;
        double seconds;
    };
    static constexpr Unit kUnits[] = {{"d", 86400.0}, {"h", 3600.0}, {"m", 60.0}, {"s", 1.0}};
    if (text.empty()) return std::nullopt;
    double total = 0.0;
    std::size_t pos = 0, next_unit = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find_first_not_of("0123456789.", pos);
        const std::string number = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
        const double v = std::stod(number);
        if (end == std::string::npos) {  // no unit: seconds, alone
            if (pos != 0) return std::nullopt;
            return std::isfinite(v) ? std::optional(v) : std::nullopt;
        }
        std::size_t u = next_unit;
        while (u < std::size(kUnits) && text.compare(end, 1, kUnits[u].name) != 0) ++u;
        if (u == std::size(kUnits)) return std::nullopt;
        total += v * kUnits[u].seconds;
        next_unit = u + 1;
        pos = end + 1;
    }
    return std::isfinite(total) ? std::optional(total) : std::nullopt;
}

}  // namespace flopcast::cli
