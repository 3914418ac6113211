#include "engine/sensitivity/catalogue.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace flopcast::sensitivity {
namespace {

template <std::size_t... I>
MethodState empty_state_of(std::size_t index, std::index_sequence<I...>) {
    using Make = MethodState (*)();
    static constexpr std::array<Make, sizeof...(I)> make = {
        +[]() -> MethodState { return MethodState(std::in_place_index<I>); }...};
    if (index >= make.size()) throw std::invalid_argument("no sensitivity method " + std::to_string(index));
    return make[index]();
}

const std::string* find(const OptionValues& values, std::string_view key) {
    const auto it = values.find(key);
    return it == values.end() ? nullptr : &it->second;
}

[[noreturn]] void not_a(std::string_view key, const std::string& text, std::string_view what) {
    throw OptionError(fmt::format("--{}: expected {}, got '{}'", key, what, text));
}

}  // namespace

std::string real_text(double v) { return fmt::format("{:a}", v); }

std::optional<std::uint64_t> get_unsigned(const OptionValues& values, std::string_view key) {
    const std::string* t = find(values, key);
    if (!t) return std::nullopt;
    if (t->empty() || t->front() == '-') not_a(key, *t, "a whole number");
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(t->c_str(), &end, 10);
    if (errno != 0 || *end != '\0') not_a(key, *t, "a whole number");
    return static_cast<std::uint64_t>(v);
}

std::optional<std::int64_t> get_integer(const OptionValues& values, std::string_view key) {
    const std::string* t = find(values, key);
    if (!t) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(t->c_str(), &end, 10);
    if (t->empty() || errno != 0 || *end != '\0') not_a(key, *t, "a whole number");
    return static_cast<std::int64_t>(v);
}

std::optional<double> get_real(const OptionValues& values, std::string_view key) {
    const std::string* t = find(values, key);
    if (!t) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(t->c_str(), &end);
    if (t->empty() || *end != '\0') not_a(key, *t, "a number");
    return v;
}

std::optional<std::string> get_text(const OptionValues& values, std::string_view key) {
    const std::string* t = find(values, key);
    if (!t) return std::nullopt;
    return *t;
}

const std::vector<const MethodRow*>& methods() {
    static const std::vector<const MethodRow*> rows = Methods::rows();
    return rows;
}

const MethodRow* find_method(std::string_view name) {
    for (const MethodRow* r : methods())
        if (r->name == name) return r;
    return nullptr;
}

std::size_t method_index(const MethodRow& row) {
    const auto& rows = methods();
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i] == &row) return i;
    throw std::invalid_argument("a sensitivity method outside the catalogue");
}

MethodState empty_state(std::size_t index) {
    return empty_state_of(index, std::make_index_sequence<std::variant_size_v<MethodState>>{});
}

}  // namespace flopcast::sensitivity
