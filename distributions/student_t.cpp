#include "distributions/student_t.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>
#include <boost/random/student_t_distribution.hpp>

#include "distributions/detail.hpp"

namespace flopcast::dist {

namespace {
using MathStudentT = boost::math::students_t_distribution<double, detail::MathPolicy>;
}

StudentT::StudentT(double df, double loc, double scale) : df_(df), loc_(loc), scale_(scale) {
    detail::require_positive("df", df);
    detail::require_finite("loc", loc);
    detail::require_positive("scale", scale);
}

void StudentT::sample(std::span<double> out, Rng& rng) const {
    boost::random::student_t_distribution<double> draw(df_);
    for (double& x : out) x = loc_ + scale_ * draw(rng);
}

double StudentT::quantile(double p) const {
    detail::require_probability(p);
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    return loc_ + scale_ * boost::math::quantile(MathStudentT(df_), p);
}

double StudentT::cdf(double x) const {
    detail::require_not_nan(x);
    const double t = (x - loc_) / scale_;  // may overflow to +-inf for a finite x
    if (std::isinf(t)) return t < 0 ? 0.0 : 1.0;
    return boost::math::cdf(MathStudentT(df_), t);
}

double StudentT::mean() const { return df_ > 1 ? loc_ : std::numeric_limits<double>::quiet_NaN(); }

double StudentT::variance() const {
    if (df_ > 2) return scale_ * scale_ * (df_ / (df_ - 2));
    if (df_ > 1) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
}

std::string StudentT::describe() const {
    return "student_t(df=" + detail::brief(df_) + ", loc=" + detail::brief(loc_) +
           ", scale=" + detail::brief(scale_) + ")";
}

}  // namespace flopcast::dist
