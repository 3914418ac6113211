#include "engine/sensitivity/factors.hpp"

#include "engine/scenario/load_dimensions.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace flopcast::sensitivity {
namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(sep, start);
        parts.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return parts;
}

// a,b,units[us,H100]: commas inside brackets belong to an element's name.
std::vector<std::string_view> split_members(std::string_view s) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    int depth = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i < s.size() && s[i] == '[') ++depth;
        if (i < s.size() && s[i] == ']') --depth;
        if (i == s.size() || (s[i] == ',' && depth <= 0)) {
            parts.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

std::vector<std::string> input_names(const scenario::Scenario& s) {
    std::vector<std::string> names;
    for (const auto& in : s.inputs) names.push_back(in.name);
    return names;
}

}  // namespace

std::string join(const std::vector<std::string>& names, std::string_view separator) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : std::string(separator)) + n;
    return out;
}

std::vector<GroupSpec> parse_groups(std::string_view spec) {
    std::vector<GroupSpec> groups;
    for (std::string_view part : split(spec, ';')) {
        if (trim(part).empty()) continue;  // a trailing ';' is harmless
        GroupSpec g;
        if (const auto eq = part.find('='); eq != std::string_view::npos) {
            g.name = trim(part.substr(0, eq));
            if (g.name.empty()) throw FactorError("--groups: empty group name before '=' in '" + std::string(part) + "'");
            part = part.substr(eq + 1);
        }
        for (std::string_view m : split_members(part)) {
            const std::string name = trim(m);
            if (name.empty())
                throw FactorError("--groups: empty input name in '" + std::string(part) +
                                  "' (write groups as a,b;c,d or name=a,b)");
            g.members.push_back(name);
        }
        groups.push_back(std::move(g));
    }
    if (groups.empty()) throw FactorError("--groups: '" + std::string(spec) + "' names no group (write a,b;c,d or name=a,b)");
    return groups;
}

std::vector<GroupSpec> load_groups_file(const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto line = e.source().begin.line;
        throw FactorError(path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                          (e.description().find("open") != std::string_view::npos ? "cannot read the groups file"
                                                                                    : "not valid TOML: " + std::string(e.description())));
    }
    const toml::table* table = root["groups"].as_table();
    if (!table) throw FactorError(path + ": no [groups] table (expected [groups] with name = [\"input\", ...])");
    for (const auto& [key, node] : root)
        if (key.str() != "groups")
            throw FactorError(path + ":" + std::to_string(node.source().begin.line) + ": unknown table '" +
                              std::string(key.str()) + "'; a groups file holds only [groups]");
    std::vector<GroupSpec> groups;
    for (const auto& [key, node] : *table) {
        const std::string where = path + ":" + std::to_string(node.source().begin.line) + ": groups." + std::string(key.str());
        const toml::array* members = node.as_array();
        if (!members || members->empty()) throw FactorError(where + ": expected a non-empty array of input names");
        GroupSpec g{std::string(key.str()), {}};
        for (const auto& m : *members) {
            const auto* name = m.as_string();
            if (!name) throw FactorError(where + ": expected input names (strings)");
            g.members.push_back(name->get());
        }
        groups.push_back(std::move(g));
    }
    if (groups.empty()) throw FactorError(path + ": the [groups] table is empty");
    return groups;
}

bool varies(const scenario::InputSpec& in) {
    // NaN (an undefined variance) counts as varying.
    return std::any_of(in.distributions.begin(), in.distributions.end(),
                       [](const auto& d) { return !(d->variance() == 0.0); });
}

