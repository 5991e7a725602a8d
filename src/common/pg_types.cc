#include "common/pg_types.h"

#include <fmt/format.h>

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
      return {pg_oid::kNumeric, -1, EncodePgNumericTypmod({type.precision(), type.scale()})};
    case TypeId::kDate:
      return {pg_oid::kDate, 4, -1};
    case TypeId::kTimestamp:
      return {pg_oid::kTimestamp, 8, -1};
    case TypeId::kInterval:
      return {pg_oid::kInterval, 16, -1};
    case TypeId::kVarchar:
    case TypeId::kList:  // LIST and STRUCT values travel as their text
    case TypeId::kStruct:
    case TypeId::kNull:  // PostgreSQL resolves an untyped NULL column to text too
    case TypeId::kInvalid:
      break;
  }
  return {pg_oid::kText, -1, -1};
}

namespace {
// VARHDRSZ: the varlena header that typmods of variable-length types count.
constexpr int32_t kVarHeaderSize = 4;
}  // namespace

int32_t EncodePgNumericTypmod(PgNumericTypmod typmod) {
  return ((typmod.precision << 16) | typmod.scale) + kVarHeaderSize;
}

std::optional<PgNumericTypmod> DecodePgNumericTypmod(int32_t typmod) {
  if (typmod < kVarHeaderSize) return std::nullopt;
  const int32_t packed = typmod - kVarHeaderSize;
  return PgNumericTypmod{(packed >> 16) & 0xffff, packed & 0xffff};
}

std::optional<LogicalType> LogicalTypeOfPg(int32_t oid, int32_t typmod,
                                           const LogicalType& unconstrained_numeric) {
  switch (oid) {
    case pg_oid::kBool:
      return TypeId::kBoolean;
    case pg_oid::kInt2:
      return TypeId::kSmallint;
    case pg_oid::kInt4:
      return TypeId::kInteger;
    case pg_oid::kInt8:
      return TypeId::kBigint;
    case pg_oid::kFloat4:
      return TypeId::kReal;
    case pg_oid::kFloat8:
      return TypeId::kDouble;
    case pg_oid::kNumeric: {
      const std::optional<PgNumericTypmod> numeric = DecodePgNumericTypmod(typmod);
      if (!numeric || numeric->precision < 1 || numeric->precision > kMaxDecimalPrecision ||
          numeric->scale > numeric->precision) {
        return unconstrained_numeric;
      }
      return LogicalType::Decimal(static_cast<uint8_t>(numeric->precision),
                                  static_cast<uint8_t>(numeric->scale));
    }
    case pg_oid::kText:
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
    case pg_oid::kName:
      return TypeId::kVarchar;
    case pg_oid::kDate:
      return TypeId::kDate;
    case pg_oid::kTimestamp:
      return TypeId::kTimestamp;
    case pg_oid::kInterval:
      return TypeId::kInterval;
    default:
      return std::nullopt;
  }
}

std::string PgTextOf(const Value& value) {
  if (value.type().id() == TypeId::kBoolean) return value.GetBool() ? "t" : "f";
  return value.ToString();
}

const std::vector<PgBuiltinType>& PgBuiltinTypes() {
  // Facts from PostgreSQL's pg_type.dat. sql_name is format_type's spelling,
  // which is what catalog output shows; LogicalType::PostgresName (types.cc)
  // is a second, deliberately separate list: the names PostgreSQL's input
  // functions and casts use in error messages. They differ where PostgreSQL
  // differs ("timestamp" in "invalid input syntax for type timestamp", not
  // "timestamp without time zone"; an untyped NULL is "unknown" there but
  // announced as text here), and PostgresName sits below this file (types.h
  // is the base of common/), so neither is derived from the other.
  static const std::vector<PgBuiltinType> kTypes = {
      {pg_oid::kBool, "bool", 1, 'B', true, "boolean"},
      {pg_oid::kChar, "char", 1, 'Z', true, "\"char\""},
      {pg_oid::kName, "name", 64, 'S', false, "name"},
      {pg_oid::kInt8, "int8", 8, 'N', true, "bigint"},
      {pg_oid::kInt2, "int2", 2, 'N', true, "smallint"},
      {pg_oid::kInt2Vector, "int2vector", -1, 'A', false, "int2vector"},
      {pg_oid::kInt4, "int4", 4, 'N', true, "integer"},
      {pg_oid::kRegproc, "regproc", 4, 'N', true, "regproc"},
      {pg_oid::kText, "text", -1, 'S', false, "text"},
      {pg_oid::kOid, "oid", 4, 'N', true, "oid"},
      {pg_oid::kOidVector, "oidvector", -1, 'A', false, "oidvector"},
      {pg_oid::kFloat4, "float4", 4, 'N', true, "real"},
      {pg_oid::kFloat8, "float8", 8, 'N', true, "double precision"},
      {pg_oid::kBpchar, "bpchar", -1, 'S', false, "character"},
      {pg_oid::kVarchar, "varchar", -1, 'S', false, "character varying"},
      {pg_oid::kDate, "date", 4, 'D', true, "date"},
      {pg_oid::kTimestamp, "timestamp", 8, 'D', true, "timestamp without time zone"},
      {pg_oid::kInterval, "interval", 16, 'T', false, "interval"},
      {pg_oid::kNumeric, "numeric", -1, 'N', false, "numeric"},
      {pg_oid::kRegclass, "regclass", 4, 'N', true, "regclass"},
      {pg_oid::kRegtype, "regtype", 4, 'N', true, "regtype"},
      {pg_oid::kRegnamespace, "regnamespace", 4, 'N', true, "regnamespace"},
      {pg_oid::kPgNodeTree, "pg_node_tree", -1, 'Z', false, "pg_node_tree"},
      {pg_oid::kCharArray, "_char", -1, 'A', false, "\"char\"[]"},
      {pg_oid::kInt2Array, "_int2", -1, 'A', false, "smallint[]"},
      {pg_oid::kTextArray, "_text", -1, 'A', false, "text[]"},
      {pg_oid::kOidArray, "_oid", -1, 'A', false, "oid[]"},
      {pg_oid::kAclitemArray, "_aclitem", -1, 'A', false, "aclitem[]"},
  };
  return kTypes;
}

const PgBuiltinType* FindPgType(int64_t oid) {
  for (const auto& t : PgBuiltinTypes()) {
    if (t.oid == oid) return &t;
  }
  return nullptr;
}

const PgBuiltinType* FindPgTypeByName(const std::string& name) {
  for (const auto& t : PgBuiltinTypes()) {
    if (name == t.name || name == t.sql_name) return &t;
  }
  // Spellings PostgreSQL's type-name parser accepts besides the two above
  // ("int4", "boolean" and "timestamp" are a typname or sql_name already).
  if (name == "int") return FindPgType(pg_oid::kInt4);
  if (name == "decimal") return FindPgType(pg_oid::kNumeric);
  if (name == "double" || name == "float") return FindPgType(pg_oid::kFloat8);
  return nullptr;
}

std::string PgFormatType(int64_t oid, std::optional<int32_t> typmod) {
  const PgBuiltinType* type = FindPgType(oid);
  if (!type) return "???";
  std::string name = type->sql_name;
  if (!typmod || *typmod < 0) return name;
  switch (type->oid) {
    case pg_oid::kNumeric: {
      const std::optional<PgNumericTypmod> numeric = DecodePgNumericTypmod(*typmod);
      if (!numeric) return name;
      return fmt::format("{}({},{})", name, numeric->precision, numeric->scale);
    }
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
      return fmt::format("{}({})", name, *typmod - 4);
    default:
      return name;
  }
}

}  // namespace basalt
