#pragma once
// The byte form of saved states (run states, sensitivity states): values of
// trivially copyable types one after another, in the machine's byte order,
// and arrays as a 64-bit count followed by their items. Reading checks every
// length against what is left, so a truncated or corrupt state is a
// StateError, never an overrun or an unbounded allocation.
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/run/run_state.hpp"

namespace flopcast::run {

class StateWriter {
public:
    template <class T>
    void put(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
        bytes.insert(bytes.end(), p, p + sizeof v);
    }
    template <class T>
    void put_all(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        put<std::uint64_t>(v.size());
        const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
        bytes.insert(bytes.end(), p, p + v.size() * sizeof(T));
    }
    std::vector<std::uint8_t> bytes;
};

class StateReader {
public:
    // `what` names the state in messages, e.g. "the saved state".
    StateReader(std::span<const std::uint8_t> b, std::string what) : b_(b), what_(std::move(what)) {}
    template <class T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T v;
        if (pos_ + sizeof v > b_.size()) throw StateError(what_ + " is truncated");
        std::memcpy(&v, b_.data() + pos_, sizeof v);
        pos_ += sizeof v;
        return v;
    }
    // A count that must fit in what is left, so a corrupt count cannot make
    // us allocate without bound.
    std::uint64_t count(std::size_t item_size) {
        const auto n = get<std::uint64_t>();
        if (n > (b_.size() - pos_) / item_size)
            throw StateError(what_ + " is truncated or corrupt (a count is larger than what follows)");
        return n;
    }
    template <class T>
    std::vector<T> get_all() {
        std::vector<T> v(count(sizeof(T)));
        if (!v.empty()) std::memcpy(v.data(), b_.data() + pos_, v.size() * sizeof(T));
        pos_ += v.size() * sizeof(T);
        return v;
    }
    [[nodiscard]] bool done() const { return pos_ == b_.size(); }

private:
    std::span<const std::uint8_t> b_;
    std::string what_;
    std::size_t pos_ = 0;
};

}  // namespace flopcast::run
