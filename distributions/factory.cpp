#include "distributions/factory.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "distributions/clipped.hpp"
#include "distributions/constant.hpp"
#include "distributions/detail.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/normal.hpp"
#include "distributions/triangular.hpp"
#include "distributions/uniform.hpp"

namespace flopcast::dist {

namespace {

// The list parameter every kind accepts.
constexpr std::string_view clip_key = "clip";

using Names = std::vector<std::string_view>;

// A kind: its scalar parameters (in the order messages list them), its
// alternative parametrizations (sets of those names; exactly one must be given,
// completely) and a builder given the index of the chosen parametrization.
struct Kind {
    std::string_view name;
    Names parameters;
    std::vector<Names> parametrizations;
    std::unique_ptr<Distribution> (*build)(std::size_t chosen, const ParamSet& params);
};

// Only called for the names of the chosen parametrization, all present.
double get(const ParamSet& params, std::string_view key) {
    return params.scalars.find(key)->second;
}

std::string join(const Names& names, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += separator;
        out += names[i];
    }
    return out;
}

const std::vector<Kind>& catalogue() {
    static const std::vector<Kind> kinds = {
        {"constant",
         {"value"},
         {{"value"}},
         [](std::size_t, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Constant>(get(p, "value"));
         }},
        {"lognormal",
         {"mu", "sigma", "median", "p5", "p95"},
         {{"mu", "sigma"}, {"median", "p95"}, {"p5", "p95"}, {"median", "p5", "p95"}},
         [](std::size_t chosen, const ParamSet& p) -> std::unique_ptr<Distribution> {
             switch (chosen) {
                 case 0:
                     return std::make_unique<Lognormal>(get(p, "mu"), get(p, "sigma"));
                 case 1:
                     return std::make_unique<Lognormal>(
                         Lognormal::from_median_p95(get(p, "median"), get(p, "p95")));
                 case 2:
                     return std::make_unique<Lognormal>(
                         Lognormal::from_p5_p95(get(p, "p5"), get(p, "p95")));
                 default:
                     return std::make_unique<Lognormal>(Lognormal::from_median_p5_p95(
                         get(p, "median"), get(p, "p5"), get(p, "p95")));
             }
         }},
        {"normal",
         {"mean", "sd", "p5", "p95"},
         {{"mean", "sd"}, {"p5", "p95"}},
         [](std::size_t chosen, const ParamSet& p) -> std::unique_ptr<Distribution> {
             if (chosen == 0) return std::make_unique<Normal>(get(p, "mean"), get(p, "sd"));
             return std::make_unique<Normal>(Normal::from_p5_p95(get(p, "p5"), get(p, "p95")));
         }},
        {"triangular",
         {"min", "mode", "max"},
         {{"min", "mode", "max"}},
         [](std::size_t, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Triangular>(get(p, "min"), get(p, "mode"), get(p, "max"));
         }},
        {"uniform",
         {"min", "max"},
         {{"min", "max"}},
         [](std::size_t, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Uniform>(get(p, "min"), get(p, "max"));
         }},
    };
    return kinds;
}

// "[0, 0.65]"
std::string show(const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += detail::exact(values[i]);
    }
    return out + "]";
}

// Every parameter name the kind accepts.
Names accepted(const Kind& kind) {
    Names names = kind.parameters;
    names.push_back(clip_key);
    return names;
}

// "(mu, sigma), (median, p95), (p5, p95) or (median, p5, p95)"
std::string alternatives(const Kind& kind) {
    std::string out;
    const std::size_t n = kind.parametrizations.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += i + 1 == n ? " or " : ", ";
        out += "(" + join(kind.parametrizations[i], ", ") + ")";
    }
    return out;
}

