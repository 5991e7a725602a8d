#include "storage/parquet/parquet_statistics.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

namespace basalt {

namespace {

template <typename T>
std::optional<T> Load(const std::string& bytes) {
  if (bytes.size() != sizeof(T)) return std::nullopt;
  T v;
  std::memcpy(&v, bytes.data(), sizeof(T));
  return v;
}

// A statistics value (PLAIN bytes without a length prefix) as a Value of the
// column's Basalt type; nullopt when it does not decode.
std::optional<Value> Decode(const ParquetColumn& c, const std::string& bytes) {
  const LogicalType& t = c.type;
  auto decimal = [&](int128_t raw) { return Value::Decimal(raw, t.precision(), t.scale()); };
  switch (c.conversion) {
    case ParquetConversion::kBoolean:
      if (bytes.size() != 1) return std::nullopt;
      return Value::Boolean(bytes[0] != 0);
    case ParquetConversion::kInt32ToInt16:
      if (auto v = Load<int32_t>(bytes)) return Value::Smallint(static_cast<int16_t>(*v));
      return std::nullopt;
    case ParquetConversion::kInt32:
      if (auto v = Load<int32_t>(bytes)) {
        return t.id() == TypeId::kDate ? Value::Date(*v) : Value::Integer(*v);
      }
      return std::nullopt;
    case ParquetConversion::kUint32ToInt64:
      if (auto v = Load<uint32_t>(bytes)) return Value::Bigint(*v);
      return std::nullopt;
    case ParquetConversion::kInt64:
      if (auto v = Load<int64_t>(bytes)) {
        return t.id() == TypeId::kTimestamp ? Value::Timestamp(*v) : Value::Bigint(*v);
      }
      return std::nullopt;
    case ParquetConversion::kUint64:
      if (auto v = Load<uint64_t>(bytes); v && *v <= INT64_MAX) {
        return Value::Bigint(static_cast<int64_t>(*v));
      }
      return std::nullopt;
    case ParquetConversion::kInt32Decimal:
      if (auto v = Load<int32_t>(bytes)) return decimal(*v);
      return std::nullopt;
    case ParquetConversion::kInt64Decimal:
      if (auto v = Load<int64_t>(bytes)) return decimal(*v);
      return std::nullopt;
    case ParquetConversion::kBinaryDecimal: {
      if (bytes.empty() || bytes.size() > 16) return std::nullopt;
      uint128_t v = static_cast<uint8_t>(bytes[0]) & 0x80 ? ~uint128_t{0} : 0;
      for (char ch : bytes) v = (v << 8) | static_cast<uint8_t>(ch);
      return decimal(static_cast<int128_t>(v));
    }
    case ParquetConversion::kTimestampMillis:
      if (auto v = Load<int64_t>(bytes); v && *v > INT64_MIN / 1000 && *v < INT64_MAX / 1000) {
        return Value::Timestamp(*v * 1000);
      }
      return std::nullopt;
    case ParquetConversion::kTimestampNanos:
      if (auto v = Load<int64_t>(bytes)) return Value::Timestamp(NanosToMicros(*v));
      return std::nullopt;
    case ParquetConversion::kFloat:
      if (auto v = Load<float>(bytes); v && *v == *v) return Value::Real(*v);
      return std::nullopt;
    case ParquetConversion::kDouble:
      if (auto v = Load<double>(bytes); v && *v == *v) return Value::Double(*v);
      return std::nullopt;
    case ParquetConversion::kString:
      return Value::Varchar(bytes);
    case ParquetConversion::kInt96Timestamp:
      return std::nullopt;  // INT96 has no defined sort order
  }
  return std::nullopt;
}

// Whether the deprecated signed-order min / max fields mean what they say for
// this column: only for signed numbers (never strings, unsigned or binary
// decimals, whose orders they get wrong).
bool LegacyBoundsUsable(const ParquetColumn& c) {
  switch (c.conversion) {
    case ParquetConversion::kInt32ToInt16:
    case ParquetConversion::kInt32:
    case ParquetConversion::kInt64:
    case ParquetConversion::kInt32Decimal:
    case ParquetConversion::kInt64Decimal:
    case ParquetConversion::kTimestampMillis:
    case ParquetConversion::kTimestampNanos:
    case ParquetConversion::kFloat:
    case ParquetConversion::kDouble:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool ParquetStatisticsMayMatch(const ParquetColumn& c, const parquet::Statistics& s,
                               int64_t rows, const ScanPredicate& p) {
  ValueRange range;
  if (s.null_count) {
    range.may_have_null = *s.null_count > 0;
    range.may_have_value = *s.null_count < rows;
  }
  if (c.max_definition_level == 0) range.may_have_null = false;
  const bool is_string = c.conversion == ParquetConversion::kString;
  const bool is_float =
      c.conversion == ParquetConversion::kFloat || c.conversion == ParquetConversion::kDouble;
  const std::string* min = s.min_value ? &*s.min_value : nullptr;
  const std::string* max = s.max_value ? &*s.max_value : nullptr;
  if (!min && !max && LegacyBoundsUsable(c)) {
    min = s.min ? &*s.min : nullptr;
    max = s.max ? &*s.max : nullptr;
  }
  std::optional<Value> min_value;
  std::optional<Value> max_value;
  if (min) min_value = Decode(c, *min);
  if (max && !is_float) max_value = Decode(c, *max);
  if (min_value) {
    range.min = &*min_value;
    range.min_exact = !is_string && !is_float && s.is_min_value_exact.value_or(true);
  }
  if (max_value) {
    range.max = &*max_value;
    range.max_exact = !is_string && s.is_max_value_exact.value_or(true);
  }
  return RangeMayMatch(p, range);
}

bool ParquetRowGroupMayMatch(const ParquetFile& file, idx_t row_group,
                             const std::vector<ScanPredicate>& predicates) {
  const auto& group = file.metadata().row_groups[row_group];
  for (const ScanPredicate& p : predicates) {
    if (p.column >= file.columns().size()) continue;
    const ParquetColumn& c = file.columns()[p.column];
    if (c.nested) continue;  // a LIST / STRUCT column has no statistics Basalt uses
    const auto& chunk = group.columns[c.first_leaf];
    if (!chunk.meta_data || !chunk.meta_data->statistics) continue;
    if (!ParquetStatisticsMayMatch(c, *chunk.meta_data->statistics, group.num_rows, p)) {
      return false;
    }
  }
  return true;
}

bool ParquetPageMayMatch(const ParquetFile& file, idx_t column, const parquet::Statistics& s,
                         int64_t rows, const std::vector<ScanPredicate>& predicates) {
  const ParquetColumn& c = file.columns()[column];
  if (c.nested) return true;
  for (const ScanPredicate& p : predicates) {
    if (p.column == column && !ParquetStatisticsMayMatch(c, s, rows, p)) return false;
  }
  return true;
}

double ParquetDistinctBound(const std::vector<std::shared_ptr<const ParquetFile>>& files,
                            idx_t column) {
  double rows = 0;
  bool any = false;
  int64_t low = std::numeric_limits<int64_t>::max();
  int64_t high = std::numeric_limits<int64_t>::min();
  for (const auto& file : files) {
    if (column >= file->columns().size()) return -1;
    const ParquetColumn& c = file->columns()[column];
    if (!c.type.IsInteger() && c.type.id() != TypeId::kDate) return -1;
    for (const auto& group : file->metadata().row_groups) {
      rows += static_cast<double>(group.num_rows);
      const auto& chunk = group.columns[c.first_leaf];
      if (!chunk.meta_data || !chunk.meta_data->statistics) return -1;
      const parquet::Statistics& s = *chunk.meta_data->statistics;
      if (s.null_count && *s.null_count >= group.num_rows) continue;  // only NULLs
      const std::string* min = s.min_value ? &*s.min_value : nullptr;
      const std::string* max = s.max_value ? &*s.max_value : nullptr;
      if ((!min || !max) && LegacyBoundsUsable(c)) {
        min = s.min ? &*s.min : nullptr;
        max = s.max ? &*s.max : nullptr;
      }
      if (!min || !max) return -1;
      std::optional<Value> min_value = Decode(c, *min);
      std::optional<Value> max_value = Decode(c, *max);
      if (!min_value || !max_value) return -1;
      low = std::min(low, min_value->GetInt64());
      high = std::max(high, max_value->GetInt64());
      any = true;
    }
  }
  if (!any) return rows > 0 ? -1 : 0;
  return std::min(rows, static_cast<double>(high) - static_cast<double>(low) + 1);
}

}  // namespace basalt
