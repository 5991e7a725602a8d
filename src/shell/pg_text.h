// The client side of common/pg_types.h: a column's Basalt type from the type
// OID and modifier of a RowDescription, and a value from its PostgreSQL text
// format. The remote shell uses these so that a result from a server prints
// exactly as the same result does locally (alignment, json numbers, and each
// value's text, which round-trips: ParsePgText(PgTextOf(v)) == v).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/types.h"
#include "common/vector.h"

namespace basalt {

// The type for a column of type `oid` with modifier `modifier` (atttypmod,
// -1 for none): common/pg_types.h's LogicalTypeOfPg, with the shell's rule
// for the rest. OIDs Basalt does not have become VARCHAR, and so does
// NUMERIC without a usable modifier (its scale would differ from row to row).
LogicalType LogicalTypeFromPg(int32_t oid, int32_t modifier);

// Parses `text`, in PostgreSQL's text output format, as a value of `type`
// straight into row `row` of `out`, a flat vector of that type. Returns false
// when the text is not such a value, or when the value would not print as
// `text` again (BOOLEAN aside: "t" prints as "true", as it does locally); the
// row is then unspecified. A caller that must show it anyway can fall back to
// VARCHAR, whose text is the input unchanged.
bool ParsePgText(std::string_view text, const LogicalType& type, Vector* out, idx_t row);

}  // namespace basalt
