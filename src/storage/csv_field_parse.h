// Text-to-value conversion for CSV fields. The common shapes (plain digits,
// "12.34", "1998-12-01") take an inline fast path; anything else falls back to
// the shared parsers in common/ (which trim blanks, read exponents, and so
// on), so a CSV field is accepted exactly when a cast of the same text would be.
// Unlike those parsers these tell malformed text from a value out of range,
// because the two are different errors (22P02 and 22003).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "common/date_time.h"
#include "common/types.h"

namespace basalt {

enum class FieldParse : uint8_t { kOk, kInvalid, kOutOfRange };

namespace csv_internal {
FieldParse ParseIntegerSlow(std::string_view text, int64_t min, int64_t max, int64_t* out);
FieldParse ParseDecimalSlow(std::string_view text, int precision, int scale, int128_t* out);
FieldParse ParseDateSlow(std::string_view text, int32_t* out);
FieldParse ParseTimestampSlow(std::string_view text, int64_t* out);

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }
inline int Digit(char c) { return c - '0'; }

// 10^i for i in [0, 18], the powers an int64 decimal needs.
inline constexpr auto kPowersOfTen = [] {
  std::array<int64_t, 19> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); i++) powers[i] = powers[i - 1] * 10;
  return powers;
}();
}  // namespace csv_internal

FieldParse ParseBoolField(std::string_view text, bool* out);
FieldParse ParseDoubleField(std::string_view text, double* out);
FieldParse ParseRealField(std::string_view text, float* out);
FieldParse ParseIntervalField(std::string_view text, Interval* out);

// SMALLINT, INTEGER or BIGINT, by T.
template <typename T>
inline FieldParse ParseIntegerField(std::string_view text, T* out) {
  using csv_internal::IsDigit;
  constexpr int64_t kMin = std::numeric_limits<T>::min();
  constexpr int64_t kMax = std::numeric_limits<T>::max();
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  // Up to 18 digits cannot overflow an int64, so the loop needs no checks.
  if (p < end && end - p <= 18) {
    int64_t v = 0;
    while (p < end && IsDigit(*p)) v = v * 10 + csv_internal::Digit(*p++);
    if (p == end) {
      if (negative) v = -v;
      if (v < kMin || v > kMax) return FieldParse::kOutOfRange;
      *out = static_cast<T>(v);
      return FieldParse::kOk;
    }
  }
  int64_t v;
  FieldParse status = csv_internal::ParseIntegerSlow(text, kMin, kMax, &v);
  if (status == FieldParse::kOk) *out = static_cast<T>(v);
  return status;
}

// DECIMAL(precision, scale) with precision <= 18, as a scaled int64.
inline FieldParse ParseDecimalField(std::string_view text, int precision, int scale, int64_t* out) {
  using csv_internal::IsDigit;
  const char* p = text.data();
  const char* end = p + text.size();
  bool negative = false;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  int64_t v = 0;
  int digits = 0;
  int fraction_digits = 0;
  // Digits past the 18th are counted, not added, so `v` cannot overflow.
  while (p < end && IsDigit(*p)) {
    if (++digits <= 18) v = v * 10 + csv_internal::Digit(*p);
    p++;
  }
  if (p < end && *p == '.') {
    p++;
    while (p < end && IsDigit(*p)) {
      if (++digits <= 18) v = v * 10 + csv_internal::Digit(*p);
      p++;
      fraction_digits++;
    }
  }
  // The fast path takes plain text that needs no rounding; the rest (blanks,
  // exponents, rounding, long digit strings) goes the slow way.
  if (p == end && digits > 0 && digits <= 18 && fraction_digits <= scale && scale <= 18) {
    const int64_t factor = csv_internal::kPowersOfTen[scale - fraction_digits];
    const int64_t max = csv_internal::kPowersOfTen[precision] - 1;
    if (__builtin_mul_overflow(v, factor, &v) || v > max) return FieldParse::kOutOfRange;
    *out = negative ? -v : v;
    return FieldParse::kOk;
  }
  int128_t wide;
  FieldParse status = csv_internal::ParseDecimalSlow(text, precision, scale, &wide);
  if (status == FieldParse::kOk) *out = static_cast<int64_t>(wide);
  return status;
}

// DECIMAL(precision, scale) of any precision, as a scaled int128.
inline FieldParse ParseDecimalField(std::string_view text, int precision, int scale,
                                    int128_t* out) {
  return csv_internal::ParseDecimalSlow(text, precision, scale, out);
}

// DATE as days since 1970-01-01; "YYYY-MM-DD" is read inline.
inline FieldParse ParseDateField(std::string_view text, int32_t* out) {
  using csv_internal::Digit;
  using csv_internal::IsDigit;
  const char* s = text.data();
  if (text.size() == 10 && s[4] == '-' && s[7] == '-' && IsDigit(s[0]) && IsDigit(s[1]) &&
      IsDigit(s[2]) && IsDigit(s[3]) && IsDigit(s[5]) && IsDigit(s[6]) && IsDigit(s[8]) &&
      IsDigit(s[9])) {
    int32_t year = Digit(s[0]) * 1000 + Digit(s[1]) * 100 + Digit(s[2]) * 10 + Digit(s[3]);
    int32_t month = Digit(s[5]) * 10 + Digit(s[6]);
    int32_t day = Digit(s[8]) * 10 + Digit(s[9]);
    if (!IsValidCivil(year, month, day)) return FieldParse::kInvalid;
    *out = DaysFromCivil(year, month, day);
    return FieldParse::kOk;
  }
  return csv_internal::ParseDateSlow(text, out);
}

// TIMESTAMP as microseconds since the epoch; "YYYY-MM-DD HH:MM:SS" is read inline.
inline FieldParse ParseTimestampField(std::string_view text, int64_t* out) {
  using csv_internal::Digit;
  using csv_internal::IsDigit;
  const char* s = text.data();
  int32_t days;
  if (text.size() == 19 && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':' &&
      IsDigit(s[11]) && IsDigit(s[12]) && IsDigit(s[14]) && IsDigit(s[15]) && IsDigit(s[17]) &&
      IsDigit(s[18]) && ParseDateField(text.substr(0, 10), &days) == FieldParse::kOk) {
    int64_t hour = Digit(s[11]) * 10 + Digit(s[12]);
    int64_t minute = Digit(s[14]) * 10 + Digit(s[15]);
    int64_t second = Digit(s[17]) * 10 + Digit(s[18]);
    if (hour < 24 && minute < 60 && second < 60) {
      *out = days * kMicrosPerDay + hour * kMicrosPerHour + minute * kMicrosPerMinute +
             second * kMicrosPerSecond;
      return FieldParse::kOk;
    }
  }
  return csv_internal::ParseTimestampSlow(text, out);
}

}  // namespace basalt
