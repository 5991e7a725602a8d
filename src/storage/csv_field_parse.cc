#include "storage/csv_field_parse.h"

#include <cctype>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <system_error>

#include "common/decimal.h"
#include "common/string_parse.h"

namespace basalt {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Whether `text` is a well-formed integer, whatever its size.
bool IsIntegerText(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (!csv_internal::IsDigit(c)) return false;
  }
  return true;
}

}  // namespace

namespace csv_internal {

FieldParse ParseIntegerSlow(std::string_view text, int64_t min, int64_t max, int64_t* out) {
  if (ParseInteger(text, min, max, out)) return FieldParse::kOk;
  return IsIntegerText(text) ? FieldParse::kOutOfRange : FieldParse::kInvalid;
}

FieldParse ParseDecimalSlow(std::string_view text, int precision, int scale, int128_t* out) {
  if (ParseDecimal(text, precision, scale, out)) return FieldParse::kOk;
  // ParseDecimal fails alike on bad text and on a value too large; a finite
  // number that it refused must have been too large.
  double d;
  if (ParseDouble(text, &d) && std::isfinite(d)) return FieldParse::kOutOfRange;
  return FieldParse::kInvalid;
}

FieldParse ParseDateSlow(std::string_view text, int32_t* out) {
  return ParseDate(text, out) ? FieldParse::kOk : FieldParse::kInvalid;
}

FieldParse ParseTimestampSlow(std::string_view text, int64_t* out) {
  return ParseTimestamp(text, out) ? FieldParse::kOk : FieldParse::kInvalid;
}

}  // namespace csv_internal

FieldParse ParseBoolField(std::string_view text, bool* out) {
  if (text == "t" || text == "true") return *out = true, FieldParse::kOk;
  if (text == "f" || text == "false") return *out = false, FieldParse::kOk;
  return ParseBool(text, out) ? FieldParse::kOk : FieldParse::kInvalid;
}

FieldParse ParseDoubleField(std::string_view text, double* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (ec == std::errc() && ptr == end && !text.empty()) return FieldParse::kOk;
  // Blanks, a leading '+', "Infinity" spellings and underflow take the slow path.
  if (ParseDouble(text, out)) return FieldParse::kOk;
  std::string_view trimmed = Trim(text);
  if (!trimmed.empty() && trimmed[0] == '+') trimmed.remove_prefix(1);
  double ignored;
  const char* trimmed_end = trimmed.data() + trimmed.size();
  auto [ptr2, ec2] = std::from_chars(trimmed.data(), trimmed_end, ignored);
  if (ec2 == std::errc::result_out_of_range && ptr2 == trimmed_end) {
    return FieldParse::kOutOfRange;
  }
  return FieldParse::kInvalid;
}

FieldParse ParseRealField(std::string_view text, float* out) {
  double d;
  FieldParse status = ParseDoubleField(text, &d);
  if (status != FieldParse::kOk) return status;
  if (std::isfinite(d) && std::fabs(d) > FLT_MAX) return FieldParse::kOutOfRange;
  *out = static_cast<float>(d);
  return FieldParse::kOk;
}

FieldParse ParseIntervalField(std::string_view text, Interval* out) {
  return ParseInterval(text, "", out) ? FieldParse::kOk : FieldParse::kInvalid;
}


}  // namespace basalt
