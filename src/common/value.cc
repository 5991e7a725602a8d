#include "common/value.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "common/date_time.h"
#include "common/decimal.h"
#include "common/nested_value.h"

namespace basalt {

Value Value::Boolean(bool b) {
  Value v;
  v.type_ = TypeId::kBoolean;
  v.is_null_ = false;
  v.bool_ = b;
  return v;
}

Value Value::Smallint(int16_t x) {
  Value v;
  v.type_ = TypeId::kSmallint;
  v.is_null_ = false;
  v.int_ = x;
  return v;
}

Value Value::Integer(int32_t x) {
  Value v;
  v.type_ = TypeId::kInteger;
  v.is_null_ = false;
  v.int_ = x;
  return v;
}

Value Value::Bigint(int64_t x) {
  Value v;
  v.type_ = TypeId::kBigint;
  v.is_null_ = false;
  v.int_ = x;
  return v;
}

Value Value::Real(float x) {
  Value v;
  v.type_ = TypeId::kReal;
  v.is_null_ = false;
  v.double_ = x;
  return v;
}

Value Value::Double(double x) {
  Value v;
  v.type_ = TypeId::kDouble;
  v.is_null_ = false;
  v.double_ = x;
  return v;
}

Value Value::Decimal(int128_t raw, uint8_t precision, uint8_t scale) {
  Value v;
  v.type_ = LogicalType::Decimal(precision, scale);
  v.is_null_ = false;
  v.int128_ = raw;
  return v;
}

Value Value::Varchar(std::string s) {
  Value v;
  v.type_ = TypeId::kVarchar;
  v.is_null_ = false;
  v.string_ = std::move(s);
  return v;
}

Value Value::Nested(LogicalType type, std::string encoded) {
  Value v;
  v.type_ = type;
  v.is_null_ = false;
  v.string_ = std::move(encoded);
  return v;
}

Value Value::Date(int32_t days) {
  Value v;
  v.type_ = TypeId::kDate;
  v.is_null_ = false;
  v.int_ = days;
  return v;
}

Value Value::Timestamp(int64_t micros) {
  Value v;
  v.type_ = TypeId::kTimestamp;
  v.is_null_ = false;
  v.int_ = micros;
  return v;
}

Value Value::FromInterval(const Interval& iv) {
  Value v;
  v.type_ = TypeId::kInterval;
  v.is_null_ = false;
  v.interval_ = iv;
  return v;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  double magnitude = std::fabs(d);
  if (magnitude >= 1e15 && magnitude < 1e16) {
    // PostgreSQL switches to exponent form from 1e15 on; fmt only from 1e16.
    // Use the fewest digits that still read back as the same double.
    for (int digits = 0; digits <= 17; digits++) {
      std::string s = fmt::format("{:.{}e}", d, digits);
      if (std::stod(s) == d) return s;
    }
  }
  return fmt::format("{}", d);
}

std::string FormatFloat(float f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "Infinity" : "-Infinity";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string shortest = fmt::format("{}", f);
  float magnitude = std::fabs(f);
  if (magnitude >= 1e6f && magnitude < 1e16f) {
    // PostgreSQL prints a real in exponent form from 1e6 on (float4out:
    // fixed only for decimal exponents -4 to 5); fmt only from 1e16. The
    // digits are the same shortest ones, so move the point: "1234567.5"
    // becomes "1.2345675e+06", "1000000" becomes "1e+06".
    std::string digits;
    int exponent = -1;
    bool before_point = true;
    for (char c : shortest) {
      if (c == '.') {
        before_point = false;
      } else if (c >= '0' && c <= '9') {
        digits += c;
        if (before_point) ++exponent;
      }
    }
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string out = f < 0 ? "-" : "";
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    return out + fmt::format("e+{:02d}", exponent);
  }
  return shortest;
}

std::string Value::ToString() const {
  if (is_null_) return "NULL";
  switch (type_.id()) {
    case TypeId::kBoolean:
      return bool_ ? "true" : "false";
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
      return std::to_string(int_);
    case TypeId::kReal:
      return FormatFloat(static_cast<float>(double_));
    case TypeId::kDouble:
      return FormatDouble(double_);
    case TypeId::kDecimal:
      return DecimalToString(int128_, type_.scale());
    case TypeId::kVarchar:
      return string_;
    case TypeId::kDate:
      return FormatDate(static_cast<int32_t>(int_));
    case TypeId::kTimestamp:
      return FormatTimestamp(int_);
    case TypeId::kInterval:
      return FormatInterval(interval_);
    case TypeId::kList:
    case TypeId::kStruct:
      return NestedValueToString(type_, string_);
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  return "NULL";
}

bool Value::operator==(const Value& o) const {
  if (type_ != o.type_ || is_null_ != o.is_null_) return false;
  if (is_null_) return true;
  return bool_ == o.bool_ && int_ == o.int_ && int128_ == o.int128_ &&
         (double_ == o.double_ || (std::isnan(double_) && std::isnan(o.double_))) &&
         interval_ == o.interval_ && string_ == o.string_;
}

}  // namespace basalt
