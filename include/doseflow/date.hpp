#pragma once
// Civil (proleptic Gregorian) dates as a day count, with ISO 8601 text form.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doseflow {

class Date {
public:
    constexpr Date() = default;
    static constexpr Date from_days(std::int32_t days_since_1970) { Date d; d.days_ = days_since_1970; return d; }
    static Date from_ymd(int year, int month, int day);
    // Parses YYYY-MM-DD; nullopt when the text is not a valid calendar date.
    static std::optional<Date> parse(std::string_view text);

    constexpr std::int32_t days_since_1970() const { return days_; }
    int year() const;
    int month() const;
    int day() const;
    std::string iso() const;  // YYYY-MM-DD
    // Monday of this date's ISO week.
    Date week_start() const;

    constexpr Date operator+(std::int32_t days) const { return from_days(days_ + days); }
    constexpr Date operator-(std::int32_t days) const { return from_days(days_ - days); }
    constexpr std::int32_t operator-(Date other) const { return days_ - other.days_; }
    constexpr Date& operator+=(std::int32_t days) { days_ += days; return *this; }
    constexpr Date& operator++() { ++days_; return *this; }
    constexpr auto operator<=>(const Date&) const = default;

private:
    std::int32_t days_ = 0;
};

bool is_valid_civil_date(int year, int month, int day);

}  // namespace doseflow
