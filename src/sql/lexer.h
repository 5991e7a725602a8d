// The SQL lexer: turns query text into tokens (see token.h).
#pragma once

#include <string_view>
#include <vector>

#include "sql/token.h"

namespace basalt::sql {

// Splits `sql` into tokens, skipping whitespace and comments (-- to end of
// line, and /* */ which nest as in PostgreSQL). The result always ends with a
// kEnd token. Throws BasaltError (42601) with the offending position for an
// unterminated string, quoted identifier or comment, a zero-length quoted
// identifier, junk directly after a number, or a character that starts no
// token; 22025 for a malformed or invalid \u / \U escape in an E'' string;
// 54000 when the input does not fit the 32-bit positions.
std::vector<Token> Tokenize(std::string_view sql);

}  // namespace basalt::sql
