#include "server/pg_types.h"

namespace basalt {

PgTypeInfo PgTypeOf(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kBoolean:
      return {pg_oid::kBool, 1, -1};
    case TypeId::kSmallint:
      return {pg_oid::kInt2, 2, -1};
    case TypeId::kInteger:
      return {pg_oid::kInt4, 4, -1};
    case TypeId::kBigint:
      return {pg_oid::kInt8, 8, -1};
    case TypeId::kReal:
      return {pg_oid::kFloat4, 4, -1};
    case TypeId::kDouble:
      return {pg_oid::kFloat8, 8, -1};
    case TypeId::kDecimal:
      // PostgreSQL's numeric typmod: precision and scale packed, offset by
      // the 4 bytes of the varlena header (VARHDRSZ).
      return {pg_oid::kNumeric, -1, ((int32_t{type.precision()} << 16) | type.scale()) + 4};
    case TypeId::kDate:
      return {pg_oid::kDate, 4, -1};
    case TypeId::kTimestamp:
      return {pg_oid::kTimestamp, 8, -1};
    case TypeId::kInterval:
      return {pg_oid::kInterval, 16, -1};
    case TypeId::kVarchar:
    case TypeId::kNull:  // PostgreSQL resolves an untyped NULL column to text too
    case TypeId::kInvalid:
      break;
  }
  return {pg_oid::kText, -1, -1};
}

std::string PgTextOf(const Value& value) {
  if (value.type().id() == TypeId::kBoolean) return value.GetBool() ? "t" : "f";
  return value.ToString();
}

}  // namespace basalt
