// Scenario files: TOML read with toml++, checked field by field. Every error
// names the file, the line and the dotted field, and shows the offending value
// (the field readers are toml_fields.hpp's; [correlation] is
// load_correlation.cpp's, [dimensions] load_dimensions.cpp's and
// [observations] load_observations.cpp's).
#include "engine/scenario/load_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <sstream>

#include <toml++/toml.h>

#include "engine/scenario/load_correlation.hpp"
#include "engine/scenario/input_messages.hpp"
#include "engine/scenario/load_dimensions.hpp"
#include "engine/scenario/load_observations.hpp"
#include "engine/scenario/load_plots.hpp"
#include "engine/scenario/parse_toml.hpp"
#include "engine/scenario/toml_fields.hpp"

#include "distributions/factory.hpp"
#include "distributions/shorthand.hpp"

namespace flopcast::scenario {
namespace {

using namespace fields;  // toml_fields.hpp: Context, number(), string(), ...

// --- overrides ---------------------------------------------------------------

std::pair<std::string, std::string> split_override(const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ScenarioError("--set " + kv + ": expected KEY=VALUE, e.g. inputs.train_mfu.median=0.5");
    return {kv.substr(0, eq), kv.substr(eq + 1)};
}

void apply_override(toml::table& root, const std::string& file, const std::string& kv) {
    const auto [key, text] = split_override(kv);
    std::vector<std::string> parts;
    std::stringstream ss(key);
    for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
    toml::table* t = &root;
    std::string path;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        path += (path.empty() ? "" : ".") + parts[i];
        toml::node* n = t->get(parts[i]);
        if (!n || !n->is_table())
            throw ScenarioError(file + ": --set " + key + ": the scenario has no table '" + path + "'");
        t = n->as_table();
    }
    // A new field may be added to an existing table (scenario.samples, say):
    // the checks that follow refuse a name the table does not accept, so a
    // typo still fails, with the list of accepted names.
    toml::node* leaf = t->get(parts.back());
    if (path.empty() && !leaf)
        throw ScenarioError(file + ": --set " + key + ": the scenario has no table '" + parts.back() + "'");
    if (leaf && (leaf->is_table() || leaf->is_array()))
        throw ScenarioError(file + ": --set " + key + ": only single values can be set, and this is " +
                            type_name(*leaf));
    // The value is read as TOML; a bare word that is not TOML is taken as a string.
    toml::table parsed;
    try {
        parsed = toml::parse("v = " + text);
    } catch (const toml::parse_error&) {
        parsed = toml::table{{"v", text}};
    }
    toml::node* v = parsed.get("v");
    if (v->is_table() || v->is_array())
        throw ScenarioError(file + ": --set " + key + ": only single values can be set");
    t->insert_or_assign(parts.back(), *v);
}

// --- inputs -------------------------------------------------------------------

constexpr std::string_view kInputMeta[] = {"dist", "per_year", "units", "description", "year_correlation"};

// A mixture's component: a table with its own dist and parameters, read into
// a ParamSet whose strings["dist"] names the kind. Components may nest.
dist::ParamSet component_params(const Context& cx, const toml::node& node, const std::string& field) {
    const toml::table& t = table(cx, node, field);
    dist::ParamSet p;
    if (!t.get("dist")) cx.fail(&t, field, "a component needs its own dist");
    for (auto&& [k, v] : t) {
        const std::string key(k.str());
        const std::string f = field + "." + key;
        if (key == "components") {
            const toml::array* arr = v.as_array();
            if (!arr) cx.fail(&v, f, "expected an array of tables ([[...components]])");
            for (std::size_t i = 0; i < arr->size(); ++i)
                p.components.push_back(component_params(cx, *arr->get(i), f + "[" + std::to_string(i) + "]"));
        } else if (auto arr = v.as_array()) {
            std::vector<double> list;
            for (std::size_t i = 0; i < arr->size(); ++i)
                list.push_back(number(cx, *arr->get(i), f + "[" + std::to_string(i) + "]"));
            p.lists[key] = list;
        } else if (v.is_table()) {
            cx.fail(&v, f, "a component's parameters cannot vary by year");
        } else if (v.is_string()) {
            p.strings[key] = string(cx, v, f);
        } else {
            p.scalars[key] = number(cx, v, f);
        }
    }
    return p;
}

// The node a distribution's error field points at: "p95", or inside a
// mixture "components[1].p95"; the table itself when it cannot be found.
const toml::node* locate(const toml::table& t, const std::string& field) {
    const toml::node* node = &t;
    std::stringstream ss(field);
    for (std::string part; std::getline(ss, part, '.');) {
        const toml::table* tab = node->as_table();
        if (!tab) return node;
        std::size_t index = std::string::npos;
        if (const auto b = part.find('['); b != std::string::npos) {
            index = std::stoul(part.substr(b + 1));
            part = part.substr(0, b);
        }
        const toml::node* next = tab->get(part);
        if (!next) return node;
        if (index != std::string::npos) {
            const toml::array* arr = next->as_array();
            if (!arr || index >= arr->size()) return next;
            next = arr->get(index);
        }
        node = next;
    }
    return node;
}

InputSpec load_input(const Context& cx, const std::string& name, const toml::table& t,
                     const std::vector<int>& years, const std::vector<formula::Dimension>& dimensions) {
    const std::string prefix = "inputs." + name;
    InputSpec in;
    in.name = name;
    const toml::node* dist_node = t.get("dist");
    if (!dist_node) cx.fail(&t, prefix, "missing 'dist' (one of: " + [] {
        std::string s;
        for (const auto& k : dist::known_kinds()) s += (s.empty() ? "" : ", ") + k;
        return s;
    }() + ")");
    const std::string kind = string(cx, *dist_node, prefix + ".dist");
    if (auto n = t.get("per_year")) in.per_year = boolean(cx, *n, prefix + ".per_year");
    if (auto n = t.get("units")) in.units = string(cx, *n, prefix + ".units");
    if (auto n = t.get("description")) in.description = string(cx, *n, prefix + ".description");
    if (auto n = t.get("year_correlation")) {
        if (!in.per_year) cx.fail(n, prefix + ".year_correlation", "needs per_year = true");
        in.year_correlation = number(cx, *n, prefix + ".year_correlation");
        if (in.year_correlation <= -1.0 || in.year_correlation >= 1.0)
            cx.fail(n, prefix + ".year_correlation",
                    format_value(in.year_correlation) + " must be strictly between -1 and 1");
    }

    // Parameters: numbers, arrays of numbers, or (per_year only) a table with
    // one number per year: median = { 2023 = 2.0, 2024 = 2.29 }.
    const std::size_t variants = in.per_year ? years.size() : 1;
    std::vector<dist::ParamSet> params(variants);
    for (auto&& [k, v] : t) {
        const std::string key(k.str());
        if (std::find(std::begin(kInputMeta), std::end(kInputMeta), key) != std::end(kInputMeta)) continue;
        const std::string field = prefix + "." + key;
        if (key == "components") {
            const toml::array* arr = v.as_array();
            if (!arr) cx.fail(&v, field, "expected an array of tables ([[" + field + "]])");
            for (std::size_t i = 0; i < arr->size(); ++i) {
                const dist::ParamSet c = component_params(cx, *arr->get(i), field + "[" + std::to_string(i) + "]");
                for (auto& p : params) p.components.push_back(c);
            }
        } else if (auto arr = v.as_array()) {
            std::vector<double> list;
            for (std::size_t i = 0; i < arr->size(); ++i)
                list.push_back(number(cx, *arr->get(i), field + "[" + std::to_string(i) + "]"));
            for (auto& p : params) p.lists[key] = list;
        } else if (auto by_year = v.as_table()) {
            if (!in.per_year)
                cx.fail(&v, field, table_parameter_message(key, *by_year, dimensions));
            for (auto&& [yk, yv] : *by_year) {
                const std::string ys(yk.str());
                if (std::none_of(years.begin(), years.end(), [&](int y) { return std::to_string(y) == ys; }))
                    cx.fail(&yv, field + "." + ys, "not one of the scenario's years " +
                                                        std::to_string(years.front()) + "-" +
                                                        std::to_string(years.back()));
            }
            for (std::size_t i = 0; i < years.size(); ++i) {
                const toml::node* yv = by_year->get(std::to_string(years[i]));
                if (!yv) cx.fail(&v, field, "no value for " + std::to_string(years[i]));
                params[i].scalars[key] = number(cx, *yv, field + "." + std::to_string(years[i]));
            }
        } else if (v.is_string()) {
            // Text parameters (a method name, say); the distribution refuses
            // text where it expects a number, naming the field.
            for (auto& p : params) p.strings[key] = string(cx, v, field);
        } else {
            const double x = number(cx, v, field);
            for (auto& p : params) p.scalars[key] = x;
        }
    }
    for (std::size_t i = 0; i < variants; ++i) {
        try {
            in.distributions.push_back(dist::make_distribution(kind, params[i]));
        } catch (const dist::ParameterError& e) {
            const std::string year = variants > 1 ? " (" + std::to_string(years[i]) + ")" : "";
            // The message names the input; the line is the field's own when known.
            const toml::node* n = e.field().empty() ? dist_node : locate(t, e.field());
            if (n == &t) n = dist_node;
            const bool unknown = std::string_view(e.what()).starts_with("unknown parameter");
            cx.fail(n, prefix, std::string(e.what()) + year + (unknown ? input_keys_note(e.field()) : ""));
        }
    }
    return in;
}

// --- outputs ------------------------------------------------------------------

OutputSpec load_output(const Context& cx, const std::string& name, const toml::table& t,
                       const std::vector<int>& years, OutputDisplay& shown) {
    const std::string prefix = "outputs." + name;
    only_keys(cx, t, prefix + ".",
              {"units", "description", "keep", "display", "histogram", "bins", "reference",
               "reference_year", "reference_label"});
    OutputSpec out;
    out.name = name;
    if (auto n = t.get("units")) out.units = string(cx, *n, prefix + ".units");
    if (auto n = t.get("description")) out.description = string(cx, *n, prefix + ".description");
    if (auto n = t.get("keep")) out.keep = boolean(cx, *n, prefix + ".keep");
    if (auto n = t.get("display")) {
        const std::string d = string(cx, *n, prefix + ".display");
        if (d != "number" && d != "percent")
            cx.fail(n, prefix + ".display", "\"" + d + "\" is not one of \"number\", \"percent\"");
        shown.percent = d == "percent";
    }
    if (auto n = t.get("histogram")) {
        const std::string h = string(cx, *n, prefix + ".histogram");
        if (h == "log") shown.histogram = HistogramAxis::Log;
        else if (h == "linear") shown.histogram = HistogramAxis::Linear;
        else if (h == "auto") shown.histogram = HistogramAxis::Auto;
        else cx.fail(n, prefix + ".histogram", "\"" + h + "\" is not one of \"log\", \"linear\", \"auto\"");
    }
    if (auto n = t.get("bins")) {
        const auto b = integer(cx, *n, prefix + ".bins");
        if (b < 1 || b > 10000) cx.fail(n, prefix + ".bins", std::to_string(b) + " is not in 1..10000");
        shown.bins = static_cast<int>(b);
    }
    if (auto n = t.get("reference")) {
        Reference r;
        r.value = number(cx, *n, prefix + ".reference");
        if (auto y = t.get("reference_year")) {
            const auto year = integer(cx, *y, prefix + ".reference_year");
            if (std::find(years.begin(), years.end(), year) == years.end())
                cx.fail(y, prefix + ".reference_year", std::to_string(year) + " is not one of the scenario's years");
            r.year = static_cast<int>(year);
        }
        if (auto l = t.get("reference_label")) r.label = string(cx, *l, prefix + ".reference_label");
        shown.reference = r;
    } else if (t.get("reference_year") || t.get("reference_label")) {
        cx.fail(&t, prefix, "reference_year and reference_label need a reference value");
    }
    return out;
}

}  // namespace

