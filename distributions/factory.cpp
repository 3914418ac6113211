// The distribution catalogue: one row per family (catalogue(), below) and the
// code that reads a row: key checks, the choice of parametrization, truncation
// and clipping, the bulk quantile. Over 500 lines on purpose: the rows are
// the file's point (adding a family is one row here and one header), and the
// readers use the row type (Kind) that lives only here; split apart they
// would need that type in a header every family's file then sees.
#include "distributions/factory.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "distributions/bernoulli.hpp"
#include "distributions/bulk_quantile.hpp"
#include "distributions/beta.hpp"
#include "distributions/clipped.hpp"
#include "distributions/constant.hpp"
#include "distributions/detail.hpp"
#include "distributions/discrete.hpp"
#include "distributions/empirical.hpp"
#include "distributions/exponential.hpp"
#include "distributions/gamma.hpp"
#include "distributions/loguniform.hpp"
#include "distributions/lognormal.hpp"
#include "distributions/mixture.hpp"
#include "distributions/normal.hpp"
#include "distributions/pert.hpp"
#include "distributions/student_t.hpp"
#include "distributions/triangular.hpp"
#include "distributions/truncated.hpp"
#include "distributions/uniform.hpp"
#include "distributions/weibull.hpp"

namespace flopcast::dist {

namespace {

// The list parameters every kind accepts, applied in this order after the
// kind is built: truncate, then clip.
constexpr std::string_view truncate_key = "truncate";
constexpr std::string_view clip_key = "clip";

using Names = std::vector<std::string_view>;

// How the parameters were given: the index of the parametrization, or
// by_quantiles with the two quantile points.
struct Choice {
    static constexpr std::size_t by_quantiles = std::numeric_limits<std::size_t>::max();
    std::size_t parametrization = 0;
    std::vector<QuantilePoint> quantiles;
};

using Builder = std::unique_ptr<Distribution> (*)(const Choice& chosen, const ParamSet& params);

// The family's bulk quantile for a distribution the row's builder made (no
// truncation or clip: bulk_quantile() adds those), or null for a family
// whose draws keep Boost.Random.
using BulkBuilder = BulkQuantile (*)(const Distribution& built);

// The built distribution as the row's class (the row built it).
template <class T>
const T& as(const Distribution& d) {
    return dynamic_cast<const T&>(d);
}

// A kind of the catalogue. A kind with only list or text parameters has one,
// empty, parametrization.
struct Kind {
    std::string_view name;
    Names parameters = {};                       // scalars, in the order messages list them
    std::vector<Names> parametrizations = {{}};  // exactly one given, completely
    Names optional = {};                         // scalars that may join any parametrization
    Names lists = {};                            // besides truncate and clip
    Names strings = {};
    bool quantiles = false;  // also "any two of median, qNN"
    Builder build = nullptr;
    BulkBuilder bulk = nullptr;
};

// ---- reading parameters ----------------------------------------------------------

// Only called for the names of the chosen parametrization, all present.
double get(const ParamSet& params, std::string_view key) {
    return params.scalars.find(key)->second;
}

double get_or(const ParamSet& params, std::string_view key, double otherwise) {
    const auto it = params.scalars.find(key);
    return it == params.scalars.end() ? otherwise : it->second;
}

std::optional<double> get_optional(const ParamSet& params, std::string_view key) {
    const auto it = params.scalars.find(key);
    if (it == params.scalars.end()) return std::nullopt;
    return it->second;
}

std::vector<double> list_or_empty(const ParamSet& params, std::string_view key) {
    const auto it = params.lists.find(key);
    return it == params.lists.end() ? std::vector<double>{} : it->second;
}

const std::vector<double>& required_list(const ParamSet& params, std::string_view key,
                                         std::string_view kind, std::string_view example) {
    const auto it = params.lists.find(key);
    if (it == params.lists.end()) {
        throw ParameterError(std::string(key), "missing parameter " + std::string(key) + ": " +
                                                   std::string(kind) + " takes " +
                                                   std::string(example));
    }
    return it->second;
}

std::string join(const Names& names, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += separator;
        out += names[i];
    }
    return out;
}

// "q10" -> 0.10, "median" -> 0.5; NN an integer 1..99 without leading zero.
std::optional<double> quantile_level(std::string_view key) {
    if (key == "median") return 0.5;
    if (key.size() < 2 || key.size() > 3 || key[0] != 'q' || key[1] == '0') return std::nullopt;
    int level = 0;
    for (char c : key.substr(1)) {
        if (c < '0' || c > '9') return std::nullopt;
        level = level * 10 + (c - '0');
    }
    return level / 100.0;
}

bool is_q_key(std::string_view key) { return key != "median" && quantile_level(key).has_value(); }

// ---- the catalogue ---------------------------------------------------------------

std::unique_ptr<Distribution> build_mixture(const Choice&, const ParamSet& p);

const std::vector<Kind>& catalogue() {
    static const std::vector<Kind> kinds = {
        {.name = "bernoulli",
         .parameters = {"p"},
         .parametrizations = {{"p"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Bernoulli>(get(p, "p"));
         }},
        {.name = "beta",
         .parameters = {"alpha", "beta"},
         .parametrizations = {{"alpha", "beta"}},
         .optional = {"min", "max"},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Beta>(get(p, "alpha"), get(p, "beta"), get_or(p, "min", 0.0),
                                           get_or(p, "max", 1.0));
         }},
        {.name = "constant",
         .parameters = {"value"},
         .parametrizations = {{"value"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Constant>(get(p, "value"));
         }},
        {.name = "discrete",
         .lists = {"values", "weights"},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             const std::vector<double>& values = required_list(
                 p, "values", "discrete", "values = [...] with optional weights = [...]");
             // Discrete reads no weights as equal weights; an empty list given
             // as such is a mistake.
             const auto weights = p.lists.find("weights");
             if (weights != p.lists.end() && weights->second.empty() && !values.empty()) {
                 throw ParameterError("weights", "weights ([]) must have " +
                                                     std::to_string(values.size()) +
                                                     " entries, one per value, not 0");
             }
             return std::make_unique<Discrete>(values, list_or_empty(p, "weights"));
         }},
        {.name = "empirical",
         .optional = {"bandwidth"},
         .lists = {"observations"},
         .strings = {"method"},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             const std::vector<double>& observations = required_list(
                 p, "observations", "empirical",
                 "observations = [...] with optional method = \"resample\" or \"kernel\"");
             Empirical::Method method = Empirical::Method::resample;
             const auto m = p.strings.find("method");
             if (m != p.strings.end()) {
                 if (m->second == "kernel") {
                     method = Empirical::Method::kernel;
                 } else if (m->second != "resample") {
                     throw ParameterError("method", "method (\"" + m->second +
                                                        "\") must be \"resample\" or \"kernel\"");
                 }
             }
             return std::make_unique<Empirical>(observations, method, get_optional(p, "bandwidth"));
         }},
        {.name = "exponential",
         .parameters = {"rate", "mean"},
         .parametrizations = {{"rate"}, {"mean"}},
         .build = [](const Choice& c, const ParamSet& p) -> std::unique_ptr<Distribution> {
             if (c.parametrization == 0) return std::make_unique<Exponential>(get(p, "rate"));
             return std::make_unique<Exponential>(Exponential::from_mean(get(p, "mean")));
         },
         .bulk = [](const Distribution& d) { return BulkQuantile(BulkQuantile::exponential, {as<Exponential>(d).rate(), 0, 0}); }},
        {.name = "gamma",
         .parameters = {"shape", "scale", "rate"},
         .parametrizations = {{"shape", "scale"}, {"shape", "rate"}},
         .build = [](const Choice& c, const ParamSet& p) -> std::unique_ptr<Distribution> {
             if (c.parametrization == 0)
                 return std::make_unique<Gamma>(get(p, "shape"), get(p, "scale"));
             return std::make_unique<Gamma>(Gamma::from_rate(get(p, "shape"), get(p, "rate")));
         }},
        {.name = "loguniform",
         .parameters = {"min", "max"},
         .parametrizations = {{"min", "max"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Loguniform>(get(p, "min"), get(p, "max"));
         },
         .bulk = [](const Distribution& d) {
             const auto& l = as<Loguniform>(d);
             return BulkQuantile(BulkQuantile::loguniform, {l.lower(), l.log_range(), l.upper()});
         }},
        {.name = "lognormal",
         .parameters = {"mu", "sigma", "median", "p5", "p95"},
         .parametrizations =
             {{"mu", "sigma"}, {"median", "p95"}, {"p5", "p95"}, {"median", "p5", "p95"}},
         .quantiles = true,
         .build = [](const Choice& c, const ParamSet& p) -> std::unique_ptr<Distribution> {
             switch (c.parametrization) {
                 case 0:
                     return std::make_unique<Lognormal>(get(p, "mu"), get(p, "sigma"));
                 case 1:
                     return std::make_unique<Lognormal>(
                         Lognormal::from_median_p95(get(p, "median"), get(p, "p95")));
                 case 2:
                     return std::make_unique<Lognormal>(
                         Lognormal::from_p5_p95(get(p, "p5"), get(p, "p95")));
                 case 3:
                     return std::make_unique<Lognormal>(Lognormal::from_median_p5_p95(
                         get(p, "median"), get(p, "p5"), get(p, "p95")));
                 default:
                     return std::make_unique<Lognormal>(
                         Lognormal::from_quantiles(c.quantiles[0], c.quantiles[1]));
             }
         },
         .bulk = [](const Distribution& d) {
             const auto& l = as<Lognormal>(d);
             return BulkQuantile(BulkQuantile::lognormal, {l.mu(), l.sigma(), 0});
         }},
        {.name = "mixture", .lists = {"weights"}, .build = build_mixture},
        {.name = "normal",
         .parameters = {"mean", "sd", "p5", "p95"},
         .parametrizations = {{"mean", "sd"}, {"p5", "p95"}},
         .quantiles = true,
         .build = [](const Choice& c, const ParamSet& p) -> std::unique_ptr<Distribution> {
             switch (c.parametrization) {
                 case 0:
                     return std::make_unique<Normal>(get(p, "mean"), get(p, "sd"));
                 case 1:
                     return std::make_unique<Normal>(
                         Normal::from_p5_p95(get(p, "p5"), get(p, "p95")));
                 default:
                     return std::make_unique<Normal>(
                         Normal::from_quantiles(c.quantiles[0], c.quantiles[1]));
             }
         },
         .bulk = [](const Distribution& d) {
             const auto& n = as<Normal>(d);
             return BulkQuantile(BulkQuantile::normal, {n.mean(), n.sd(), 0});
         }},
        {.name = "pert",
         .parameters = {"min", "mode", "max"},
         .parametrizations = {{"min", "mode", "max"}},
         .optional = {"lambda"},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Pert>(get(p, "min"), get(p, "mode"), get(p, "max"),
                                           get_or(p, "lambda", 4.0));
         }},
        {.name = "student_t",
         .parameters = {"df"},
         .parametrizations = {{"df"}},
         .optional = {"loc", "scale"},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<StudentT>(get(p, "df"), get_or(p, "loc", 0.0),
                                               get_or(p, "scale", 1.0));
         }},
        {.name = "triangular",
         .parameters = {"min", "mode", "max"},
         .parametrizations = {{"min", "mode", "max"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Triangular>(get(p, "min"), get(p, "mode"), get(p, "max"));
         },
         .bulk = [](const Distribution& d) {
             const auto& t = as<Triangular>(d);
             return BulkQuantile(BulkQuantile::triangular, {t.lower(), t.mode(), t.upper()});
         }},
        {.name = "uniform",
         .parameters = {"min", "max"},
         .parametrizations = {{"min", "max"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Uniform>(get(p, "min"), get(p, "max"));
         },
         .bulk = [](const Distribution& d) {
             const auto& u = as<Uniform>(d);
             return BulkQuantile(BulkQuantile::uniform, {u.lower(), u.upper() - u.lower(), u.upper()});
         }},
        {.name = "weibull",
         .parameters = {"shape", "scale"},
         .parametrizations = {{"shape", "scale"}},
         .build = [](const Choice&, const ParamSet& p) -> std::unique_ptr<Distribution> {
             return std::make_unique<Weibull>(get(p, "shape"), get(p, "scale"));
         },
         .bulk = [](const Distribution& d) {
             const auto& w = as<Weibull>(d);
             return BulkQuantile(BulkQuantile::weibull, {w.shape(), w.scale(), 0});
         }},
    };
    return kinds;
}

std::string kinds_list() {
    const std::vector<std::string> names = known_kinds();
    return join(Names(names.begin(), names.end()), ", ");
}

// Each component is built as a distribution of its own; its errors are
// renamed so that they point into the component.
std::unique_ptr<Distribution> build_mixture(const Choice&, const ParamSet& p) {
    std::vector<std::shared_ptr<const Distribution>> components;
    for (std::size_t i = 0; i < p.components.size(); ++i) {
        const std::string index = std::to_string(i);
        const std::string number = std::to_string(i + 1);
        ParamSet inner = p.components[i];
        const auto dist = inner.strings.find("dist");
        if (dist == inner.strings.end()) {
            throw ParameterError(
                "components[" + index + "].dist",
                "component " + number + ": missing dist (one of: " + kinds_list() + ")");
        }
        const std::string kind = dist->second;
        inner.strings.erase(dist);
        try {
            components.push_back(make_distribution(kind, inner));
        } catch (const ParameterError& e) {
            const std::string field = e.field().empty() ? "" : "." + e.field();
            throw ParameterError("components[" + index + "]" + field,
                                 "component " + number + " (" + kind + "): " + e.what());
        }
    }
    std::vector<double> weights = list_or_empty(p, "weights");
    if (weights.empty() && !p.lists.contains("weights")) weights.assign(components.size(), 1.0);
    return std::make_unique<Mixture>(std::move(components), std::move(weights));
}

// ---- checking the keys -----------------------------------------------------------

bool contains(const Names& names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
}

bool is_scalar_key(const Kind& kind, std::string_view key) {
    return contains(kind.parameters, key) || contains(kind.optional, key) ||
           (kind.quantiles && quantile_level(key));
}

bool is_list_key(const Kind& kind, std::string_view key) {
    return key == clip_key || key == truncate_key || contains(kind.lists, key);
}

// Every parameter name the kind accepts, for messages.
std::string accepted(const Kind& kind) {
    Names names = kind.parameters;
    names.insert(names.end(), kind.optional.begin(), kind.optional.end());
    if (kind.quantiles) {
        if (!contains(names, "median")) names.push_back("median");
        names.push_back("qNN (NN = 1..99)");
    }
    names.insert(names.end(), kind.lists.begin(), kind.lists.end());
    names.insert(names.end(), kind.strings.begin(), kind.strings.end());
    names.push_back(clip_key);
    names.push_back(truncate_key);
    return join(names, ", ");
}

// "(mu, sigma), (median, p95), (p5, p95) or (median, p5, p95), or any two
// quantiles among median and q1..q99"
std::string alternatives(const Kind& kind) {
    std::string out;
    const std::size_t n = kind.parametrizations.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += i + 1 == n ? " or " : ", ";
        out += "(" + join(kind.parametrizations[i], ", ") + ")";
    }
    if (!kind.optional.empty()) out += " with optional " + join(kind.optional, ", ");
    if (kind.quantiles) out += ", or any two quantiles among median and q1..q99";
    return out;
}

