// How Basalt's types appear on the PostgreSQL wire: the type OID, length and
// modifier a RowDescription announces, and each value's text format.
#pragma once

#include <cstdint>
#include <string>

#include "common/types.h"
#include "common/value.h"

namespace basalt {

// OIDs from PostgreSQL's pg_type.dat; clients (psql, drivers) pick their
// parsers by these numbers, so they must match PostgreSQL's exactly.
namespace pg_oid {
inline constexpr int32_t kBool = 16;
inline constexpr int32_t kInt8 = 20;
inline constexpr int32_t kInt2 = 21;
inline constexpr int32_t kInt4 = 23;
inline constexpr int32_t kText = 25;
inline constexpr int32_t kFloat4 = 700;
inline constexpr int32_t kFloat8 = 701;
inline constexpr int32_t kDate = 1082;
inline constexpr int32_t kTimestamp = 1114;
inline constexpr int32_t kInterval = 1186;
inline constexpr int32_t kNumeric = 1700;
}  // namespace pg_oid

// A column's type as RowDescription carries it.
struct PgTypeInfo {
  int32_t oid = pg_oid::kText;
  int16_t length = -1;    // pg_type.typlen: bytes, or -1 for variable length
  int32_t modifier = -1;  // atttypmod; -1 = none
};

PgTypeInfo PgTypeOf(const LogicalType& type);

// The value in PostgreSQL's text output format; the caller sends NULL as
// length -1 rather than calling this. Booleans are "t" / "f" as in PostgreSQL.
std::string PgTextOf(const Value& value);

}  // namespace basalt