Scenario load_scenario(std::string_view text, const std::string& file, const std::vector<std::string>& overrides) {
    toml::table root = parse_toml(text, file);  // the overrides change it
    std::set<std::string> overridden;
    for (const auto& kv : overrides) {
        apply_override(root, file, kv);
        overridden.insert(split_override(kv).first);
    }
    const DimensionedInputs dimensions = expand_dimensions(root, file);
    const Context cx(file, overridden, &dimensions.origin);

    Scenario s;
    s.source_file = file;
    s.text = std::string(text);
    s.overrides = overrides;

    only_keys(cx, root, "", {"scenario", "dimensions", "inputs", "formulas", "outputs", "correlation", "observations",
                           "plots"});

    // [scenario]
    const toml::node* sn = root.get("scenario");
    if (!sn) cx.fail(nullptr, "scenario", "missing the [scenario] table (name, first_year, last_year, ...)");
    const toml::table& st = table(cx, *sn, "scenario");
    only_keys(cx, st, "scenario.",
              {"name", "title", "description", "first_year", "last_year", "samples", "seed", "sampling",
               "replicates"});
    const toml::node* name = st.get("name");
    if (!name) cx.fail(&st, "scenario.name", "missing");
    s.name = string(cx, *name, "scenario.name");
    if (auto n = st.get("title")) s.title = string(cx, *n, "scenario.title");
    if (auto n = st.get("description")) s.description = string(cx, *n, "scenario.description");
    const toml::node* fy = st.get("first_year");
    const toml::node* ly = st.get("last_year");
    if (!fy) cx.fail(&st, "scenario.first_year", "missing");
    if (!ly) cx.fail(&st, "scenario.last_year", "missing");
    const auto first = integer(cx, *fy, "scenario.first_year");
    const auto last = integer(cx, *ly, "scenario.last_year");
    if (first < 1 || first > 100000) cx.fail(fy, "scenario.first_year", std::to_string(first) + " is not a plausible year");
    if (last < first || last - first >= 1000)
        cx.fail(ly, "scenario.last_year", std::to_string(last) + " must be at least first_year (" +
                                              std::to_string(first) + ") and under 1000 years after it");
    for (auto y = first; y <= last; ++y) s.years.push_back(static_cast<int>(y));
    if (auto n = st.get("samples")) {
        const auto v = integer(cx, *n, "scenario.samples");
        if (v < 1) cx.fail(n, "scenario.samples", std::to_string(v) + " must be at least 1");
        s.samples = static_cast<std::uint64_t>(v);
    }
    if (auto n = st.get("seed")) {
        const auto v = integer(cx, *n, "scenario.seed");
        if (v < 0) cx.fail(n, "scenario.seed", std::to_string(v) + " must not be negative");
        s.seed = static_cast<std::uint64_t>(v);
    }
    if (auto n = st.get("sampling")) {
        s.sampling = string(cx, *n, "scenario.sampling");
        if (s.sampling == "mc") s.design = Sampling::MonteCarlo;
        else if (s.sampling == "lhs") s.design = Sampling::LatinHypercube;
        else if (s.sampling == "sobol") s.design = Sampling::Sobol;
        else cx.fail(n, "scenario.sampling", "\"" + s.sampling + "\" is not one of \"mc\", \"lhs\", \"sobol\"");
    }
    if (auto n = st.get("replicates")) {
        const auto v = integer(cx, *n, "scenario.replicates");
        if (s.design != Sampling::Sobol) cx.fail(n, "scenario.replicates", "only sampling = \"sobol\" has replicates");
        if (v < 2 || v > 1024) cx.fail(n, "scenario.replicates", std::to_string(v) + " is not in 2..1024");
        s.replicates = static_cast<std::uint64_t>(v);
    }

    // [inputs.*] — drawn in name order (toml++ keeps keys sorted), so the
    // order of the file never changes the draws.
    formula::ModelSpec model;
    model.years = s.years;
    model.dimensions = dimensions.dimensions;
    const toml::node* inputs = root.get("inputs");
    if (!inputs) cx.fail(nullptr, "inputs", "missing: a scenario needs at least one uncertain input");
    for (auto&& [k, v] : table(cx, *inputs, "inputs")) {
        const std::string n(k.str());
        if (dimensions.arrays_by_name.count(n)) continue;  // drawn as its elements, n[...]
        if (v.is_string()) {
            // Squiggle's shorthand: calls_growth = "1.2 to 2.0" (a lognormal
            // with those 5th and 95th percentiles), or a plain number.
            InputSpec in;
            in.name = n;
            try {
                in.distributions.push_back(dist::from_shorthand(string(cx, v, "inputs." + n)));
            } catch (const dist::ParameterError& e) {
                cx.fail(&v, "inputs." + n, e.what());
            }
            s.inputs.push_back(std::move(in));
        } else {
            s.inputs.push_back(load_input(cx, n, table(cx, v, "inputs." + n), s.years, dimensions.dimensions));
        }
        if (!dimensions.element_inputs.count(n))
            model.inputs.push_back({n, s.inputs.back().per_year ? formula::Shape::Yearly : formula::Shape::Scalar});
    }
    for (const auto& a : dimensions.arrays) model.inputs.push_back(a);

    if (const toml::node* cn = root.get("correlation")) s.correlation = load_correlation(cx, *cn, s.inputs);
    add_within_correlations(s, dimensions, file);

    // [formulas]
    std::map<std::string, const toml::node*> formula_nodes;
    if (const toml::node* fn = root.get("formulas")) {
        for (auto&& [k, v] : table(cx, *fn, "formulas")) {
            const std::string n(k.str());
            model.formulas.push_back({n, string(cx, v, "formulas." + n)});
            formula_nodes[n] = &v;
        }
    }
    // The outputs are the only formulas read after evaluation; the others
    // stay intermediate values (formula::ModelSpec::results). Names that are
    // no formula are reported with the outputs below.
    model.results.emplace();
    if (const toml::node* on = root.get("outputs"); on && on->is_table())
        for (auto&& [k, v] : *on->as_table())
            if (formula_nodes.count(std::string(k.str()))) model.results->emplace_back(k.str());
    // Observed formulas are read after evaluation too.
    for (const auto& n : observed_names(root.get("observations")))
        if (formula_nodes.count(n) && std::find(model.results->begin(), model.results->end(), n) == model.results->end())
            model.results->push_back(n);
    try {
        s.program = formula::Program::compile(model);
    } catch (const formula::CompileError& e) {
        const std::string& f = e.formula();
        const bool is_formula = formula_nodes.count(f) > 0;
        const toml::node* n = is_formula ? formula_nodes[f] : nullptr;
        std::string field = is_formula ? "formulas." + f : (f.empty() ? "" : "inputs." + f);
        std::string msg = e.what();
        if (is_formula && e.column() > 0) msg += " (column " + std::to_string(e.column()) + " of the formula)";
        if (!is_formula && !f.empty()) {
            if (auto in = inputs->as_table()->get(f)) n = in;
        }
        cx.fail(n, field, msg, is_formula ? e.column() : 0);
    }
    for (auto& in : s.inputs) in.quantity = s.program.index_of(in.name);

    // [outputs.*]
    const toml::node* outputs = root.get("outputs");
    if (!outputs) cx.fail(nullptr, "outputs", "missing: name at least one quantity to summarize");
    // Outputs are reported in the order the file gives them (toml++ sorts keys).
    std::vector<std::pair<std::string, const toml::node*>> listed;
    for (auto&& [k, v] : table(cx, *outputs, "outputs")) listed.emplace_back(std::string(k.str()), &v);
    std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
        return a.second->source().begin.line < b.second->source().begin.line;
    });
    for (const auto& [n, node] : listed) {
        const toml::node& v = *node;
        OutputDisplay shown;
        OutputSpec o = load_output(cx, n, table(cx, v, "outputs." + n), s.years, shown);
        if (const formula::ArrayInfo* a = s.program.array(n)) {  // one output per element
            if (shown.reference) cx.fail(&v, "outputs." + n + ".reference", "'" + n + "' has dimensions: a reference is for one number; select an element in a formula of its own");
            for (auto& e : element_outputs(s, o, *a)) {
                s.outputs.push_back(std::move(e));
                s.presentation.outputs.push_back(shown);
            }
            continue;
        }
        o.quantity = s.program.index_of(n);
        if (o.quantity < 0)
            cx.fail(&v, "outputs." + n, "no input or formula is called '" + n + "'");
        if (shown.reference && shown.reference->year && s.program.shape(o.quantity) != formula::Shape::Yearly)
            cx.fail(&v, "outputs." + n + ".reference_year", "'" + n + "' has one value per trajectory, not one per year");
        s.outputs.push_back(std::move(o));
        s.presentation.outputs.push_back(shown);
    }
    if (s.outputs.empty()) cx.fail(outputs, "outputs", "empty: name at least one quantity to summarize");
    if (const toml::node* on = root.get("observations")) s.observations = load_observations(*on, s, file, overridden);
    s.presentation.plots = load_plots(root, file, overridden);
    return s;
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ScenarioError(path + ": cannot read the scenario file: it is a directory");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw ScenarioError(path + ": cannot open the scenario file");
    std::ostringstream ss;
    ss << f.rdbuf();
    if (f.bad()) throw ScenarioError(path + ": cannot read the scenario file");
    return load_scenario(ss.str(), path, overrides);
}

}  // namespace flopcast::scenario
