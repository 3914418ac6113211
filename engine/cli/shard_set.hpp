#pragma once
// The check every merge of shard files shares (flopcast merge of run shards
// and of sensitivity shards): shards 0..count-1, each given once, in any
// order on the command line; afterwards in shard order.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/output/result_file.hpp"

namespace flopcast::cli {

// Part has index, count and path (the file it was read from). Throws
// output::OutputError naming a shard given twice, or every missing one.
template <class Part>
void sort_complete_shards(std::vector<Part>& parts, std::uint64_t count) {
    std::map<std::uint64_t, std::string> seen;
    for (const auto& p : parts) {
        if (auto it = seen.find(p.index); it != seen.end())
            throw output::OutputError(
                fmt::format("shard {}/{} is given twice: {} and {}", p.index, p.count, it->second, p.path));
        seen[p.index] = p.path;
    }
    std::string missing;
    for (std::uint64_t i = 0; i < count; ++i)
        if (!seen.count(i)) missing += (missing.empty() ? "" : ", ") + fmt::format("{}/{}", i, count);
    if (!missing.empty())
        throw output::OutputError("missing shard(s) " + missing + " (have " + std::to_string(parts.size()) + ")");
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
}

}  // namespace flopcast::cli
