#include "common/decimal.h"

#include <algorithm>
#include <cctype>

namespace basalt {

namespace {
struct Pow10Table {
  int128_t values[39];
  Pow10Table() {
    values[0] = 1;
    for (int i = 1; i <= 38; i++) values[i] = values[i - 1] * 10;
  }
};
const Pow10Table kPow10;
}  // namespace

int128_t Pow10(int i) { return kPow10.values[i]; }

std::string Int128ToString(int128_t v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  uint128_t u = negative ? -static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
  char buf[48];
  int pos = sizeof(buf);
  while (u > 0) {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (negative) buf[--pos] = '-';
  return std::string(buf + pos, sizeof(buf) - pos);
}

std::string DecimalToString(int128_t v, int scale) {
  if (scale == 0) return Int128ToString(v);
  bool negative = v < 0;
  uint128_t u = negative ? -static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
  std::string digits = Int128ToString(static_cast<int128_t>(u));
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, scale - digits.size() + 1, '0');
  }
  digits.insert(digits.size() - scale, 1, '.');
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

bool DecimalLiteralShape(std::string_view text, int* precision, int* scale) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) i++;
  int int_digits = 0, frac_digits = 0;
  bool seen_point = false, any_digit = false, leading = true;
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      any_digit = true;
      if (seen_point) {
        frac_digits++;
      } else if (!(leading && c == '0')) {
        leading = false;
        int_digits++;
      }
    } else {
      return false;
    }
  }
  if (!any_digit) return false;
  *scale = frac_digits;
  *precision = std::max(1, int_digits + frac_digits);
  return *precision <= kMaxDecimalPrecision;
}

bool ParseDecimal(std::string_view text, int precision, int scale, int128_t* out) {
  // Trim surrounding blanks as PostgreSQL does for numeric input.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Collect up to 40 significant digits and the decimal exponent they imply.
  int128_t mantissa = 0;
  int exponent = 0;  // value = mantissa * 10^exponent
  bool any_digit = false, seen_point = false;
  int round_digit = -1;  // first digit dropped because of length
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return false;
      seen_point = true;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    any_digit = true;
    if (mantissa < Pow10(37)) {
      mantissa = mantissa * 10 + (c - '0');
      if (seen_point) exponent--;
    } else {
      if (round_digit < 0) round_digit = c - '0';
      if (!seen_point) exponent++;
    }
  }
  if (!any_digit) return false;
  if (i < text.size()) {  // exponent part
    i++;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return false;
    int e = 0;
    for (; i < text.size(); i++) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
      e = e * 10 + (text[i] - '0');
      if (e > 1000) return false;
    }
    exponent += exp_negative ? -e : e;
  }
  if (round_digit >= 5) mantissa += 1;
  // Bring mantissa * 10^exponent to mantissa' * 10^-scale.
  int shift = exponent + scale;
  int128_t result;
  if (shift >= 0) {
    if (shift > 38) return mantissa == 0 ? (*out = 0, true) : false;
    int128_t limit = MaxDecimalValue(precision);
    if (mantissa != 0 && mantissa > limit / Pow10(shift)) return false;
    result = mantissa * Pow10(shift);
  } else {
    int drop = -shift;
    if (drop > 38) {
      result = 0;
    } else {
      int128_t divisor = Pow10(drop);
      result = mantissa / divisor;
      if ((mantissa % divisor) * 2 >= divisor) result += 1;
    }
  }
  if (result > MaxDecimalValue(precision)) return false;
  *out = negative ? -result : result;
  return true;
}

int128_t RescaleDecimal(int128_t v, int from_scale, int to_scale) {
  if (to_scale >= from_scale) return v * Pow10(to_scale - from_scale);
  int128_t divisor = Pow10(from_scale - to_scale);
  int128_t q = v / divisor;
  int128_t r = v % divisor;
  if (r * 2 >= divisor) q += 1;
  if (r * 2 <= -divisor) q -= 1;
  return q;
}

}  // namespace basalt
