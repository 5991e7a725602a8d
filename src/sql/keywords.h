// Which words the grammar reserves, and quoting of identifiers for output.
#pragma once

#include <string>
#include <string_view>

namespace basalt::sql {

// Reserved words cannot name a column, table or alias unless double quoted
// (close to PostgreSQL's reserved and type/function-name keyword classes).
// Everything else, including type names and date parts such as `date` or
// `year`, stays usable as an identifier. `word` must be lowercase.
bool IsReservedKeyword(std::string_view word);

// Words that may not serve as an alias written without AS, because they can
// follow an expression or a table (reserved words plus e.g. BETWEEN, FILTER,
// OVER, NULLS). `word` must be lowercase.
bool IsNonAliasKeyword(std::string_view word);

// `name` as it must be written in SQL to read back unchanged: bare when it is
// a lowercase identifier that is not reserved, else double quoted with "" for ".
std::string QuoteIdentifier(std::string_view name);

// `word` in ASCII upper case, for keywords in messages ("UPDATE is not supported").
std::string ToUpperAscii(std::string_view word);

}  // namespace basalt::sql
