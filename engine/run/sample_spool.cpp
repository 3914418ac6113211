#include "engine/run/sample_spool.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace flopcast::run {
namespace {

std::string why() { return std::strerror(errno); }

}  // namespace

std::string SampleSpool::file_name(const std::string& base, std::size_t output) {
    return base + ".samples-" + std::to_string(output);
}

SampleSpool::SampleSpool(std::string base, std::vector<std::size_t> widths, std::uint64_t resume_at) {
    files_.resize(widths.size());
    try {
        for (std::size_t k = 0; k < widths.size(); ++k) {
            if (widths[k] == 0) continue;
            File& f = files_[k];
            f.path = file_name(base, k);
            f.width = widths[k];
            f.next = resume_at;
            const std::uint64_t bytes = resume_at * widths[k] * sizeof(double);
            if (resume_at > 0) {
                std::error_code ec;
                const auto size = std::filesystem::file_size(f.path, ec);
                if (ec)
                    throw SpoolError(f.path + ": the kept samples spooled with the checkpoint are missing (" +
                                     ec.message() + "); the run cannot be resumed with its samples");
                if (size < bytes)
                    throw SpoolError(f.path + ": holds fewer kept samples than the checkpoint says (" +
                                     std::to_string(size / (widths[k] * sizeof(double))) + " of " +
                                     std::to_string(resume_at) + ")");
                std::filesystem::resize_file(f.path, bytes, ec);
                if (ec) throw SpoolError(f.path + ": cannot cut back to the checkpoint: " + ec.message());
            }
            f.f = std::fopen(f.path.c_str(), resume_at > 0 ? "ab" : "wb");
            if (!f.f) throw SpoolError(f.path + ": cannot open the spool of kept samples: " + why());
        }
    } catch (...) {
        for (auto& f : files_)
            if (f.f) std::fclose(f.f), f.f = nullptr;
        throw;
    }
}

SampleSpool::~SampleSpool() {
    for (auto& f : files_) {
        if (f.f) std::fclose(f.f);
        if (!f.path.empty() && !keep_) std::remove(f.path.c_str());
    }
}

void SampleSpool::write(std::size_t output, std::uint64_t first_sample, std::size_t count, std::size_t width,
                        std::span<const double> values) {
    File& f = files_.at(output);
    if (!f.f || width != f.width || first_sample != f.next || values.size() != count * width)
        throw SpoolError(f.path + ": kept samples arrived out of order (internal error)");
    if (std::fwrite(values.data(), sizeof(double), values.size(), f.f) != values.size())
        throw SpoolError(f.path + ": cannot write kept samples (disk full?): " + why());
    f.next += count;
}

void SampleSpool::sync() {
    for (auto& f : files_)
        if (f.f && (std::fflush(f.f) != 0 || ::fsync(::fileno(f.f)) != 0))
            throw SpoolError(f.path + ": cannot flush kept samples to disk: " + why());
}

void SampleSpool::replay(SampleSink& to, std::uint64_t samples) {
    constexpr std::uint64_t kPiece = 65536;
    std::vector<double> buf;
    for (std::size_t k = 0; k < files_.size(); ++k) {
        File& f = files_[k];
        if (!f.f) continue;
        if (std::fflush(f.f) != 0) throw SpoolError(f.path + ": cannot write kept samples: " + why());
        std::FILE* in = std::fopen(f.path.c_str(), "rb");
        if (!in) throw SpoolError(f.path + ": cannot read the spooled kept samples back: " + why());
        for (std::uint64_t first = 0; first < samples; first += kPiece) {
            const std::size_t n = static_cast<std::size_t>(std::min(kPiece, samples - first));
            buf.resize(n * f.width);
            if (std::fread(buf.data(), sizeof(double), buf.size(), in) != buf.size()) {
                std::fclose(in);
                throw SpoolError(f.path + ": the spool of kept samples is shorter than the run");
            }
            to.write(k, first, n, f.width, buf);
        }
        std::fclose(in);
    }
}

}  // namespace flopcast::run
