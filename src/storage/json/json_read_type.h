// The type a JSON reader (json_reader.h) is asked for when a column is
// declared with a type it does not convert to itself: the reader produces
// BOOLEAN, BIGINT, DOUBLE, DATE, TIMESTAMP and VARCHAR, so narrower integers
// are read as BIGINT, REAL as DOUBLE and anything else as its text, and the
// caller casts to the declared type (external tables, COPY FROM json).
#pragma once

#include "common/types.h"

namespace basalt {

inline LogicalType JsonReadType(const LogicalType& declared) {
  switch (declared.id()) {
    case TypeId::kBoolean:
    case TypeId::kBigint:
    case TypeId::kDouble:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kVarchar:
      return declared;
    case TypeId::kSmallint:
    case TypeId::kInteger:
      return LogicalType(TypeId::kBigint);
    case TypeId::kReal:
      return LogicalType(TypeId::kDouble);
    default:
      // DECIMAL from the number's text keeps every digit; a double would not.
      return LogicalType(TypeId::kVarchar);
  }
}

}  // namespace basalt
