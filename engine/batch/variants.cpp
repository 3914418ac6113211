#include "engine/batch/variants.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "engine/scenario/parse_toml.hpp"

namespace flopcast::batch {
namespace {

[[noreturn]] void fail(const std::string& file, int line, const std::string& field, const std::string& message) {
    throw scenario::ScenarioError(fmt::format("{}{}: {}{}", file, line > 0 ? fmt::format(":{}", line) : "",
                                              field.empty() ? "" : field + ": ", message));
}

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", c);
        else out += static_cast<char>(c);
    }
    return out + "\"";
}

// The TOML text of a scalar, or "" when the node is not a scalar --set takes.
std::string scalar_text(const toml::node& n) {
    if (auto i = n.as_integer()) return std::to_string(i->get());
    if (auto f = n.as_floating_point()) return toml_text_of_double(f->get());
    if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
    if (auto s = n.as_string()) return toml_string(s->get());
    return {};
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// A variant's table flattened to dotted keys, in file order.
void flatten(const toml::table& t, const std::string& prefix, const std::string& file, const std::string& field,
             std::vector<Setting>& out) {
    for (auto&& [k, v] : t) {
        const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
        if (auto sub = v.as_table()) {
            flatten(*sub, key, file, field, out);
            continue;
        }
        const std::string text = scalar_text(v);
        if (text.empty())
            fail(file, line_of(v), field + "." + key,
                 "only single values can be set (a number, true/false or a quoted string), as with --set");
        out.push_back({key, text, line_of(v)});
    }
}

bool valid_name(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

std::string toml_text_of_double(double v) {
    std::string s = fmt::format("{}", v);
    // "3" would read back as an integer; keep it a float.
    if (s.find_first_of(".eEni") == std::string::npos) s += ".0";
    // 2e12 reads better than 2000000000000.0: the shortest exponent form that
    // reads back as the same double, when it is shorter.
    if (std::isfinite(v))
        for (int digits = 0; digits <= 17; ++digits) {
            const std::string e = fmt::format("{:.{}e}", v, digits);
            if (std::strtod(e.c_str(), nullptr) != v) continue;
            if (e.size() < s.size()) s = e;
            break;
        }
    return s;
}

std::vector<std::string> Variant::overrides() const {
    std::vector<std::string> out;
    for (const auto& s : settings) out.push_back(s.key + "=" + s.value);
    return out;
}

GridAxis parse_grid_option(std::string_view option) {
    const std::string opt(option);
    const auto eq = opt.find('=');
    if (eq == std::string::npos || eq == 0)
        throw scenario::ScenarioError("--grid " + opt + ": expected KEY=V1,V2,..., e.g. inputs.train_mfu.median=0.3,0.4,0.5");
    GridAxis axis{opt.substr(0, eq), {}};
    std::string current;
    bool quoted = false;
    const std::string rest = opt.substr(eq + 1);
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const char c = rest[i];
        if (c == '"' && (i == 0 || rest[i - 1] != '\\')) quoted = !quoted;
        if (c == ',' && !quoted) {
            axis.values.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (quoted) throw scenario::ScenarioError("--grid " + opt + ": a quoted value is not closed");
    axis.values.push_back(current);
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (axis.values[i].empty())
            throw scenario::ScenarioError("--grid " + opt + ": empty value in the list (expected KEY=V1,V2,...)");
        // Two variants of one name would collide in the file, after hours of sampling.
        if (std::find(axis.values.begin(), axis.values.begin() + static_cast<std::ptrdiff_t>(i), axis.values[i]) !=
            axis.values.begin() + static_cast<std::ptrdiff_t>(i))
            throw scenario::ScenarioError("--grid " + opt + ": the value " + axis.values[i] + " is given twice");
    }
    return axis;
}

std::vector<Variant> grid_variants(const std::vector<GridAxis>& axes) {
    if (axes.empty()) throw scenario::ScenarioError("--grid: give at least one KEY=V1,V2,...");
    std::set<std::string> seen;
    std::size_t total = 1;
    for (const auto& a : axes) {
        if (!seen.insert(a.key).second)
            throw scenario::ScenarioError("--grid " + a.key + ": the key is given twice; list all its values in one --grid");
        total *= a.values.size();
    }
    // Names use the shortest dotted tail of each key that still tells the
    // axes apart, of at least two parts: "train_mfu.median=0.3".
    std::vector<std::string> short_keys;
    for (const auto& a : axes) {
        std::string best = a.key;
        for (std::size_t dot = a.key.find('.'); dot != std::string::npos; dot = a.key.find('.', dot + 1)) {
            const std::string tail = a.key.substr(dot + 1);
            if (tail.find('.') == std::string::npos) break;
            bool unique = true;
            for (const auto& b : axes)
                if (&b != &a && (b.key == tail || b.key.ends_with("." + tail))) unique = false;
            if (unique) best = tail;
        }
        short_keys.push_back(best);
    }
    std::vector<Variant> out;
    out.reserve(total);
    for (std::size_t index = 0; index < total; ++index) {
        // index in mixed radix, the last axis varying fastest.
        Variant v;
        std::size_t rest = index;
        std::vector<std::size_t> digits(axes.size());
        for (std::size_t a = axes.size(); a-- > 0;) {
            digits[a] = rest % axes[a].values.size();
            rest /= axes[a].values.size();
        }
        for (std::size_t a = 0; a < axes.size(); ++a) {
            const std::string& value = axes[a].values[digits[a]];
            v.settings.push_back({axes[a].key, value, 0});
            v.name += (a ? "," : "") + short_keys[a] + "=" + value;
        }
        // An HDF5 group name may not hold '/'.
        std::replace(v.name.begin(), v.name.end(), '/', '_');
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<Variant> load_variants(std::string_view text, const std::string& file) {
    const toml::table root = scenario::parse_toml(text, file);
    for (auto&& [k, v] : root)
        if (k.str() != "variants")
            fail(file, line_of(v), std::string(k.str()), "unknown field; expected [variants.NAME] tables");
    const toml::node* vn = root.get("variants");
    if (!vn) fail(file, 0, "variants", "no variants: add [variants.NAME] tables of KEY = value overrides");
    const toml::table* vt = vn->as_table();
    if (!vt) fail(file, line_of(*vn), "variants", "expected tables [variants.NAME]");
    std::vector<Variant> out;
    for (auto&& [k, v] : *vt) {
        const std::string name(k.str());
        const std::string field = "variants." + name;
        const toml::table* t = v.as_table();
        if (!t) fail(file, line_of(v), field, "expected a table of KEY = value overrides");
        if (!valid_name(name)) fail(file, line_of(v), field, "a variant's name may not be empty or hold '/'");
        Variant var{name, {}, line_of(v)};
        flatten(*t, "", file, field, var.settings);
        std::stable_sort(var.settings.begin(), var.settings.end(),
                         [](const Setting& a, const Setting& b) { return a.line < b.line; });
        out.push_back(std::move(var));
    }
    if (out.empty()) fail(file, line_of(*vn), "variants", "no variants: add [variants.NAME] tables");
    // toml++ keeps keys sorted; the file's order is the one a reader expects.
    std::stable_sort(out.begin(), out.end(), [](const Variant& a, const Variant& b) { return a.line < b.line; });
    return out;
}

std::vector<Variant> load_variants_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw scenario::ScenarioError(path + ": cannot read the variants file: it is a directory");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw scenario::ScenarioError(path + ": cannot open the variants file");
    std::ostringstream ss;
    ss << f.rdbuf();
    return load_variants(ss.str(), path);
}

std::vector<std::string> swept_keys(const std::vector<Variant>& variants) {
    std::vector<std::string> keys;
    for (const auto& v : variants)
        for (const auto& s : v.settings)
            if (std::find(keys.begin(), keys.end(), s.key) == keys.end()) keys.push_back(s.key);
    return keys;
}

std::string value_of(const Variant& v, const std::string& key) {
    for (const auto& s : v.settings)
        if (s.key == key) return s.value;
    return {};
}

}  // namespace flopcast::batch