std::vector<Factor> make_factors(const scenario::Scenario& s, const std::vector<GroupSpec>& groups) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < s.inputs.size(); ++i) index[s.inputs[i].name] = i;
    const std::vector<std::string> names = input_names(s);

    // Which group each input is in (-1: its own factor).
    std::vector<long> group_of(s.inputs.size(), -1);
    std::vector<Factor> grouped;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        Factor f;
        f.grouped = true;
        if (groups[g].members.empty()) throw FactorError("--groups: group '" + groups[g].name + "' has no inputs");
        std::vector<std::string> members;  // a dimensioned input or [chip=H100]: its elements
        for (const auto& m : groups[g].members)
            for (auto& e : scenario::group_members(s, m)) members.push_back(std::move(e));
        for (const auto& m : members) {
            const auto it = index.find(m);
            if (it == index.end())
                throw FactorError("--groups: no input '" + m + "' in the scenario (inputs: " + join(names) + ")");
            if (group_of[it->second] == static_cast<long>(g))
                throw FactorError("--groups: input '" + m + "' is listed twice in one group");
            if (group_of[it->second] >= 0)
                throw FactorError("--groups: input '" + m + "' is in two groups ('" + grouped[group_of[it->second]].name +
                                  "' and '" + (groups[g].name.empty() ? join(groups[g].members, "+") : groups[g].name) + "')");
            group_of[it->second] = static_cast<long>(g);
            f.inputs.push_back(it->second);
        }
        std::sort(f.inputs.begin(), f.inputs.end());
        f.name = groups[g].name;
        if (f.name.empty()) {
            std::vector<std::string> members;
            for (std::size_t i : f.inputs) members.push_back(s.inputs[i].name);
            f.name = join(members, "+");
        }
        if (std::none_of(f.inputs.begin(), f.inputs.end(), [&](std::size_t i) { return varies(s.inputs[i]); }))
            throw FactorError("--groups: group '" + f.name + "' holds only inputs that cannot vary (constants)");
        grouped.push_back(std::move(f));
    }

    std::vector<Factor> factors;
    for (std::size_t i = 0; i < s.inputs.size(); ++i) {
        if (group_of[i] >= 0) {
            Factor& g = grouped[group_of[i]];
            if (g.inputs.front() == i) factors.push_back(g);  // placed at its first member
        } else if (varies(s.inputs[i])) {
            factors.push_back(Factor{s.inputs[i].name, {i}, false});
        }
    }
    // A group named like an input outside it would make `inputs` ambiguous.
    for (const auto& f : factors) {
        if (!f.grouped) continue;
        const auto it = index.find(f.name);
        if (it != index.end() && std::find(f.inputs.begin(), f.inputs.end(), it->second) == f.inputs.end())
            throw FactorError("--groups: group name '" + f.name + "' is the name of an input outside the group; choose another");
        for (const auto& o : factors)
            if (&o != &f && o.name == f.name) throw FactorError("--groups: two groups are named '" + f.name + "'");
    }
    if (factors.empty()) throw FactorError(s.source_file + ": no input of the scenario varies; there is nothing to analyse");
    return factors;
}

std::vector<std::string> fixed_inputs(const scenario::Model& s, const std::vector<Factor>& factors) {
    std::vector<bool> used(s.inputs.size(), false);
    for (const auto& f : factors)
        for (std::size_t i : f.inputs) used[i] = true;
    std::vector<std::string> fixed;
    for (std::size_t i = 0; i < s.inputs.size(); ++i)
        if (!used[i]) fixed.push_back(s.inputs[i].name);
    return fixed;
}

void require_independent_factors(const scenario::Model& s, const std::vector<Factor>& factors,
                                 std::string_view method) {
    if (!s.correlation) return;
    std::vector<long> factor_of(s.inputs.size(), -1);
    for (std::size_t f = 0; f < factors.size(); ++f)
        for (std::size_t i : factors[f].inputs) factor_of[i] = static_cast<long>(f);
    const auto& c = *s.correlation;
    const std::size_t k = c.inputs.size();
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b) {
            if (c.spearman[a * k + b] == 0.0) continue;
            const std::size_t ia = c.inputs[a], ib = c.inputs[b];
            if (factor_of[ia] == factor_of[ib]) continue;
            throw FactorError(std::string(method) + " assumes independent inputs, but the scenario's [correlation] gives " +
                              s.inputs[ia].name + " and " + s.inputs[ib].name + " a rank correlation of " +
                              fmt::format("{:g}", c.spearman[a * k + b]) + ": put correlated inputs in one factor with --groups \"" +
                              s.inputs[ia].name + "," + s.inputs[ib].name +
                              "\", or use --method correlation (which works with correlated inputs)");
        }
}

}  // namespace flopcast::sensitivity
