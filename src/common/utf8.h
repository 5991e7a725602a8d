// UTF-8 encoding, shared by the lexer (\u escapes in E'' strings) and the
// string functions (exec/functions/utf8.h has the rest of their helpers).
#pragma once

namespace basalt {

// Writes the encoding of `cp` (at most 4 bytes) to `out` and returns the byte
// count. `cp` must be a Unicode scalar value; nothing is checked here.
int Utf8Encode(char32_t cp, char* out);

}  // namespace basalt
