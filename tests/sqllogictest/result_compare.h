// How a query's result is turned into text and compared with the rows a test
// expects. Kept apart from the engine so the rules can be unit tested alone.
//
// Rendering: NULL is `NULL`, the empty string is `(empty)` (a blank line would
// end the record), everything else is Value::ToString(): integers as digits,
// DECIMAL with its scale's digits, REAL/DOUBLE as their shortest round-trip
// text, booleans `true`/`false`, dates and timestamps in ISO form.
//
// Comparison: values of an `R` column match when both parse as numbers within
// a relative tolerance of kRealTolerance (so `0.1` matches 0.1000000000000001);
// every other column compares the text exactly. An expected value
// `<REGEX>:pattern` (as in DuckDB) matches any value the whole of which the
// ECMAScript pattern matches, `<!REGEX>:pattern` any other; for values no test
// can know in advance, such as the time ANALYZE ran.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"
#include "test_file.h"

namespace basalt::sqllogictest {

inline constexpr double kRealTolerance = 1e-9;

using Row = std::vector<std::string>;

std::string RenderValue(const Value& value);

// Splits an expected row on TAB, the only separator (values may hold spaces).
Row SplitRow(std::string_view line);

// Whether `actual` matches `expected` in a column of type letter `type`.
bool ValuesMatch(char type, std::string_view expected, std::string_view actual);

struct Comparison {
  bool ok = true;
  // When !ok: what differs, for the failure report.
  std::string message;
  // The actual rows as compared (sorted when the sort mode says so), for the report.
  std::vector<std::string> actual_lines;
};

// Compares the rendered result `actual` (one Row per result row) with the
// expected lines of a query record.
Comparison CompareResult(const std::string& column_types, SortMode sort_mode,
                         std::vector<Row> actual, const std::vector<std::string>& expected_lines);

}  // namespace basalt::sqllogictest
