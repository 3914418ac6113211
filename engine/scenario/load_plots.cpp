// [plots.NAME] tables: which outputs a chart draws, and how. Checked here so
// that a misspelt output name fails the run (file:line, exit 2) instead of
// leaving a gap in the report drawn later.
#include "engine/scenario/load_plots.hpp"

#include <algorithm>

#include "engine/formula/compiler.hpp"  // edit_distance, for "did you mean"
#include "engine/scenario/toml_fields.hpp"

namespace flopcast::scenario {
namespace {

using fields::Context;

// The declared output nearest to `name` (within a third of its length), for the message.
std::string nearest(const std::string& name, const std::vector<std::string>& names) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(1, name.size() / 3);
    for (const auto& n : names) {
        const std::size_t d = formula::edit_distance(name, n);
        if (d <= best_d && (best.empty() || d < best_d)) best = n, best_d = d;
    }
    return best;
}

PlotSpec load_plot(const Context& r, const std::string& name, const toml::node& node,
                   const std::vector<std::string>& outputs) {
    const std::string prefix = "plots." + name;
    const toml::table* t = node.as_table();
    if (!t) r.fail(&node, prefix, "expected a table: [plots." + name + "] with outputs = [\"a\", \"b\"]");
    fields::only_keys(r, *t, prefix + ".", {"title", "kind", "outputs"});
    PlotSpec p;
    p.name = name;
    if (auto n = t->get("title")) p.title = fields::string(r, *n, prefix + ".title");
    if (auto n = t->get("kind")) {
        const std::string kind = fields::string(r, *n, prefix + ".kind");
        if (kind == "lines") p.kind = PlotKind::Lines;
        else if (kind == "stacked") p.kind = PlotKind::Stacked;
        else r.fail(n, prefix + ".kind", "\"" + kind + "\" is not one of \"lines\", \"stacked\"");
    }
    const toml::node* on = t->get("outputs");
    if (!on) r.fail(t, prefix + ".outputs", "missing: the outputs to draw, e.g. outputs = [\"train_h100e\", \"infer_h100e\"]");
    const toml::array* list = on->as_array();
    if (!list || list->empty()) r.fail(on, prefix + ".outputs", "expected a non-empty array of output names");
    for (const auto& v : *list) {
        const std::string o = fields::string(r, v, prefix + ".outputs");
        if (std::find(outputs.begin(), outputs.end(), o) == outputs.end()) {
            const std::string near = nearest(o, outputs);
            r.fail(&v, prefix + ".outputs", "'" + o + "' is not an output of this scenario" +
                                                (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                                "; a plot draws names declared as [outputs.NAME]");
        }
        if (std::find(p.outputs.begin(), p.outputs.end(), o) != p.outputs.end())
            r.fail(&v, prefix + ".outputs", "'" + o + "' is listed twice");
        p.outputs.push_back(o);
    }
    return p;
}

}  // namespace

std::vector<PlotSpec> load_plots(const toml::table& root, const std::string& file,
                                 const std::set<std::string>& overridden) {
    const toml::node* pn = root.get("plots");
    if (!pn) return {};
    const Context r(file, overridden);
    const toml::table* plots = pn->as_table();
    if (!plots) r.fail(pn, "plots", "expected tables [plots.NAME]");
    std::vector<std::string> outputs;
    if (const toml::node* on = root.get("outputs"); on && on->is_table())
        for (auto&& [k, v] : *on->as_table()) outputs.emplace_back(k.str());
    // In file order, the order the report draws them in (toml++ sorts keys).
    std::vector<std::pair<std::string, const toml::node*>> listed;
    for (auto&& [k, v] : *plots) listed.emplace_back(std::string(k.str()), &v);
    std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
        return a.second->source().begin.line < b.second->source().begin.line;
    });
    std::vector<PlotSpec> out;
    for (const auto& [name, node] : listed) out.push_back(load_plot(r, name, *node, outputs));
    return out;
}

}  // namespace flopcast::scenario
