#include "storage/managed/scan_predicate.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "common/date_time.h"

namespace basalt {

namespace {

template <typename T>
int ThreeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

const char* OpText(ScanPredicateOp op) {
  switch (op) {
    case ScanPredicateOp::kEqual: return "=";
    case ScanPredicateOp::kNotEqual: return "<>";
    case ScanPredicateOp::kLess: return "<";
    case ScanPredicateOp::kLessEqual: return "<=";
    case ScanPredicateOp::kGreater: return ">";
    case ScanPredicateOp::kGreaterEqual: return ">=";
    case ScanPredicateOp::kIn: return "IN";
    case ScanPredicateOp::kIsNull: return "IS NULL";
    case ScanPredicateOp::kIsNotNull: return "IS NOT NULL";
  }
  return "?";
}

std::string ValueText(const Value& v) {
  if (v.IsNull() || v.type().id() != TypeId::kVarchar) return v.ToString();
  std::string out = "'";
  for (char c : v.GetString()) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Whether some value of `range` may equal c.
bool MayEqual(const Value& c, const ValueRange& range) {
  if (range.min != nullptr) {
    const int k = CompareScanValues(c, *range.min);
    if (k < 0 || (k == 0 && range.min_strict)) return false;
  }
  if (range.max != nullptr) {
    const int k = CompareScanValues(c, *range.max);
    if (k > 0 || (k == 0 && range.max_strict)) return false;
  }
  return true;
}

// Ceiling division for a positive divisor.
int64_t CeilDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

}  // namespace

int CompareScanValues(const Value& a, const Value& b) {
  switch (a.type().id()) {
    case TypeId::kBoolean:
      return ThreeWay(a.GetBool(), b.GetBool());
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kDate:
    case TypeId::kTimestamp:
      return ThreeWay(a.GetInt64(), b.GetInt64());
    case TypeId::kDecimal:
      return ThreeWay(a.GetDecimal(), b.GetDecimal());
    case TypeId::kReal:
    case TypeId::kDouble: {
      const double x = a.GetDouble();
      const double y = b.GetDouble();
      const bool x_nan = std::isnan(x);
      const bool y_nan = std::isnan(y);
      if (x_nan || y_nan) return static_cast<int>(x_nan) - static_cast<int>(y_nan);
      return ThreeWay(x, y);  // 0.0 and -0.0 compare equal, as in the engine
    }
    case TypeId::kVarchar: {
      // Byte-wise: std::string_view compares chars as unsigned.
      const int k = std::string_view(a.GetString()).compare(b.GetString());
      return k < 0 ? -1 : (k > 0 ? 1 : 0);
    }
    case TypeId::kInterval:
      return ThreeWay(IntervalSortKey(a.GetInterval()), IntervalSortKey(b.GetInterval()));
    default:
      return 0;
  }
}

std::string ScanPredicate::ToString(const std::string& column_name) const {
  std::string out = column_name + " " + OpText(op);
  if (op == ScanPredicateOp::kIn) {
    out += " (";
    for (size_t i = 0; i < values.size(); i++) {
      if (i > 0) out += ",";
      out += ValueText(values[i]);
    }
    return out + ")";
  }
  if (!values.empty()) out += " " + ValueText(values[0]);
  return out;
}

ScanPredicate MakeComparison(idx_t column, ScanPredicateOp op, Value value) {
  ScanPredicate p;
  p.column = column;
  p.op = op;
  p.values.push_back(std::move(value));
  return p;
}

ScanPredicate MakeInList(idx_t column, std::vector<Value> values) {
  ScanPredicate p;
  p.column = column;
  p.op = ScanPredicateOp::kIn;
  values.erase(std::remove_if(values.begin(), values.end(),
                              [](const Value& v) { return v.IsNull(); }),
               values.end());
  std::sort(values.begin(), values.end(),
            [](const Value& a, const Value& b) { return CompareScanValues(a, b) < 0; });
  values.erase(std::unique(values.begin(), values.end(),
                           [](const Value& a, const Value& b) {
                             return CompareScanValues(a, b) == 0;
                           }),
               values.end());
  p.values = std::move(values);
  return p;
}

bool RangeMayMatch(const ScanPredicate& p, const ValueRange& range) {
  switch (p.op) {
    case ScanPredicateOp::kIsNull:
      return range.may_have_null;
    case ScanPredicateOp::kIsNotNull:
      return range.may_have_value;
    default:
      break;
  }
  // NULL satisfies no comparison and no IN.
  if (!range.may_have_value) return false;
  if (p.op == ScanPredicateOp::kIn) {
    // The first listed value not below the range is the only one that needs
    // checking against its top.
    auto first = p.values.begin();
    if (range.min != nullptr) {
      first = std::partition_point(p.values.begin(), p.values.end(), [&](const Value& v) {
        const int k = CompareScanValues(v, *range.min);
        return k < 0 || (k == 0 && range.min_strict);
      });
    }
    return first != p.values.end() && MayEqual(*first, range);
  }
  if (p.values.empty() || p.values[0].IsNull()) return false;  // col op NULL is never TRUE
  const Value& c = p.values[0];
  switch (p.op) {
    case ScanPredicateOp::kEqual:
      return MayEqual(c, range);
    case ScanPredicateOp::kNotEqual:
      // Only a range whose every value is c fails; that takes exact bounds.
      return !(range.min != nullptr && range.max != nullptr && range.min_exact &&
               range.max_exact && CompareScanValues(*range.min, c) == 0 &&
               CompareScanValues(*range.max, c) == 0);
    case ScanPredicateOp::kLess:
      return range.min == nullptr || CompareScanValues(*range.min, c) < 0;
    case ScanPredicateOp::kLessEqual: {
      if (range.min == nullptr) return true;
      const int k = CompareScanValues(*range.min, c);
      return k < 0 || (k == 0 && !range.min_strict);
    }
    case ScanPredicateOp::kGreater:
      return range.max == nullptr || CompareScanValues(*range.max, c) > 0;
    case ScanPredicateOp::kGreaterEqual: {
      if (range.max == nullptr) return true;
      const int k = CompareScanValues(*range.max, c);
      return k > 0 || (k == 0 && !range.max_strict);
    }
    default:
      return true;
  }
}

bool ZoneMayMatch(const ScanPredicate& predicate, const ZoneMap& zone, uint64_t row_count) {
  ValueRange range;
  range.may_have_null = zone.null_count > 0;
  range.may_have_value = zone.null_count < row_count;
  // An inexact bound (a long string cut short) still bounds every value, but
  // is not itself a value; it is treated as inclusive, which never prunes
  // more than the truncation rules allow.
  if (zone.has_min) {
    range.min = &zone.min;
    range.min_exact = zone.min_exact;
  }
  if (zone.has_max) {
    range.max = &zone.max;
    range.max_exact = zone.max_exact;
  }
  return RangeMayMatch(predicate, range);
}

bool ChunkMayMatch(const ScanPredicate& predicate, const TimeChunk& chunk,
                   const LogicalType& column_type) {
  if (predicate.op == ScanPredicateOp::kIsNull || predicate.op == ScanPredicateOp::kIsNotNull) {
    return true;
  }
  ValueRange range;
  Value lo, hi;
  if (column_type.id() == TypeId::kTimestamp) {
    if (chunk.start != kChunkMinusInfinity) {
      lo = Value::Timestamp(chunk.start);
      range.min = &lo;
    }
    if (chunk.end != kChunkPlusInfinity) {
      hi = Value::Timestamp(chunk.end);
      range.max = &hi;
      range.max_strict = true;  // the chunk is half-open
    }
  } else if (column_type.id() == TypeId::kDate) {
    // Day d lies in the chunk when start <= d * kMicrosPerDay < end: from the
    // first day starting at or after `start` to the last one starting before
    // `end`. Days beyond DATE's range leave that side open.
    if (chunk.start != kChunkMinusInfinity) {
      const int64_t first = CeilDiv(chunk.start, kMicrosPerDay);
      if (first >= INT32_MIN && first <= INT32_MAX) {
        lo = Value::Date(static_cast<int32_t>(first));
        range.min = &lo;
      }
    }
    if (chunk.end != kChunkPlusInfinity) {
      const int64_t last = CeilDiv(chunk.end, kMicrosPerDay) - 1;
      if (last >= INT32_MIN && last <= INT32_MAX) {
        hi = Value::Date(static_cast<int32_t>(last));
        range.max = &hi;
      }
    }
    // A chunk shorter than a day that holds no midnight holds no date.
    if (range.min != nullptr && range.max != nullptr && lo.GetInt64() > hi.GetInt64()) {
      return false;
    }
  } else {
    return true;
  }
  return RangeMayMatch(predicate, range);
}

}  // namespace basalt