// Refuses any key the kind does not know, and known keys of the wrong shape.
void check_keys(const Kind& kind, const ParamSet& params) {
    auto unknown = [&](const std::string& key, const std::string& shown) {
        return ParameterError(key, "unknown parameter " + key + " (" + shown + ") for " +
                                       std::string(kind.name) + "; accepted: " + accepted(kind));
    };
    for (const auto& [key, value] : params.scalars) {
        if (is_list_key(kind, key)) {
            const std::string what = key == clip_key || key == truncate_key
                                         ? "a list of two numbers [lo, hi]"
                                         : "a list of numbers";
            throw ParameterError(key, key + " (" + detail::exact(value) + ") must be " + what);
        }
        if (contains(kind.strings, key))
            throw ParameterError(key, key + " (" + detail::exact(value) + ") must be text");
        if (!is_scalar_key(kind, key)) throw unknown(key, detail::exact(value));
        detail::require_finite(key, value);
    }
    for (const auto& [key, values] : params.lists) {
        const std::string shown = detail::exact_list(values);
        if (is_list_key(kind, key)) continue;
        if (is_scalar_key(kind, key))
            throw ParameterError(key, key + " (" + shown + ") must be a single number, not a list");
        if (contains(kind.strings, key))
            throw ParameterError(key, key + " (" + shown + ") must be text, not a list");
        throw unknown(key, shown);
    }
    for (const auto& [key, text] : params.strings) {
        if (contains(kind.strings, key)) continue;
        if (is_scalar_key(kind, key))
            throw ParameterError(key, key + " (\"" + text + "\") must be a number, not text");
        if (is_list_key(kind, key))
            throw ParameterError(key,
                                 key + " (\"" + text + "\") must be a list of numbers, not text");
        throw unknown(key, "\"" + text + "\"");
    }
    if (!params.components.empty() && kind.name != "mixture") {
        throw ParameterError("components", std::to_string(params.components.size()) +
                                               " components given, but only a mixture has "
                                               "components, not " +
                                               std::string(kind.name));
    }
}

