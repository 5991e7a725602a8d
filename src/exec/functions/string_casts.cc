// Casts to and from VARCHAR. Text produced here is byte-for-byte what
// Value::ToString prints, so a value looks the same whether the shell prints
// it or a query casts it. Parse errors use PostgreSQL's SQLSTATEs and wording.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <limits>

#include "common/date_time.h"
#include "common/decimal.h"
#include "common/nested_value.h"
#include "common/string_parse.h"
#include "exec/functions/cast_helpers.h"
#include "exec/functions/function_errors.h"

namespace basalt {

namespace {

// ---------------------------------------------------------------- to text

// Writes a scaled integer as DecimalToString does, without a heap string.
size_t FormatDecimal(char* out, int128_t v, int scale) {
  char digits[48];
  int pos = sizeof(digits);
  uint128_t u = v < 0 ? -static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
  if (u <= std::numeric_limits<uint64_t>::max()) {
    uint64_t x = static_cast<uint64_t>(u);
    do {
      digits[--pos] = static_cast<char>('0' + x % 10);
      x /= 10;
    } while (x != 0);
  } else {
    do {
      digits[--pos] = static_cast<char>('0' + static_cast<int>(u % 10));
      u /= 10;
    } while (u != 0);
  }
  // At least one digit before the point: 5 at scale 2 is "0.05".
  while (static_cast<int>(sizeof(digits)) - pos <= scale) digits[--pos] = '0';
  size_t n = 0;
  if (v < 0) out[n++] = '-';
  int count = static_cast<int>(sizeof(digits)) - pos;
  int integer_digits = count - scale;
  for (int i = 0; i < integer_digits; i++) out[n++] = digits[pos + i];
  if (scale > 0) {
    out[n++] = '.';
    for (int i = integer_digits; i < count; i++) out[n++] = digits[pos + i];
  }
  return n;
}

template <typename T>
void IntegerToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  UnaryExecute<T, StringRef>(args[0], sel, count, result, [&](T v) {
    fmt::format_int text(v);
    return result.AddString(std::string_view(text.data(), text.size()));
  });
}

void BoolToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  UnaryExecute<bool, StringRef>(args[0], sel, count, result,
                                [](bool v) { return StringRef(v ? "true" : "false"); });
}

template <typename T>
void FloatToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  UnaryExecute<T, StringRef>(args[0], sel, count, result, [&](T v) {
    if constexpr (std::is_same_v<T, float>) {
      return result.AddString(FormatFloat(v));
    } else {
      return result.AddString(FormatDouble(v));
    }
  });
}

template <typename T>
void DecimalToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData* data, Vector& result) {
  int scale = DataAs<CastData>(data).from.scale();
  UnaryExecute<T, StringRef>(args[0], sel, count, result, [&](T v) {
    char buf[48];
    size_t n = FormatDecimal(buf, v, scale);
    return result.AddString(std::string_view(buf, n));
  });
}

void DateToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  UnaryExecute<int32_t, StringRef>(args[0], sel, count, result,
                                   [&](int32_t v) { return result.AddString(FormatDate(v)); });
}

void TimestampToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData*, Vector& result) {
  UnaryExecute<int64_t, StringRef>(args[0], sel, count, result,
                                   [&](int64_t v) { return result.AddString(FormatTimestamp(v)); });
}

void IntervalToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  UnaryExecute<Interval, StringRef>(args[0], sel, count, result, [&](const Interval& v) {
    return result.AddString(FormatInterval(v));
  });
}

// A LIST's or STRUCT's text, as DuckDB prints it (common/nested_value.h).
void NestedToText(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                  const FunctionData*, Vector& result) {
  const LogicalType type = args[0].type();
  UnaryExecute<StringRef, StringRef>(args[0], sel, count, result, [&](const StringRef& v) {
    return result.AddString(NestedValueToString(type, v.view()));
  });
}

// -------------------------------------------------------------- from text

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ReadDigits(std::string_view s, size_t* i) {
  size_t start = *i;
  while (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i]))) (*i)++;
  return *i > start;
}

// [sign] digits: text that is an integer in form, whatever its size.
bool LooksLikeInteger(std::string_view s) {
  s = TrimBlanks(s);
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
  return ReadDigits(s, &i) && i == s.size();
}

