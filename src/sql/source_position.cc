#include "sql/source_position.h"

#include <algorithm>

namespace basalt::sql {

LineColumn OffsetToLineColumn(std::string_view text, int32_t offset) {
  LineColumn result;
  size_t end = offset < 0 ? 0 : std::min(text.size(), static_cast<size_t>(offset));
  for (size_t i = 0; i < end; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++result.line;
      result.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      // Continuation bytes of a UTF-8 sequence do not start a new character.
      ++result.column;
    }
  }
  return result;
}

int32_t CharacterPosition(std::string_view text, int32_t offset) {
  const size_t end = offset < 0 ? 0 : std::min(text.size(), static_cast<size_t>(offset));
  int32_t characters = 0;
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  }
  return characters + 1;
}

int32_t ByteOffsetOfCharacter(std::string_view text, int64_t position) {
  if (position < 1) return 0;
  int64_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // not a lead byte
    if (++characters == position) return static_cast<int32_t>(i);
  }
  return static_cast<int32_t>(text.size());
}

}  // namespace basalt::sql
