#include "engine/scenario/load_observations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "engine/scenario/scenario_error.hpp"

namespace flopcast::scenario {
namespace {

constexpr double kZ95 = 1.6448536269514722;  // standard normal 95th percentile

std::string show(double v) {
    std::ostringstream os;
    os.precision(6);
    os << v;
    return os.str();
}

// The quantity's name, and the selection inside [...] if any.
std::pair<std::string, std::string> split_selection(const std::string& of) {
    const auto b = of.find('[');
    if (b == std::string::npos || of.back() != ']') return {of, ""};
    return {of.substr(0, b), of.substr(b + 1, of.size() - b - 2)};
}

class Reader {
public:
    Reader(const std::string& file, const std::set<std::string>& overridden) : file_(file), overridden_(overridden) {}

    [[noreturn]] void fail(const toml::node* n, const std::string& field, const std::string& message) const {
        std::string where = file_;
        if (n && n->source().begin.line > 0) {
            where += ":" + std::to_string(n->source().begin.line);
        } else {
            for (const auto& key : overridden_)
                if (key == field || key.starts_with(field + ".")) {
                    where += " (--set " + key + ")";
                    break;
                }
        }
        throw ScenarioError(where + ": " + field + ": " + message);
    }
    double number(const toml::node& n, const std::string& field) const {
        double v = 0.0;
        if (auto i = n.as_integer()) v = static_cast<double>(i->get());
        else if (auto f = n.as_floating_point()) v = f->get();
        else fail(&n, field, "expected a number");
        if (!std::isfinite(v)) fail(&n, field, "expected a finite number, found " + show(v));
        return v;
    }
    std::string string(const toml::node& n, const std::string& field) const {
        if (auto s = n.as_string()) return s->get();
        fail(&n, field, "expected a string");
    }

private:
    const std::string& file_;
    const std::set<std::string>& overridden_;
};

// The one element of a dimensioned value that `selection` ("chip=H100",
// or "region=us, chip=H100" for two dimensions; the formulas' x[d=e]) picks:
// every dimension of the array must be fixed, each once, to one of its
// elements.
int select_element(const Reader& rd, const toml::node* of, const std::string& field, const formula::ArrayInfo& a,
                   const std::vector<formula::Dimension>& dims, const std::string& selection) {
    std::string names, example;
    for (int d : a.dims) {
        const auto& dim = dims.at(static_cast<std::size_t>(d));
        names += (names.empty() ? "" : ", ") + dim.name;
        example += (example.empty() ? "" : ", ") + dim.name + "=" + dim.elements.front();
    }
    const std::string hint = a.name + "[" + example + "]";
    if (selection.empty())
        rd.fail(of, field, "'" + a.name + "' has dimensions (" + names + "): observe one element, e.g. \"" + hint + "\"");
    std::vector<std::string> labels(a.dims.size());
    std::istringstream parts(selection);
    for (std::string part; std::getline(parts, part, ',');) {
        const auto trim = [](std::string t) {
            const auto b = t.find_first_not_of(' '), e = t.find_last_not_of(' ');
            return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
        };
        const auto eq = part.find('=');
        if (eq == std::string::npos)
            rd.fail(of, field, "'" + trim(part) + "' is not a selection: write dimension=element, e.g. \"" + hint + "\"");
        const std::string dim = trim(part.substr(0, eq)), element = trim(part.substr(eq + 1));
        const auto at = std::find_if(a.dims.begin(), a.dims.end(),
                                     [&](int d) { return dims.at(static_cast<std::size_t>(d)).name == dim; });
        if (at == a.dims.end())
            rd.fail(of, field, "'" + a.name + "' has no dimension '" + dim + "' (its dimensions: " + names + ")");
        const std::size_t i = static_cast<std::size_t>(at - a.dims.begin());
        const auto& elements = dims.at(static_cast<std::size_t>(*at)).elements;
        if (std::find(elements.begin(), elements.end(), element) == elements.end()) {
            std::string list;
            for (const auto& el : elements) list += (list.empty() ? "" : ", ") + el;
            rd.fail(of, field, "'" + element + "' is not an element of " + dim + " (" + list + ")");
        }
        if (!labels[i].empty()) rd.fail(of, field, "dimension " + dim + " is selected twice");
        labels[i] = element;
    }
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i].empty())
            rd.fail(of, field, "select an element of every dimension of '" + a.name + "' (" + names +
                                   "): one world has one value of it per element, e.g. \"" + hint + "\"");
    // Row-major over the array's dimensions, the last fastest (ArrayInfo).
    std::size_t index = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const auto& elements = dims.at(static_cast<std::size_t>(a.dims[i])).elements;
        index = index * elements.size() +
                static_cast<std::size_t>(std::find(elements.begin(), elements.end(), labels[i]) - elements.begin());
    }
    return a.quantities.at(index);
}

