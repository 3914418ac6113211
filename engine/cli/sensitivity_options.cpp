#include "engine/cli/sensitivity_options.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/sensitivity/catalogue.hpp"

namespace flopcast::cli {

namespace sens = flopcast::sensitivity;

std::string canonical(const MethodOption& o) {
    switch (o.spec.kind) {
    case sens::OptionKind::Count: return std::to_string(o.count.value_or(0));
    case sens::OptionKind::Unsigned: return std::to_string(o.whole);
    case sens::OptionKind::Integer: return std::to_string(o.integer);
    case sens::OptionKind::Real: return sens::real_text(o.real);
    case sens::OptionKind::Text: return o.text;
    }
    return o.text;
}

// The options of every method, once each, in catalogue order. An option
// several methods take gets one help text: theirs joined, or one text and the
// methods when they say the same.
std::deque<MethodOption> method_options() {
    std::deque<MethodOption> out;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> helps;  // key -> (method, help)
    static constexpr sens::OptionSpec kGroups{"--groups", "groups", sens::OptionKind::Text,
                                              "Inputs moved as one factor: \"a,b;c,d\" or \"name=a,b;...\""};
    static constexpr sens::OptionSpec kGroupsFile{"--groups-file", "groups_file", sens::OptionKind::Text,
                                                  "TOML file with a [groups] table: name = [\"a\", \"b\"]"};
    for (const auto* row : sens::methods()) {
        std::vector<sens::OptionSpec> specs = row->options;
        if (row->groups) {
            // Before --summary-samples, as the help has always listed them.
            const auto at = std::find_if(specs.begin(), specs.end(),
                                         [](const sens::OptionSpec& o) { return o.key == "summary_samples"; });
            specs.insert(specs.insert(at, kGroups) + 1, kGroupsFile);
        }
        for (const auto& spec : specs) {
            auto it = std::find_if(out.begin(), out.end(), [&](const MethodOption& o) { return o.spec.key == spec.key; });
            if (it == out.end()) {
                MethodOption added;
                added.spec = spec;
                it = out.insert(out.end(), std::move(added));
            }
            it->methods.emplace_back(row->name);
            helps[std::string(spec.key)].emplace_back(row->name, spec.help);
        }
    }
    for (auto& o : out) {
        const auto& h = helps[std::string(o.spec.key)];
        const bool same = std::all_of(h.begin(), h.end(), [&](const auto& x) { return x.second == h.front().second; });
        std::string help;
        if (same && h.size() > 1) {
            help = h.front().second + " (" + sens::join(o.methods) + ")";
        } else {
            for (const auto& [method, text] : h) help += (help.empty() ? "" : "; ") + method + ": " + text;
        }
        o.text = help;  // the help, until the option is registered
    }
    return out;
}

}  // namespace flopcast::cli
