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

}  // namespace basalt::sql
