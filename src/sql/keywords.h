// Which words the grammar reserves, and quoting of identifiers for output.
// The reserved words and the quoting live in common/identifier.h, shared with
// the layers that print names; this header adds what only the parser needs.
#pragma once

#include <string>
#include <string_view>

#include "common/identifier.h"

namespace basalt::sql {

using ::basalt::IsReservedKeyword;
using ::basalt::QuoteIdentifier;

// Words that may not serve as an alias written without AS, because they can
// follow an expression or a table (reserved words plus e.g. BETWEEN, FILTER,
// OVER, NULLS). `word` must be lowercase.
bool IsNonAliasKeyword(std::string_view word);

// `word` in ASCII upper case, for keywords in messages ("UPDATE is not supported").
std::string ToUpperAscii(std::string_view word);

}  // namespace basalt::sql
