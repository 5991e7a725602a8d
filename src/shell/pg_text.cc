#include "shell/pg_text.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>

#include "common/date_time.h"
#include "common/decimal.h"
#include "common/pg_types.h"
#include "common/string_parse.h"

namespace basalt {

namespace {

// NUMERIC's atttypmod packs precision and scale, offset by VARHDRSZ (4).
constexpr int32_t kVarHeaderSize = 4;

template <typename T>
bool ParseIntegerOf(std::string_view text, int64_t* out) {
  return ParseInteger(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), out);
}

bool ParseReal(std::string_view text, float* out) {
  double special;
  // NaN and the infinities are spelled as PostgreSQL spells them.
  if (ParseDouble(text, &special) && !std::isfinite(special)) {
    *out = static_cast<float>(special);
    return true;
  }
  // Parsed as a float directly: the shortest text that round-trips a float
  // need not round to the same float by way of a double.
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

// Dates before year 1 print with " BC" after the date ("0044-03-15 BC",
// "0044-03-15 BC 12:00:00"; year 1 BC is year 0), which the engine's parsers
// do not read: the marker is dropped and the year moved. A leap day of a BC
// leap year is not a day of the year it is read as, so it fails and its
// column is shown as text.
bool StripBc(std::string_view text, std::string* stripped) {
  constexpr std::string_view kBc = " BC";
  size_t at = text.find(kBc);
  if (at == std::string_view::npos) return false;
  size_t end = at + kBc.size();
  if (end != text.size() && text[end] != ' ') return false;
  *stripped = std::string(text.substr(0, at)) + std::string(text.substr(end));
  return true;
}

int32_t MirrorYear(int32_t days) {
  CivilDate date = CivilFromDays(days);
  return DaysFromCivil(1 - date.year, date.month, date.day);
}

bool ParsePgDate(std::string_view text, int32_t* days) {
  std::string stripped;
  bool bc = StripBc(text, &stripped);
  if (!ParseDate(bc ? std::string_view(stripped) : text, days)) return false;
  if (bc) *days = MirrorYear(*days);
  return true;
}

bool ParsePgTimestamp(std::string_view text, int64_t* micros) {
  std::string stripped;
  bool bc = StripBc(text, &stripped);
  if (!ParseTimestamp(bc ? std::string_view(stripped) : text, micros)) return false;
  if (bc) {
    int64_t day = *micros / kMicrosPerDay;
    int64_t time = *micros % kMicrosPerDay;
    if (time < 0) {
      time += kMicrosPerDay;
      --day;
    }
    *micros = int64_t{MirrorYear(static_cast<int32_t>(day))} * kMicrosPerDay + time;
  }
  return true;
}

}  // namespace

LogicalType LogicalTypeFromPg(int32_t oid, int32_t modifier) {
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
      if (modifier < kVarHeaderSize) break;
      int32_t packed = modifier - kVarHeaderSize;
      int32_t precision = packed >> 16;
      int32_t scale = packed & 0xFFFF;
      if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) break;
      return LogicalType::Decimal(static_cast<uint8_t>(precision), static_cast<uint8_t>(scale));
    }
    case pg_oid::kDate:
      return TypeId::kDate;
    case pg_oid::kTimestamp:
      return TypeId::kTimestamp;
    case pg_oid::kInterval:
      return TypeId::kInterval;
    default:
      break;
  }
  return TypeId::kVarchar;
}

namespace {

bool ParseValue(std::string_view text, const LogicalType& type, Value* out) {
  int64_t integer = 0;
  switch (type.id()) {
    case TypeId::kBoolean:
      // PostgreSQL's output is exactly "t" or "f".
      if (text != "t" && text != "f") return false;
      *out = Value::Boolean(text == "t");
      return true;
    case TypeId::kSmallint:
      if (!ParseIntegerOf<int16_t>(text, &integer)) return false;
      *out = Value::Smallint(static_cast<int16_t>(integer));
      return true;
    case TypeId::kInteger:
      if (!ParseIntegerOf<int32_t>(text, &integer)) return false;
      *out = Value::Integer(static_cast<int32_t>(integer));
      return true;
    case TypeId::kBigint:
      if (!ParseIntegerOf<int64_t>(text, &integer)) return false;
      *out = Value::Bigint(integer);
      return true;
    case TypeId::kReal: {
      float f;
      if (!ParseReal(text, &f)) return false;
      *out = Value::Real(f);
      return true;
    }
    case TypeId::kDouble: {
      double d;
      if (!ParseDouble(text, &d)) return false;
      *out = Value::Double(d);
      return true;
    }
    case TypeId::kDecimal: {
      int128_t raw;
      if (!ParseDecimal(text, type.precision(), type.scale(), &raw)) return false;
      *out = Value::Decimal(raw, type.precision(), type.scale());
      return true;
    }
    case TypeId::kDate: {
      int32_t days;
      if (!ParsePgDate(text, &days)) return false;
      *out = Value::Date(days);
      return true;
    }
    case TypeId::kTimestamp: {
      int64_t micros;
      if (!ParsePgTimestamp(text, &micros)) return false;
      *out = Value::Timestamp(micros);
      return true;
    }
    case TypeId::kInterval: {
      Interval interval;
      if (!ParseInterval(text, "", &interval)) return false;
      *out = Value::FromInterval(interval);
      return true;
    }
    case TypeId::kVarchar:
      *out = Value::Varchar(std::string(text));
      return true;
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  return false;
}

}  // namespace

bool ParsePgText(std::string_view text, const LogicalType& type, Value* out) {
  if (!ParseValue(text, type, out)) return false;
  // The server sends Value::ToString's text for every type but BOOLEAN, so a
  // value that would print differently was not sent by Basalt (a peer's
  // formatting, or a parser that normalizes), and is better shown as sent.
  return type.id() == TypeId::kBoolean || type.id() == TypeId::kVarchar || out->ToString() == text;
}

}  // namespace basalt
