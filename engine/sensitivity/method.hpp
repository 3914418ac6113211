#pragma once
// A sensitivity method as the command sees it: its row in the catalogue
// (name, options, what it accepts) and, once its options are parsed, a
// Method that plans blocks, runs them and turns their merged state into a
// result. The catalogue itself is catalogue.hpp; each method lives in one
// file (correlation_analysis, tornado, sobol_analysis, morris, delta_analysis).
//
// Options travel as text: `key=value` lines with numbers exact (%a for
// reals). The command line converts what the user typed to that form, and a
// shard stores it, so `flopcast merge` rebuilds the same Method from the
// same bytes the command did.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/scenario/scenario.hpp"
#include "engine/sensitivity/factors.hpp"
#include "engine/sensitivity/output_series.hpp"

namespace flopcast::sensitivity {

// How the command line reads an option's value.
enum class OptionKind {
    Count,     // a sample count: 1000000, 1_000_000, 1e6
    Unsigned,  // a whole number >= 0
    Integer,   // a whole number
    Real,      // a number
    Text,
};

// One option of a method. Methods that share an option (--samples, say)
// each list it with the same flags and key and their own help.
struct OptionSpec {
    std::string_view flags;  // CLI11 form: "-n,--samples"
    std::string_view key;    // in the options text: "samples"
    OptionKind kind = OptionKind::Text;
    std::string_view help;   // this method's use of it
};

// The options given, key -> canonical text.
using OptionValues = std::map<std::string, std::string, std::less<>>;

// A bad option value; what() names the option and the value.
class OptionError : public std::invalid_argument {
public:
    explicit OptionError(const std::string& message) : std::invalid_argument(message) {}
};

// The canonical text of values, and back. Readers throw OptionError naming
// the key when the text is not a number of the kind.
[[nodiscard]] std::string real_text(double v);  // %a: exact
[[nodiscard]] std::optional<std::uint64_t> get_unsigned(const OptionValues& values, std::string_view key);
[[nodiscard]] std::optional<std::int64_t> get_integer(const OptionValues& values, std::string_view key);
[[nodiscard]] std::optional<double> get_real(const OptionValues& values, std::string_view key);
[[nodiscard]] std::optional<std::string> get_text(const OptionValues& values, std::string_view key);

// The options every method with a summary run accepts.
inline constexpr OptionSpec kSummarySamplesOption{
    "--summary-samples", "summary_samples", OptionKind::Count,
    "Samples of the ordinary run written to /summary (default: N for sobol, 20000 otherwise)"};

// What every method is given: the analysis the command planned.
struct Analysis {
    scenario::Scenario s;
    std::vector<std::size_t> outputs;  // indices into s.outputs
    std::vector<Transform> transforms;  // per analysed output (--transform)
    std::vector<Factor> factors;
    std::uint64_t seed = 0;
    std::uint64_t summary_samples = 0;  // of the ordinary run behind /summary
    int threads = 0;
};

class Method;

// A row of the catalogue.
struct MethodRow {
    std::string_view name;               // --method NAME; /sensitivity/NAME/ in the file
    std::string_view about;              // a few words for --help
    std::vector<OptionSpec> options;     // besides --groups, --groups-file
    bool groups = false;                 // accepts --groups and --groups-file
    std::string_view independence = "";  // "Sobol analysis": needs independent factors (factors.hpp)
    // Reads the output's ranks only, so --transform changes nothing; the
    // others take log10 (and cannot rank a streamed design).
    bool rank_based = false;
    // Parses and checks the method's options (present keys only; defaults
    // otherwise). Throws OptionError naming the option and its value.
    std::unique_ptr<Method> (*build)(const OptionValues& values) = nullptr;
};

}  // namespace flopcast::sensitivity
