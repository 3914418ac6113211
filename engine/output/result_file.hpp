#pragma once
// The HDF5 result file: the contract with plotting scripts, documented in
// docs/hdf5-layout.md.
//
// Written under a temporary name beside the target and renamed when complete,
// so a file at the target path is always whole. If the writer is destroyed
// before commit() (an error, an exception) the temporary file is removed.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/run/run_result.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/scenario.hpp"

namespace flopcast::output {

// Quantile levels of /summary/<output>/quantiles, in /quantile_levels.
inline constexpr double kQuantileLevels[] = {0.001, 0.01, 0.025, 0.05, 0.10, 0.25, 0.50,
                                             0.75,  0.90, 0.95,  0.975, 0.99, 0.999};

// The output cannot be created or written. what() names the path.
class OutputError : public std::runtime_error {
public:
    explicit OutputError(const std::string& message) : std::runtime_error(message) {}
};

// Facts about the run recorded as root attributes.
struct RunMetadata {
    std::string version;
    std::string git_commit;
    std::string start_time;  // ISO 8601, UTC
    std::uint64_t seed = 0;
    std::uint64_t samples = 0;
    int threads = 0;
};

class ResultFile final : public run::SampleSink {
public:
    // Creates the temporary file at once, so an unwritable path fails before
    // any sampling. Throws OutputError.
    explicit ResultFile(std::string path);
    ~ResultFile() override;
    ResultFile(const ResultFile&) = delete;
    ResultFile& operator=(const ResultFile&) = delete;

    // Creates /samples/<output> for every kept output (chunked, compressed).
    void prepare_samples(const scenario::Scenario& s, const run::RunOptions& options, std::uint64_t samples);
    void write(std::size_t output, std::uint64_t first_sample, std::size_t count, std::size_t width,
               std::span<const double> values) override;

    // The root attributes, /years, /quantile_levels and /inputs, then
    // /summary: what `flopcast run` writes.
    void write_results(const scenario::Scenario& s, const run::RunResult& r, const RunMetadata& meta);
    void write_description(const scenario::Scenario& s, const RunMetadata& meta, double wall_seconds);
    void write_summary(const scenario::Scenario& s, const run::RunResult& r);

    // The same groups under an existing group `parent` (e.g. "/variants/a"):
    // `<parent>/inputs` and `<parent>/summary`, laid out as at the root. The
    // two-argument forms above write at "/". Used by `flopcast sweep`.
    void write_inputs(const scenario::Scenario& s, const std::string& parent);
    void write_summary(const scenario::Scenario& s, const run::RunResult& r, const std::string& parent);

    // The open HDF5 file (hid_t), for writers of other groups (see hdf5_writer.hpp).
    [[nodiscard]] long long handle() const noexcept { return file_; }

    // Closes the file and renames it to its target. Throws OutputError.
    void commit();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const std::string& temporary_path() const noexcept { return tmp_path_; }
    // Temporary files of killed runs to the same path, removed on opening.
    [[nodiscard]] const std::vector<std::string>& removed_temporaries() const noexcept { return removed_temporaries_; }

private:
    std::string path_;
    std::string tmp_path_;
    std::vector<std::string> removed_temporaries_;
    long long file_ = -1;                   // hid_t
    std::vector<long long> sample_sets_;    // hid_t per output, -1 when not kept
    bool committed_ = false;
    void close_all() noexcept;
};

}  // namespace flopcast::output
