#include "exec/functions/date_parts.h"

#include <cctype>
#include <string>
#include <unordered_map>

#include "common/date_time.h"
#include "common/exception.h"

namespace basalt {

namespace {

const std::unordered_map<std::string, DatePart>& PartNames() {
  static const auto* names = new std::unordered_map<std::string, DatePart>{
      {"microsecond", DatePart::kMicrosecond},
      {"microseconds", DatePart::kMicrosecond},
      {"us", DatePart::kMicrosecond},
      {"usec", DatePart::kMicrosecond},
      {"usecs", DatePart::kMicrosecond},
      {"millisecond", DatePart::kMillisecond},
      {"milliseconds", DatePart::kMillisecond},
      {"ms", DatePart::kMillisecond},
      {"msec", DatePart::kMillisecond},
      {"msecs", DatePart::kMillisecond},
      {"second", DatePart::kSecond},
      {"seconds", DatePart::kSecond},
      {"s", DatePart::kSecond},
      {"sec", DatePart::kSecond},
      {"secs", DatePart::kSecond},
      {"minute", DatePart::kMinute},
      {"minutes", DatePart::kMinute},
      {"m", DatePart::kMinute},
      {"min", DatePart::kMinute},
      {"mins", DatePart::kMinute},
      {"hour", DatePart::kHour},
      {"hours", DatePart::kHour},
      {"h", DatePart::kHour},
      {"hr", DatePart::kHour},
      {"hrs", DatePart::kHour},
      {"day", DatePart::kDay},
      {"days", DatePart::kDay},
      {"d", DatePart::kDay},
      {"week", DatePart::kWeek},
      {"weeks", DatePart::kWeek},
      {"w", DatePart::kWeek},
      {"month", DatePart::kMonth},
      {"months", DatePart::kMonth},
      {"mon", DatePart::kMonth},
      {"mons", DatePart::kMonth},
      {"quarter", DatePart::kQuarter},
      {"qtr", DatePart::kQuarter},
      {"year", DatePart::kYear},
      {"years", DatePart::kYear},
      {"y", DatePart::kYear},
      {"yr", DatePart::kYear},
      {"yrs", DatePart::kYear},
      {"decade", DatePart::kDecade},
      {"decades", DatePart::kDecade},
      {"century", DatePart::kCentury},
      {"centuries", DatePart::kCentury},
      {"millennium", DatePart::kMillennium},
      {"millennia", DatePart::kMillennium},
      {"millenniums", DatePart::kMillennium},
      {"dow", DatePart::kDayOfWeek},
      {"isodow", DatePart::kIsoDayOfWeek},
      {"doy", DatePart::kDayOfYear},
      {"isoyear", DatePart::kIsoYear},
      {"epoch", DatePart::kEpoch},
  };
  return *names;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Days since 1970 and microseconds into the day.
void SplitTimestamp(int64_t micros, int64_t* days, int64_t* time) {
  *days = FloorDiv(micros, kMicrosPerDay);
  *time = micros - *days * kMicrosPerDay;
}

// Monday = 0 .. Sunday = 6; 1970-01-01 was a Thursday.
int64_t MondayBasedWeekday(int64_t days) {
  int64_t d = (days + 3) % 7;
  return d < 0 ? d + 7 : d;
}

// The ISO week's Thursday decides its year.
int64_t IsoThursday(int64_t days) { return days - MondayBasedWeekday(days) + 3; }

// Years are astronomical here (0 = 1 BC), as PostgreSQL's internal tm_year.
int64_t PostgresYear(int32_t year) { return year > 0 ? year : year - 1; }

[[noreturn]] void ThrowUnsupported(std::string_view name, const char* type) {
  ThrowError(sqlstate::kFeatureNotSupported, "unit \"{}\" not supported for type {}", name, type);
}

}  // namespace

std::optional<DatePart> DatePartFromName(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = PartNames().find(lower);
  if (it == PartNames().end()) return std::nullopt;
  return it->second;
}

DatePart DatePartFromNameOrThrow(std::string_view name) {
  std::optional<DatePart> part = DatePartFromName(name);
  if (!part) ThrowError(sqlstate::kInvalidParameterValue, "unit \"{}\" not recognized", name);
  return *part;
}

bool DatePartIsIntegral(DatePart part) {
  return part != DatePart::kSecond && part != DatePart::kMillisecond && part != DatePart::kEpoch;
}

int64_t ExtractIntegral(DatePart part, int64_t micros) {
  int64_t days, time;
  SplitTimestamp(micros, &days, &time);
  switch (part) {
    case DatePart::kMicrosecond:
      return time % kMicrosPerMinute;
    case DatePart::kMillisecond:
      return time % kMicrosPerMinute / 1000;
    case DatePart::kSecond:
      return time % kMicrosPerMinute / kMicrosPerSecond;
    case DatePart::kMinute:
      return time / kMicrosPerMinute % 60;
    case DatePart::kHour:
      return time / kMicrosPerHour;
    case DatePart::kDayOfWeek:
      return (MondayBasedWeekday(days) + 1) % 7;
    case DatePart::kIsoDayOfWeek:
      return MondayBasedWeekday(days) + 1;
    case DatePart::kEpoch:
      return FloorDiv(micros, kMicrosPerSecond);
    default:
      break;
  }
  if (part == DatePart::kWeek || part == DatePart::kIsoYear) {
    int64_t thursday = IsoThursday(days);
    int32_t iso_year = CivilFromDays(static_cast<int32_t>(thursday)).year;
    if (part == DatePart::kIsoYear) return PostgresYear(iso_year);
    return (thursday - DaysFromCivil(iso_year, 1, 1)) / 7 + 1;
  }
  CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  int64_t y = c.year;
  switch (part) {
    case DatePart::kDay:
      return c.day;
    case DatePart::kMonth:
      return c.month;
    case DatePart::kQuarter:
      return (c.month - 1) / 3 + 1;
    case DatePart::kYear:
      return PostgresYear(c.year);
    case DatePart::kDecade:
      return y >= 0 ? y / 10 : -((8 - (y - 1)) / 10);
    case DatePart::kCentury:
      return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
    case DatePart::kMillennium:
      return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
    case DatePart::kDayOfYear:
      return days - DaysFromCivil(c.year, 1, 1) + 1;
    default:
      return 0;
  }
}

double ExtractDouble(DatePart part, int64_t micros) {
  switch (part) {
    case DatePart::kSecond: {
      int64_t days, time;
      SplitTimestamp(micros, &days, &time);
      return static_cast<double>(time % kMicrosPerMinute) / kMicrosPerSecond;
    }
    case DatePart::kMillisecond: {
      int64_t days, time;
      SplitTimestamp(micros, &days, &time);
      return static_cast<double>(time % kMicrosPerMinute) / 1000.0;
    }
    case DatePart::kEpoch:
      return static_cast<double>(micros) / kMicrosPerSecond;
    default:
      return static_cast<double>(ExtractIntegral(part, micros));
  }
}

void CheckIntervalPart(DatePart part, std::string_view name) {
  switch (part) {
    case DatePart::kWeek:
    case DatePart::kDayOfWeek:
    case DatePart::kIsoDayOfWeek:
    case DatePart::kDayOfYear:
    case DatePart::kIsoYear:
      ThrowUnsupported(name, "interval");
    default:
      return;
  }
}

int64_t ExtractIntervalIntegral(DatePart part, const Interval& iv) {
  switch (part) {
    case DatePart::kMicrosecond:
      return iv.micros % kMicrosPerMinute;
    case DatePart::kMillisecond:
      return iv.micros % kMicrosPerMinute / 1000;
    case DatePart::kSecond:
      return iv.micros % kMicrosPerMinute / kMicrosPerSecond;
    case DatePart::kMinute:
      return iv.micros / kMicrosPerMinute % 60;
    case DatePart::kHour:
      return iv.micros / kMicrosPerHour;
    case DatePart::kDay:
      return iv.days;
    case DatePart::kMonth:
      return iv.months % 12;
    case DatePart::kQuarter:
      return (iv.months % 12) / 3 + 1;
    case DatePart::kYear:
      return iv.months / 12;
    case DatePart::kDecade:
      return iv.months / 120;
    case DatePart::kCentury:
      return iv.months / 1200;
    case DatePart::kMillennium:
      return iv.months / 12000;
    case DatePart::kEpoch:
      return static_cast<int64_t>(ExtractIntervalDouble(part, iv));
    default:
      CheckIntervalPart(part, "?");
      return 0;
  }
}

double ExtractIntervalDouble(DatePart part, const Interval& iv) {
  switch (part) {
    case DatePart::kSecond:
      return static_cast<double>(iv.micros % kMicrosPerMinute) / kMicrosPerSecond;
    case DatePart::kMillisecond:
      return static_cast<double>(iv.micros % kMicrosPerMinute) / 1000.0;
    case DatePart::kEpoch:
      // PostgreSQL counts a year as 365.25 days and a month as 30.
      return static_cast<double>(iv.micros) / kMicrosPerSecond +
             365.25 * 86400.0 * (iv.months / 12) + 30.0 * 86400.0 * (iv.months % 12) +
             86400.0 * iv.days;
    default:
      return static_cast<double>(ExtractIntervalIntegral(part, iv));
  }
}

void CheckTruncatablePart(DatePart part, std::string_view name) {
  switch (part) {
    case DatePart::kDayOfWeek:
    case DatePart::kIsoDayOfWeek:
    case DatePart::kDayOfYear:
    case DatePart::kIsoYear:
    case DatePart::kEpoch:
      ThrowUnsupported(name, "timestamp");
    default:
      return;
  }
}

int64_t TruncateTimestamp(DatePart part, int64_t micros) {
  int64_t days, time;
  SplitTimestamp(micros, &days, &time);
  switch (part) {
    case DatePart::kMicrosecond:
      return micros;
    case DatePart::kMillisecond:
      return FloorDiv(micros, 1000) * 1000;
    case DatePart::kSecond:
      return FloorDiv(micros, kMicrosPerSecond) * kMicrosPerSecond;
    case DatePart::kMinute:
      return FloorDiv(micros, kMicrosPerMinute) * kMicrosPerMinute;
    case DatePart::kHour:
      return FloorDiv(micros, kMicrosPerHour) * kMicrosPerHour;
    case DatePart::kDay:
      return days * kMicrosPerDay;
    case DatePart::kWeek:
      return (days - MondayBasedWeekday(days)) * kMicrosPerDay;
    default:
      break;
  }
  CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  int32_t y = c.year, m = c.month;
  switch (part) {
    case DatePart::kMonth:
      break;
    case DatePart::kQuarter:
      m = (m - 1) / 3 * 3 + 1;
      break;
    case DatePart::kYear:
      m = 1;
      break;
    case DatePart::kDecade:
      y = y > 0 ? y / 10 * 10 : -((8 - (y - 1)) / 10) * 10;
      m = 1;
      break;
    case DatePart::kCentury:
      y = y > 0 ? (y + 99) / 100 * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1;
      m = 1;
      break;
    case DatePart::kMillennium:
      y = y > 0 ? (y + 999) / 1000 * 1000 - 999 : -((999 - (y - 1)) / 1000) * 1000 + 1;
      m = 1;
      break;
    default:
      CheckTruncatablePart(part, "?");
      return micros;
  }
  return static_cast<int64_t>(DaysFromCivil(y, m, 1)) * kMicrosPerDay;
}

}  // namespace basalt