// [sign] (digits [. digits] | . digits) [e [sign] digits]
bool LooksLikeNumber(std::string_view s) {
  s = TrimBlanks(s);
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
  bool integer_part = ReadDigits(s, &i);
  bool fraction_part = false;
  if (i < s.size() && s[i] == '.') {
    i++;
    fraction_part = ReadDigits(s, &i);
  }
  if (!integer_part && !fraction_part) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
    if (!ReadDigits(s, &i)) return false;
  }
  return i == s.size();
}

// y-m-d [h:m[:s[.f]]]: text shaped like a date or timestamp, so a failure to
// parse it means a field is out of range rather than bad syntax.
bool LooksLikeDateTime(std::string_view s) {
  s = TrimBlanks(s);
  size_t i = 0;
  if (i < s.size() && s[i] == '-') i++;
  if (!ReadDigits(s, &i) || i >= s.size() || s[i++] != '-') return false;
  if (!ReadDigits(s, &i) || i >= s.size() || s[i++] != '-') return false;
  if (!ReadDigits(s, &i)) return false;
  if (i == s.size()) return true;
  if (s[i] != ' ' && s[i] != 'T') return false;
  while (i < s.size() && (s[i] == ' ' || s[i] == 'T')) i++;
  if (!ReadDigits(s, &i) || i >= s.size() || s[i++] != ':' || !ReadDigits(s, &i)) return false;
  if (i < s.size() && s[i] == ':') {
    i++;
    if (!ReadDigits(s, &i)) return false;
    if (i < s.size() && s[i] == '.') {
      i++;
      ReadDigits(s, &i);
    }
  }
  return i == s.size();
}

[[noreturn]] void ThrowInvalidSyntax(const char* code, const char* type, std::string_view text) {
  ThrowError(code, "invalid input syntax for type {}: \"{}\"", type, text);
}

template <typename T>
void TextToInteger(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, T>(args[0], sel, count, result, [](const StringRef& s) {
    int64_t v;
    std::string_view text = s.view();
    if (!ParseInteger(text, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), &v)) {
      if (LooksLikeInteger(text)) {
        ThrowError(sqlstate::kNumericOutOfRange, "value \"{}\" is out of range for type {}", text,
                   IntegerTypeName<T>());
      }
      ThrowInvalidSyntax(sqlstate::kInvalidTextRepresentation, IntegerTypeName<T>(), text);
    }
    return static_cast<T>(v);
  });
}

template <typename T>
void TextToFloat(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                 const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, T>(args[0], sel, count, result, [](const StringRef& s) {
    const char* type_name = std::is_same_v<T, float> ? "real" : "double precision";
    std::string_view text = s.view();
    double v;
    bool ok = ParseDouble(text, &v);
    T r = static_cast<T>(v);
    if (ok && std::is_same_v<T, float> && std::isinf(r) && !std::isinf(v)) ok = false;
    if (!ok) {
      if (LooksLikeNumber(text)) {
        ThrowError(sqlstate::kNumericOutOfRange, "\"{}\" is out of range for type {}", text,
                   type_name);
      }
      ThrowInvalidSyntax(sqlstate::kInvalidTextRepresentation, type_name, text);
    }
    return r;
  });
}

template <typename T>
void TextToDecimal(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                   const FunctionData* data, Vector& result) {
  const LogicalType& to = DataAs<CastData>(data).to;
  UnaryExecute<StringRef, T>(args[0], sel, count, result, [&to](const StringRef& s) {
    std::string_view text = s.view();
    int128_t v;
    if (!ParseDecimal(text, to.precision(), to.scale(), &v)) {
      if (LooksLikeNumber(text)) ThrowNumericOverflow();
      ThrowInvalidSyntax(sqlstate::kInvalidTextRepresentation, "numeric", text);
    }
    return static_cast<T>(v);
  });
}

void TextToBool(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, bool>(args[0], sel, count, result, [](const StringRef& s) {
    bool v;
    if (!ParseBool(s.view(), &v)) {
      ThrowInvalidSyntax(sqlstate::kInvalidTextRepresentation, "boolean", s.view());
    }
    return v;
  });
}

