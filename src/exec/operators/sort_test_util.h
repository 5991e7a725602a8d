// Test-only helpers shared by sort_test.cc and top_n_test.cc: random rows of
// every sortable type and an independent, Value-based reference ordering.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "exec/operators/operator_test_util.h"
#include "exec/operators/sort_key.h"

namespace basalt::optest {

struct KeySpec {
  idx_t column;
  bool descending;
  bool nulls_first;
};

inline std::vector<SortKey> MakeSortKeys(const std::vector<LogicalType>& types,
                                         const std::vector<KeySpec>& specs) {
  std::vector<SortKey> keys;
  for (const KeySpec& s : specs) {
    keys.push_back({Col(s.column, types[s.column]), s.descending, s.nulls_first});
  }
  return keys;
}

// Every sortable type, then a unique BIGINT row number (the last column).
inline std::vector<LogicalType> AllSortTypes() {
  return {TypeId::kBoolean,
          TypeId::kSmallint,
          TypeId::kInteger,
          TypeId::kBigint,
          TypeId::kReal,
          TypeId::kDouble,
          LogicalType::Decimal(10, 2),
          LogicalType::Decimal(30, 2),
          TypeId::kVarchar,
          TypeId::kDate,
          TypeId::kTimestamp,
          TypeId::kInterval,
          TypeId::kBigint};
}

// Rows over AllSortTypes() with small domains (many ties) and ~10% NULLs.
inline std::vector<Row> RandomRows(const std::vector<LogicalType>& types, int count,
                                   uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<double> doubles = {NAN, -INFINITY, INFINITY, -0.0, 0.0, 1.5, -2.25, 1e100};
  const std::vector<std::string> strings = {
      "", "a", "ab", "abc", "abcdefghijklmn", "abcdefghijklmo", "b", "\xff", "\xc3\xa9", "A"};
  std::vector<Row> rows;
  for (int i = 0; i < count; i++) {
    Row row;
    for (size_t c = 0; c + 1 < types.size(); c++) {
      const LogicalType& t = types[c];
      if (rng() % 10 == 0) {
        row.push_back(Value::Null(t));
        continue;
      }
      const int64_t small = static_cast<int64_t>(rng() % 11) - 5;
      switch (t.id()) {
        case TypeId::kBoolean:
          row.push_back(Value::Boolean(small > 0));
          break;
        case TypeId::kSmallint:
          row.push_back(Value::Smallint(static_cast<int16_t>(small * 1000)));
          break;
        case TypeId::kInteger:
          row.push_back(Value::Integer(static_cast<int32_t>(small * 100000)));
          break;
        case TypeId::kBigint:
          row.push_back(Int(small * 1000000000000LL));
          break;
        case TypeId::kReal:
          row.push_back(Value::Real(static_cast<float>(doubles[rng() % doubles.size()])));
          break;
        case TypeId::kDouble:
          row.push_back(Value::Double(doubles[rng() % doubles.size()]));
          break;
        case TypeId::kDecimal:
          row.push_back(Value::Decimal(t.precision() > 18 ? int128_t{small} << 70 : small * 12345,
                                       t.precision(), t.scale()));
          break;
        case TypeId::kVarchar:
          row.push_back(Str(strings[rng() % strings.size()]));
          break;
        case TypeId::kDate:
          row.push_back(Value::Date(static_cast<int32_t>(small * 400)));
          break;
        case TypeId::kTimestamp:
          row.push_back(Value::Timestamp(small * 86400000000LL));
          break;
        case TypeId::kInterval: {
          // {1 month} and {30 days} sort as equal.
          const Interval choices[] = {
              {1, 0, 0}, {0, 30, 0}, {0, 0, 5}, {-1, 2, 0}, {0, 29, 86400000001}};
          row.push_back(Value::FromInterval(choices[rng() % 5]));
          break;
        }
        default:
          ADD_FAILURE() << "unexpected type";
      }
    }
    row.push_back(Int(i));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Reference ordering of two non-NULL values of one type, written without
// the operators' code.
inline int ReferenceCompare(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.type().id()) {
    case TypeId::kBoolean:
      return cmp(a.GetBool(), b.GetBool());
    case TypeId::kReal:
    case TypeId::kDouble: {
      double x = a.GetDouble(), y = b.GetDouble();
      if (std::isnan(x) || std::isnan(y)) return cmp(std::isnan(x), std::isnan(y));
      return cmp(x, y);
    }
    case TypeId::kDecimal:
      return cmp(a.GetDecimal(), b.GetDecimal());
    case TypeId::kVarchar:
      return cmp(a.GetString(), b.GetString());
    case TypeId::kInterval: {
      auto len = [](const Interval& v) {
        return (static_cast<long double>(v.months) * 30 + v.days) * 86400e6L + v.micros;
      };
      return cmp(len(a.GetInterval()), len(b.GetInterval()));
    }
    default:
      return cmp(a.GetInt64(), b.GetInt64());
  }
}

// <0 when row a must come before row b under `specs`.
inline int ReferenceCompareRows(const Row& a, const Row& b, const std::vector<KeySpec>& specs) {
  for (const KeySpec& s : specs) {
    const Value& x = a[s.column];
    const Value& y = b[s.column];
    int c;
    if (x.IsNull() || y.IsNull()) {
      c = x.IsNull() == y.IsNull() ? 0 : ((x.IsNull() == s.nulls_first) ? -1 : 1);
    } else {
      c = ReferenceCompare(x, y);
      if (s.descending) c = -c;
    }
    if (c != 0) return c;
  }
  return 0;
}

inline void ExpectOrdered(const std::vector<Row>& rows, const std::vector<KeySpec>& specs) {
  for (size_t i = 1; i < rows.size(); i++) {
    if (ReferenceCompareRows(rows[i - 1], rows[i], specs) > 0) {
      ADD_FAILURE() << "rows " << i - 1 << " and " << i
                    << " out of order: " << RowToString(rows[i - 1]) << " then "
                    << RowToString(rows[i]);
      return;
    }
  }
}

}  // namespace basalt::optest
