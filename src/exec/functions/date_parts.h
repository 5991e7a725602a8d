// Date and time fields for extract / date_part and date_trunc, resolved from
// their names once at bind time so the per-row work is a switch, not string
// comparisons.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/types.h"

namespace basalt {

enum class DatePart {
  kMicrosecond,
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kMillennium,
  kDayOfWeek,     // dow: Sunday = 0
  kIsoDayOfWeek,  // isodow: Monday = 1 .. Sunday = 7
  kDayOfYear,     // doy
  kIsoYear,
  kEpoch,
};

// Accepts PostgreSQL's spellings and plurals ("year", "years", "yr", "mon",
// "dow", ...), case-insensitively; nullopt for an unknown name.
std::optional<DatePart> DatePartFromName(std::string_view name);

// Throws 22023 `unit "x" not recognized` for an unknown name.
DatePart DatePartFromNameOrThrow(std::string_view name);

// Whether extract returns the field as BIGINT (else DOUBLE: second,
// millisecond and epoch have fractions).
bool DatePartIsIntegral(DatePart part);

// Field values of a timestamp (microseconds since 1970); DATE inputs pass
// days * kMicrosPerDay.
int64_t ExtractIntegral(DatePart part, int64_t micros);
double ExtractDouble(DatePart part, int64_t micros);

// Field values of an interval. Throws 0A000 for fields an interval does not
// have (dow, doy, week, isodow, isoyear).
int64_t ExtractIntervalIntegral(DatePart part, const Interval& interval);
double ExtractIntervalDouble(DatePart part, const Interval& interval);
void CheckIntervalPart(DatePart part, std::string_view name);

// The timestamp truncated to the start of the field's unit (date_trunc).
// Throws 0A000 for fields that are not units (dow, doy, epoch, ...).
int64_t TruncateTimestamp(DatePart part, int64_t micros);
void CheckTruncatablePart(DatePart part, std::string_view name);

}  // namespace basalt
