// Time chunks: how a managed table's rows are split by time (PARTITION BY
// day(ts) and friends), and the segment ids that name a chunk's segments.
//
// A chunk is a half-open interval [start, end) of microseconds since
// 1970-01-01 (TIMESTAMP's unit; a DATE column's days are scaled). A table
// without PARTITION BY has one chunk, the whole time line
// [kChunkMinusInfinity, kChunkPlusInfinity).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

enum class TimeGranularity : uint8_t { kNone, kHour, kDay, kMonth, kYear };

inline constexpr int64_t kChunkMinusInfinity = INT64_MIN;
inline constexpr int64_t kChunkPlusInfinity = INT64_MAX;

// PARTITION BY <granularity>(<column>); column = -1 (and kNone) when absent.
struct TablePartitioning {
  int column = -1;
  TimeGranularity granularity = TimeGranularity::kNone;
  bool partitioned() const { return column >= 0; }
};

struct TimeChunk {
  int64_t start = kChunkMinusInfinity;
  int64_t end = kChunkPlusInfinity;
  bool operator==(const TimeChunk& o) const { return start == o.start && end == o.end; }
  bool operator<(const TimeChunk& o) const { return start < o.start; }
};

// "hour", "day", "month", "year" (any case); false for anything else.
bool ParseTimeGranularity(std::string_view name, TimeGranularity* out);
const char* TimeGranularityName(TimeGranularity granularity);  // "none", "day", ...

// The chunk holding `micros` (kNone: the whole time line).
TimeChunk ChunkOf(TimeGranularity granularity, int64_t micros);

// A chunk bound as it appears in segment ids and sys.segments:
// "2024-03-01T00:00:00Z", and "-infinity" / "infinity" for the open ends.
std::string FormatChunkBound(int64_t micros);

// <table>_<start>_<end>_<version>_<partition>, e.g.
// "events_2024-03-01T00:00:00Z_2024-03-02T00:00:00Z_7_0".
std::string MakeSegmentId(std::string_view table, const TimeChunk& chunk, int64_t version,
                          int32_t partition);

// A name made safe as one path component: ASCII letters, digits, '_', '-',
// ':' and (not first) '.' stay; every other byte becomes %XX, so distinct
// names stay distinct and nothing escapes its directory ("..", "/").
std::string PathComponent(std::string_view name);

}  // namespace basalt
