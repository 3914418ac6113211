#include "engine/scenario/load_correlation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace flopcast::scenario {

using namespace fields;

// [correlation]: inputs = [...] with matrix = [[...]], or pairs = [["a", "b", 0.5], ...].
Correlation load_correlation(const fields::Context& cx, const toml::node& node, const std::vector<InputSpec>& inputs) {
    const toml::table& t = table(cx, node, "correlation");
    only_keys(cx, t, "correlation.", {"inputs", "matrix", "pairs"});
    auto input_index = [&](const toml::node& n, const std::string& field) {
        const std::string name = string(cx, n, field);
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (inputs[i].name == name) {
                if (inputs[i].per_year)
                    cx.fail(&n, field, "'" + name + "' is drawn per year; correlate its years with year_correlation");
                return i;
            }
        cx.fail(&n, field, "no input is called '" + name + "'");
    };
    Correlation c;
    const toml::node* pairs = t.get("pairs");
    const toml::node* names = t.get("inputs");
    const toml::node* matrix = t.get("matrix");
    if (pairs && (names || matrix)) cx.fail(&t, "correlation", "give either pairs, or inputs with a matrix, not both");
    if (pairs) {
        const toml::array* arr = pairs->as_array();
        if (!arr) cx.fail(pairs, "correlation.pairs", "expected an array of [\"a\", \"b\", rho]");
        std::vector<std::tuple<std::size_t, std::size_t, double, const toml::node*>> entries;
        for (std::size_t p = 0; p < arr->size(); ++p) {
            const std::string field = "correlation.pairs[" + std::to_string(p) + "]";
            const toml::array* e = arr->get(p)->as_array();
            if (!e || e->size() != 3) cx.fail(arr->get(p), field, "expected [\"a\", \"b\", rho]");
            const std::size_t a = input_index(*e->get(0), field);
            const std::size_t b = input_index(*e->get(1), field);
            if (a == b) cx.fail(arr->get(p), field, "an input cannot be correlated with itself");
            entries.emplace_back(a, b, number(cx, *e->get(2), field), arr->get(p));
            for (std::size_t i : {a, b})
                if (std::find(c.inputs.begin(), c.inputs.end(), i) == c.inputs.end()) c.inputs.push_back(i);
        }
        const std::size_t k = c.inputs.size();
        c.spearman.assign(k * k, 0.0);
        for (std::size_t i = 0; i < k; ++i) c.spearman[i * k + i] = 1.0;
        auto pos = [&](std::size_t input) {
            return static_cast<std::size_t>(std::find(c.inputs.begin(), c.inputs.end(), input) - c.inputs.begin());
        };
        for (const auto& [a, b, rho, n] : entries) {
            const std::size_t i = pos(a), j = pos(b);
            if (c.spearman[i * k + j] != 0.0)
                cx.fail(n, "correlation.pairs", "the pair " + inputs[a].name + ", " + inputs[b].name + " is given twice");
            c.spearman[i * k + j] = c.spearman[j * k + i] = rho;
        }
    } else {
        if (!names || !matrix) cx.fail(&t, "correlation", "give pairs = [[\"a\", \"b\", rho], ...], or inputs = [...] with matrix = [[...], ...]");
        const toml::array* na = names->as_array();
        if (!na) cx.fail(names, "correlation.inputs", "expected an array of input names");
        for (std::size_t i = 0; i < na->size(); ++i) {
            const std::size_t idx = input_index(*na->get(i), "correlation.inputs[" + std::to_string(i) + "]");
            if (std::find(c.inputs.begin(), c.inputs.end(), idx) != c.inputs.end())
                cx.fail(na->get(i), "correlation.inputs", "'" + inputs[idx].name + "' is listed twice");
            c.inputs.push_back(idx);
        }
        const std::size_t k = c.inputs.size();
        const toml::array* rows = matrix->as_array();
        if (!rows || rows->size() != k)
            cx.fail(matrix, "correlation.matrix", "expected " + std::to_string(k) + " rows, one per input");
        for (std::size_t i = 0; i < k; ++i) {
            const toml::array* row = rows->get(i)->as_array();
            if (!row || row->size() != k)
                cx.fail(rows->get(i), "correlation.matrix[" + std::to_string(i) + "]",
                        "expected " + std::to_string(k) + " numbers");
            for (std::size_t j = 0; j < k; ++j)
                c.spearman.push_back(number(cx, *row->get(j), "correlation.matrix[" + std::to_string(i) + "][" + std::to_string(j) + "]"));
        }
    }
    if (c.inputs.size() < 2) cx.fail(&t, "correlation", "needs at least two inputs");
    try {
        c.copula = sampling::GaussianCopula::from_spearman(c.inputs.size(), c.spearman);
    } catch (const std::invalid_argument& e) {
        std::string names_list;
        for (std::size_t i : c.inputs) names_list += (names_list.empty() ? "" : ", ") + inputs[i].name;
        cx.fail(matrix ? matrix : (pairs ? pairs : &t), "correlation", std::string(e.what()) + " (inputs in order: " + names_list + ")");
    }
    return c;
}

}  // namespace flopcast::scenario
