// SQL identifiers as they must be written to read back unchanged: the words
// the grammar reserves and the quoting of names for output. In common/
// because the parser (sql/) and everything that prints a name for a user to
// paste back (EXPLAIN, regclass output in exec/, the shell) need one answer.
#pragma once

#include <string>
#include <string_view>

namespace basalt {

// Reserved words cannot name a column, table or alias unless double quoted
// (close to PostgreSQL's reserved and type/function-name keyword classes).
// Everything else, including type names and date parts such as `date` or
// `year`, stays usable as an identifier. `word` must be lowercase.
bool IsReservedKeyword(std::string_view word);

// `name` as it must be written in SQL to read back unchanged: bare when it is
// a lowercase identifier that is not reserved, else double quoted with "" for ".
std::string QuoteIdentifier(std::string_view name);

}  // namespace basalt
