#include "common/string_parse.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace basalt {

namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}
}  // namespace

bool ParseBool(std::string_view text, bool* out) {
  text = Trim(text);
  for (std::string_view t : {"true", "t", "yes", "y", "on", "1"}) {
    if (EqualsIgnoreCase(text, t)) return *out = true, true;
  }
  for (std::string_view f : {"false", "f", "no", "n", "off", "0"}) {
    if (EqualsIgnoreCase(text, f)) return *out = false, true;
  }
  return false;
}

bool ParseInteger(std::string_view text, int64_t min, int64_t max, int64_t* out) {
  text = Trim(text);
  if (text.empty()) return false;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return false;
  // Accumulate negatively so INT64_MIN parses without overflow.
  int64_t v = 0;
  for (; i < text.size(); i++) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, c - '0', &v)) return false;
  }
  if (!negative) {
    if (v == INT64_MIN) return false;
    v = -v;
  }
  if (v < min || v > max) return false;
  *out = v;
  return true;
}

bool ParseDouble(std::string_view text, double* out) {
  text = Trim(text);
  if (text.empty() || text.size() > 400) return false;
  if (EqualsIgnoreCase(text, "nan")) return *out = NAN, true;
  if (EqualsIgnoreCase(text, "infinity") || EqualsIgnoreCase(text, "inf") ||
      EqualsIgnoreCase(text, "+infinity")) {
    return *out = INFINITY, true;
  }
  if (EqualsIgnoreCase(text, "-infinity") || EqualsIgnoreCase(text, "-inf")) {
    return *out = -INFINITY, true;
  }
  char buf[401];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf, &end);
  if (end != buf + text.size()) return false;
  // Hex floats and the like are not SQL numbers.
  for (char c : text) {
    if (c == 'x' || c == 'X') return false;
  }
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

}  // namespace basalt
