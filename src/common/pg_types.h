// PostgreSQL's view of Basalt's types: the type OIDs, lengths and modifiers
// that RowDescription announces and that pg_catalog.pg_type / pg_attribute
// list, each value's text format, and format_type()'s spelling of a type.
// It lives in common/ because both the wire protocol (server/) and the
// system tables (catalog/) and functions (exec/) speak in these numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"

namespace basalt {

// The PostgreSQL version Basalt reports (server_version, version()): clients
// pick protocol features and catalog queries by it.
inline constexpr const char* kPgServerVersion = "15.0 (Basalt)";

// OIDs from PostgreSQL's pg_type.dat; clients (psql, drivers) pick their
// parsers by these numbers, so they must match PostgreSQL's exactly.
namespace pg_oid {
inline constexpr int32_t kBool = 16;
inline constexpr int32_t kChar = 18;  // "char", one byte
inline constexpr int32_t kName = 19;
inline constexpr int32_t kInt8 = 20;
inline constexpr int32_t kInt2 = 21;
inline constexpr int32_t kInt2Vector = 22;
inline constexpr int32_t kInt4 = 23;
inline constexpr int32_t kRegproc = 24;
inline constexpr int32_t kText = 25;
inline constexpr int32_t kOid = 26;
inline constexpr int32_t kOidVector = 30;
inline constexpr int32_t kUnknown = 705;  // an untyped literal or parameter
inline constexpr int32_t kFloat4 = 700;
inline constexpr int32_t kFloat8 = 701;
inline constexpr int32_t kBpchar = 1042;
inline constexpr int32_t kVarchar = 1043;
inline constexpr int32_t kDate = 1082;
inline constexpr int32_t kTimestamp = 1114;
inline constexpr int32_t kInterval = 1186;
inline constexpr int32_t kNumeric = 1700;
inline constexpr int32_t kRegclass = 2205;
inline constexpr int32_t kRegtype = 2206;
inline constexpr int32_t kRegnamespace = 4089;
inline constexpr int32_t kPgNodeTree = 194;
inline constexpr int32_t kCharArray = 1002;
inline constexpr int32_t kInt2Array = 1005;
inline constexpr int32_t kTextArray = 1009;
inline constexpr int32_t kOidArray = 1028;
inline constexpr int32_t kAclitemArray = 1034;
}  // namespace pg_oid

// A column's type as RowDescription carries it.
struct PgTypeInfo {
  int32_t oid = pg_oid::kText;
  int16_t length = -1;    // pg_type.typlen: bytes, or -1 for variable length
  int32_t modifier = -1;  // atttypmod; -1 = none
};

PgTypeInfo PgTypeOf(const LogicalType& type);

// NUMERIC's type modifier (atttypmod): precision and scale packed as
// (precision << 16 | scale), offset by the 4 bytes of the varlena header
// (VARHDRSZ), as PostgreSQL's numerictypmodin makes it.
struct PgNumericTypmod {
  int32_t precision = 0;
  int32_t scale = 0;
};
int32_t EncodePgNumericTypmod(PgNumericTypmod typmod);
// The precision and scale packed in `typmod`, unchecked; nullopt for a
// modifier below VARHDRSZ (-1: none).
std::optional<PgNumericTypmod> DecodePgNumericTypmod(int32_t typmod);

// The Basalt type of values of PostgreSQL type `oid` with modifier `typmod`
// (-1 for none): the inverse of PgTypeOf, with text, varchar, bpchar and name
// all VARCHAR. NUMERIC whose modifier holds a precision and scale DECIMAL
// has is that DECIMAL; NUMERIC without one has no single Basalt type (each
// value brings its own scale), so it is `unconstrained_numeric`, the
// caller's rule. nullopt for an OID Basalt has no type for (0 and "unknown"
// among them).
std::optional<LogicalType> LogicalTypeOfPg(int32_t oid, int32_t typmod,
                                           const LogicalType& unconstrained_numeric);

// The value in PostgreSQL's text output format; the caller sends NULL as
// length -1 rather than calling this. Booleans are "t" / "f" as in PostgreSQL.
std::string PgTextOf(const Value& value);

// One row of pg_catalog.pg_type: the PostgreSQL types Basalt's values take
// (PgTypeOf) plus the catalog's own column types (name, oid, "char", ...),
// so that every atttypid in pg_attribute has a pg_type row.
struct PgBuiltinType {
  int32_t oid;
  const char* name;      // typname
  int16_t length;        // typlen
  char category;         // typcategory: 'B'oolean, 'N'umeric, 'S'tring, 'D'atetime, ...
  bool by_value;         // typbyval
  const char* sql_name;  // format_type's spelling: "integer", "character varying"
};
const std::vector<PgBuiltinType>& PgBuiltinTypes();
const PgBuiltinType* FindPgType(int64_t oid);
// By typname ("int4") or format_type's spelling ("integer"); nullptr if unknown.
const PgBuiltinType* FindPgTypeByName(const std::string& name);

// format_type(oid, typmod): "integer", "numeric(10,2)", "character
// varying(20)"; NULL typmod (or -1) prints no modifier; an unknown oid is "???"
// as in PostgreSQL.
std::string PgFormatType(int64_t oid, std::optional<int32_t> typmod);

}  // namespace basalt
