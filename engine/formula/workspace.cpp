// The memory of evaluate(): where each quantity's arrays are (program.hpp).
#include <algorithm>
#include <stdexcept>

#include "engine/formula/program.hpp"

namespace flopcast::formula {

Workspace::Workspace(const Program& program, std::size_t block_size)
    : block_(block_size), chunk_(std::min(block_size, Program::kChunk)) {
    std::size_t block_total = 0, chunk_total = 0;
    for (int q = 0; q < program.quantity_count(); ++q) {
        const bool readable = program.is_readable(q);
        const std::size_t stride = readable ? block_ : chunk_;
        std::size_t& total = readable ? block_total : chunk_total;
        layout_.push_back({total, stride, program.slots(q), readable});
        names_.push_back(program.name(q));
        total += program.slots(q) * stride;
    }
    data_.assign(block_total, 0.0);
    chunk_data_.assign(chunk_total, 0.0);
    temps_.assign(static_cast<std::size_t>(program.temp_count()) * chunk_, 0.0);
    const auto& c = program.constants();
    constants_.resize(c.size() * chunk_);
    for (std::size_t i = 0; i < c.size(); ++i)
        std::fill_n(constants_.begin() + static_cast<std::ptrdiff_t>(i * chunk_), chunk_, c[i]);
}

std::size_t Workspace::readable_offset(int q, std::size_t t) const {
    const Layout& l = layout_.at(static_cast<std::size_t>(q));
    if (!l.readable)
        throw std::logic_error("formula::Workspace: '" + names_[static_cast<std::size_t>(q)] +
                               "' is an intermediate value (neither an input nor a result of the model): it is "
                               "not kept for the whole block");
    return l.offset + (l.slots == 1 ? 0 : t) * l.stride;
}

std::span<double> Workspace::values(int q, std::size_t t) { return {data_.data() + readable_offset(q, t), block_}; }

std::span<const double> Workspace::values(int q, std::size_t t) const {
    return {data_.data() + readable_offset(q, t), block_};
}

}  // namespace flopcast::formula