// Refuses any key the kind does not know, and known keys of the wrong shape.
void check_keys(const Kind& kind, const ParamSet& params) {
    const Names names = accepted(kind);
    auto known = [&](std::string_view key) {
        return std::find(names.begin(), names.end(), key) != names.end();
    };
    auto unknown = [&](const std::string& key, const std::string& shown) {
        return ParameterError(key, "unknown parameter " + key + " (" + shown + ") for " +
                                       std::string(kind.name) + "; accepted: " + join(names, ", "));
    };
    for (const auto& [key, value] : params.scalars) {
        if (!known(key)) throw unknown(key, detail::exact(value));
        if (key == clip_key) {
            throw ParameterError(
                key, "clip (" + detail::exact(value) + ") must be a list of two numbers [lo, hi]");
        }
        detail::require_finite(key, value);
    }
    for (const auto& [key, values] : params.lists) {
        const std::string shown = show(values);
        if (!known(key)) throw unknown(key, shown);
        if (key != clip_key)
            throw ParameterError(key, key + " (" + shown + ") must be a single number, not a list");
    }
    for (const auto& [key, text] : params.strings) {
        if (!known(key)) throw unknown(key, "\"" + text + "\"");
        throw ParameterError(key, key + " (\"" + text + "\") must be a number, not text");
    }
}

// The index of the parametrization whose names are exactly the scalars given.
std::size_t choose(const Kind& kind, const ParamSet& params) {
    std::set<std::string_view> given;
    for (const auto& entry : params.scalars) given.insert(entry.first);

    std::optional<std::size_t> best;  // fewest missing names among supersets
    std::size_t best_missing = 0;
    for (std::size_t i = 0; i < kind.parametrizations.size(); ++i) {
        const Names& set = kind.parametrizations[i];
        const bool covers = std::all_of(given.begin(), given.end(), [&](std::string_view name) {
            return std::find(set.begin(), set.end(), name) != set.end();
        });
        if (!covers) continue;
        const std::size_t missing = set.size() - given.size();
        if (missing == 0) return i;
        if (!best || missing < best_missing) {
            best = i;
            best_missing = missing;
        }
    }
    const Names given_names(given.begin(), given.end());
    const std::string got = given.empty() ? "none given" : "got " + join(given_names, ", ");
    if (!best) {
        // Names from different parametrizations: no single one is to blame.
        throw ParameterError("", std::string(kind.name) + " parameters " + join(given_names, ", ") +
                                     " mix parametrizations; give exactly one of " +
                                     alternatives(kind));
    }
    std::string_view first_missing;
    for (std::string_view name : kind.parametrizations[*best]) {
        if (!given.contains(name)) {
            first_missing = name;
            break;
        }
    }
    throw ParameterError(std::string(first_missing),
                         "missing parameter " + std::string(first_missing) + ": " +
                             std::string(kind.name) + " takes " + alternatives(kind) + "; " + got);
}

}  // namespace

std::unique_ptr<Distribution> make_distribution(std::string_view kind_name,
                                                const ParamSet& params) {
    const auto& kinds = catalogue();
    const auto kind = std::find_if(kinds.begin(), kinds.end(),
                                   [&](const Kind& k) { return k.name == kind_name; });
    if (kind == kinds.end()) {
        const std::vector<std::string> names = known_kinds();
        throw ParameterError(
            "kind", "unknown distribution kind \"" + std::string(kind_name) +
                        "\"; known kinds: " + join(Names(names.begin(), names.end()), ", "));
    }
    check_keys(*kind, params);

    const auto clip = params.lists.find(clip_key);
    if (clip != params.lists.end() && clip->second.size() != 2) {
        throw ParameterError(std::string(clip_key), "clip (" + show(clip->second) +
                                                        ") must be a list of two numbers [lo, hi]");
    }

    std::unique_ptr<Distribution> built = kind->build(choose(*kind, params), params);
    if (clip == params.lists.end()) return built;
    return std::make_unique<Clipped>(std::shared_ptr<const Distribution>(std::move(built)),
                                     clip->second[0], clip->second[1]);
}

std::vector<std::string> known_kinds() {
    std::vector<std::string> names;
    for (const Kind& kind : catalogue()) names.emplace_back(kind.name);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace flopcast::dist
