#include "engine/output/summary_datasets.hpp"

#include <iterator>
#include <vector>

#include "engine/formula/program.hpp"

namespace flopcast::output {

void write_output_attributes(Writer& w, hid_t g, const scenario::Scenario& s, std::size_t k, bool yearly) {
    const auto& spec = s.outputs[k];
    const auto& shown = s.display(k);
    w.string_attr(g, "units", spec.units);
    w.string_attr(g, "description", spec.description);
    w.string_attr(g, "shape", yearly ? "yearly" : "scalar");
    w.string_attr(g, "display", shown.percent ? "percent" : "number");
    w.string_attr(g, "formula", s.program.is_input(spec.quantity) ? "" : s.program.parsed_text(spec.quantity));
    if (shown.reference) {
        w.number_attr(g, "reference", shown.reference->value);
        if (shown.reference->year) w.number_attr(g, "reference_year", static_cast<std::int64_t>(*shown.reference->year));
        w.string_attr(g, "reference_label", shown.reference->label);
    }
}

void write_moment_datasets(Writer& w, hid_t g, bool yearly, std::size_t n,
                           const std::function<SeriesSummary(std::size_t)>& row,
                           const std::function<double(std::size_t, double)>& quantile) {
    const std::vector<double> levels(std::begin(kQuantileLevels), std::end(kQuantileLevels));
    const std::size_t q = levels.size();
    std::vector<double> mean(n), sd(n), se(n), mn(n), mx(n), quant(q * n);
    std::vector<std::uint64_t> count(n);
    for (std::size_t t = 0; t < n; ++t) {
        const SeriesSummary r = row(t);
        mean[t] = r.mean;
        sd[t] = r.std_dev;
        se[t] = r.std_error;
        mn[t] = r.min;
        mx[t] = r.max;
        count[t] = r.count;
        for (std::size_t i = 0; i < q; ++i) quant[i * n + t] = quantile(t, levels[i]);
    }
    const std::vector<hsize_t> shape = yearly ? std::vector<hsize_t>{n} : std::vector<hsize_t>{};
    w.dataset(g, "mean", shape, mean.data());
    w.dataset(g, "std", shape, sd.data());
    w.dataset(g, "stderr", shape, se.data());
    w.dataset(g, "min", shape, mn.data());
    w.dataset(g, "max", shape, mx.data());
    w.dataset(g, "count", shape, count.data());
    w.dataset(g, "quantiles", yearly ? std::vector<hsize_t>{q, n} : std::vector<hsize_t>{q}, quant.data());
}

}  // namespace flopcast::output
