// UTF-8 helpers for the string functions. SQL counts characters, not bytes
// (length, substring, lpad, LIKE's '_'), so these walk code points. They never
// fail on invalid UTF-8: a stray byte counts as one character, which keeps
// every loop moving and matches what byte-oriented input would expect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace basalt {

// Bytes in the sequence that starts with `lead` (1 for a stray continuation byte).
inline int Utf8SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

inline bool IsUtf8Continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// Characters in `s`: every byte that does not continue a sequence starts one.
inline int64_t Utf8Length(std::string_view s) {
  int64_t n = 0;
  for (char c : s) n += !IsUtf8Continuation(static_cast<uint8_t>(c));
  return n;
}

inline bool IsAscii(std::string_view s) {
  uint8_t any = 0;
  for (char c : s) any |= static_cast<uint8_t>(c);
  return any < 0x80;
}

// The byte offset `chars` characters after byte offset `from` (at most s.size()).
inline size_t Utf8Advance(std::string_view s, size_t from, int64_t chars) {
  size_t i = from;
  while (chars > 0 && i < s.size()) {
    i += Utf8SequenceLength(static_cast<uint8_t>(s[i]));
    chars--;
  }
  return i < s.size() ? i : s.size();
}

// Decodes the code point at s[i] and sets *length to its byte count.
char32_t Utf8Decode(std::string_view s, size_t i, int* length);

// Simple case mapping for Latin, Greek and Cyrillic letters; other code
// points are returned unchanged. Mapped pairs have the same encoded length.
char32_t ToLowerCodePoint(char32_t cp);
char32_t ToUpperCodePoint(char32_t cp);

// Appends `s` in lower or upper case to `out`.
void AppendLower(std::string_view s, std::string* out);
void AppendUpper(std::string_view s, std::string* out);

}  // namespace basalt
