// [dimensions] and dimensioned inputs: one ordinary input per element.
#include "engine/scenario/load_dimensions.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::scenario {
namespace {

[[noreturn]] void fail(const std::string& file, const toml::node* node, const std::string& field,
                       const std::string& message) {
    std::string where = file;
    if (node && node->source().begin.line > 0)
        where += ":" + std::to_string(node->source().begin.line) + ":" + std::to_string(node->source().begin.column);
    throw ScenarioError(where + ": " + field + ": " + message);
}

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// { 2024 = 1.0, 2025 = 2.0 }: a per-year value, which is a plain value as
// far as dimensions go.
bool is_year_table(const toml::node& n) {
    const toml::table* t = n.as_table();
    if (!t || t->empty()) return false;
    for (auto&& [k, v] : *t)
        if (k.str().empty() || !std::all_of(k.str().begin(), k.str().end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
    return true;
}

std::string list(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v) s += (s.empty() ? "" : ", ") + e;
    return s;
}

constexpr std::string_view kMeta[] = {"dist", "per_year", "units", "description", "year_correlation", "components"};

}  // namespace

DimensionedInputs expand_dimensions(toml::table& root, const std::string& file) {
    DimensionedInputs out;
    if (const toml::node* dn = root.get("dimensions")) {
        const toml::table* dt = dn->as_table();
        if (!dt) fail(file, dn, "dimensions", "expected a table of name = [\"element\", ...]");
        // toml++ keeps keys sorted; the declaration order is the file's.
        std::vector<std::pair<std::string, const toml::node*>> declared;
        for (auto&& [k, v] : *dt) declared.emplace_back(std::string(k.str()), &v);
        std::stable_sort(declared.begin(), declared.end(), [](const auto& a, const auto& b) {
            const auto& x = a.second->source().begin;
            const auto& y = b.second->source().begin;
            return x.line != y.line ? x.line < y.line : x.column < y.column;
        });
        for (const auto& [name, node] : declared) {
            const std::string field = "dimensions." + name;
            if (!is_identifier(name)) fail(file, node, field, "a dimension's name must be an identifier (letters, digits, _)");
            const toml::array* arr = node->as_array();
            if (!arr || arr->empty()) fail(file, node, field, "expected a non-empty array of element names, e.g. [\"A100\", \"H100\"]");
            formula::Dimension d{name, {}};
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const toml::node* e = arr->get(i);
                const std::string ef = field + "[" + std::to_string(i) + "]";
                if (!e->is_string()) fail(file, e, ef, "expected an element name in quotes");
                const std::string el = e->as_string()->get();
                if (!is_identifier(el))
                    fail(file, e, ef, "\"" + el + "\" is not an identifier: element names are letters, digits and _, "
                                                  "starting with a letter (they are written bare in x[" + name + "=...])");
                if (std::find(d.elements.begin(), d.elements.end(), el) != d.elements.end())
                    fail(file, e, ef, "\"" + el + "\" is listed twice");
                d.elements.push_back(el);
            }
            out.dimensions.push_back(std::move(d));
        }
    }
    toml::node* in_node = root.get("inputs");
    if (!in_node || !in_node->is_table()) return out;
    toml::table& inputs = *in_node->as_table();
    std::vector<std::string> names;
    for (auto&& [k, v] : inputs)
        if (v.is_table() && v.as_table()->get("over")) names.emplace_back(k.str());
    for (const std::string& name : names) {
        const toml::table& t = *inputs.get(name)->as_table();
        const std::string prefix = "inputs." + name;
        const toml::node* over_node = t.get("over");
        const toml::array* over_arr = over_node->as_array();
        if (!over_arr || over_arr->empty())
            fail(file, over_node, prefix + ".over", "expected a non-empty array of dimension names, e.g. [\"chip\"]");
        std::vector<const formula::Dimension*> over;
        formula::InputDecl decl{name, formula::Shape::Scalar, {}};
        for (std::size_t i = 0; i < over_arr->size(); ++i) {
            const toml::node* e = over_arr->get(i);
            const std::string ef = prefix + ".over[" + std::to_string(i) + "]";
            if (!e->is_string()) fail(file, e, ef, "expected a dimension name in quotes");
            const std::string dn = e->as_string()->get();
            const auto it = std::find_if(out.dimensions.begin(), out.dimensions.end(),
                                         [&](const formula::Dimension& d) { return d.name == dn; });
            if (it == out.dimensions.end()) {
                std::vector<std::string> declared;
                for (const auto& d : out.dimensions) declared.push_back(d.name);
                fail(file, e, ef, "\"" + dn + "\" is not a declared dimension (" +
                                      (declared.empty() ? std::string("the scenario has no [dimensions]")
                                                        : "declared: " + list(declared)) + ")");
            }
            if (std::find(over.begin(), over.end(), &*it) != over.end()) fail(file, e, ef, "\"" + dn + "\" is named twice");
            over.push_back(&*it);
            decl.over.push_back(dn);
        }
        if (const toml::node* py = t.get("per_year"); py && py->is_boolean() && py->as_boolean()->get())
            decl.shape = formula::Shape::Yearly;
        std::vector<std::string> over_names = decl.over;

        // Every element tuple, row-major in over's order.
        std::vector<std::vector<std::size_t>> tuples{{}};
        for (const auto* d : over) {
            std::vector<std::vector<std::size_t>> next;
            for (const auto& p : tuples)
                for (std::size_t e = 0; e < d->elements.size(); ++e) {
                    next.push_back(p);
                    next.back().push_back(e);
                }
            tuples = std::move(next);
        }
        // The parameter tables, checked once: every level keyed by exactly the
        // elements of its dimension, or a plain value for all of them.
        for (auto&& [k, v] : t) {
            const std::string key(k.str());
            if (key == "over" || key == "correlation_within" ||
                std::find(std::begin(kMeta), std::end(kMeta), key) != std::end(kMeta))
                continue;
            struct Level { const toml::node* node; std::size_t depth; std::string field; };
            std::vector<Level> stack{{&v, 0, prefix + "." + key}};
            while (!stack.empty()) {
                const Level l = stack.back();
                stack.pop_back();
                const toml::table* tab = l.node->as_table();
                if (!tab || is_year_table(*l.node)) continue;  // a plain value for this level and the ones below
                if (l.depth >= over.size())
                    fail(file, l.node, l.field,
                         "nested deeper than over = [" + list(over_names) + "]: expected a number here");
                const formula::Dimension& d = *over[l.depth];
                for (auto&& [ek, ev] : *tab)
                    if (std::find(d.elements.begin(), d.elements.end(), std::string(ek.str())) == d.elements.end())
                        fail(file, &ev, l.field + "." + std::string(ek.str()),
                             "'" + std::string(ek.str()) + "' is not an element of " + d.name + " (" + list(d.elements) +
                                 "); input " + name + ", parameter " + key);
                for (const auto& el : d.elements) {
                    const toml::node* next = tab->get(el);
                    if (!next)
                        fail(file, l.node, l.field,
                             "missing the element " + el + " of " + d.name + " (input " + name + ", parameter " + key +
                                 "): give every element, or one plain value for all");
                    stack.push_back({next, l.depth + 1, l.field + "." + el});
                }
            }
        }
        const toml::node* within = t.get("correlation_within");
        double rho = 0.0;
        if (within) {
            if (auto i = within->as_integer()) rho = static_cast<double>(i->get());
            else if (auto f = within->as_floating_point()) rho = f->get();
            else fail(file, within, prefix + ".correlation_within", "expected a number");
            if (!(rho > -1.0 && rho < 1.0))
                fail(file, within, prefix + ".correlation_within", "must be strictly between -1 and 1");
            if (decl.shape == formula::Shape::Yearly)
                fail(file, within, prefix + ".correlation_within",
                     "a per_year input's elements cannot be correlated (as for [correlation]); use year_correlation");
        }

        DimensionedInputs::Within w{name, {}, rho, within};
        for (const auto& tuple : tuples) {
            std::vector<std::string> labels;
            for (std::size_t i = 0; i < over.size(); ++i) labels.push_back(over[i]->elements[tuple[i]]);
            const std::string element = formula::element_name(name, labels);
            toml::table et;
            std::vector<std::pair<std::string, const toml::node*>> sources;
            for (auto&& [k, v] : t) {
                const std::string key(k.str());
                if (key == "over" || key == "correlation_within") continue;
                const toml::node* n = &v;
                const bool meta = std::find(std::begin(kMeta), std::end(kMeta), key) != std::end(kMeta);
                for (std::size_t i = 0; !meta && i < over.size(); ++i) {
                    if (!n->is_table() || is_year_table(*n)) break;
                    n = n->as_table()->get(labels[i]);
                }
                et.insert_or_assign(key, *n);
                sources.emplace_back(key, n);
            }
            if (inputs.get(element)) fail(file, &t, prefix, "an input is already called " + element);
            inputs.insert_or_assign(element, std::move(et));
            const toml::table* placed = inputs.get(element)->as_table();
            out.origin[placed] = &t;
            for (const auto& [key, src] : sources) out.origin[placed->get(key)] = src;
            w.elements.push_back(element);
            out.element_inputs.insert(element);
        }
        if (within) out.within.push_back(std::move(w));
        out.arrays.push_back(std::move(decl));
        out.arrays_by_name.insert(name);
    }
    return out;
}

