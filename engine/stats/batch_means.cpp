#include "engine/stats/batch_means.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace flopcast::stats {

double student_t_factor(double dof, double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("confidence must be in (0, 1), got " + std::to_string(confidence));
    if (!(dof >= 1.0)) throw std::invalid_argument("degrees of freedom must be at least 1, got " + std::to_string(dof));
    return boost::math::quantile(boost::math::students_t(dof), 0.5 + 0.5 * confidence);
}

BatchMeansInterval batch_means(std::span<const double> x, double confidence) {
    if (x.size() < 2) throw std::invalid_argument("batch means need at least 2 groups, got " + std::to_string(x.size()));
    // Two passes in a fixed order: the bits depend only on the estimates.
    double sum = 0.0;
    for (double v : x) {
        if (!std::isfinite(v)) throw std::invalid_argument("a group estimate is not finite");
        sum += v;
    }
    const double g = static_cast<double>(x.size());
    const double mean = sum / g;
    double ss = 0.0;
    for (double v : x) ss += (v - mean) * (v - mean);
    BatchMeansInterval r;
    r.mean = mean;
    r.std_error = std::sqrt(ss / (g - 1.0) / g);
    r.half_width = student_t_factor(g - 1.0, confidence) * r.std_error;
    return r;
}

}  // namespace flopcast::stats
