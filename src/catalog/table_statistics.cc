#include "catalog/table_statistics.h"

#include <cmath>
#include <string_view>

#include "common/date_time.h"
#include "common/string_parse.h"

namespace basalt {

namespace {

// The position of the text of a value of `type` (the output form that
// Value::ToString writes and ANALYZE stores).
bool TextPosition(std::string_view text, const LogicalType& type, double* out) {
  switch (type.id()) {
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kReal:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      // Integers beyond 2^53 lose digits as doubles; for interpolation that
      // does not matter.
      if (!ParseDouble(text, out)) return false;
      break;
    case TypeId::kDate: {
      int32_t days = 0;
      if (!ParseDate(text, &days)) return false;
      *out = static_cast<double>(days) * static_cast<double>(kMicrosPerDay);
      break;
    }
    case TypeId::kTimestamp: {
      int64_t micros = 0;
      if (!ParseTimestamp(text, &micros)) return false;
      *out = static_cast<double>(micros);
      break;
    }
    default:
      return false;
  }
  return std::isfinite(*out);
}

}  // namespace

bool ValuePosition(const Value& value, double* out) {
  if (value.IsNull()) return false;
  const LogicalType& type = value.type();
  switch (type.id()) {
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
      *out = static_cast<double>(value.GetInt64());
      break;
    case TypeId::kReal:
    case TypeId::kDouble:
      *out = value.GetDouble();
      break;
    case TypeId::kDecimal:
      *out = static_cast<double>(static_cast<long double>(value.GetDecimal()) /
                                 std::pow(10.0L, type.scale()));
      break;
    case TypeId::kDate:
      *out = static_cast<double>(value.GetInt64()) * static_cast<double>(kMicrosPerDay);
      break;
    case TypeId::kTimestamp:
      *out = static_cast<double>(value.GetInt64());
      break;
    default:
      return false;
  }
  return std::isfinite(*out);
}

std::string CutUtf8(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the character
  // that would be split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) end--;
  text.resize(end);
  return text;
}

std::shared_ptr<const TableStatistics> MakeTableStatistics(TableStatisticsRecord record,
                                                           const std::vector<LogicalType>& types) {
  auto statistics = std::make_shared<TableStatistics>();
  statistics->record = std::move(record);
  statistics->columns.resize(types.size());
  for (size_t i = 0; i < statistics->record.columns.size(); i++) {
    const ColumnStatisticsRecord& c = statistics->record.columns[i];
    // A record of a column the table no longer has is kept but not used.
    if (c.column >= types.size()) continue;
    TableStatistics::Column& column = statistics->columns[c.column];
    column.record_index = static_cast<int>(i);
    column.has_positions = c.has_bounds &&
                           TextPosition(c.min, types[c.column], &column.min_position) &&
                           TextPosition(c.max, types[c.column], &column.max_position) &&
                           column.min_position <= column.max_position;
  }
  return statistics;
}

}  // namespace basalt
