#include "common/types.h"

#include <unordered_map>

#include <fmt/format.h>

#include "common/exception.h"
#include "common/nested_type.h"
#include "common/string_ref.h"

namespace basalt {

PhysicalType LogicalType::physical() const {
  switch (id_) {
    case TypeId::kNull:
    case TypeId::kBoolean:
      return PhysicalType::kBool;
    case TypeId::kSmallint:
      return PhysicalType::kInt16;
    case TypeId::kInteger:
    case TypeId::kDate:
      return PhysicalType::kInt32;
    case TypeId::kBigint:
    case TypeId::kTimestamp:
      return PhysicalType::kInt64;
    case TypeId::kDecimal:
      return precision_ <= kMaxInt64DecimalPrecision ? PhysicalType::kInt64
                                                     : PhysicalType::kInt128;
    case TypeId::kReal:
      return PhysicalType::kFloat;
    case TypeId::kDouble:
      return PhysicalType::kDouble;
    case TypeId::kVarchar:
    case TypeId::kList:
    case TypeId::kStruct:
      return PhysicalType::kString;
    case TypeId::kInterval:
      return PhysicalType::kInterval;
    case TypeId::kInvalid:
      break;
  }
  throw BasaltError(sqlstate::kInternalError, "internal error: physical type of invalid type");
}

idx_t LogicalType::ValueSize() const {
  switch (physical()) {
    case PhysicalType::kBool:
      return 1;
    case PhysicalType::kInt16:
      return 2;
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt128:
      return 16;
    case PhysicalType::kString:
      return sizeof(StringRef);
    case PhysicalType::kInterval:
      return sizeof(Interval);
  }
  return 0;
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kInvalid:
      return "INVALID";
    case TypeId::kNull:
      return "NULL";
    case TypeId::kBoolean:
      return "BOOLEAN";
    case TypeId::kSmallint:
      return "SMALLINT";
    case TypeId::kInteger:
      return "INTEGER";
    case TypeId::kBigint:
      return "BIGINT";
    case TypeId::kReal:
      return "REAL";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kDecimal:
      return fmt::format("DECIMAL({},{})", precision_, scale_);
    case TypeId::kVarchar:
      return "VARCHAR";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kTimestamp:
      return "TIMESTAMP";
    case TypeId::kInterval:
      return "INTERVAL";
    case TypeId::kList:
    case TypeId::kStruct:
      return NestedTypeToString(*this);
  }
  return "?";
}

// Not derived from PgBuiltinTypes' sql_name (pg_types.cc, format_type's
// spelling): messages name types as PostgreSQL's input functions do, which
// differs for timestamp ("timestamp", not "timestamp without time zone") and
// for an untyped NULL ("unknown"); see the comment there.
const char* LogicalType::PostgresName() const {
  switch (id_) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kSmallint:
      return "smallint";
    case TypeId::kInteger:
      return "integer";
    case TypeId::kBigint:
      return "bigint";
    case TypeId::kReal:
      return "real";
    case TypeId::kDouble:
      return "double precision";
    case TypeId::kDecimal:
      return "numeric";
    case TypeId::kVarchar:
      return "text";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kInterval:
      return "interval";
    // PostgreSQL's words for an array and an anonymous composite value.
    case TypeId::kList:
      return "array";
    case TypeId::kStruct:
      return "record";
    case TypeId::kNull:
      return "unknown";
    case TypeId::kInvalid:
      break;
  }
  return "invalid";
}

uint8_t IntegerDecimalPrecision(TypeId id) {
  switch (id) {
    case TypeId::kSmallint:
      return 5;
    case TypeId::kInteger:
      return 10;
    case TypeId::kBigint:
      return 19;
    default:
      return 0;
  }
}

LogicalType TypeFromName(const std::string& name) {
  static const std::unordered_map<std::string, TypeId> kNames = {
      {"boolean", TypeId::kBoolean},   {"bool", TypeId::kBoolean},
      {"smallint", TypeId::kSmallint}, {"int2", TypeId::kSmallint},
      {"integer", TypeId::kInteger},   {"int", TypeId::kInteger},
      {"int4", TypeId::kInteger},      {"bigint", TypeId::kBigint},
      {"int8", TypeId::kBigint},       {"real", TypeId::kReal},
      {"float4", TypeId::kReal},       {"double", TypeId::kDouble},
      {"float8", TypeId::kDouble},     {"float", TypeId::kDouble},
      {"decimal", TypeId::kDecimal},   {"numeric", TypeId::kDecimal},
      {"varchar", TypeId::kVarchar},   {"text", TypeId::kVarchar},
      {"char", TypeId::kVarchar},      {"character", TypeId::kVarchar},
      {"string", TypeId::kVarchar},    {"date", TypeId::kDate},
      {"timestamp", TypeId::kTimestamp}, {"interval", TypeId::kInterval},
  };
  auto it = kNames.find(name);
  return it == kNames.end() ? LogicalType(TypeId::kInvalid) : LogicalType(it->second);
}

}  // namespace basalt