void add_within_correlations(Scenario& s, const DimensionedInputs& d, const std::string& file) {
    if (d.within.empty()) return;
    auto index = [&](const std::string& n) {
        for (std::size_t i = 0; i < s.inputs.size(); ++i)
            if (s.inputs[i].name == n) return i;
        throw ScenarioError(file + ": internal: no input " + n);
    };
    Correlation c = s.correlation.value_or(Correlation{});
    const std::size_t old = c.inputs.size();
    std::vector<std::size_t> added;
    for (const auto& w : d.within)
        for (const auto& e : w.elements) {
            const std::size_t i = index(e);
            if (std::find(c.inputs.begin(), c.inputs.end(), i) == c.inputs.end()) c.inputs.push_back(i), added.push_back(i);
        }
    const std::size_t k = c.inputs.size();
    std::vector<double> m(k * k, 0.0);
    for (std::size_t i = 0; i < k; ++i) m[i * k + i] = 1.0;
    for (std::size_t i = 0; i < old; ++i)
        for (std::size_t j = 0; j < old; ++j) m[i * k + j] = c.spearman[i * old + j];
    auto pos = [&](std::size_t input) {
        return static_cast<std::size_t>(std::find(c.inputs.begin(), c.inputs.end(), input) - c.inputs.begin());
    };
    for (const auto& w : d.within)
        for (std::size_t a = 0; a < w.elements.size(); ++a)
            for (std::size_t b = a + 1; b < w.elements.size(); ++b) {
                const std::size_t i = pos(index(w.elements[a])), j = pos(index(w.elements[b]));
                if (m[i * k + j] != 0.0)
                    fail(file, w.node, "inputs." + w.input + ".correlation_within",
                         "the pair " + w.elements[a] + ", " + w.elements[b] + " is also given in [correlation]");
                m[i * k + j] = m[j * k + i] = w.rho;
            }
    c.spearman = std::move(m);
    try {
        c.copula = sampling::GaussianCopula::from_spearman(k, c.spearman);
    } catch (const std::invalid_argument& e) {
        fail(file, d.within.front().node, "inputs." + d.within.front().input + ".correlation_within",
             std::string(e.what()) + " (with [correlation] and every correlation_within together)");
    }
    s.correlation = std::move(c);
}

