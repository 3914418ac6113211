#include "engine/scenario/input_messages.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "engine/formula/compiler.hpp"  // edit_distance

namespace flopcast::scenario {

std::string input_keys_note(std::string_view unknown) {
    // The keys load_scenario.cpp reads itself (kInputMeta) and `over`, read by load_dimensions.cpp.
    static constexpr std::string_view keys[] = {"dist", "per_year", "units", "description", "year_correlation", "over"};
    std::string note = "; every input also takes dist, per_year, units, description, year_correlation, over";
    // One or two edits away (a third of the word at most): "unit", "descripton", "peryear".
    std::string_view nearest;
    std::size_t best = std::max<std::size_t>(1, std::min<std::size_t>(2, unknown.size() / 3)) + 1;
    for (auto k : keys)
        if (const std::size_t d = formula::edit_distance(unknown, k); d < best) best = d, nearest = k;
    if (!nearest.empty()) note += " (did you mean " + std::string(nearest) + "?)";
    return note;
}

std::string table_parameter_message(std::string_view key, const toml::table& values,
                                    const std::vector<formula::Dimension>& dimensions) {
    std::vector<std::string> keys;
    for (auto&& [k, v] : values) keys.emplace_back(k.str());
    const bool years = !keys.empty() && std::all_of(keys.begin(), keys.end(), [](const std::string& k) {
        return std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isdigit(c); });
    });
    if (years) return "a value per year needs per_year = true";
    std::string shown;
    for (std::size_t i = 0; i < keys.size() && i < 3; ++i) shown += (i ? ", " : "") + keys[i];
    if (keys.size() > 3) shown += ", ...";
    // The declared dimension all these keys are elements of, if any.
    for (const auto& d : dimensions)
        if (std::all_of(keys.begin(), keys.end(), [&](const std::string& k) {
                return std::find(d.elements.begin(), d.elements.end(), k) != d.elements.end();
            }))
            return "{ " + shown + " } are elements of the dimension " + d.name + ": give the input over = [\"" +
                   d.name + "\"] to draw one value per element";
    return "{ " + shown + " } are not years: a value per element of a dimension needs over = [\"DIM\"] on the "
           "input, DIM declared under [dimensions] with these elements (e.g. " + std::string(key) +
           " = { us = 1, eu = 2 } with over = [\"region\"] and region = [\"us\", \"eu\"])";
}

}  // namespace flopcast::scenario
