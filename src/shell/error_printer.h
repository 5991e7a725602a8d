// How the shell reports a failed statement, psql style with the SQLSTATE at
// the end of the first line:
//
//   ERROR:  syntax error at or near "FORM" (SQLSTATE 42601)
//   LINE 2: select a FORM t;
//                    ^
//
// The LINE part appears only when the error has a position; n counts lines of
// the statement as it was sent, and the caret sits under the offending
// character (columns counted in characters, wide characters as two).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// Lines longer than this are shown as a window around the caret.
inline constexpr size_t kMaxErrorLineWidth = 80;

struct ErrorLocation {
  int line = 0;             // 1-based line of the statement; 0 = no position
  std::string text;         // that line as shown, possibly trimmed with "..."
  size_t caret_column = 0;  // 0-based column in `text`
};

// Where `byte_offset` falls in `statement`. An offset at or past the end
// points just after the last character ("at end of input").
ErrorLocation LocateError(std::string_view statement, int32_t byte_offset);

// The full report, ending in a newline. `code` may be empty.
std::string FormatError(std::string_view code, std::string_view message, int32_t position,
                        std::string_view statement);

}  // namespace basalt