std::vector<std::string> group_members(const Model& s, const std::string& member) {
    const auto& dims = s.program.dimensions();
    if (const formula::ArrayInfo* a = s.program.array(member); a && s.program.is_input(a->quantities.front())) {
        std::vector<std::string> names;
        for (const int q : a->quantities) names.push_back(s.program.name(q));
        return names;
    }
    if (member.size() < 3 || member.front() != '[' || member.back() != ']') return {member};
    // [dim=element, ...]
    std::vector<std::pair<int, int>> wanted;  // (dimension, element)
    std::stringstream ss(member.substr(1, member.size() - 2));
    for (std::string part; std::getline(ss, part, ',');) {
        const auto eq = part.find('=');
        auto trim = [](std::string t) {
            t.erase(0, t.find_first_not_of(" \t"));
            t.erase(t.find_last_not_of(" \t") + 1);
            return t;
        };
        if (eq == std::string::npos) return {member};
        const std::string dn = trim(part.substr(0, eq)), en = trim(part.substr(eq + 1));
        int d = -1, e = -1;
        for (std::size_t i = 0; i < dims.size(); ++i)
            if (dims[i].name == dn) d = static_cast<int>(i);
        if (d < 0) return {member};
        const auto& els = dims[static_cast<std::size_t>(d)].elements;
        for (std::size_t i = 0; i < els.size(); ++i)
            if (els[i] == en) e = static_cast<int>(i);
        if (e < 0) return {member};
        wanted.emplace_back(d, e);
    }
    std::vector<std::string> names;
    for (const formula::ArrayInfo& a : s.program.arrays()) {
        if (!s.program.is_input(a.quantities.front())) continue;
        for (std::size_t k = 0; k < a.quantities.size(); ++k) {
            // Row-major over a.dims, the last fastest: the element index of each dimension.
            std::vector<int> at(dims.size(), -1);
            std::size_t rest = k;
            for (std::size_t i = a.dims.size(); i-- > 0;) {
                const std::size_t n = dims[static_cast<std::size_t>(a.dims[i])].elements.size();
                at[static_cast<std::size_t>(a.dims[i])] = static_cast<int>(rest % n);
                rest /= n;
            }
            bool match = true;
            for (const auto& [d, e] : wanted) match = match && at[static_cast<std::size_t>(d)] == e;
            if (match) names.push_back(s.program.name(a.quantities[k]));
        }
    }
    return names.empty() ? std::vector<std::string>{member} : names;
}

std::vector<OutputSpec> element_outputs(const Scenario& s, const OutputSpec& o, const formula::ArrayInfo& array) {
    std::vector<OutputSpec> out;
    for (const int q : array.quantities) {
        OutputSpec e = o;
        e.name = s.program.name(q);
        e.quantity = q;
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace flopcast::scenario
