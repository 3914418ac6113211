#pragma once
// Kept samples spooled to plain files beside a checkpoint, then copied into
// the result file when the run is complete.
//
// Why not write them straight into the HDF5 file: an HDF5 file killed in
// the middle of a write may not open again, and a precision run does not
// know its sample count (the datasets' size) until it stops. A spool is one
// raw file per kept output (little-endian doubles, [sample][year]), appended
// wave by wave in sample order and made durable (fsync) before each
// checkpoint, so the checkpoint never claims samples the disk does not
// hold. On resume each file is cut back to the checkpoint's sample count;
// samples written after it are drawn again, with the same bits.
#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/run/runner.hpp"

namespace flopcast::run {

// A spool file cannot be created, written, read or is shorter than the
// checkpoint says. what() names the file.
class SpoolError : public std::runtime_error {
public:
    explicit SpoolError(const std::string& m) : std::runtime_error(m) {}
};

class SampleSpool final : public SampleSink {
public:
    // Files `base`.samples-<k> for every k with widths[k] > 0 (values per
    // sample; 0: not kept). resume_at > 0 reopens existing files and cuts
    // them to resume_at samples; 0 starts them empty. Throws SpoolError.
    SampleSpool(std::string base, std::vector<std::size_t> widths, std::uint64_t resume_at);
    ~SampleSpool() override;  // removes the files unless keep() was called
    SampleSpool(const SampleSpool&) = delete;
    SampleSpool& operator=(const SampleSpool&) = delete;

    void write(std::size_t output, std::uint64_t first_sample, std::size_t count, std::size_t width,
               std::span<const double> values) override;
    // Everything written so far is on disk when this returns.
    void sync();
    // Sends the first `samples` samples of every output to `to`, in sample
    // order, in pieces of at most 65,536 samples.
    void replay(SampleSink& to, std::uint64_t samples);
    // Leave the files for a later resume (beside a checkpoint), or not.
    void keep() noexcept { keep_ = true; }
    void discard() noexcept { keep_ = false; }

    [[nodiscard]] static std::string file_name(const std::string& base, std::size_t output);

private:
    struct File {
        std::string path;
        std::FILE* f = nullptr;
        std::size_t width = 0;
        std::uint64_t next = 0;  // samples in the file
    };
    std::vector<File> files_;  // per output; f == nullptr when not kept
    bool keep_ = false;
};

}  // namespace flopcast::run
