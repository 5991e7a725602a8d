#include "shell/pg_text.h"

#include <charconv>
#include <limits>
#include <system_error>

#include "common/date_time.h"
#include "common/decimal.h"
#include "common/pg_types.h"
#include "common/string_parse.h"
#include "common/value.h"

namespace basalt {

namespace {

// Whether `value` prints as exactly `text` (as Value::ToString would, without
// making a string).
bool PrintsAs(int64_t value, std::string_view text) {
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return error == std::errc() &&
         std::string_view(buffer, static_cast<size_t>(end - buffer)) == text;
}

template <typename T>
bool ParseIntegerInto(std::string_view text, Vector* out, idx_t row) {
  int64_t value;
  if (!ParseInteger(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), &value) ||
      !PrintsAs(value, text)) {
    return false;
  }
  out->Data<T>()[row] = static_cast<T>(value);
  return true;
}

}  // namespace

LogicalType LogicalTypeFromPg(int32_t oid, int32_t modifier) {
  return LogicalTypeOfPg(oid, modifier, TypeId::kVarchar).value_or(TypeId::kVarchar);
}

bool ParsePgText(std::string_view text, const LogicalType& type, Vector* out, idx_t row) {
  // The server sends Value::ToString's text for every type but BOOLEAN, so a
  // value that would print differently was not sent by Basalt (a peer's
  // formatting, or a parser that normalizes), and is better shown as sent:
  // each case checks that its value prints as `text`.
  switch (type.id()) {
    case TypeId::kBoolean:
      // PostgreSQL's output is exactly "t" or "f".
      if (text != "t" && text != "f") return false;
      out->Data<bool>()[row] = text == "t";
      return true;
    case TypeId::kSmallint:
      return ParseIntegerInto<int16_t>(text, out, row);
    case TypeId::kInteger:
      return ParseIntegerInto<int32_t>(text, out, row);
    case TypeId::kBigint:
      return ParseIntegerInto<int64_t>(text, out, row);
    case TypeId::kReal: {
      // Parsed as a float directly: the shortest text that round-trips a
      // float need not round to the same float by way of a double. from_chars
      // reads "nan" and "inf" in any case; printing them back keeps only
      // PostgreSQL's spellings ("NaN", "Infinity").
      float value;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) return false;
      if (FormatFloat(value) != text) return false;
      out->Data<float>()[row] = value;
      return true;
    }
    case TypeId::kDouble: {
      double value;
      if (!ParseDouble(text, &value) || FormatDouble(value) != text) return false;
      out->Data<double>()[row] = value;
      return true;
    }
    case TypeId::kDecimal: {
      int128_t value;
      if (!ParseDecimal(text, type.precision(), type.scale(), &value) ||
          DecimalToString(value, type.scale()) != text) {
        return false;
      }
      if (type.physical() == PhysicalType::kInt64) {
        out->Data<int64_t>()[row] = static_cast<int64_t>(value);
      } else {
        out->Data<int128_t>()[row] = value;
      }
      return true;
    }
    case TypeId::kDate: {
      int32_t days;
      if (!ParseDate(text, &days) || FormatDate(days) != text) return false;
      out->Data<int32_t>()[row] = days;
      return true;
    }
    case TypeId::kTimestamp: {
      int64_t micros;
      if (!ParseTimestamp(text, &micros) || FormatTimestamp(micros) != text) return false;
      out->Data<int64_t>()[row] = micros;
      return true;
    }
    case TypeId::kInterval: {
      Interval interval;
      if (!ParseInterval(text, "", &interval) || FormatInterval(interval) != text) return false;
      out->Data<Interval>()[row] = interval;
      return true;
    }
    case TypeId::kVarchar:
      out->SetString(row, text);
      return true;
    case TypeId::kList:  // never an OID's type: nested values arrive as text
    case TypeId::kStruct:
    case TypeId::kNull:
    case TypeId::kInvalid:
      break;
  }
  return false;
}

}  // namespace basalt
