#include "core/date.hpp"

#include <charconv>
#include <fmt/format.h>

namespace doseflow {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms, chrono-compatible).
constexpr std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Civil { int year; unsigned month; unsigned day; };

constexpr Civil civil_from_days(std::int32_t z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool is_valid_civil_date(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int last = days_in_month[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
    return day <= last;
}

Date Date::from_ymd(int year, int month, int day) {
    return from_days(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto field = [&](std::size_t begin, std::size_t length) -> std::optional<int> {
        int value = 0;
        const char* first = text.data() + begin;
        const char* last = first + length;
        for (const char* p = first; p != last; ++p)
            if (*p < '0' || *p > '9') return std::nullopt;
        std::from_chars(first, last, value);
        return value;
    };
    const auto y = field(0, 4), m = field(5, 2), d = field(8, 2);
    if (!y || !m || !d || !is_valid_civil_date(*y, *m, *d)) return std::nullopt;
    return from_ymd(*y, *m, *d);
}

int Date::year() const { return civil_from_days(days_).year; }
int Date::month() const { return static_cast<int>(civil_from_days(days_).month); }
int Date::day() const { return static_cast<int>(civil_from_days(days_).day); }

std::string Date::iso() const {
    const Civil c = civil_from_days(days_);
    return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

Date Date::week_start() const {
    // 1970-01-01 was a Thursday; ISO weeks start on Monday.
    const int weekday = ((days_ % 7) + 7 + 3) % 7;  // 0 = Monday
    return from_days(days_ - weekday);
}

}  // namespace doseflow
