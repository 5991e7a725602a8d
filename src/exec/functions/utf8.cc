#include "exec/functions/utf8.h"

namespace basalt {

char32_t Utf8Decode(std::string_view s, size_t i, int* length) {
  uint8_t b0 = static_cast<uint8_t>(s[i]);
  int n = Utf8SequenceLength(b0);
  if (n == 1 || i + n > s.size()) {
    *length = 1;
    return b0;
  }
  char32_t cp = b0 & (0x7F >> n);
  for (int k = 1; k < n; k++) {
    uint8_t b = static_cast<uint8_t>(s[i + k]);
    if (!IsUtf8Continuation(b)) {
      *length = 1;
      return b0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *length = n;
  return cp;
}

namespace {

// Ranges where upper and lower case alternate: even code point upper, odd
// lower (or the reverse when `odd_upper`).
bool InAlternatingRange(char32_t cp, bool* odd_upper) {
  // Dotted and dotless i change length and meaning across locales: left alone.
  if (cp == 0x0130 || cp == 0x0131) return false;
  if ((cp >= 0x0100 && cp <= 0x0137) || (cp >= 0x014A && cp <= 0x0177) ||
      (cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF)) {
    *odd_upper = false;
    return true;
  }
  if ((cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E)) {
    *odd_upper = true;
    return true;
  }
  return false;
}

}  // namespace

char32_t ToLowerCodePoint(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  bool odd_upper;
  if (InAlternatingRange(cp, &odd_upper)) return ((cp & 1) == (odd_upper ? 1u : 0u)) ? cp + 1 : cp;
  if (cp == 0x0178) return 0xFF;
  if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2) return cp + 0x20;
  if (cp == 0x0386) return 0x03AC;
  if (cp >= 0x0388 && cp <= 0x038A) return cp + 0x25;
  if (cp == 0x038C) return 0x03CC;
  if (cp == 0x038E || cp == 0x038F) return cp + 0x3F;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  return cp;
}

char32_t ToUpperCodePoint(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') ? cp - 32 : cp;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
  if (cp == 0xFF) return 0x0178;
  bool odd_upper;
  if (InAlternatingRange(cp, &odd_upper)) return ((cp & 1) == (odd_upper ? 0u : 1u)) ? cp - 1 : cp;
  if (cp >= 0x03B1 && cp <= 0x03C9) return cp == 0x03C2 ? 0x03A3 : cp - 0x20;
  if (cp == 0x03AC) return 0x0386;
  if (cp >= 0x03AD && cp <= 0x03AF) return cp - 0x25;
  if (cp == 0x03CC) return 0x038C;
  if (cp == 0x03CD || cp == 0x03CE) return cp - 0x3F;
  if (cp >= 0x0430 && cp <= 0x044F) return cp - 0x20;
  if (cp >= 0x0450 && cp <= 0x045F) return cp - 0x50;
  return cp;
}

namespace {

template <char32_t (*kMap)(char32_t)>
void AppendMapped(std::string_view s, std::string* out) {
  size_t start = out->size();
  out->resize(start + s.size());
  char* dst = out->data() + start;
  size_t i = 0;
  while (i < s.size()) {
    uint8_t b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      *dst++ = static_cast<char>(kMap(b));
      i++;
      continue;
    }
    int n;
    char32_t cp = Utf8Decode(s, i, &n);
    char32_t mapped = kMap(cp);
    char buf[4];
    int m = Utf8Encode(mapped, buf);
    if (m != n) {  // never for the mapped ranges; keep the original bytes
      for (int k = 0; k < n; k++) *dst++ = s[i + k];
    } else {
      for (int k = 0; k < m; k++) *dst++ = buf[k];
    }
    i += n;
  }
}

}  // namespace

void AppendLower(std::string_view s, std::string* out) { AppendMapped<ToLowerCodePoint>(s, out); }
void AppendUpper(std::string_view s, std::string* out) { AppendMapped<ToUpperCodePoint>(s, out); }

}  // namespace basalt
