#include "engine/batch/manifest.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "engine/scenario/parse_toml.hpp"

namespace flopcast::batch {
namespace {

namespace fs = std::filesystem;

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const toml::node* n, const std::string& field, const std::string& message) const {
        const int line = n ? static_cast<int>(n->source().begin.line) : 0;
        throw scenario::ScenarioError(line > 0 ? fmt::format("{}:{}: {}: {}", file_, line, field, message)
                                               : fmt::format("{}: {}: {}", file_, field, message));
    }

    void only_keys(const toml::table& t, const std::string& prefix, std::initializer_list<std::string_view> allowed) const {
        for (auto&& [k, v] : t) {
            bool ok = false;
            for (auto a : allowed) ok = ok || a == k.str();
            if (ok) continue;
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            fail(&v, prefix + std::string(k.str()), "unknown field; expected one of: " + list);
        }
    }

    std::string text(const toml::node& n, const std::string& field) const {
        if (auto s = n.as_string(); s && !s->get().empty()) return s->get();
        fail(&n, field, "expected a non-empty string");
    }

    // A count or seed: a non-negative integer, also written 1e6.
    std::uint64_t count(const toml::node& n, const std::string& field, std::uint64_t min) const {
        double v = -1;
        if (auto i = n.as_integer()) v = static_cast<double>(i->get());
        else if (auto f = n.as_floating_point()) v = f->get();
        else fail(&n, field, "expected a whole number");
        if (!(v >= static_cast<double>(min)) || v != std::floor(v) || v >= 1.8e19)
            fail(&n, field, "expected a whole number of at least " + std::to_string(min) + ", found " +
                                (n.as_integer() ? std::to_string(n.as_integer()->get()) : std::to_string(v)));
        return static_cast<std::uint64_t>(v);
    }

    bool flag(const toml::node& n, const std::string& field) const {
        if (auto b = n.as_boolean()) return b->get();
        fail(&n, field, "expected true or false");
    }

    std::vector<std::string> sets(const toml::node& n, const std::string& field) const {
        const toml::array* arr = n.as_array();
        if (!arr) fail(&n, field, "expected an array of \"KEY=VALUE\" strings, as --set takes");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const std::string f = field + "[" + std::to_string(i) + "]";
            const toml::node& e = *arr->get(i);
            const std::string s = text(e, f);
            if (s.find('=') == std::string::npos || s.front() == '=')
                fail(&e, f, "expected KEY=VALUE, e.g. \"inputs.train_mfu.median=0.5\", found '" + s + "'");
            out.push_back(s);
        }
        return out;
    }

private:
    std::string file_;
};

std::string resolve(const std::string& folder, const std::string& p) {
    const fs::path path(p);
    if (path.is_absolute() || folder.empty()) return path.string();
    return (fs::path(folder) / path).lexically_normal().string();
}

}  // namespace

