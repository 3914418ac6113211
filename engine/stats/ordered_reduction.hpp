#pragma once
// Merges a sequence of accumulators (item 0, 1, 2, ...) along a fixed binary
// tree, so the floating-point result depends only on the items, never on how
// the sequence was split between threads, processes, shards or resumed runs.
//
// The tree: a node at level k covers items [j 2^k, (j + 1) 2^k) and is the
// merge of its two halves. The result for n items folds the complete subtrees
// of n's binary decomposition from the largest (first) to the smallest. A
// reduction fed items a..b-1 of a longer sequence keeps the subtrees that are
// complete within its range (at most two per level); pushing those, in order,
// into another reduction continues the same tree. This is how shards merge
// bit-identically whatever their boundaries.
//
// T needs a merge(const T&) that appends the other's items after its own.
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace flopcast::stats {

template <class T>
class OrderedReduction {
public:
    struct Node {
        std::uint64_t first = 0;  // first item covered
        unsigned level = 0;       // covers 2^level items
        T value{};
    };

    explicit OrderedReduction(std::uint64_t first_item = 0) : next_(first_item) {}

    // The next item (index next_item()).
    void push(const T& item) { push_subtree(next_, 0, item); }

    // A complete aligned subtree from another reduction; it must start at
    // next_item() and be aligned to its size.
    void push_subtree(std::uint64_t first, unsigned level, const T& value) {
        const std::uint64_t size = std::uint64_t{1} << level;
        if (first != next_ || first % size != 0)
            throw std::logic_error("OrderedReduction: subtrees must arrive in order and aligned");
        Node node{first, level, value};
        // While the top of the stack is this node's left sibling, merge them.
        while (!stack_.empty()) {
            Node& top = stack_.back();
            const std::uint64_t half = std::uint64_t{1} << node.level;
            if (top.level != node.level || top.first % (2 * half) != 0 || top.first + half != node.first) break;
            top.value.merge(node.value);
            ++top.level;
            node = std::move(top);
            stack_.pop_back();
        }
        stack_.push_back(std::move(node));
        next_ = first + size;
    }

    [[nodiscard]] std::uint64_t next_item() const noexcept { return next_; }
    [[nodiscard]] const std::vector<Node>& nodes() const noexcept { return stack_; }

    // The fold of the open subtrees, first to last; T{} when empty.
    [[nodiscard]] T result() const {
        if (stack_.empty()) return T{};
        T acc = stack_.front().value;
        for (std::size_t i = 1; i < stack_.size(); ++i) acc.merge(stack_[i].value);
        return acc;
    }

private:
    std::uint64_t next_;
    std::vector<Node> stack_;
};

}  // namespace flopcast::stats
