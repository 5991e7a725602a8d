// One SQL value with its type. Used for constants, plan literals and results
// handed to clients — never inside a hot loop (vectors hold the data there).
#pragma once

#include <cstdint>
#include <string>

#include "common/types.h"

namespace basalt {

class Value {
 public:
  Value() : type_(TypeId::kNull), is_null_(true) {}
  static Value Null(LogicalType type = TypeId::kNull) {
    Value v;
    v.type_ = type;
    return v;
  }
  static Value Boolean(bool b);
  static Value Smallint(int16_t v);
  static Value Integer(int32_t v);
  static Value Bigint(int64_t v);
  static Value Real(float v);
  static Value Double(double v);
  // `raw` is the value scaled by 10^scale.
  static Value Decimal(int128_t raw, uint8_t precision, uint8_t scale);
  static Value Varchar(std::string s);
  static Value Date(int32_t days);
  static Value Timestamp(int64_t micros);
  static Value FromInterval(const Interval& iv);
  // A LIST or STRUCT value: its encoded bytes (common/nested_value.h).
  static Value Nested(LogicalType type, std::string encoded);

  const LogicalType& type() const { return type_; }
  bool IsNull() const { return is_null_; }

  bool GetBool() const { return bool_; }
  // For SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP.
  int64_t GetInt64() const { return int_; }
  // The scaled integer of a DECIMAL.
  int128_t GetDecimal() const { return int128_; }
  double GetDouble() const { return double_; }
  // A VARCHAR's text, or a LIST's / STRUCT's encoded bytes.
  const std::string& GetString() const { return string_; }
  const Interval& GetInterval() const { return interval_; }

  // Text as the shell and the PostgreSQL text format print it; "NULL" for null.
  std::string ToString() const;

  // Exact equality of type and content (NULL equals NULL here); for tests and planning.
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  LogicalType type_;
  bool is_null_ = false;
  bool bool_ = false;
  int64_t int_ = 0;
  int128_t int128_ = 0;
  double double_ = 0;
  Interval interval_;
  std::string string_;
};

// Renders a double as PostgreSQL does (shortest text that round-trips,
// "Infinity", "NaN").
std::string FormatDouble(double d);
std::string FormatFloat(float f);

}  // namespace basalt
