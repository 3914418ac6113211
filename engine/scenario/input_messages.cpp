#include "engine/scenario/input_messages.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace flopcast::scenario {

std::string input_keys_note() {
    // The keys load_scenario.cpp reads itself (kInputMeta) and `over`, read by load_dimensions.cpp.
    return "; every input also takes dist, per_year, units, description, year_correlation, over";
}

std::string table_parameter_message(std::string_view key, const toml::table& values) {
    std::vector<std::string> keys;
    for (auto&& [k, v] : values) keys.emplace_back(k.str());
    const bool years = !keys.empty() && std::all_of(keys.begin(), keys.end(), [](const std::string& k) {
        return std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isdigit(c); });
    });
    if (years) return "a value per year needs per_year = true";
    std::string shown;
    for (std::size_t i = 0; i < keys.size() && i < 3; ++i) shown += (i ? ", " : "") + keys[i];
    if (keys.size() > 3) shown += ", ...";
    return "{ " + shown + " } are not years: a value per element of a dimension needs over = [\"DIM\"] on the "
           "input, DIM declared under [dimensions] with these elements (e.g. " + std::string(key) +
           " = { us = 1, eu = 2 } with over = [\"region\"] and region = [\"us\", \"eu\"])";
}

}  // namespace flopcast::scenario