ObservationSpec load_one(const Reader& rd, const std::string& name, const toml::table& t, const Scenario& s) {
    const std::string prefix = "observations." + name;
    ObservationSpec o;
    o.name = name;
    o.line = static_cast<int>(t.source().begin.line);
    static constexpr std::string_view kAllowed[] = {"of", "year", "dist", "median", "p5", "p95", "mean", "sd",
                                                    "min", "max", "description"};
    for (auto&& [k, v] : t)
        if (std::find(std::begin(kAllowed), std::end(kAllowed), k.str()) == std::end(kAllowed))
            rd.fail(&v, prefix + "." + std::string(k.str()),
                    "unknown field; expected one of: of, year, dist, median, p5, p95, mean, sd, min, max, description");
    if (auto d = t.get("description")) o.description = rd.string(*d, prefix + ".description");

    // What is observed.
    const toml::node* of = t.get("of");
    if (!of) rd.fail(&t, prefix + ".of", "missing: the input, formula or output observed");
    o.of = rd.string(*of, prefix + ".of");
    const auto [quantity, selection] = split_selection(o.of);
    o.selection = selection;
    o.quantity = s.program.index_of(quantity);
    if (o.quantity < 0 && !s.program.array(quantity))
        rd.fail(of, prefix + ".of", "no input, formula or output is called '" + quantity + "'");
    if (const formula::ArrayInfo* a = s.program.array(quantity)) {
        o.quantity = select_element(rd, of, prefix + ".of", *a, s.program.dimensions(), o.selection);
    } else if (!o.selection.empty()) {
        rd.fail(of, prefix + ".of",
                "'" + quantity + "' has no dimensions, so the selection [" + o.selection + "] selects nothing");
    }
    if (!s.program.is_readable(o.quantity))
        rd.fail(of, prefix + ".of", "'" + quantity + "' cannot be observed (its values are not kept)");
    const bool yearly = s.program.shape(o.quantity) == formula::Shape::Yearly;
    const toml::node* year = t.get("year");
    if (yearly && !year)
        rd.fail(&t, prefix + ".year", "'" + quantity + "' has a value per year: say which year was observed (" +
                                          std::to_string(s.years.front()) + "-" + std::to_string(s.years.back()) + ")");
    if (!yearly && year) rd.fail(year, prefix + ".year", "'" + quantity + "' has one value per world, not one per year");
    if (year) {
        const auto yi = year->as_integer();
        if (!yi) rd.fail(year, prefix + ".year", "expected an integer year");
        const auto it = std::find(s.years.begin(), s.years.end(), static_cast<int>(yi->get()));
        if (it == s.years.end() || yi->get() != static_cast<std::int64_t>(static_cast<int>(yi->get())))
            rd.fail(year, prefix + ".year", std::to_string(yi->get()) + " is not one of the scenario's years " +
                                                std::to_string(s.years.front()) + "-" + std::to_string(s.years.back()));
        o.year = *it;
        o.year_index = static_cast<std::size_t>(it - s.years.begin());
    }

    // What the evidence says.
    const toml::node* dn = t.get("dist");
    if (!dn) rd.fail(&t, prefix + ".dist", "missing (one of: lognormal, normal, between)");
    o.dist = rd.string(*dn, prefix + ".dist");
    auto get = [&](const char* key) -> std::optional<double> {
        if (auto n = t.get(key)) return rd.number(*n, prefix + "." + key);
        return std::nullopt;
    };
    auto node = [&](const char* key) { return t.get(key) ? t.get(key) : &t; };
    auto refuse_others = [&](std::initializer_list<const char*> allowed) {
        for (const char* key : {"median", "p5", "p95", "mean", "sd", "min", "max"})
            if (t.get(key) && std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return std::string_view(a) == key; }))
                rd.fail(t.get(key), prefix + "." + key, "not a parameter of dist = \"" + o.dist + "\"");
    };
    const auto median = get("median"), p5 = get("p5"), p95 = get("p95"), mean = get("mean"), sd = get("sd"),
               lo = get("min"), hi = get("max");
    if (o.dist == "lognormal") {
        o.kind = EvidenceKind::Lognormal;
        refuse_others({"median", "p5", "p95"});
        if (!p5 || !p95) rd.fail(&t, prefix, "a lognormal observation needs p5 and p95 (and optionally its median)");
        if (!(*p5 > 0)) rd.fail(node("p5"), prefix + ".p5", show(*p5) + " must be positive for a lognormal");
        if (!(*p5 < *p95)) rd.fail(node("p95"), prefix + ".p95", "p95 (" + show(*p95) + ") must be above p5 (" + show(*p5) + ")");
        if (median && !(*p5 < *median && *median < *p95))
            rd.fail(node("median"), prefix + ".median", show(*median) + " must lie between p5 (" + show(*p5) +
                                                            ") and p95 (" + show(*p95) + ")");
        // As inputs do (distributions/lognormal.cpp): the median is kept, the
        // spread is that of p5..p95.
        o.sigma = (std::log(*p95) - std::log(*p5)) / (2 * kZ95);
        o.mu = median ? std::log(*median) : 0.5 * (std::log(*p5) + std::log(*p95));
        if (!(o.sigma > 0)) rd.fail(node("p95"), prefix + ".p95", "too close to p5 to define a spread");
    } else if (o.dist == "normal") {
        o.kind = EvidenceKind::Normal;
        refuse_others({"mean", "sd", "p5", "p95"});
        if (sd && (p5 || p95)) rd.fail(node("sd"), prefix + ".sd", "give sd, or p5 and p95, not both");
        if (sd) {
            if (!mean) rd.fail(&t, prefix + ".mean", "missing: a normal observation with sd needs its mean");
            if (!(*sd > 0)) rd.fail(node("sd"), prefix + ".sd", show(*sd) + " must be positive");
            o.mu = *mean, o.sigma = *sd;
        } else {
            if (!p5 || !p95) rd.fail(&t, prefix, "a normal observation needs mean and sd, or p5 and p95");
            if (!(*p5 < *p95)) rd.fail(node("p95"), prefix + ".p95", "p95 (" + show(*p95) + ") must be above p5 (" + show(*p5) + ")");
            o.mu = mean ? *mean : 0.5 * (*p5 + *p95);
            if (mean && !(*p5 < *mean && *mean < *p95))
                rd.fail(node("mean"), prefix + ".mean", show(*mean) + " must lie between p5 and p95");
            o.sigma = (*p95 - *p5) / (2 * kZ95);
            if (!(o.sigma > 0)) rd.fail(node("p95"), prefix + ".p95", "too close to p5 to define a spread");
        }
    } else if (o.dist == "between") {
        o.kind = EvidenceKind::Between;
        refuse_others({"min", "max"});
        if (!lo || !hi) rd.fail(&t, prefix, "a between observation needs min and max");
        if (!(*lo < *hi)) rd.fail(node("max"), prefix + ".max", "max (" + show(*hi) + ") must be above min (" + show(*lo) + ")");
        o.min = *lo, o.max = *hi;
    } else {
        rd.fail(dn, prefix + ".dist", "\"" + o.dist + "\" is not one of \"lognormal\", \"normal\", \"between\"");
    }
    return o;
}

}  // namespace

std::vector<std::string> observed_names(const toml::node* observations) {
    std::vector<std::string> out;
    if (!observations || !observations->is_table()) return out;
    for (auto&& [k, v] : *observations->as_table()) {
        const toml::table* t = v.as_table();
        if (!t) continue;
        if (auto of = t->get("of"); of && of->is_string()) out.push_back(split_selection(of->as_string()->get()).first);
    }
    return out;
}

std::vector<ObservationSpec> load_observations(const toml::node& observations, const Scenario& s,
                                               const std::string& file, const std::set<std::string>& overridden) {
    const Reader rd(file, overridden);
    const toml::table* t = observations.as_table();
    if (!t) rd.fail(&observations, "observations", "expected a table of [observations.NAME] tables");
    std::vector<ObservationSpec> out;
    for (auto&& [k, v] : *t) {
        const std::string name(k.str());
        const toml::table* ot = v.as_table();
        if (!ot) rd.fail(&v, "observations." + name, "expected a table ([observations." + name + "])");
        out.push_back(load_one(rd, name, *ot, s));
    }
    // In the order the file gives them (toml++ sorts keys): the order of the
    // printed table and of the sums of log-weights.
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    return out;
}

}  // namespace flopcast::scenario
