// Turning byte offsets (BasaltError::position, AST positions) into the line
// and column a person looks for.
#pragma once

#include <cstdint>
#include <string_view>

namespace basalt::sql {

struct LineColumn {
  int32_t line = 1;    // 1-based
  int32_t column = 1;  // 1-based, counted in characters (UTF-8 code points)
};

// The line and column of byte `offset` in `text`. Lines end at '\n'. An
// offset at or past the end (e.g. "syntax error at end of input") maps to the
// position just after the last character; a negative offset maps to 1:1.
LineColumn OffsetToLineColumn(std::string_view text, int32_t offset);

}  // namespace basalt::sql
