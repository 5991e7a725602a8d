// SQL types and their in-memory (physical) representation.
#pragma once

#include <cstdint>
#include <string>

namespace basalt {

using idx_t = uint64_t;
using int128_t = __int128;
using uint128_t = unsigned __int128;

// Rows per column batch: large enough to amortize per-batch work, small
// enough that a batch of a few columns stays in L2.
inline constexpr idx_t kBatchSize = 2048;

enum class TypeId : uint8_t {
  kInvalid,
  kNull,  // the type of an untyped NULL literal; cast to anything
  kBoolean,
  kSmallint,
  kInteger,
  kBigint,
  kReal,
  kDouble,
  kDecimal,
  kVarchar,
  kDate,
  kTimestamp,
  kInterval,
  // Nested types (docs/types_and_functions.md, "Lists and structs"): one
  // encoded byte string per value (common/nested_value.h), physically kString.
  kList,
  kStruct,
};

// How values of a type are laid out in a vector.
enum class PhysicalType : uint8_t {
  kBool,      // bool (one byte)
  kInt16,
  kInt32,     // INTEGER, DATE (days since 1970-01-01)
  kInt64,     // BIGINT, DECIMAL(p<=18), TIMESTAMP (microseconds since epoch)
  kInt128,    // DECIMAL(p>18)
  kFloat,
  kDouble,
  kString,    // StringRef
  kInterval,  // Interval
};

inline constexpr int kMaxDecimalPrecision = 38;
inline constexpr int kMaxInt64DecimalPrecision = 18;

class LogicalType {
 public:
  constexpr LogicalType() = default;
  constexpr LogicalType(TypeId id) : id_(id) {}  // NOLINT: implicit on purpose
  static constexpr LogicalType Decimal(uint8_t precision, uint8_t scale) {
    LogicalType t(TypeId::kDecimal);
    t.precision_ = precision;
    t.scale_ = scale;
    return t;
  }

  // A LIST or STRUCT whose description is entry `index` of the nested type
  // registry; made only by the registry (common/nested_type.h: ListType,
  // StructType), which interns equal descriptions to one index so that
  // operator== stays a comparison of these few bytes.
  static constexpr LogicalType Nested(TypeId id, uint32_t index) {
    LogicalType t(id);
    t.nested_ = index;
    return t;
  }

  TypeId id() const { return id_; }
  uint32_t nested_index() const { return nested_; }
  bool IsNested() const { return id_ == TypeId::kList || id_ == TypeId::kStruct; }
  uint8_t precision() const { return precision_; }
  uint8_t scale() const { return scale_; }

  PhysicalType physical() const;
  // Bytes per value in a flat vector.
  idx_t ValueSize() const;

  bool IsInteger() const {
    return id_ == TypeId::kSmallint || id_ == TypeId::kInteger || id_ == TypeId::kBigint;
  }
  bool IsFloat() const { return id_ == TypeId::kReal || id_ == TypeId::kDouble; }
  bool IsNumeric() const { return IsInteger() || IsFloat() || id_ == TypeId::kDecimal; }
  bool IsTemporal() const { return id_ == TypeId::kDate || id_ == TypeId::kTimestamp; }

  // SQL spelling, e.g. "DECIMAL(15,2)".
  std::string ToString() const;
  // The name PostgreSQL uses in messages ("integer", "double precision",
  // "numeric", "text"), so errors read as users of PostgreSQL expect.
  const char* PostgresName() const;

  bool operator==(const LogicalType& o) const {
    return id_ == o.id_ && precision_ == o.precision_ && scale_ == o.scale_ &&
           nested_ == o.nested_;
  }
  bool operator!=(const LogicalType& o) const { return !(*this == o); }

 private:
  TypeId id_ = TypeId::kInvalid;
  uint8_t precision_ = 0;
  uint8_t scale_ = 0;
  uint32_t nested_ = 0;  // registry index of a LIST / STRUCT; 0 otherwise
};

// An interval as PostgreSQL keeps it: months and days do not have a fixed
// length in microseconds, so they are kept apart.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
  bool operator==(const Interval& o) const {
    return months == o.months && days == o.days && micros == o.micros;
  }
};

// The decimal precision needed to hold every value of an integer type.
uint8_t IntegerDecimalPrecision(TypeId id);

// Parses a type name as written in SQL (INT, INT4, VARCHAR, NUMERIC, ...);
// returns kInvalid for an unknown name. Decimal precision and scale are set
// by the caller.
LogicalType TypeFromName(const std::string& lowercase_name);

}  // namespace basalt
