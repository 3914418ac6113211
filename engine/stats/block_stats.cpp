#include "engine/stats/block_stats.hpp"

namespace flopcast::stats {

Moments block_stats(std::span<const double> values, std::vector<double>& scratch, NonFiniteCounts& non_finite,
                    QuantileSketch& sketch) {
    Moments::Scan scan = Moments::scan(values);
    if (!scan.finite) {  // rare: scan again what is left
        values = drop_non_finite(values, scratch, non_finite);
        scan = Moments::scan(values);
    }
    sketch.add_block(values, scan.min, scan.max);
    return Moments::of(values, scan);
}

}  // namespace flopcast::stats
