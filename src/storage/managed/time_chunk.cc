#include "storage/managed/time_chunk.h"

#include <fmt/format.h>

#include "common/date_time.h"

namespace basalt {

namespace {

// Floor division: chunks of times before 1970 start at or before them.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The first microsecond of a day, or an open end past TIMESTAMP's range.
int64_t DayStart(int32_t days) {
  int64_t micros;
  if (__builtin_mul_overflow(static_cast<int64_t>(days), kMicrosPerDay, &micros)) {
    return days < 0 ? kChunkMinusInfinity : kChunkPlusInfinity;
  }
  return micros;
}

}  // namespace

bool ParseTimeGranularity(std::string_view name, TimeGranularity* out) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "hour") *out = TimeGranularity::kHour;
  else if (lower == "day") *out = TimeGranularity::kDay;
  else if (lower == "month") *out = TimeGranularity::kMonth;
  else if (lower == "year") *out = TimeGranularity::kYear;
  else return false;
  return true;
}

const char* TimeGranularityName(TimeGranularity granularity) {
  switch (granularity) {
    case TimeGranularity::kNone: return "none";
    case TimeGranularity::kHour: return "hour";
    case TimeGranularity::kDay: return "day";
    case TimeGranularity::kMonth: return "month";
    case TimeGranularity::kYear: return "year";
  }
  return "none";
}

// start + length, or the open end when that would pass it (the last chunk
// of the time line is open-ended rather than wrapped around).
int64_t ChunkEnd(int64_t start, int64_t length) {
  return start > kChunkPlusInfinity - length ? kChunkPlusInfinity : start + length;
}

TimeChunk ChunkOf(TimeGranularity granularity, int64_t micros) {
  switch (granularity) {
    case TimeGranularity::kNone:
      return TimeChunk{};
    case TimeGranularity::kHour: {
      int64_t start = FloorDiv(micros, kMicrosPerHour) * kMicrosPerHour;
      return {start, ChunkEnd(start, kMicrosPerHour)};
    }
    case TimeGranularity::kDay: {
      int64_t start = FloorDiv(micros, kMicrosPerDay) * kMicrosPerDay;
      return {start, ChunkEnd(start, kMicrosPerDay)};
    }
    case TimeGranularity::kMonth:
    case TimeGranularity::kYear: {
      CivilDate date = CivilFromDays(static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay)));
      if (granularity == TimeGranularity::kYear) {
        return {DayStart(DaysFromCivil(date.year, 1, 1)), DayStart(DaysFromCivil(date.year + 1, 1, 1))};
      }
      int32_t next_year = date.month == 12 ? date.year + 1 : date.year;
      int32_t next_month = date.month == 12 ? 1 : date.month + 1;
      return {DayStart(DaysFromCivil(date.year, date.month, 1)),
              DayStart(DaysFromCivil(next_year, next_month, 1))};
    }
  }
  return TimeChunk{};
}

std::string FormatChunkBound(int64_t micros) {
  if (micros == kChunkMinusInfinity) return "-infinity";
  if (micros == kChunkPlusInfinity) return "infinity";
  // Chunk bounds are whole hours: the ISO form without fractions.
  std::string text = FormatTimestamp(micros);  // "2024-03-01 00:00:00" (BC suffixed)
  for (char& c : text) {
    if (c == ' ') {
      c = 'T';
      break;
    }
  }
  size_t bc = text.find(" BC");
  if (bc != std::string::npos) return text.substr(0, bc) + "Z BC";
  return text + "Z";
}

std::string MakeSegmentId(std::string_view table, const TimeChunk& chunk, int64_t version,
                          int32_t partition) {
  return fmt::format("{}_{}_{}_{}_{}", table, FormatChunkBound(chunk.start),
                     FormatChunkBound(chunk.end), version, partition);
}

std::string PathComponent(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    // '.' only inside a name, so that neither "." nor ".." can come out.
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == ':' || (c == '.' && !out.empty());
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  if (out.empty()) out = "%";
  return out;
}

}  // namespace basalt
