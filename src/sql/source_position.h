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

// PostgreSQL's ErrorResponse gives an error's position in characters from 1;
// QueryResult and BasaltError give byte offsets from 0. Characters are UTF-8
// code points (counted by their lead bytes). The two are inverses for an
// offset at the start of a character or at the end of the text.
//
// The character position of byte `offset`: the characters that start before
// it, plus one. An offset past the end counts every character (the position
// after the last); a negative one is 1.
int32_t CharacterPosition(std::string_view text, int32_t offset);
// The byte offset where character `position` starts; text.size() ("at end of
// input") when the text has fewer characters, 0 for a position below 1.
int32_t ByteOffsetOfCharacter(std::string_view text, int64_t position);

}  // namespace basalt::sql
