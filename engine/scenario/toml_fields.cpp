#include "engine/scenario/toml_fields.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace flopcast::scenario::fields {

std::string format_value(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

const char* type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "a boolean";
        default: return "a date or time";
    }
}

double number(const Context& cx, const toml::node& n, const std::string& field) {
    double v = 0.0;
    if (auto i = n.as_integer()) v = static_cast<double>(i->get());
    else if (auto f = n.as_floating_point()) v = f->get();
    else cx.fail(&n, field, std::string("expected a number, found ") + type_name(n));
    if (!std::isfinite(v)) cx.fail(&n, field, "expected a finite number, found " + format_value(v));
    return v;
}

std::int64_t integer(const Context& cx, const toml::node& n, const std::string& field) {
    if (auto i = n.as_integer()) return i->get();
    if (auto f = n.as_floating_point()) {
        // 1e6 is a natural way to write a sample count; accept exact integers.
        const double v = f->get();
        if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.007199254740992e15)
            return static_cast<std::int64_t>(v);
    }
    cx.fail(&n, field, std::string("expected an integer, found ") + type_name(n));
}

std::string string(const Context& cx, const toml::node& n, const std::string& field) {
    if (auto s = n.as_string()) return s->get();
    cx.fail(&n, field, std::string("expected a string, found ") + type_name(n));
}

bool boolean(const Context& cx, const toml::node& n, const std::string& field) {
    if (auto b = n.as_boolean()) return b->get();
    cx.fail(&n, field, std::string("expected true or false, found ") + type_name(n));
}

const toml::table& table(const Context& cx, const toml::node& n, const std::string& field) {
    if (auto t = n.as_table()) return *t;
    cx.fail(&n, field, std::string("expected a table, found ") + type_name(n));
}

void only_keys(const Context& cx, const toml::table& t, const std::string& prefix,
               std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t) {
        if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        cx.fail(&v, prefix + std::string(k.str()), "unknown field; expected one of: " + list);
    }
}

}  // namespace flopcast::scenario::fields
