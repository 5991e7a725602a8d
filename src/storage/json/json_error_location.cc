#include "storage/json/json_error_location.h"

namespace basalt {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

JsonErrorLocation LocateJsonArrayError(std::string_view text) {
  const size_t n = text.size();
  simdjson::dom::parser parser;
  size_t i = 1;  // after '['
  auto skip_blanks = [&] {
    while (i < n && IsBlank(text[i])) i++;
  };
  skip_blanks();
  if (i < n && text[i] == ']') {
    i++;
    skip_blanks();
    if (i < n) return {i, simdjson::TRAILING_CONTENT};
    return {};
  }
  while (i < n) {
    skip_blanks();
    const size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < n; i++) {
      const char c = text[i];
      if (in_string) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;
        depth--;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    size_t end = std::min(i, n);
    while (end > start && IsBlank(text[end - 1])) end--;
    simdjson::padded_string element(text.substr(start, end - start));
    simdjson::dom::element parsed;
    simdjson::error_code error = parser.parse(element).get(parsed);
    // Integers beyond 64 bits are widened by the reader, not errors.
    if (error && error != simdjson::NUMBER_ERROR) return {start, error};
    if (i >= n) return {n, simdjson::TAPE_ERROR};  // the array never closes
    if (text[i] == ']') {
      i++;
      skip_blanks();
      if (i < n) return {i, simdjson::TRAILING_CONTENT};
      return {};
    }
    i++;  // the comma
  }
  return {n, simdjson::TAPE_ERROR};
}

}  // namespace basalt
