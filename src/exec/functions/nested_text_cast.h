// Reading LIST and STRUCT values from their text (docs/types_and_functions.md,
// "Lists and structs"): the form Basalt and DuckDB print, [1, 2, NULL] and
// {'a': 1, 'b': x}, so that a value written out as text (COPY TO CSV, a
// client) reads back as itself.
#pragma once

#include <string>
#include <string_view>

#include "common/types.h"

namespace basalt {

// The encoded value (common/nested_value.h) of `text` read as `type`, a LIST
// or STRUCT. Elements are cast from their text as CAST(text AS element type)
// would (with its errors); text that is not of this form is 22P02.
std::string ParseNestedText(std::string_view text, const LogicalType& type);

}  // namespace basalt
