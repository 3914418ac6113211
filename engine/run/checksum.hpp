#pragma once
// The checksum saved states carry (checkpoints, shards), checked on load so
// that a corrupted file is refused by name whatever bytes were hit.
//
// FNV-1a, 64 bits: each step xors a byte into the state and multiplies by an
// odd constant, a bijection of the state, so any change confined to one
// byte always changes the result; other corruptions go unnoticed with
// probability about 2^-64. It guards against accidents (a bad disk, a
// truncated copy), not against tampering.
#include <cstdint>
#include <span>

namespace flopcast::run {

[[nodiscard]] constexpr std::uint64_t checksum(std::span<const std::uint8_t> bytes) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const std::uint8_t b : bytes) {
        h ^= b;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace flopcast::run
