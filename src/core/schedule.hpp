#pragma once
// Values that change over time: a Ramp interpolates linearly between dated points (flat before the first and
// after the last); a StepSchedule holds each value from its date until the next.
#include <utility>
#include <vector>

#include "core/date.hpp"

namespace doseflow {

struct SchedulePoint {
    Date date;
    double value = 0.0;
};

class Ramp {
public:
    Ramp() = default;
    explicit Ramp(double constant) : points_{{Date{}, constant}} {}
    explicit Ramp(std::vector<SchedulePoint> points);  // dates ascending (validated by the loader)
    double at(Date date) const;
    // at(from) + at(from + 1) + ... over `days` days, counting only the days on or after `not_before`: what a
    // capacity ramp gives over a coming period (the same values as at(), one pass over the points).
    double sum_over_days(Date from, int days, Date not_before) const;
    bool empty() const { return points_.empty(); }
    const std::vector<SchedulePoint>& points() const { return points_; }

private:
    // The value on `date`, given the first point after it (points_.end() when none).
    double value_before(std::vector<SchedulePoint>::const_iterator upper, Date date) const;
    std::vector<SchedulePoint> points_;
};

class StepSchedule {
public:
    StepSchedule() = default;
    explicit StepSchedule(double constant) : points_{{Date{}, constant}}, before_first_(constant) {}
    // Before the first date the value is `before_first`.
    StepSchedule(std::vector<SchedulePoint> points, double before_first);
    double at(Date date) const;
    const std::vector<SchedulePoint>& points() const { return points_; }

private:
    std::vector<SchedulePoint> points_;
    double before_first_ = 0.0;
};

}  // namespace doseflow
