#include "shell/text_width.h"

#include <algorithm>
#include <iterator>

namespace basalt {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks and zero-width characters, which draw onto the previous
// character.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

// East Asian wide and fullwidth blocks, and emoji, which take two columns.
constexpr Range kDoubleWidth[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <size_t N>
bool InRanges(const Range (&ranges)[N], char32_t cp) {
  auto it = std::upper_bound(std::begin(ranges), std::end(ranges), cp,
                             [](char32_t c, const Range& r) { return c < r.first; });
  return it != std::begin(ranges) && cp <= std::prev(it)->last;
}

}  // namespace

size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* cp, bool* valid) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  size_t length = 0;
  char32_t value = 0;
  char32_t min_value = 0;
  if (lead < 0x80) {
    *cp = lead;
    if (valid) *valid = true;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    min_value = 0x10000;
  }
  bool ok = length > 0 && pos + length <= text.size();
  for (size_t i = 1; ok && i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      ok = false;
    } else {
      value = (value << 6) | (byte(pos + i) & 0x3F);
    }
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  ok = ok && value >= min_value && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
  if (valid) *valid = ok;
  if (!ok) {
    *cp = kReplacementCharacter;
    return 1;
  }
  *cp = value;
  return length;
}

int CodePointWidth(char32_t cp) {
  if (cp < 0x300) return 1;
  if (InRanges(kZeroWidth, cp)) return 0;
  if (InRanges(kDoubleWidth, cp)) return 2;
  return 1;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t pos = 0; pos < text.size();) {
    char32_t cp;
    pos += DecodeUtf8(text, pos, &cp);
    width += CodePointWidth(cp);
  }
  return width;
}

}  // namespace basalt