std::vector<BatchEntry> load_manifest(std::string_view text, const std::string& file, const std::string& folder) {
    const toml::table root = scenario::parse_toml(text, file);
    const Reader r(file);
    r.only_keys(root, "", {"defaults", "run"});
    BatchEntry defaults;
    if (const toml::node* dn = root.get("defaults")) {
        const toml::table* d = dn->as_table();
        if (!d) r.fail(dn, "defaults", "expected a table [defaults]");
        r.only_keys(*d, "defaults.", {"samples", "seed", "set", "checkpoint"});
        if (auto n = d->get("samples")) defaults.samples = r.count(*n, "defaults.samples", 1);
        if (auto n = d->get("seed")) defaults.seed = r.count(*n, "defaults.seed", 0);
        if (auto n = d->get("set")) defaults.sets = r.sets(*n, "defaults.set");
        if (auto n = d->get("checkpoint")) defaults.checkpoint = r.flag(*n, "defaults.checkpoint");
    }
    const toml::node* rn = root.get("run");
    if (!rn) r.fail(nullptr, "run", "no runs: add [[run]] tables with scenario and output");
    const toml::array* runs = rn->as_array();
    if (!runs || !runs->is_array_of_tables()) r.fail(rn, "run", "expected [[run]] tables");
    std::vector<BatchEntry> out;
    std::set<std::string> outputs, names;
    for (std::size_t i = 0; i < runs->size(); ++i) {
        const toml::table& t = *runs->get(i)->as_table();
        const std::string field = "run[" + std::to_string(i) + "]";
        r.only_keys(t, field + ".", {"name", "scenario", "output", "samples", "seed", "set", "checkpoint", "until",
                                     "max_samples", "confidence"});
        BatchEntry e = defaults;
        e.line = static_cast<int>(t.source().begin.line);
        const toml::node* sn = t.get("scenario");
        if (!sn) r.fail(&t, field + ".scenario", "missing: the scenario file to run");
        e.scenario = resolve(folder, r.text(*sn, field + ".scenario"));
        const toml::node* on = t.get("output");
        if (!on) r.fail(&t, field + ".output", "missing: the HDF5 file to write");
        const std::string out_text = r.text(*on, field + ".output");
        e.output = resolve(folder, out_text);
        if (!outputs.insert(fs::path(e.output).lexically_normal().string()).second)
            r.fail(on, field + ".output", "'" + out_text + "' is also the output of an earlier run");
        if (auto n = t.get("samples")) e.samples = r.count(*n, field + ".samples", 1);
        if (auto n = t.get("seed")) e.seed = r.count(*n, field + ".seed", 0);
        if (auto n = t.get("set")) {
            const auto own = r.sets(*n, field + ".set");
            e.sets.insert(e.sets.end(), own.begin(), own.end());
        }
        if (auto n = t.get("checkpoint")) e.checkpoint = r.flag(*n, field + ".checkpoint");
        if (auto n = t.get("until")) {
            const toml::array* arr = n->as_array();
            if (!arr || arr->empty())
                r.fail(n, field + ".until", "expected an array of targets, e.g. [\"p95:total_a100@2027:0.5%\"]");
            for (std::size_t k = 0; k < arr->size(); ++k)
                e.until.push_back(r.text(*arr->get(k), field + ".until[" + std::to_string(k) + "]"));
            // The targets decide the sample count; a count from [defaults] gives way.
            if (t.get("samples")) r.fail(t.get("samples"), field + ".samples", "a run with until stops when its targets hold: cap it with max_samples instead");
            e.samples.reset();
        }
        if (auto n = t.get("max_samples")) {
            if (e.until.empty()) r.fail(n, field + ".max_samples", "caps a precision run: give until too, or use samples");
            e.max_samples = r.count(*n, field + ".max_samples", 1);
        }
        if (auto n = t.get("confidence")) {
            if (e.until.empty()) r.fail(n, field + ".confidence", "is the confidence of until's half-widths: give until too");
            const auto c = n->value<double>();
            if (!c || !(*c >= 0.5 && *c <= 0.9999))
                r.fail(n, field + ".confidence", "expected a number from 0.5 to 0.9999");
            e.confidence = *c;
        }
        if (auto n = t.get("name")) e.name = r.text(*n, field + ".name");
        else e.name = fs::path(e.output).stem().string();
        if (!names.insert(e.name).second)
            r.fail(t.get("name") ? t.get("name") : on, field + ".name",
                   "'" + e.name + "' names an earlier run too; give each run its own name");
        out.push_back(std::move(e));
    }
    if (out.empty()) r.fail(rn, "run", "no runs: add [[run]] tables with scenario and output");
    return out;
}

std::vector<BatchEntry> load_manifest_file(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw scenario::ScenarioError(path + ": cannot read the manifest: it is a directory");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw scenario::ScenarioError(path + ": cannot open the manifest");
    std::ostringstream ss;
    ss << f.rdbuf();
    return load_manifest(ss.str(), path, fs::path(path).parent_path().string());
}

}  // namespace flopcast::batch
