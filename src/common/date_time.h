// Calendar arithmetic for DATE (days since 1970-01-01), TIMESTAMP
// (microseconds since 1970-01-01 00:00:00, no time zone) and INTERVAL.
// Proleptic Gregorian calendar, as PostgreSQL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.h"

namespace basalt {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

struct CivilDate {
  int32_t year;
  int32_t month;  // 1..12
  int32_t day;    // 1..31
};

// Intervals compare and hash by their length with a month counted as 30
// days, as PostgreSQL compares them ('1 month' = '30 days').
inline int128_t IntervalSortKey(const Interval& v) {
  return (static_cast<int128_t>(v.months) * 30 + v.days) * kMicrosPerDay + v.micros;
}

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day);
CivilDate CivilFromDays(int32_t days);
bool IsValidCivil(int32_t year, int32_t month, int32_t day);
int32_t DaysInMonth(int32_t year, int32_t month);

// Parsing returns false on malformed text or an impossible date. Dates
// before year 1 are read as PostgreSQL writes them: "0044-03-15 BC" and
// "0044-03-15 12:00:00 BC" (the era after the time; right after the date is
// read too), year 1 BC being astronomical year 0. A negative year ("-0043")
// is astronomical.
bool ParseDate(std::string_view text, int32_t* out);
bool ParseTimestamp(std::string_view text, int64_t* out);
// Accepts PostgreSQL forms: "3 days", "1 year 2 mons", "-1 day 02:00:00", "90".
// `unit` (when the literal was written INTERVAL '90' DAY) names the unit of a bare number.
bool ParseInterval(std::string_view text, std::string_view unit, Interval* out);

// PostgreSQL's output: "2024-02-29", "0044-03-15 BC", "2024-02-29 10:30:00.5",
// "0044-03-15 12:00:00 BC".
std::string FormatDate(int32_t days);
std::string FormatTimestamp(int64_t micros);
std::string FormatInterval(const Interval& interval);

// date + interval as PostgreSQL: months first (clamping the day to the month's
// end), then days, then time. Throws 22008 when the result leaves the range.
int64_t AddIntervalToTimestamp(int64_t micros, const Interval& interval);
int32_t AddMonthsToDate(int32_t days, int32_t months);

// Fields for EXTRACT / date_part; the name is lowercase ("year", "month",
// "day", "quarter", "dow", "doy", "week", "hour", "minute", "second", "epoch").
// Returns false for an unknown field.
bool ExtractFromTimestamp(std::string_view field, int64_t micros, double* out);

}  // namespace basalt