[[noreturn]] void ThrowBadDateTime(const char* type, std::string_view text) {
  if (LooksLikeDateTime(text)) {
    ThrowError(sqlstate::kDatetimeFieldOverflow, "date/time field value out of range: \"{}\"",
               text);
  }
  ThrowInvalidSyntax(sqlstate::kInvalidDatetimeFormat, type, text);
}

void TextToDate(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, int32_t>(args[0], sel, count, result, [](const StringRef& s) {
    int32_t days;
    if (ParseDate(s.view(), &days)) return days;
    // PostgreSQL accepts a timestamp as a date and drops the time of day.
    int64_t micros;
    if (ParseTimestamp(s.view(), &micros)) {
      int64_t d = micros / kMicrosPerDay;
      return static_cast<int32_t>(micros % kMicrosPerDay < 0 ? d - 1 : d);
    }
    ThrowBadDateTime("date", s.view());
  });
}

void TextToTimestamp(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                     const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, int64_t>(args[0], sel, count, result, [](const StringRef& s) {
    int64_t micros;
    if (!ParseTimestamp(s.view(), &micros)) ThrowBadDateTime("timestamp", s.view());
    return micros;
  });
}

void TextToInterval(const std::vector<Vector>& args, const SelectionVector* sel, idx_t count,
                    const FunctionData*, Vector& result) {
  UnaryExecute<StringRef, Interval>(args[0], sel, count, result, [](const StringRef& s) {
    Interval v;
    if (!ParseInterval(s.view(), "", &v)) {
      ThrowInvalidSyntax(sqlstate::kInvalidDatetimeFormat, "interval", s.view());
    }
    return v;
  });
}

}  // namespace

std::optional<BoundScalarFunction> BindCastToVarchar(const LogicalType& from) {
  const LogicalType to = TypeId::kVarchar;
  switch (from.id()) {
    case TypeId::kBoolean:
      return MakeCast(from, to, &BoolToText);
    case TypeId::kSmallint:
      return MakeCast(from, to, &IntegerToText<int16_t>);
    case TypeId::kInteger:
      return MakeCast(from, to, &IntegerToText<int32_t>);
    case TypeId::kBigint:
      return MakeCast(from, to, &IntegerToText<int64_t>);
    case TypeId::kReal:
      return MakeCast(from, to, &FloatToText<float>);
    case TypeId::kDouble:
      return MakeCast(from, to, &FloatToText<double>);
    case TypeId::kDecimal:
      return MakeCast(from, to,
                      from.physical() == PhysicalType::kInt64 ? &DecimalToText<int64_t>
                                                              : &DecimalToText<int128_t>);
    case TypeId::kDate:
      return MakeCast(from, to, &DateToText);
    case TypeId::kTimestamp:
      return MakeCast(from, to, &TimestampToText);
    case TypeId::kInterval:
      return MakeCast(from, to, &IntervalToText);
    case TypeId::kList:
    case TypeId::kStruct:
      return MakeCast(from, to, &NestedToText);
    default:
      return std::nullopt;
  }
}

std::optional<BoundScalarFunction> BindCastFromVarchar(const LogicalType& to) {
  const LogicalType from = TypeId::kVarchar;
  switch (to.id()) {
    case TypeId::kBoolean:
      return MakeCast(from, to, &TextToBool);
    case TypeId::kSmallint:
      return MakeCast(from, to, &TextToInteger<int16_t>);
    case TypeId::kInteger:
      return MakeCast(from, to, &TextToInteger<int32_t>);
    case TypeId::kBigint:
      return MakeCast(from, to, &TextToInteger<int64_t>);
    case TypeId::kReal:
      return MakeCast(from, to, &TextToFloat<float>);
    case TypeId::kDouble:
      return MakeCast(from, to, &TextToFloat<double>);
    case TypeId::kDecimal:
      return MakeCast(from, to,
                      to.physical() == PhysicalType::kInt64 ? &TextToDecimal<int64_t>
                                                            : &TextToDecimal<int128_t>);
    case TypeId::kDate:
      return MakeCast(from, to, &TextToDate);
    case TypeId::kTimestamp:
      return MakeCast(from, to, &TextToTimestamp);
    case TypeId::kInterval:
      return MakeCast(from, to, &TextToInterval);
    default:
      return std::nullopt;
  }
}

}  // namespace basalt
