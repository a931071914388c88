#include "core/schedule.hpp"

#include <algorithm>

namespace doseflow {

Ramp::Ramp(std::vector<SchedulePoint> points) : points_(std::move(points)) {}

double Ramp::value_before(std::vector<SchedulePoint>::const_iterator upper, Date date) const {
    if (upper == points_.begin()) return points_.front().value;
    if (upper == points_.end()) return points_.back().value;
    const auto lower = upper - 1;
    const double span = static_cast<double>(upper->date - lower->date);
    const double t = static_cast<double>(date - lower->date) / span;
    return lower->value + t * (upper->value - lower->value);
}

double Ramp::at(Date date) const {
    if (points_.empty()) return 0.0;
    if (date <= points_.front().date) return points_.front().value;
    if (date >= points_.back().date) return points_.back().value;
    return value_before(std::upper_bound(points_.begin(), points_.end(), date,
                                         [](Date d, const SchedulePoint& p) { return d < p.date; }),
                        date);
}

double Ramp::sum_over_days(Date from, int days, Date not_before) const {
    if (points_.empty()) return 0.0;
    double total = 0.0;
    auto upper = points_.begin();  // the first point after the day
    for (int k = 0; k < days; ++k) {
        const Date date = from + k;
        while (upper != points_.end() && upper->date <= date) ++upper;
        if (date >= not_before) total += value_before(upper, date);
    }
    return total;
}

StepSchedule::StepSchedule(std::vector<SchedulePoint> points, double before_first)
    : points_(std::move(points)), before_first_(before_first) {}

double StepSchedule::at(Date date) const {
    const auto upper = std::upper_bound(points_.begin(), points_.end(), date,
                                        [](Date d, const SchedulePoint& p) { return d < p.date; });
    if (upper == points_.begin()) return before_first_;
    return (upper - 1)->value;
}

}  // namespace doseflow