// ---- choosing the parametrization -------------------------------------------------

// Any two of median, qNN: the quantile points, or nothing if no qNN is given
// (nor a median where it is no other parametrization's, as for normal).
std::optional<Choice> choose_quantiles(const Kind& kind, const std::set<std::string_view>& given,
                                       const ParamSet& params) {
    if (!kind.quantiles) return std::nullopt;
    const bool by_quantiles = std::any_of(given.begin(), given.end(), is_q_key) ||
                              (given.contains("median") && !contains(kind.parameters, "median"));
    if (!by_quantiles) return std::nullopt;
    const Names given_names(given.begin(), given.end());
    Choice choice{Choice::by_quantiles, {}};
    for (std::string_view key : given) {
        if (!quantile_level(key)) {
            throw ParameterError(
                "", std::string(kind.name) + " parameters " + join(given_names, ", ") +
                        " mix parametrizations; give exactly one of " + alternatives(kind));
        }
        choice.quantiles.push_back({std::string(key), *quantile_level(key), get(params, key)});
    }
    if (choice.quantiles.size() != 2) {
        throw ParameterError("", std::string(kind.name) +
                                     " by quantiles takes exactly two of median and q1..q99; got " +
                                     join(given_names, ", "));
    }
    return choice;
}

// The parametrization whose names are exactly the scalars given (optional
// scalars aside).
Choice choose(const Kind& kind, const ParamSet& params) {
    std::set<std::string_view> given;
    for (const auto& entry : params.scalars) {
        if (!contains(kind.optional, entry.first)) given.insert(entry.first);
    }
    if (auto by_quantiles = choose_quantiles(kind, given, params)) return *by_quantiles;

    std::optional<std::size_t> best;  // fewest missing names among supersets
    std::size_t best_missing = 0;
    for (std::size_t i = 0; i < kind.parametrizations.size(); ++i) {
        const Names& set = kind.parametrizations[i];
        const bool covers = std::all_of(given.begin(), given.end(),
                                        [&](std::string_view name) { return contains(set, name); });
        if (!covers) continue;
        const std::size_t missing = set.size() - given.size();
        if (missing == 0) return {i, {}};
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

// The [lo, hi] pair of a generic list key, if given.
std::optional<std::vector<double>> bounds(const ParamSet& params, std::string_view key) {
    const auto it = params.lists.find(key);
    if (it == params.lists.end()) return std::nullopt;
    if (it->second.size() != 2) {
        throw ParameterError(std::string(key), std::string(key) + " (" +
                                                   detail::exact_list(it->second) +
                                                   ") must be a list of two numbers [lo, hi]");
    }
    return it->second;
}

}  // namespace

std::unique_ptr<Distribution> make_distribution(std::string_view kind_name,
                                                const ParamSet& params) {
    const auto& kinds = catalogue();
    const auto kind = std::find_if(kinds.begin(), kinds.end(),
                                   [&](const Kind& k) { return k.name == kind_name; });
    if (kind == kinds.end()) {
        throw ParameterError("kind", "unknown distribution kind \"" + std::string(kind_name) +
                                         "\"; known kinds: " + kinds_list());
    }
    check_keys(*kind, params);
    const auto truncate = bounds(params, truncate_key);
    const auto clip = bounds(params, clip_key);

    std::unique_ptr<Distribution> built = kind->build(choose(*kind, params), params);
    if (truncate) {
        built = std::make_unique<Truncated>(std::shared_ptr<const Distribution>(std::move(built)),
                                            (*truncate)[0], (*truncate)[1]);
    }
    if (clip) {
        built = std::make_unique<Clipped>(std::shared_ptr<const Distribution>(std::move(built)),
                                          (*clip)[0], (*clip)[1]);
    }
    return built;
}

std::optional<BulkQuantile> bulk_quantile(const Distribution& d) {
    // truncate and clip wrap any kind (make_distribution): unwrapped here,
    // outermost last, so each adds its step after the inner one's.
    if (const auto* clipped = dynamic_cast<const Clipped*>(&d)) {
        auto inner = bulk_quantile(clipped->inner());
        if (inner) inner->clamp(clipped->lower(), clipped->upper());
        return inner;
    }
    if (const auto* truncated = dynamic_cast<const Truncated*>(&d)) {
        auto inner = bulk_quantile(truncated->inner());
        // The cdf values Truncated computed at construction (the same calls).
        const double f_lo = truncated->inner().cdf(truncated->lower());
        const double f_hi = truncated->inner().cdf(truncated->upper());
        if (inner && inner->truncate(f_lo, f_hi, truncated->lower(), truncated->upper()))
            return inner;
        return std::nullopt;
    }
    const auto& kinds = catalogue();
    const auto kind = std::find_if(kinds.begin(), kinds.end(), [&](const Kind& k) { return k.name == d.kind(); });
    if (kind == kinds.end() || !kind->bulk) return std::nullopt;
    return kind->bulk(d);
}

std::vector<std::string> known_kinds() {
    std::vector<std::string> names;
    for (const Kind& kind : catalogue()) names.emplace_back(kind.name);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace flopcast::dist
